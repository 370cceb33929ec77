/**
 * The `exec` stanza of a kubeconfig user and the cluster it is used with, as client-go's exec
 * authenticator sees them (SPEC C, `plugin/pkg/client/auth/exec/exec.go`), plus which client-go
 * release behaves how (SPEC C.7 history). Types and constants only, and the pure rule that says
 * when two clients share one authenticator (SPEC C.1).
 */
import { goQuote } from '../units/goQuote';

export const EXEC_GROUP = 'client.authentication.k8s.io';
export const EXEC_API_V1ALPHA1 = 'client.authentication.k8s.io/v1alpha1';
export const EXEC_API_V1BETA1 = 'client.authentication.k8s.io/v1beta1';
export const EXEC_API_V1 = 'client.authentication.k8s.io/v1';
export type ExecApiVersion = typeof EXEC_API_V1ALPHA1 | typeof EXEC_API_V1BETA1 | typeof EXEC_API_V1;
export const EXEC_CREDENTIAL_KIND = 'ExecCredential';
/** The only channel the plugin's input travels on (SPEC C.5 step 2). */
export const EXEC_INFO_ENV = 'KUBERNETES_EXEC_INFO';

export const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'] as const;
export type InteractiveMode = (typeof INTERACTIVE_MODES)[number];

export interface ExecEnvVar {
  readonly name: string;
  /** May be a secret: never log it. */
  readonly value: string;
}

/**
 * A kubeconfig user's `exec` (clientcmd's ExecConfig). Optional lists keep "absent" apart from
 * "empty" because client-go's authenticator key does (SPEC C.1). `interactiveMode` is a plain
 * string: "" and unknown values are legal here and only fail when the plugin is about to run (SPEC C.6).
 */
export interface ExecConfig {
  readonly command: string;
  /** May hold secrets: never log them. */
  readonly args?: readonly string[];
  readonly env?: readonly ExecEnvVar[];
  readonly apiVersion: string;
  readonly installHint?: string;
  readonly provideClusterInfo?: boolean;
  readonly interactiveMode?: string;
}

/** The input's `spec.cluster` (SPEC C.7), from the kubeconfig cluster the client talks to. */
export interface ExecCluster {
  readonly server: string;
  readonly tlsServerName?: string;
  readonly insecureSkipTlsVerify?: boolean;
  /** Base64, as in a kubeconfig's certificate-authority-data. */
  readonly certificateAuthorityData?: string;
  readonly proxyUrl?: string;
  readonly disableCompression?: boolean;
  /** The cluster's `client.authentication.k8s.io/exec` extension, any JSON. */
  readonly config?: unknown;
}

/**
 * What the calling process sets on the ExecConfig at run time rather than the kubeconfig (kubectl
 * sets it when it reads its own stdin, e.g. `apply -f -`). Part of the key (SPEC C.1, C.6).
 */
export interface StdinAvailability {
  readonly stdinUnavailable?: boolean;
  readonly stdinUnavailableMessage?: string;
}

/**
 * Client-go releases with different exec behaviour (SPEC C.7): 1.20 checked whether stdout is a
 * terminal; 1.21 checks stdin (the stored exec.go seed, which SPEC C.7 folds into "1.20/1.21") and
 * still has no interactiveMode; 1.22 adds interactiveMode and v1; 1.24 drops v1alpha1 and
 * `spec.response`. '1.24' stands for every later release up to the newest read (v0.36).
 */
export const CLIENT_GO_VERSIONS = ['1.20', '1.21', '1.22', '1.24'] as const;
export type ClientGoVersion = (typeof CLIENT_GO_VERSIONS)[number];
export const NEWEST_CLIENT_GO: ClientGoVersion = '1.24';

function atLeast(version: ClientGoVersion, min: ClientGoVersion): boolean {
  return CLIENT_GO_VERSIONS.indexOf(version) >= CLIENT_GO_VERSIONS.indexOf(min);
}

/** SPEC C.1: the ExecConfig apiVersions a release accepts (v1 from 1.22, v1alpha1 until 1.23). */
export function acceptedApiVersions(version: ClientGoVersion): readonly ExecApiVersion[] {
  const out: ExecApiVersion[] = [];
  if (!atLeast(version, '1.24')) out.push(EXEC_API_V1ALPHA1);
  out.push(EXEC_API_V1BETA1);
  if (atLeast(version, '1.22')) out.push(EXEC_API_V1);
  return out;
}

