/**
 * client-go's exec credential authenticator (`plugin/pkg/client/auth/exec/exec.go`), SPEC C.1–C.5,
 * as a state machine on the virtual clock. A plugin run takes time, so every operation that would
 * run the plugin is split where client-go waits for it: the call says "run" (with what the plugin
 * gets), and `runFinished` takes the answer when the engine says it arrived.
 *
 * The authenticator's mutex is modelled as a FIFO queue: while a run is in progress every other
 * caller waits, even one that would have found valid credentials. When the run ends, the queued
 * callers take the mutex one by one and decide again with what is cached then; after a failed run
 * each of them runs the plugin itself, one after another (client-go has a mutex, not a
 * singleflight). There is no global state: one instance is one authenticator of one process, so a
 * long-lived client keeps one, and each short-lived process (a kubectl invocation) builds its own.
 */
import type { Clock } from '../clock';
import {
  EXEC_INFO_ENV,
  NEWEST_CLIENT_GO,
  credentialsThatSkipThePlugin,
  invalidApiVersionError,
  isAcceptedApiVersion,
  sendsUnauthorizedResponse,
  type ClientGoVersion,
  type ExecCluster,
  type ExecConfig,
  type TransportCredential,
} from './execConfig';
import { checkPemKeyPair, decodeExecCredential, encodeExecCredentialInput, keyPairError, type KeyPairParser } from './execCredential';
import { InstallHintLimiter, notFoundMessage } from './installHint';
import { decideInteractive, interactiveModeError, type TerminalState } from './interactiveMode';

/** Cached credentials; `id` stands in for client-go's pointer identity (SPEC C.3 step 5). */
export interface Credentials {
  readonly id: number;
  /** A secret: never log it. */
  readonly token?: string;
  readonly certificate?: { readonly subject: string; readonly notAfter?: number };
  /** The expiry the plugin returned with these credentials, epoch ms; undefined = never by time. */
  readonly expiresAt?: number;
}

/** Why a run starts: a request found nothing usable (SPEC C.4), or a 401 (SPEC C.3 step 5). */
export type RunTrigger = 'request' | 'unauthorized';

/** What the plugin is started with (SPEC C.5 steps 2–3). */
export interface ExecCredentialInput {
  /** The exact KUBERNETES_EXEC_INFO value. */
  readonly execInfo: string;
  /** stdin is connected to the plugin only when interactive. */
  readonly interactive: boolean;
  readonly trigger: RunTrigger;
}

/** Every caller gets a ticket, so the engine can tell waiters apart. */
export type GetCreds =
  | { kind: 'creds'; ticket: number; creds: Credentials }
  | { kind: 'wait'; ticket: number }
  | { kind: 'run'; ticket: number; input: ExecCredentialInput }
  | { kind: 'error'; ticket: number; error: string };

export type Unauthorized =
  /** The used credentials are still cached: this caller runs the plugin. */
  | { kind: 'refresh'; ticket: number; input: ExecCredentialInput }
  /** Already rotated since the request was made: nothing to do. */
  | { kind: 'noop'; ticket: number }
  /** A run is in progress: decided again when it ends. */
  | { kind: 'wait'; ticket: number }
  /** The refresh could not start (interactive mode); client-go only logs it. */
  | { kind: 'error'; ticket: number; error: string };

/** How a plugin run ended. `timeout` and `startError` come from whoever runs the process. */
export type PluginRunAnswer =
  | { kind: 'output'; stdout: string }
  | { kind: 'exit'; code: number; stderr: string }
  | { kind: 'notFound' }
  | { kind: 'timeout' }
  | { kind: 'startError'; message: string };

/** A queued caller served when a run ended (in the order they got the mutex). */
export type Served =
  | { kind: 'creds'; ticket: number; creds: Credentials }
  | { kind: 'error'; ticket: number; trigger: RunTrigger; error: string }
  | { kind: 'noop'; ticket: number };

interface RunFinishedCommon {
  /** The caller that started the run. */
  ticket: number;
  trigger: RunTrigger;
  /** Queued callers that took the mutex and were served from the cache (or failed to start). */
  served: Served[];
  /** A queued caller that found nothing usable and started the next run (it holds the mutex). */
  next?: { ticket: number; trigger: RunTrigger; input: ExecCredentialInput };
}

