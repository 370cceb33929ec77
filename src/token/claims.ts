/**
 * A typed, explained view of a service-account token's claims (SPEC D.2), with its lifetime analysed
 * the way the API server and the kubelet see it. Pure: the current time is a parameter.
 */
import type { JwtPayload } from './decode';
import { formatDuration, formatLocalDateTime, isoUtc, relativeTime } from './format';
import { kubeletRefreshFor, type KubeletRefreshView } from './kubeletRefresh';

export type { KubeletRefreshView } from './kubeletRefresh';

/** The API server's leeway on exp / nbf / iat (SPEC D.2). */
export const LEEWAY_SECONDS = 60;
/** The lifetime the kubelet requests for kube-api-access tokens, which the API server extends (SPEC D.1 step 8). */
export const WARN_ONLY_SECONDS = 3607;
/** The default extended lifetime: 365 days (SPEC D.1 step 8). */
export const EXTENDED_SECONDS = 31_536_000;
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export interface TimeClaim {
  /** As in the token: seconds since the epoch (may be fractional). */
  seconds: number;
  ms: number;
  iso: string;
  /** "in 47 min", "3 h 2 min ago". */
  relative: string;
}

export interface ObjectRef {
  name?: string;
  uid?: string;
}

export interface KubernetesClaims {
  namespace?: string;
  serviceaccount?: ObjectRef;
  pod?: ObjectRef;
  node?: ObjectRef;
  secret?: ObjectRef;
  warnafter?: TimeClaim;
}

/** The flat claims of a legacy Secret-based token (`kubernetes.io/serviceaccount/...`). */
export interface LegacyClaims {
  namespace?: string;
  secretName?: string;
  serviceAccountName?: string;
  serviceAccountUid?: string;
}

export type TokenKind = 'bound' | 'legacySecret' | 'other';

/** As the API server would judge the times (60 s leeway), signature and objects aside. */
export type Validity = 'valid' | 'expired' | 'notYetValid' | 'issuedInFuture';

/** A validity in words for every view (the Validity values are machine values: JSON only). */
export const VALIDITY_TEXT: Readonly<Record<Validity, string>> = {
  valid: 'valid',
  expired: 'expired',
  notYetValid: 'not valid yet',
  issuedInFuture: 'issued in the future',
};

export interface ExtensionInfo {
  /** What the client asked for (warnafter − iat): 3607 for a kubelet kube-api-access token. */
  requestedSeconds: number;
  /** What the JWT carries (exp − iat): one year unless an external signer caps it. */
  extendedSeconds: number;
  oneYear: boolean;
  warnAfter: TimeClaim;
  /** now > warnafter: the API server still accepts it but audits it as a stale token. */
  stale: boolean;
}

export interface LifetimeAnalysis {
  /** No exp claim (legacy Secret-based tokens). */
  neverExpires: boolean;
  /** exp − iat in seconds, when both are present. */
  issuedLifetimeSeconds?: number;
  /** The lifetime the requester asked for: warnafter − iat for extended tokens, else exp − iat. */
  requestedLifetimeSeconds?: number;
  extended?: ExtensionInfo;
  /** exp − now in ms (negative once past exp). */
  remainingMs?: number;
  validity: Validity;
  /** Past exp but still inside the 60 s leeway: accepted for this many more ms. */
  graceRemainingMs?: number;
  /** For pod-bound tokens: when the kubelet would refresh a token requested with this lifetime (SPEC A.5). */
  kubeletRefresh?: KubeletRefreshView;
  /** Plain-language findings, most important first. */
  notes: string[];
}

export interface ClaimsView {
  kind: TokenKind;
  iss?: string;
  sub?: string;
  /** Parsed from sub = "system:serviceaccount:<namespace>:<name>". */
  serviceAccount?: { namespace: string; name: string };
  aud: string[];
  jti?: string;
  iat?: TimeClaim;
  nbf?: TimeClaim;
  exp?: TimeClaim;
  kubernetes?: KubernetesClaims;
  legacy?: LegacyClaims;
  lifetime: LifetimeAnalysis;
  /** Claim names that are neither registered JWT claims nor Kubernetes ones. */
  otherClaims: string[];
}

