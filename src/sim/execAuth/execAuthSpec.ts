/**
 * The exec-auth part of the normalized Scenario: kubeconfig users with an `exec` stanza, the cluster
 * each talks to (and how its API server judges credentials), how the user's credential plugin
 * behaves over time, and the client processes that use the user with their request streams.
 * Durations are integer ms; moments are offsets from the run's start.
 */
import type { ClientGoVersion, ExecConfig } from './execConfig';

/** How the simulated plugin behaves (not client-go: the program client-go runs). */
export interface ExecPluginBehaviour {
  /** Each credential's expirationTimestamp is the run's end plus this; undefined: no expirationTimestamp. */
  credentialLifetimeMs?: number;
  /**
   * The plugin keeps its last credential on disk (like kubelogin or aws-iam-authenticator) and hands
   * the same one, with the same expiry, to every run until less than `refreshWhenLessThanMs` remain.
   * undefined: every run gets a fresh credential from the identity provider.
   */
  diskCache?: {
    refreshWhenLessThanMs: number;
    /** How long a run answered from the disk cache takes (it only reads a file); undefined: `latencyMs`. */
    hitLatencyMs?: number;
  };
  /** How long one run takes, start to output. */
  latencyMs: number;
  /** Chance that a run exits with code 1 instead of answering. */
  errorRate: number;
  /** Run n exits with exitCodes[n mod length]; 0 answers with a credential. */
  exitCodes: number[];
  /** false: the command is not on PATH (client-go's "not found" error and install hint). */
  installed: boolean;
  /**
   * 'certificate': the plugin prints a client certificate and key instead of a token (SPEC C.5 step 7:
   * a new certificate closes the client's connections). Absent: a token (the default, left out so a
   * scenario that does not say normalizes as before).
   */
  returns?: 'certificate';
}

export type ExecPluginReturns = 'token' | 'certificate';
export const EXEC_PLUGIN_RETURNS: readonly ExecPluginReturns[] = ['token', 'certificate'];

/**
 * exec: the plugin supplies the credentials. static: the client already has its own (a token next to
 * exec in the kubeconfig user, or requests that set their Authorization header), so client-go never
 * consults the plugin (SPEC C.2, C.3 step 1).
 */
export type ExecClientCredentials = 'exec' | 'static';
export const EXEC_CLIENT_CREDENTIALS: readonly ExecClientCredentials[] = ['exec', 'static'];

export type ExecProcessKind = 'long-lived' | 'invocations';
export const EXEC_PROCESS_KINDS: readonly ExecProcessKind[] = ['long-lived', 'invocations'];

export interface ExecRequestStream {
  /** Offset from start of the first batch. */
  atMs: number;
  /** A batch this often (long-lived: in the one process; invocations: each batch a new process); undefined: once. */
  everyMs?: number;
  /** At most this many batches. */
  count?: number;
  /** Requests in each batch. */
  burst: number;
  /** At most this many requests in flight at once; the others wait for a free slot. */
  concurrency: number;
  /** From sending a request to its answer. */
  latencyMs: number;
}

export interface ExecClientSpec {
  name: string;
  process: ExecProcessKind;
  /** stdin is a terminal. */
  terminal: boolean;
  /** The process reads its own stdin (kubectl apply -f -), so the plugin may not. */
  stdinUnavailable: boolean;
  /** 'static': see ExecClientCredentials. Absent: exec (the default, left out as `returns` is). */
  credentials?: 'static';
  requests: ExecRequestStream;
}

export interface ExecClusterSpec {
  /** The kubeconfig cluster's server URL (sent to the plugin with provideClusterInfo). */
  server: string;
  /** The API server's clock runs this far ahead of the clients': it sees credentials expire earlier. */
  serverClockAheadMs: number;
  /** Offsets from start: from each on, every credential issued before it is rejected (401). */
  revocationsMs: number[];
}

export interface ExecUserSpec {
  /** The kubeconfig user's name. */
  name: string;
  /** The `exec` stanza as written in the kubeconfig (loading defaults are applied by the model). */
  exec: ExecConfig;
  /** The kubeconfig the stanza was read from (relative to the scenario); undefined: written inline. */
  kubeconfig?: string;
  clientGoVersion: ClientGoVersion;
  cluster: ExecClusterSpec;
  plugin: ExecPluginBehaviour;
  clients: ExecClientSpec[];
}

export interface ExecAuthSpec {
  users: ExecUserSpec[];
}

/** What the scenario format uses when a file does not say (each published by the section's rules). */
export const EXEC_AUTH_DEFAULTS = {
  clientGoVersion: '1.24',
  pluginLatency: '1s',
  errorRate: 0,
  exitCode: 0,
  installed: true,
  returns: 'token',
  refreshWhenLessThan: '1m',
  serverClockAhead: '0s',
  process: 'long-lived',
  terminal: false,
  stdinUnavailable: false,
  credentials: 'exec',
  at: '0s',
  burst: 1,
  concurrency: 1,
  requestLatency: '100ms',
} as const;