export type RunFinished =
  | (RunFinishedCommon & { ok: true; creds: Credentials; rotatedCertificate: boolean })
  | (RunFinishedCommon & {
      ok: false;
      /** As the starter sees it: "getting credentials: …" for a request, "refreshing credentials: …" (a log line) for a 401. */
      error: string;
      /** The install hint was appended (SPEC C.8). */
      installHint: boolean;
      /** The upstream quirk (SPEC C.5): the expiry changed though the credentials did not. */
      expiryChanged: boolean;
    });

export interface AuthenticatorOptions {
  clock: Clock;
  terminal: TerminalState;
  clientGoVersion?: ClientGoVersion;
  /** Sent as spec.cluster when the config has provideClusterInfo. */
  cluster?: ExecCluster;
  /** Checks a returned certificate/key pair; default: the PEM stage only. */
  keyPair?: KeyPairParser;
}

type Waiter = { ticket: number; trigger: 'request' } | { ticket: number; trigger: 'unauthorized'; usedId: number };

interface Cached {
  creds: Credentials;
  /** What client-go compares to decide whether the certificate rotated. */
  certificateIdentity: string | undefined;
}

export class Authenticator {
  readonly config: ExecConfig;
  readonly version: ClientGoVersion;
  private readonly clock: Clock;
  private readonly terminal: TerminalState;
  private readonly cluster: ExecCluster | undefined;
  private readonly keyPair: KeyPairParser;
  private readonly hints: InstallHintLimiter;
  private cached: Cached | undefined;
  /** Kept apart from the credentials, as upstream does (the quirk in SPEC C.5 depends on it). */
  private expiry: number | undefined;
  private running: Waiter | undefined;
  private readonly queue: Waiter[] = [];
  private nextTicket = 1;
  private nextCredsId = 1;
  /** Plugin runs started so far. */
  runs = 0;

  /** Throws `exec plugin: invalid apiVersion "<v>"` for an apiVersion the release does not accept (SPEC C.1). */
  constructor(config: ExecConfig, options: AuthenticatorOptions) {
    this.version = options.clientGoVersion ?? NEWEST_CLIENT_GO;
    if (!isAcceptedApiVersion(config.apiVersion, this.version)) throw new Error(invalidApiVersionError(config.apiVersion));
    this.config = config;
    this.clock = options.clock;
    this.terminal = options.terminal;
    this.cluster = options.cluster;
    this.keyPair = options.keyPair ?? checkPemKeyPair;
    this.hints = new InstallHintLimiter(options.clock);
  }

  /** The constructor without the throw. */
  static create(config: ExecConfig, options: AuthenticatorOptions): { ok: true; authenticator: Authenticator } | { ok: false; error: string } {
    const version = options.clientGoVersion ?? NEWEST_CLIENT_GO;
    if (!isAcceptedApiVersion(config.apiVersion, version)) return { ok: false, error: invalidApiVersionError(config.apiVersion) };
    return { ok: true, authenticator: new Authenticator(config, options) };
  }

  /** The cached credentials, without side effects. */
  get current(): Credentials | undefined {
    return this.cached?.creds;
  }

  /** The stored expiry (usually the current credentials' own; see the quirk in SPEC C.5). */
  get expiresAt(): number | undefined {
    return this.expiry;
  }

  get runInProgress(): boolean {
    return this.running !== undefined;
  }

  /** Callers queued behind the run in progress. */
  get waiting(): number {
    return this.queue.length;
  }

  /** SPEC C.4: expired ⇔ an expiry was given and now > expiry (strict, no early refresh). */
  expired(now = this.clock.now()): boolean {
    return this.expiry !== undefined && now > this.expiry;
  }

  /** SPEC C.3 step 2 / C.4 at clock.now(). */
  getCreds(): GetCreds {
    const ticket = this.nextTicket++;
    if (this.running !== undefined) {
      this.queue.push({ ticket, trigger: 'request' });
      return { kind: 'wait', ticket };
    }
    return this.requestLocked(ticket);
  }

  /** SPEC C.3 step 5: a 401 answered a request made with `used`. */
  unauthorized(used: Credentials): Unauthorized {
    const ticket = this.nextTicket++;
    if (this.running !== undefined) {
      this.queue.push({ ticket, trigger: 'unauthorized', usedId: used.id });
      return { kind: 'wait', ticket };
    }
    const r = this.unauthorizedLocked(ticket, used.id);
    if (r.kind === 'run') return { kind: 'refresh', ticket, input: r.input };
    return r;
  }

