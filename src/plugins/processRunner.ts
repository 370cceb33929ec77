/**
 * Runs a local binary the way the kubelet and client-go run their plugins: an executable path and
 * arguments (never through a shell), an explicit environment, bytes on stdin, and a hard timeout
 * after which the whole process group is killed, so a plugin's own children cannot keep it alive.
 * Shared by the credential-provider plugin runner and the kubeconfig exec plugin runner.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface ProcessRequest {
  /** The binary's path; it is executed directly, not looked up on PATH by a shell. */
  file: string;
  args: readonly string[];
  /**
   * `NAME=VALUE` entries in order. The same name may appear twice: the later entry wins, as Go's
   * exec does (entries without '=' cannot be passed on and are left out).
   */
  env: readonly string[];
  stdin: string | Uint8Array;
  timeoutMs: number;
  /** Output beyond these sizes is read and dropped, and the result says so. Default 4 MiB / 1 MiB. */
  maxStdoutBytes?: number;
  maxStderrBytes?: number;
  cwd?: string;
}

interface Output {
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
}

export type ProcessResult =
  | ({ kind: 'exited'; code: number } & Output)
  /** Killed by a signal it did not get from us (code is null in Node's terms). */
  | ({ kind: 'signalled'; signal: string } & Output)
  | ({ kind: 'timedOut'; timeoutMs: number } & Output)
  /** The binary, or the interpreter its #! line names, does not exist. */
  | { kind: 'notFound' }
  | { kind: 'failed'; error: string };

export const DEFAULT_MAX_STDOUT_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_STDERR_BYTES = 1024 * 1024;
/** After the kill, how long the pipes may take to close before the result is given anyway. */
const KILL_GRACE_MS = 1000;

/** The environment as an object: later entries win, as in Go's exec (dedupEnv). */
export function environmentObject(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    Object.defineProperty(env, entry.slice(0, eq), { value: entry.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return env;
}

/** A byte collector with a cap: keeps reading past it (so the process never blocks on a full pipe). */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (room <= 0) {
      this.truncated = this.truncated || chunk.length > 0;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function runProcess(req: ProcessRequest): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    // detached: the child leads a new process group, which the timeout kills as a whole.
    const group = process.platform !== 'win32';
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(req.file, [...req.args], {
        env: environmentObject(req.env),
        cwd: req.cwd,
        shell: false,
        detached: group,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (e) {
      resolve({ kind: 'failed', error: errorText(e) });
      return;
    }
    const stdout = new CappedBuffer(req.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES);
    const stderr = new CappedBuffer(req.maxStderrBytes ?? DEFAULT_MAX_STDERR_BYTES);
    let timedOut = false;
    let settled = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const settle = (r: ProcessResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      resolve(r);
    };
    const output = (): Output => ({
      stdout: stdout.text(),
      stderr: stderr.text(),
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
      durationMs: performance.now() - started,
    });
    const killAll = (): void => {
      const pid = child.pid;
      if (pid === undefined) return;
      try {
        if (group) process.kill(-pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone: nothing left to stop.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
      // A process that left our group can hold the pipes open: stop waiting for them.
      grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle({ kind: 'timedOut', timeoutMs: req.timeoutMs, ...output() });
      }, KILL_GRACE_MS);
    }, req.timeoutMs);

    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    // A plugin may exit without reading its stdin: the broken pipe is not our failure.
    child.stdin.on('error', () => undefined);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') settle({ kind: 'notFound' });
      else settle({ kind: 'failed', error: errorText(e) });
    });
    // 'close' waits for the pipes too, so output written just before exit is not lost.
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (timedOut) settle({ kind: 'timedOut', timeoutMs: req.timeoutMs, ...output() });
      else if (code !== null) settle({ kind: 'exited', code, ...output() });
      else settle({ kind: 'signalled', signal: signal ?? 'unknown', ...output() });
    });
    child.stdin.end(typeof req.stdin === 'string' ? Buffer.from(req.stdin, 'utf8') : req.stdin);
  });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
