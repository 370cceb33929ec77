/** Real plugin executables for the runner tests, written to a temporary directory and removed after. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  /** Writes an executable (mode 0755 unless given) and returns its path. */
  script(name: string, text: string, mode?: number): string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    script(name, text, mode = 0o755) {
      const file = join(path, name);
      writeFileSync(file, text);
      chmodSync(file, mode);
      return file;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** A script run by this very Node (no PATH lookup), from JavaScript source. */
export function nodeScript(source: string): string {
  return `#!${process.execPath}\n${source}\n`;
}

/** Reads all of stdin, then calls `answer(text)`; the source of a Node plugin that answers its request. */
export function answeringPlugin(answer: string): string {
  return nodeScript(`let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  const out = (${answer})(input, request);
  process.stdout.write(typeof out === 'string' ? out : JSON.stringify(out));
});`);
}

/**
 * True while a process with this pid runs. A killed orphan can stay a zombie where the container's
 * init does not reap, so on Linux the state in /proc counts, not only the pid's existence.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux';
  }
}