  /** The run in progress answered at clock.now(): SPEC C.5 steps 5–7, then the queue takes the mutex in turn. */
  runFinished(answer: PluginRunAnswer): RunFinished {
    const run = this.running;
    if (run === undefined) throw new Error('exec authenticator: runFinished() without a run in progress');
    this.running = undefined;
    const outcome = this.apply(answer);
    const served: Served[] = [];
    let next: RunFinishedCommon['next'];
    while (this.running === undefined && this.queue.length > 0) {
      const w = this.queue.shift() as Waiter;
      const r = w.trigger === 'request' ? this.requestLocked(w.ticket) : this.unauthorizedLocked(w.ticket, w.usedId);
      if (r.kind === 'run') next = { ticket: w.ticket, trigger: w.trigger, input: r.input };
      else if (r.kind === 'error') served.push({ kind: 'error', ticket: w.ticket, trigger: w.trigger, error: r.error });
      else if (r.kind !== 'wait') served.push(r);
    }
    const common: RunFinishedCommon = next === undefined ? { ticket: run.ticket, trigger: run.trigger, served } : { ticket: run.ticket, trigger: run.trigger, served, next };
    if (outcome.ok) return { ...common, ok: true, creds: outcome.creds, rotatedCertificate: outcome.rotatedCertificate };
    const prefix = run.trigger === 'request' ? 'getting credentials: ' : 'refreshing credentials: ';
    return { ...common, ok: false, error: prefix + outcome.error, installHint: outcome.installHint, expiryChanged: outcome.expiryChanged };
  }

  /**
   * SPEC C.8: the error for a missing binary at clock.now(), with the install hint when the rate
   * limit allows. Counts against the limit like a run would; runFinished calls it for `notFound`.
   */
  notFoundMessage(): { message: string; installHint: boolean } {
    const command = this.config.command;
    // Only a bare name is looked up on PATH; a path that does not exist fails to start instead.
    if (command.includes('/')) return { message: `exec: fork/exec ${command}: no such file or directory`, installHint: false };
    const show = this.hints.allow();
    return { message: notFoundMessage(command, this.config.installHint, show), installHint: show };
  }

  /** getCreds with the mutex held. */
  private requestLocked(ticket: number): GetCreds {
    if (this.cached !== undefined && !this.expired()) return { kind: 'creds', ticket, creds: this.cached.creds };
    const start = this.start(ticket, 'request');
    if (!start.ok) return { kind: 'error', ticket, error: `getting credentials: ${start.error}` };
    return { kind: 'run', ticket, input: start.input };
  }

  /** maybeRefreshCreds with the mutex held: rotate only if `usedId` is still the cached one. */
  private unauthorizedLocked(ticket: number, usedId: number): { kind: 'run'; input: ExecCredentialInput } | { kind: 'noop'; ticket: number } | { kind: 'error'; ticket: number; error: string } {
    if (this.cached === undefined || this.cached.creds.id !== usedId) return { kind: 'noop', ticket };
    const start = this.start(ticket, 'unauthorized');
    if (!start.ok) return { kind: 'error', ticket, error: `refreshing credentials: ${start.error}` };
    return { kind: 'run', input: start.input };
  }

  /** SPEC C.5 steps 1–2: decide interactive, build the input, take the mutex for the run. */
  private start(ticket: number, trigger: RunTrigger): { ok: true; input: ExecCredentialInput } | { ok: false; error: string } {
    const decision = decideInteractive(this.config.interactiveMode, this.terminal, this.version);
    if (!decision.ok) return { ok: false, error: interactiveModeError(decision.reason) };
    const cluster = this.config.provideClusterInfo === true ? this.cluster : undefined;
    const response = trigger === 'unauthorized' && sendsUnauthorizedResponse(this.version, this.config.apiVersion) ? { code: 401 as const } : undefined;
    const execInfo = encodeExecCredentialInput(this.config.apiVersion, decision.interactive, this.version, cluster, response);
    this.running = trigger === 'request' ? { ticket, trigger } : { ticket, trigger, usedId: this.cached?.creds.id ?? 0 };
    this.runs++;
    return { ok: true, input: { execInfo, interactive: decision.interactive, trigger } };
  }