export function isAcceptedApiVersion(apiVersion: string, version: ClientGoVersion): apiVersion is ExecApiVersion {
  return (acceptedApiVersions(version) as readonly string[]).includes(apiVersion);
}

/** SPEC C.7: interactiveMode exists from 1.22; before, "interactive" meant "a terminal is attached". */
export function hasInteractiveMode(version: ClientGoVersion): boolean {
  return atLeast(version, '1.22');
}

/** SPEC C.7: before 1.22 the terminal checked was stdout in 1.20, stdin from 1.21. */
export function terminalChecked(version: ClientGoVersion): 'stdin' | 'stdout' {
  return version === '1.20' ? 'stdout' : 'stdin';
}

/** SPEC C.7: until 1.23 a v1alpha1 plugin run after a 401 is told about the 401 (`spec.response`). */
export function sendsUnauthorizedResponse(version: ClientGoVersion, apiVersion: string): boolean {
  return !atLeast(version, '1.24') && apiVersion === EXEC_API_V1ALPHA1;
}

/** SPEC C.7: v1beta1 gained `spec.interactive` in 1.22. */
export function serializesInteractive(version: ClientGoVersion, apiVersion: string): boolean {
  return apiVersion === EXEC_API_V1ALPHA1 || atLeast(version, '1.22');
}

/** Credentials a kubeconfig user may carry next to its exec stanza (SPEC C.2). */
export type TransportCredential = 'token' | 'basicAuth' | 'clientCertificate';

/** SPEC C.2: which of them make a release leave the plugin out (token always; basic auth from 1.22; a certificate from 1.24). */
export function credentialsThatSkipThePlugin(version: ClientGoVersion): readonly TransportCredential[] {
  const out: TransportCredential[] = ['token'];
  if (atLeast(version, '1.22')) out.push('basicAuth');
  if (atLeast(version, '1.24')) out.push('clientCertificate');
  return out;
}

/** SPEC C.1: the error for an apiVersion the release does not know, raised when the client is built. */
export function invalidApiVersionError(apiVersion: string): string {
  return `exec plugin: invalid apiVersion ${goQuote(apiVersion)}`;
}

/**
 * SPEC C.1: which clients share one authenticator (and so one cached credential and one plugin run
 * at a time). Upstream compares a dump of every field of (ExecConfig, cluster); this returns a
 * canonical text with the same equality: absent and empty lists differ, absent strings and
 * booleans equal their zero value, env order matters.
 *
 * The cluster is only part of the key when provideClusterInfo is set: client-go's rest config
 * builds the cluster object for the authenticator only in that case, so without it two clusters
 * using the same exec stanza share one authenticator.
 */
export function authenticatorKey(exec: ExecConfig, cluster?: ExecCluster, stdin: StdinAvailability = {}): string {
  const list = (xs: readonly unknown[] | undefined): unknown => (xs === undefined ? null : xs);
  const key = {
    command: exec.command,
    args: list(exec.args),
    env: exec.env === undefined ? null : exec.env.map((e) => [e.name, e.value]),
    apiVersion: exec.apiVersion,
    installHint: exec.installHint ?? '',
    provideClusterInfo: exec.provideClusterInfo === true,
    interactiveMode: exec.interactiveMode ?? '',
    stdinUnavailable: stdin.stdinUnavailable === true,
    stdinUnavailableMessage: stdin.stdinUnavailableMessage ?? '',
    cluster: exec.provideClusterInfo === true && cluster !== undefined ? canonicalCluster(cluster) : null,
  };
  return canonicalJson(key);
}

function canonicalCluster(c: ExecCluster): unknown {
  return {
    server: c.server,
    tlsServerName: c.tlsServerName ?? '',
    insecureSkipTlsVerify: c.insecureSkipTlsVerify === true,
    certificateAuthorityData: c.certificateAuthorityData ?? '',
    proxyUrl: c.proxyUrl ?? '',
    disableCompression: c.disableCompression === true,
    config: c.config === undefined ? null : c.config,
  };
}

/** JSON with object keys sorted, so that equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