const KNOWN = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'kubernetes.io']);
const LEGACY_PREFIX = 'kubernetes.io/serviceaccount/';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function timeClaim(v: unknown, nowMs: number): TimeClaim | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const ms = v * 1000;
  return { seconds: v, ms, iso: isoUtc(ms), relative: relativeTime(ms, nowMs) };
}

function objectRef(v: unknown): ObjectRef | undefined {
  if (!isRecord(v)) return undefined;
  const ref: ObjectRef = {};
  const name = str(v.name);
  const uid = str(v.uid);
  if (name !== undefined) ref.name = name;
  if (uid !== undefined) ref.uid = uid;
  return ref;
}

function kubernetesClaims(v: unknown, nowMs: number): KubernetesClaims | undefined {
  if (!isRecord(v)) return undefined;
  const k: KubernetesClaims = {};
  const ns = str(v.namespace);
  if (ns !== undefined) k.namespace = ns;
  for (const name of ['serviceaccount', 'pod', 'node', 'secret'] as const) {
    const ref = objectRef(v[name]);
    if (ref) k[name] = ref;
  }
  const warn = timeClaim(v.warnafter, nowMs);
  if (warn) k.warnafter = warn;
  return k;
}

function legacyClaims(p: JwtPayload): LegacyClaims | undefined {
  const get = (name: string): string | undefined => str(p[LEGACY_PREFIX + name]);
  const l: LegacyClaims = {};
  const pairs: Array<[keyof LegacyClaims, string]> = [
    ['namespace', 'namespace'],
    ['secretName', 'secret.name'],
    ['serviceAccountName', 'service-account.name'],
    ['serviceAccountUid', 'service-account.uid'],
  ];
  let any = false;
  for (const [key, claim] of pairs) {
    const value = get(claim);
    if (value !== undefined) {
      l[key] = value;
      any = true;
    }
  }
  return any ? l : undefined;
}

function audiences(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((a): a is string => typeof a === 'string');
  return [];
}

/**
 * Builds the typed view of a payload. Tolerates any input object: claims of the wrong type are left out
 * (decodeJwt already reports them as errors).
 */
export function analyzeClaims(payload: JwtPayload, nowMs: number, timeZone?: string): ClaimsView {
  const p: JwtPayload = isRecord(payload) ? payload : {};
  const view: ClaimsView = { kind: 'other', aud: audiences(p.aud), lifetime: { neverExpires: false, validity: 'valid', notes: [] }, otherClaims: [] };
  const iss = str(p.iss);
  const sub = str(p.sub);
  const jti = str(p.jti);
  if (iss !== undefined) view.iss = iss;
  if (sub !== undefined) {
    view.sub = sub;
    const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(sub);
    if (m) view.serviceAccount = { namespace: m[1] as string, name: m[2] as string };
  }
  if (jti !== undefined) view.jti = jti;
  const iat = timeClaim(p.iat, nowMs);
  const nbf = timeClaim(p.nbf, nowMs);
  const exp = timeClaim(p.exp, nowMs);
  if (iat) view.iat = iat;
  if (nbf) view.nbf = nbf;
  if (exp) view.exp = exp;
  const k8s = kubernetesClaims(p['kubernetes.io'], nowMs);
  if (k8s) view.kubernetes = k8s;
  const legacy = legacyClaims(p);
  if (legacy) view.legacy = legacy;
  view.otherClaims = Object.keys(p).filter((name) => !KNOWN.has(name) && !name.startsWith(LEGACY_PREFIX));
  if (k8s) view.kind = 'bound';
  else if (iss === LEGACY_ISSUER || legacy) view.kind = 'legacySecret';
  view.lifetime = analyzeLifetime(view, nowMs, timeZone);
  return view;
}