  /** SPEC C.5 steps 5–7; failures keep the cached credentials (and, but for the quirk, the expiry). */
  private apply(
    answer: PluginRunAnswer,
  ): { ok: true; creds: Credentials; rotatedCertificate: boolean } | { ok: false; error: string; installHint: boolean; expiryChanged: boolean } {
    const fail = (error: string, installHint = false, expiryChanged = false) => ({ ok: false as const, error, installHint, expiryChanged });
    const command = this.config.command;
    switch (answer.kind) {
      case 'notFound': {
        const m = this.notFoundMessage();
        return fail(m.message, m.installHint);
      }
      case 'exit':
        return fail(`exec: executable ${command} failed with exit code ${answer.code}`);
      case 'timeout':
        // client-go sets no timeout; a plugin killed by whoever runs it reports exit code -1 in Go.
        return fail(`exec: executable ${command} failed with exit code -1`);
      case 'startError':
        return fail(`exec: ${answer.message}`);
      case 'output':
        break;
    }
    const decoded = decodeExecCredential(answer.stdout, this.config.apiVersion, this.version);
    if (!decoded.ok) return fail(decoded.error);
    const status = decoded.status;
    // The quirk (SPEC C.5): the expiry is stored before the key pair is parsed.
    const oldExpiry = this.expiry;
    this.expiry = status.expirationTimestamp;
    let certificate: Credentials['certificate'];
    let certificateIdentity: string | undefined;
    if (status.clientCertificateData !== '' && status.clientKeyData !== '') {
      const pair = this.keyPair(status.clientCertificateData, status.clientKeyData);
      if (!pair.ok) return fail(keyPairError(pair.error), false, oldExpiry !== this.expiry);
      certificate = pair.notAfter === undefined ? { subject: pair.subject } : { subject: pair.subject, notAfter: pair.notAfter };
      certificateIdentity = pair.identity;
    }
    const creds: Credentials = {
      id: this.nextCredsId++,
      ...(status.token !== '' ? { token: status.token } : {}),
      ...(certificate !== undefined ? { certificate } : {}),
      ...(status.expirationTimestamp !== undefined ? { expiresAt: status.expirationTimestamp } : {}),
    };
    const old = this.cached;
    this.cached = { creds, certificateIdentity };
    // SPEC C.5 step 7: connections are closed only when the certificate changed (not on the first fetch).
    const rotatedCertificate = old !== undefined && old.certificateIdentity !== certificateIdentity;
    return { ok: true, creds, rotatedCertificate };
  }
}

/** What a client has besides the exec stanza when it is built and when it sends a request. */
export interface ClientCredentials {
  /** Set in the kubeconfig user next to exec (a token or token file, a username/password, a client certificate). */
  readonly transport?: readonly TransportCredential[];
  /** The request sets its own Authorization header. */
  readonly authorizationHeader?: boolean;
}

/**
 * Whether client-go leaves the authenticator out: `transport` when the client is built (SPEC C.2:
 * it never wraps the transport, so the plugin never runs for this client), `header` for one request
 * (SPEC C.3 step 1: passed through untouched), `none`: the authenticator handles it.
 */
export function bypass(credentials: ClientCredentials, version: ClientGoVersion = NEWEST_CLIENT_GO): 'transport' | 'header' | 'none' {
  const skipping = credentialsThatSkipThePlugin(version);
  if ((credentials.transport ?? []).some((c) => skipping.includes(c))) return 'transport';
  return credentials.authorizationHeader === true ? 'header' : 'none';
}

/**
 * SPEC C.5 step 3: the plugin's environment, in order: the process's, then the configured `env`,
 * then KUBERNETES_EXEC_INFO; for a repeated name the later entry wins (as Go's exec keeps the last).
 * Values may be secrets: never log the result.
 */
export function pluginEnvironment(processEnv: readonly (readonly [string, string])[], config: ExecConfig, execInfo: string): [string, string][] {
  const merged = new Map<string, string>();
  for (const [k, v] of processEnv) merged.set(k, v);
  for (const e of config.env ?? []) merged.set(e.name, e.value);
  merged.set(EXEC_INFO_ENV, execInfo);
  return [...merged.entries()];
}
