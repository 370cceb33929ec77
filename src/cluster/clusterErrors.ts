/**
 * Turns whatever a cluster call threw (an ApiException carrying a Status, a node-fetch/system error, an
 * abort) into one kind the UI can act on and a precise sentence that says what went wrong.
 */
import { redactSecrets } from '../token/redact';

export type ClusterErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'tokenRequestUnsupported'
  | 'timeout'
  /** 410 Expired: a continue token is too old; restart the list. */
  | 'expired'
  /** 400 / 409 / 422: the server refused the request as given (e.g. a lifetime under 10 minutes). */
  | 'invalid'
  | 'server'
  | 'unknown';

export interface ClusterErrorInfo {
  kind: ClusterErrorKind;
  message: string;
  /** HTTP status, when the server answered. */
  status?: number;
  /** Status.reason (NotFound, Forbidden, …). */
  reason?: string;
  /** For 403: what the RBAC authorizer refused. */
  verb?: string;
  resource?: string;
  apiGroup?: string;
  namespace?: string;
  user?: string;
  /** System error code (ECONNREFUSED, …) for transport failures. */
  code?: string;
  /** The server's own message (Status.message), unaltered. */
  serverMessage?: string;
}

/** Where the call went, to name it in messages. */
export interface ErrorContext {
  server?: string;
  context?: string;
  /** The operation, e.g. "list pods in namespace shop". */
  operation?: string;
}

export class ClusterError extends Error {
  constructor(readonly info: ClusterErrorInfo) {
    super(info.message);
    this.name = 'ClusterError';
  }
  get kind(): ClusterErrorKind {
    return this.info.kind;
  }
}

interface StatusLike {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; causes?: Array<{ message?: string; field?: string }> };
}

function parseStatus(body: unknown): StatusLike | undefined {
  let v = body;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (typeof v === 'object' && v !== null && (v as StatusLike).kind === 'Status') return v as StatusLike;
  return undefined;
}

const FORBIDDEN = /is forbidden: User "([^"]*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]*)"| at the cluster scope)?(?:: (.*))?$/;
const FORBIDDEN_PATH = /forbidden: User "([^"]*)" cannot (\S+) path "([^"]+)"/;

const SYSTEM_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset: the server closed the connection',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  ETIMEDOUT: 'connection timed out',
  ECONNABORTED: 'connection aborted',
};

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted (set certificate-authority-data)",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in an untrusted self-signed CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate cannot be verified against the configured CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the issuer of the server's certificate is not trusted",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet (check the clock)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is the server speaking plain HTTP?)',
  EPROTO: 'TLS handshake failed',
};

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errno?: unknown; cause?: unknown; type?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.errno === 'string') return e.errno;
  if (e?.cause) return errorCode(e.cause);
  return undefined;
}

function where(ctx: ErrorContext): string {
  return ctx.server ?? 'the API server';
}

/**
 * Classifies an error from a cluster call. Never throws. The texts are redacted: they end up in tree
 * rows, notifications and the log, and a server, proxy or exec plugin may quote a credential.
 */
export function classifyClusterError(err: unknown, ctx: ErrorContext = {}): ClusterErrorInfo {
  let info: ClusterErrorInfo;
  try {
    info = classify(err, ctx);
  } catch {
    info = { kind: 'unknown', message: String(err) };
  }
  const safe: ClusterErrorInfo = { ...info, message: redactSecrets(info.message) };
  if (info.serverMessage !== undefined) safe.serverMessage = redactSecrets(info.serverMessage);
  return safe;
}