function analyzeLifetime(view: ClaimsView, nowMs: number, timeZone: string | undefined): LifetimeAnalysis {
  const { iat, nbf, exp, kubernetes: k8s } = view;
  // Notes are read by people: local time with its zone (the ISO UTC forms stay in the TimeClaims, for JSON).
  const at = (t: TimeClaim): string => formatLocalDateTime(t.ms, timeZone);
  const leewayMs = LEEWAY_SECONDS * 1000;
  const notes: string[] = [];
  const out: LifetimeAnalysis = { neverExpires: exp === undefined, validity: 'valid', notes };

  // Validity as the API server's validator judges times (SPEC D.2): expired first, then nbf, then iat.
  if (exp && nowMs - leewayMs > exp.ms) {
    out.validity = 'expired';
    notes.push(`JWT expiry passed at ${at(exp)} (${relativeTime(exp.ms, nowMs)}; more than the ${LEEWAY_SECONDS} s of leeway ago), so the API server rejects it`);
  } else if (nbf && nowMs + leewayMs < nbf.ms) {
    out.validity = 'notYetValid';
    notes.push(`not valid before ${at(nbf)} (${relativeTime(nbf.ms, nowMs)}, beyond the ${LEEWAY_SECONDS} s of leeway): the API server rejects it until then`);
  } else if (iat && iat.ms > nowMs + leewayMs) {
    out.validity = 'issuedInFuture';
    notes.push(`issued in the future, at ${at(iat)} (${relativeTime(iat.ms, nowMs)}): check the clocks of this machine and the cluster`);
  } else if (exp && nowMs > exp.ms) {
    out.graceRemainingMs = exp.ms + leewayMs - nowMs;
    notes.push(`past its JWT expiry (${at(exp)}) but inside the ${LEEWAY_SECONDS} s of leeway: accepted for ${formatDuration(Math.ceil(out.graceRemainingMs / 1000))} more`);
  }

  if (exp) out.remainingMs = exp.ms - nowMs;
  if (exp && iat) out.issuedLifetimeSeconds = exp.seconds - iat.seconds;

  if (!exp) {
    if (view.kind === 'legacySecret') {
      const secret = view.legacy?.secretName ? ` "${view.legacy.secretName}"` : '';
      notes.push(`legacy Secret-based token: no exp, it never expires; it stays valid until the Secret${secret} or its service account is deleted`);
    } else {
      notes.push('no exp claim: this token never expires');
    }
  }

  // Extension (SPEC D.1 step 8): warnafter = iat + 3607 and exp far beyond it.
  const warn = k8s?.warnafter;
  if (warn && iat && exp) {
    const requested = Math.round(warn.seconds - iat.seconds);
    const extendedSeconds = Math.round(exp.seconds - iat.seconds);
    const ext: ExtensionInfo = {
      requestedSeconds: requested,
      extendedSeconds,
      oneYear: extendedSeconds === EXTENDED_SECONDS,
      warnAfter: warn,
      stale: nowMs > warn.ms,
    };
    out.extended = ext;
    out.requestedLifetimeSeconds = requested;
    const to = ext.oneYear ? 'one year' : formatDuration(extendedSeconds);
    const refreshAt = requested - Math.floor((requested * 20) / 100);
    // SPEC A.8: the kubelet refreshes from its own (status) expiry, not from the extended JWT expiry.
    notes.unshift(
      `requested for ${formatDuration(requested)}, and the API server extended the JWT to ${to}; the kubelet still refreshes it about ${formatDuration(refreshAt)} after issue` +
        (requested === WARN_ONLY_SECONDS ? '' : ` (unusual: the API server extends only requests for ${formatDuration(WARN_ONLY_SECONDS)})`),
    );
    if (ext.stale) {
      notes.push(
        `past its warn-after time (${at(warn)}, ${relativeTime(warn.ms, nowMs)}): still accepted, but the API server records each use as a stale token (audit annotation authentication.k8s.io/stale-token)`,
      );
    }
  } else if (out.issuedLifetimeSeconds !== undefined) {
    out.requestedLifetimeSeconds = out.issuedLifetimeSeconds;
    if (out.issuedLifetimeSeconds === EXTENDED_SECONDS && !warn) {
      notes.push('lifetime is exactly one year but there is no warnafter claim: not an API-server extension');
    }
  }

  // The kubelet's refresh window, for pod-bound tokens (those are what the kubelet requests).
  if (k8s?.pod && iat && out.requestedLifetimeSeconds !== undefined && out.requestedLifetimeSeconds > 0) {
    const refresh = kubeletRefreshFor(out.requestedLifetimeSeconds, iat.ms, nowMs, timeZone);
    out.kubeletRefresh = refresh;
    notes.push(refresh.summary);
  } else if (view.kind === 'bound' && !k8s?.pod && exp) {
    notes.push('not bound to a pod: the kubelet does not refresh it; whoever requested it must request a new one before it expires');
  }
  return out;
}
