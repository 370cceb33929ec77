/**
 * Runs a kubeconfig user's exec credential plugin once, as client-go runs it (SPEC C.5), so that a
 * user sees what their plugin really answers: the expiry it gives, the certificate it returns, how
 * long it takes and what it says on stderr. The rules (input object, environment order, interactive
 * decision, output checks, error texts) are the pure authenticator's (src/sim/execAuth); this file
 * only resolves the command, starts the process and parses a returned certificate with node:crypto.
 *
 * The token is a secret: it is kept in `secret` for an explicit reveal and nowhere else (not in
 * errors, not in `status`). Exec args and env values may be secrets too: they go to the process only.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { ManualClock } from '../sim/clock';
import { Authenticator, pluginEnvironment, type Credentials, type PluginRunAnswer } from '../sim/execAuth/authenticator';
import { NEWEST_CLIENT_GO, type ClientGoVersion, type ExecCluster, type ExecConfig } from '../sim/execAuth/execConfig';
import { checkPemKeyPair, type KeyPairResult } from '../sim/execAuth/execCredential';
import { missingInteractiveModeError, withKubeconfigDefaults } from '../sim/execAuth/interactiveMode';
import { execCommandPath } from '../sim/execAuth/kubeconfigLint';
import { decodeJwt, type JwtPayload } from '../token/decode';
import { resolveCommandPath } from './commandPath';
import { environmentObject, runProcess, type ProcessResult } from './processRunner';

/** stderr kept for the report; a chatty plugin's rest is dropped (and the result says so). */
export const EXEC_PLUGIN_STDERR_CAP_BYTES = 64 * 1024;
/** client-go sets no timeout; a one-off run from the editor must end, so the caller picks one. */
export const DEFAULT_EXEC_PLUGIN_TIMEOUT_MS = 60_000;

export interface ExecCredentialPluginRequest {
  /** The user's exec stanza as written in the kubeconfig (kubeconfig defaults are applied here). */
  exec: ExecConfig;
  userName: string;
  /** The file that defines the user: a relative command with a slash is taken from its folder. */
  kubeconfigFile: string;
  /** Sent as spec.cluster when the stanza has provideClusterInfo. */
  cluster?: ExecCluster;
  /** `NAME=VALUE` entries of the calling process (the extension host's): PATH is searched from here. */
  environ: readonly string[];
  /** The editor has no terminal for the plugin: never interactive (SPEC C.6). */
  terminal: false;
  timeoutMs: number;
  clientGoVersion?: ClientGoVersion;
  /** The wall clock (tests pass their own). */
  now?: () => number;
}

/** What the plugin answered, without the secret values. */
export interface ExecPluginStatus {
  hasToken: boolean;
  /** Epoch ms; undefined: the plugin gave none, so client-go uses the credentials until a 401. */
  expirationTimestamp?: number;
  /** expirationTimestamp minus the time the run ended. */
  remainingMs?: number;
  certificate?: { subject: string; notAfter?: number };
  /** The token's claims when it is a JWT (decoded, not verified). */
  claims?: JwtPayload;
}

/** Where a run stopped: before starting (config, interactive mode, binary) or after (exit, timeout, output). */
export type ExecPluginStage = 'config' | 'interactive' | 'notFound' | 'start' | 'timeout' | 'exit' | 'output';

interface RunFacts {
  /** The command as written, and the file it resolved to (when it did). */
  command: string;
  resolved?: string;
  argCount: number;
  /** The interactiveMode client-go uses after kubeconfig defaulting. */
  interactiveMode: string;
  durationMs?: number;
  exitCode?: number;
  stderr?: string;
  stderrTruncated?: boolean;
}

export type ExecCredentialPluginRun =
  | (RunFacts & {
      ok: true;
      status: ExecPluginStatus;
      /** Only for an explicit "Reveal Token": never log it, never put it in a message. */
      secret: { token?: string };
    })
  | (RunFacts & { ok: false; stage: ExecPluginStage; error: string });