function classify(err: unknown, ctx: ErrorContext): ClusterErrorInfo {
  if (err instanceof ClusterError) return err.info;
  const op = ctx.operation ? `${ctx.operation}: ` : '';
  const e = err as { code?: unknown; body?: unknown; name?: string; message?: string; type?: string };

  // Transport failures first: they carry string codes.
  const code = errorCode(err);
  if (e?.name === 'AbortError' || e?.type === 'aborted' || e?.name === 'TimeoutError' || code === 'ETIMEDOUT' || e?.type === 'request-timeout') {
    return { kind: 'timeout', message: `${op}${where(ctx)} did not answer in time`, ...(code ? { code } : {}) };
  }
  if (code && TLS_CODES[code]) {
    return { kind: 'unreachable', message: `${op}cannot reach ${where(ctx)} (${TLS_CODES[code]})`, code };
  }
  if (code && SYSTEM_CODES[code]) {
    return { kind: 'unreachable', message: `${op}cannot reach ${where(ctx)} (${SYSTEM_CODES[code]})`, code };
  }

  // An HTTP answer (client-node's ApiException: numeric code, body = the Status as text).
  if (typeof e?.code === 'number') {
    const status = e.code;
    const s = parseStatus(e.body);
    return fromStatus(status, s, ctx);
  }
  const message = e?.message ?? String(err);
  if (/socket hang up/i.test(message)) return { kind: 'unreachable', message: `${op}cannot reach ${where(ctx)} (connection reset: the server closed the connection)`, code: 'ECONNRESET' };
  if (/HTTP protocol is not allowed when skipTLSVerify/.test(message)) {
    return { kind: 'unreachable', message: `${op}${where(ctx)} is plain HTTP: client-node refuses it unless the cluster sets insecure-skip-tls-verify` };
  }
  return { kind: 'unknown', message: `${op}${message}` };
}

/** Classifies an HTTP status (and its Status body, when there is one). */
export function fromStatus(status: number, s: StatusLike | undefined, ctx: ErrorContext = {}): ClusterErrorInfo {
  const op = ctx.operation ? `${ctx.operation}: ` : '';
  const serverMessage = s?.message;
  const base: ClusterErrorInfo = { kind: 'unknown', message: '', status };
  if (s?.reason) base.reason = s.reason;
  if (serverMessage) base.serverMessage = serverMessage;
  switch (status) {
    case 401:
      return {
        ...base,
        kind: 'unauthorized',
        message: `${op}${where(ctx)} rejected the credentials${ctx.context ? ` of context "${ctx.context}"` : ''} (401 Unauthorized): the token or certificate is missing, expired or revoked`,
      };
    case 403: {
      const m = serverMessage ? FORBIDDEN.exec(serverMessage) : null;
      if (m) {
        const [, user, verb, resource, group, namespace, why] = m as unknown as [string, string, string, string, string, string | undefined, string | undefined];
        const scope = namespace ? `in namespace "${namespace}"` : 'cluster-wide';
        const info: ClusterErrorInfo = {
          ...base,
          kind: 'forbidden',
          message: `${op}forbidden: user "${user}" may not ${verb} ${resource}${group ? `.${group}` : ''} ${scope} (RBAC needs verb "${verb}" on resource "${resource}" in API group "${group}"${namespace ? ` in namespace "${namespace}"` : ' at cluster scope'})${why ? `: ${why}` : ''}`,
          user,
          verb,
          resource,
          apiGroup: group,
        };
        if (namespace) info.namespace = namespace;
        return info;
      }
      const p = serverMessage ? FORBIDDEN_PATH.exec(serverMessage) : null;
      if (p) return { ...base, kind: 'forbidden', message: `${op}forbidden: user "${p[1]}" may not ${p[2]} ${p[3]}`, user: p[1] as string, verb: p[2] as string };
      return { ...base, kind: 'forbidden', message: `${op}forbidden${serverMessage ? `: ${serverMessage}` : ''}` };
    }
    case 404: {
      if (s?.details?.name) return { ...base, kind: 'notFound', message: `${op}${serverMessage ?? `${s.details.kind ?? 'object'} "${s.details.name}" not found`}` };
      return { ...base, kind: 'notFound', message: `${op}${serverMessage ?? 'the server could not find the requested resource'} (404)` };
    }
    case 410:
      return { ...base, kind: 'expired', message: `${op}the list continue token has expired (410 Gone): start the list again` };
    case 400:
    case 409:
    case 422:
      return { ...base, kind: 'invalid', message: `${op}${serverMessage ?? `the server refused the request (${status})`}` };
    case 408:
    case 504:
      return { ...base, kind: 'timeout', message: `${op}${where(ctx)} timed out (${status})${serverMessage ? `: ${serverMessage}` : ''}` };
    default:
      if (status >= 500) return { ...base, kind: 'server', message: `${op}${where(ctx)} failed (${status}${s?.reason ? ` ${s.reason}` : ''})${serverMessage ? `: ${serverMessage}` : ''}` };
      return { ...base, kind: 'unknown', message: `${op}unexpected HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}` };
  }
}