export async function runExecCredentialPlugin(req: ExecCredentialPluginRequest): Promise<ExecCredentialPluginRun> {
  const now = req.now ?? Date.now;
  // Read from a kubeconfig file, the stanza gets clientcmd's defaults (SPEC C.6 defaulting).
  const exec = withKubeconfigDefaults(req.exec);
  const facts: RunFacts = { command: exec.command, argCount: exec.args?.length ?? 0, interactiveMode: exec.interactiveMode ?? '' };
  const fail = (stage: ExecPluginStage, error: string, more: Partial<RunFacts> = {}): ExecCredentialPluginRun => ({ ...facts, ...more, ok: false, stage, error });

  if (exec.command === '') return fail('config', `command must be specified for ${req.userName} to use exec authentication plugin`);
  // SPEC C.6: kubeconfig validation refuses a v1 stanza without interactiveMode before anything runs.
  const missingMode = missingInteractiveModeError(exec, req.userName);
  if (missingMode !== undefined) return fail('config', missingMode);

  // clientcmd makes a relative command with a slash absolute (from the file's folder) on load.
  const runs = execCommandPath(exec.command, req.kubeconfigFile);
  const clock = new ManualClock(now());
  const created = Authenticator.create({ ...exec, command: runs }, {
    clock,
    terminal: { stdinIsTerminal: false },
    clientGoVersion: req.clientGoVersion ?? NEWEST_CLIENT_GO,
    ...(req.cluster !== undefined ? { cluster: req.cluster } : {}),
    keyPair: parseX509KeyPair,
  });
  // SPEC C.1: an apiVersion the release does not know fails when the client is built.
  if (!created.ok) return fail('config', created.error);
  const authenticator = created.authenticator;

  // SPEC C.4/C.5 steps 1–2: nothing cached, so the plugin runs; Always cannot without a terminal.
  const start = authenticator.getCreds();
  if (start.kind === 'error') return fail('interactive', withoutRequestPrefix(start.error));
  if (start.kind !== 'run') throw new Error('exec plugin run: a fresh authenticator did not ask to run the plugin');

  // SPEC C.5 step 3: the process's environment, the configured env, then KUBERNETES_EXEC_INFO.
  const processEnv = Object.entries(environmentObject(req.environ));
  const env = pluginEnvironment(processEnv, exec, start.input.execInfo).map(([k, v]) => `${k}=${v}`);

  // Go looks a bare name up on the caller's PATH, not on the plugin's env.
  const lookup = resolveCommandPath(runs, { path: environmentObject(req.environ).PATH });
  let answer: PluginRunAnswer;
  let result: ProcessResult | undefined;
  if (!lookup.found) answer = { kind: 'notFound' };
  else {
    facts.resolved = lookup.path;
    result = await runProcess({
      file: lookup.path,
      args: exec.args ?? [],
      env,
      // SPEC C.5 step 2: stdin is the terminal's only when interactive, which it never is here.
      stdin: '',
      timeoutMs: req.timeoutMs,
      maxStderrBytes: EXEC_PLUGIN_STDERR_CAP_BYTES,
    });
    answer = processAnswer(result);
  }
  clock.set(now());
  const finished = authenticator.runFinished(answer);
  const ran: Partial<RunFacts> = result !== undefined && 'durationMs' in result
    ? { durationMs: result.durationMs, stderr: result.stderr, stderrTruncated: result.stderrTruncated, ...(result.kind === 'exited' ? { exitCode: result.code } : {}) }
    : {};
  if (!finished.ok) {
    return fail(stageOf(answer), withoutRequestPrefix(finished.error), ran);
  }
  return { ...facts, ...ran, ok: true, status: statusOf(finished.creds, clock.now()), secret: finished.creds.token !== undefined ? { token: finished.creds.token } : {} };
}

/** The authenticator's errors as a request sees them; here there is no request, only the plugin's own text. */
function withoutRequestPrefix(error: string): string {
  return error.replace(/^getting credentials: /, '');
}

function processAnswer(result: ProcessResult): PluginRunAnswer {
  switch (result.kind) {
    case 'exited':
      return result.code === 0 ? { kind: 'output', stdout: result.stdout } : { kind: 'exit', code: result.code, stderr: result.stderr };
    // Go reports a process killed by a signal as exit code -1.
    case 'signalled':
      return { kind: 'exit', code: -1, stderr: result.stderr };
    case 'timedOut':
      return { kind: 'timeout' };
    case 'notFound':
      return { kind: 'notFound' };
    case 'failed':
      return { kind: 'startError', message: result.error };
  }
}

function stageOf(answer: PluginRunAnswer): ExecPluginStage {
  switch (answer.kind) {
    case 'output':
      return 'output';
    case 'exit':
      return 'exit';
    case 'timeout':
      return 'timeout';
    case 'notFound':
      return 'notFound';
    case 'startError':
      return 'start';
  }
}

function statusOf(creds: Credentials, endedAt: number): ExecPluginStatus {
  const status: ExecPluginStatus = { hasToken: creds.token !== undefined };
  if (creds.expiresAt !== undefined) {
    status.expirationTimestamp = creds.expiresAt;
    status.remainingMs = creds.expiresAt - endedAt;
  }
  if (creds.certificate !== undefined) status.certificate = { ...creds.certificate };
  if (creds.token !== undefined) {
    const jwt = decodeJwt(creds.token);
    if (jwt.ok) status.claims = jwt.payload;
  }
  return status;
}

/**
 * Go's tls.X509KeyPair with node:crypto: the PEM stage (the pure core's, with Go's texts), then the
 * certificate's DER, the key, and that they belong together. Subject and NotAfter for the report.
 */
export function parseX509KeyPair(certificateData: string, keyData: string): KeyPairResult {
  const pem = checkPemKeyPair(certificateData, keyData);
  if (!pem.ok) return pem;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificateData);
  } catch {
    return { ok: false, error: 'x509: malformed certificate' };
  }
  try {
    const key = createPrivateKey(keyData);
    if (!cert.checkPrivateKey(key)) return { ok: false, error: 'tls: private key does not match public key' };
  } catch {
    return { ok: false, error: 'tls: failed to parse private key' };
  }
  const notAfter = Date.parse(cert.validTo);
  return {
    ok: true,
    identity: pem.identity,
    subject: cert.subject.split('\n').filter((l) => l !== '').join(', '),
    ...(Number.isNaN(notAfter) ? {} : { notAfter }),
  };
}
