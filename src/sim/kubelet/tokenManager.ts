/**
 * The kubelet's service-account token manager (`pkg/kubelet/token/token_manager.go`), SPEC section A.
 * Same operations as upstream: getServiceAccountToken, deleteServiceAccountToken, cleanup,
 * requiresRefresh, expired, keyFunc. Time, randomness and the TokenRequest call are injected, so the
 * model runs on the virtual clock and upstream test cases can be replayed against it.
 *
 * Times are epoch milliseconds. The API server reports status.expirationTimestamp in whole seconds
 * (RFC 3339 on the wire), so derived instants such as iat are whole seconds too.
 */
import { goQuote } from '../units/goQuote';
import type { Clock } from '../clock';
import { MinHeap } from '../clock';
import type { RandomSource } from '../random';
import type { IssuedTokenRequest, TokenRequest, TokenRequestResult } from '../apiserver/tokenRequest';

/** Which upstream rules to follow (SPEC A.9). */
export type KubeletVersion = '1.19' | '1.20' | '1.34';

/** The TokenRequest call (`CreateToken`), argument order as upstream's getToken: (name, namespace, tr). */
export type GetToken = (name: string, namespace: string, tr: TokenRequest) => TokenRequestResult;

/** SPEC A.1 constants. */
export const MAX_TTL_MS = 24 * 3600 * 1000;
export const GC_PERIOD_MS = 60 * 1000;
/** maxJitter is 10 s; trunc(U·10) gives whole seconds 0..9 (SPEC A.5 step 3). */
export const MAX_JITTER_SECONDS = 10;
/** The largest jitter actually drawn. */
export const MAX_DRAWN_JITTER_SECONDS = MAX_JITTER_SECONDS - 1;

export function hasJitter(version: KubeletVersion): boolean {
  // SPEC A.9: jitter was added in 1.20 (PR #96037).
  return version !== '1.19';
}

/** The outcome of one requiresRefresh evaluation. */
export interface RefreshCheck {
  refresh: boolean;
  /** The rule that fired: 24 h age, last 20 %, neither, or nil expirationSeconds (SPEC A.5). */
  rule: '24h' | '80%' | 'none' | 'nilExpiration';
  /** Whole seconds 0..9 (always 0 for 1.19). */
  jitterSeconds: number;
  /** floor(ES·20/100), seconds (0 when ES is nil). */
  lastFifthSeconds: number;
}

/** What getServiceAccountToken did; `ok` mirrors upstream's (token, error) pair. */
export type TokenOutcome =
  | { ok: true; via: 'cache'; key: string; token: IssuedTokenRequest; check: RefreshCheck }
  | { ok: true; via: 'fetched'; key: string; token: IssuedTokenRequest; check?: RefreshCheck }
  | { ok: true; via: 'stale'; key: string; token: IssuedTokenRequest; check: RefreshCheck; apiError: string }
  | { ok: false; via: 'fetchFailed'; key: string; error: string; apiError: string }
  | { ok: false; via: 'expiredRefreshFailed'; key: string; error: string; apiError: string; check: RefreshCheck };

/** Go's %#v of a []string: nil and empty differ (SPEC A.2). */
function goStringSlice(list: readonly string[] | undefined): string {
  if (list === undefined) return '[]string(nil)';
  return `[]string{${list.map(goQuote).join(', ')}}`;
}

/**
 * The cache key (SPEC A.2): `%q/%q/%#v/%#v/%#v` of (name, namespace, audiences, exp, boundObjectRef).
 * Note the order: name before namespace. Nil expirationSeconds renders as 0 and a nil bound ref as
 * the all-empty struct. From 1.34 the TokenRequest's metadata.uid (the service-account UID) is part
 * of the key; upstream's exact suffix format was not visible in the sources read, so we append
 * `/%q` of it; only equality behaviour matters (SPEC A.10 TestKeyFunc).
 */
export function keyFunc(name: string, namespace: string, tr: TokenRequest, version: KubeletVersion = '1.34'): string {
  const exp = tr.spec.expirationSeconds ?? 0;
  const ref = tr.spec.boundObjectRef ?? {};
  const refText =
    `v1.BoundObjectReference{Kind:${goQuote(ref.kind ?? '')}, APIVersion:${goQuote(ref.apiVersion ?? '')}, ` +
    `Name:${goQuote(ref.name ?? '')}, UID:${goQuote(ref.uid ?? '')}}`;
  const base = `${goQuote(name)}/${goQuote(namespace)}/${goStringSlice(tr.spec.audiences)}/${exp}/${refText}`;
  return version === '1.34' ? `${base}/${goQuote(tr.metadata?.uid ?? '')}` : base;
}

/**
 * The refresh decision for a given jitter, without drawing (SPEC A.5 steps 2, 4, 5). Exported so the
 * engine's fast path and the explain views use the very same arithmetic.
 */
export function refreshDecision(
  expirationSeconds: number | undefined,
  expirationTimestamp: number,
  now: number,
  jitterSeconds: number,
): RefreshCheck {
  // SPEC A.5 step 1: nil expirationSeconds → never refresh.
  if (expirationSeconds === undefined) return { refresh: false, rule: 'nilExpiration', jitterSeconds, lastFifthSeconds: 0 };
  // SPEC A.5 step 5: integer math in seconds, Go truncates toward zero.
  const lastFifthSeconds = Math.trunc((expirationSeconds * 20) / 100);
  // SPEC A.5 step 2: iat derived from the reported expiry, not the JWT iat.
  const iat = expirationTimestamp - expirationSeconds * 1000;
  const jitterMs = jitterSeconds * 1000;
  // SPEC A.5 step 4: strict "after" (now > iat + 24h − jitter).
  if (now > iat + MAX_TTL_MS - jitterMs) return { refresh: true, rule: '24h', jitterSeconds, lastFifthSeconds };
  // SPEC A.5 step 5: strict "after" (now > exp − 20 % − jitter).
  if (now > expirationTimestamp - lastFifthSeconds * 1000 - jitterMs) return { refresh: true, rule: '80%', jitterSeconds, lastFifthSeconds };
  return { refresh: false, rule: 'none', jitterSeconds, lastFifthSeconds };
}

/** The jitter-0 threshold instant (refresh iff now > threshold − jitter), or undefined for nil ES. */
export function refreshThreshold(expirationSeconds: number | undefined, expirationTimestamp: number): number | undefined {
  if (expirationSeconds === undefined) return undefined;
  const iat = expirationTimestamp - expirationSeconds * 1000;
  const lastFifth = Math.trunc((expirationSeconds * 20) / 100);
  return Math.min(iat + MAX_TTL_MS, expirationTimestamp - lastFifth * 1000);
}

export type RefreshWindow =
  | {
      thresholdRule: '80%' | '24h';
      /** Refresh happens strictly after this instant with jitter 9 s (the earliest possible). */
      earliest: number;
      /** … and strictly after this one with jitter 0 (the latest threshold). */
      latest: number;
      /** Derived issue time exp − ES (SPEC A.5 step 2). */
      issuedAt: number;
      expiresAt: number;
      /** floor(ES·20/100), seconds. */
      lastFifthSeconds: number;
      why: string;
    }
  | { thresholdRule: 'never'; earliest: null; latest: null; issuedAt: null; expiresAt: number; lastFifthSeconds: 0; why: string };

/**
 * Where the kubelet will refresh a token it stored with `expirationSeconds` and
 * `status.expirationTimestamp` (SPEC A.5): the instants strictly after which it refreshes with jitter
 * 9 (earliest) and jitter 0 (latest). For kubelet 1.19 (no jitter, SPEC A.9) both are the same.
 */
export function refreshWindow(
  expirationSeconds: number | undefined,
  expirationTimestampMs: number,
  version: KubeletVersion = '1.34',
): RefreshWindow {
  if (expirationSeconds === undefined) {
    return {
      thresholdRule: 'never',
      earliest: null,
      latest: null,
      issuedAt: null,
      expiresAt: expirationTimestampMs,
      lastFifthSeconds: 0,
      why: 'SPEC A.5 step 1: expirationSeconds is nil, so the kubelet never refreshes this token; cleanup drops it after it expires (SPEC A.7)',
    };
  }
  const es = expirationSeconds;
  const issuedAt = expirationTimestampMs - es * 1000;
  const lastFifthSeconds = Math.trunc((es * 20) / 100);
  const byFifth = expirationTimestampMs - lastFifthSeconds * 1000;
  const byAge = issuedAt + MAX_TTL_MS;
  // Ties go to the 80 % rule: the 24 h rule only wins when ES > 108000 s (SPEC A.5).
  const thresholdRule = byAge < byFifth ? '24h' : '80%';
  const latest = Math.min(byAge, byFifth);
  const maxJitterMs = hasJitter(version) ? MAX_DRAWN_JITTER_SECONDS * 1000 : 0;
  const earliest = latest - maxJitterMs;
  const offset = (latest - issuedAt) / 1000;
  const jitterText = hasJitter(version) ? ` minus a jitter of 0–${MAX_DRAWN_JITTER_SECONDS} s drawn at every check` : ' (no jitter before 1.20, SPEC A.9)';
  const why =
    thresholdRule === '80%'
      ? `SPEC A.5 step 5: refresh once now > exp − floor(${es}·20/100) s = iat + ${offset} s${jitterText}`
      : `SPEC A.5 step 4: refresh once the token is older than 24 h (iat + ${offset} s)${jitterText}; the 24 h rule wins because ES > 108000 s`;
  return { thresholdRule, earliest, latest, issuedAt, expiresAt: expirationTimestampMs, lastFifthSeconds, why };
}

export interface TokenManagerOptions {
  clock: Clock;
  random: RandomSource;
  getToken: GetToken;
  version?: KubeletVersion;
}

interface ExpiryItem {
  exp: number;
  seq: number;
  key: string;
  value: IssuedTokenRequest;
}

/**
 * The manager. Besides upstream's map it keeps two indexes so that large runs stay fast: a min-heap
 * of expirations (cleanup pops only what has expired instead of scanning every entry) and the
 * entries per bound pod UID (delete touches only that pod's entries). Both are lazily cleaned and
 * never change what the operations return.
 */
export class TokenManager {
  readonly version: KubeletVersion;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly getToken: GetToken;
  private readonly cache = new Map<string, IssuedTokenRequest>();
  private readonly expiry = new MinHeap<ExpiryItem>((a, b) => (a.exp !== b.exp ? a.exp < b.exp : a.seq < b.seq));
  private readonly byPodUid = new Map<string, Set<string>>();
  private seq = 0;

  constructor(opts: TokenManagerOptions) {
    this.clock = opts.clock;
    this.random = opts.random;
    this.getToken = opts.getToken;
    this.version = opts.version ?? '1.34';
  }

  get size(): number {
    return this.cache.size;
  }

  keyFunc(name: string, namespace: string, tr: TokenRequest): string {
    return keyFunc(name, namespace, tr, this.version);
  }

  /** The cached response for a key, without any side effect (no draw, no refresh). */
  peek(key: string): IssuedTokenRequest | undefined {
    return this.cache.get(key);
  }

  /** SPEC A.3. */
  getServiceAccountToken(namespace: string, name: string, tr: TokenRequest): TokenOutcome {
    // SPEC A.2 note: arguments are (namespace, name) but the key is built from (name, namespace).
    return this.getServiceAccountTokenForKey(this.keyFunc(name, namespace, tr), namespace, name, tr);
  }

  /**
   * getServiceAccountToken with the key already computed (callers that ask for the same request over
   * and over keep the key: it is a pure function of the request). `key` must equal keyFunc(name, namespace, tr).
   */
  getServiceAccountTokenForKey(key: string, namespace: string, name: string, tr: TokenRequest): TokenOutcome {
    // SPEC A.3 step 1.
    const ctr = this.cache.get(key);
    let check: RefreshCheck | undefined;
    if (ctr !== undefined) {
      check = this.checkRefresh(ctr);
      // SPEC A.3 step 2: cached and fresh enough → no API call.
      if (!check.refresh) return { ok: true, via: 'cache', key, token: ctr, check };
    }
    // SPEC A.3 step 3.
    const askedAt = this.clock.now();
    const res = this.getToken(name, namespace, tr);
    if (!res.ok) {
      // SPEC A.3 step 4: errors are never cached and there is no backoff.
      if (ctr === undefined || check === undefined) {
        return { ok: false, via: 'fetchFailed', key, error: this.failureText(key, res.error, false), apiError: res.error };
      }
      // expired() runs when the failed answer is back, after its round trip, not when it was asked.
      if (this.expired(ctr, askedAt + (res.latencyMs ?? 0))) {
        return { ok: false, via: 'expiredRefreshFailed', key, error: this.failureText(key, res.error, true), apiError: res.error, check };
      }
      // Still valid: upstream only logs and returns the old token with no error.
      return { ok: true, via: 'stale', key, token: ctr, check, apiError: res.error };
    }
    // SPEC A.3 step 5: replace whatever was cached.
    this.set(key, res.response);
    return check === undefined ? { ok: true, via: 'fetched', key, token: res.response } : { ok: true, via: 'fetched', key, token: res.response, check };
  }

  /**
   * The error getServiceAccountToken returns when the API call fails (SPEC A.3 step 4): for an
   * expired cached entry, or for no entry. A long outage repeats the same text for the same key
   * thousands of times, so the last one per key is kept instead of building a new string each time.
   */
  failureText(key: string, apiError: string, expired: boolean): string {
    let e = this.errors.get(key);
    if (e === undefined || e.apiError !== apiError) {
      e = { apiError, fetch: `failed to fetch token: ${apiError}`, expired: `token ${key} expired and refresh failed: ${apiError}` };
      this.errors.set(key, e);
    }
    return expired ? e.expired : e.fetch;
  }

  private readonly errors = new Map<string, { apiError: string; fetch: string; expired: string }>();

  /** Store a response under a key (upstream's set). Public for the engine's fast path. */
  set(key: string, value: IssuedTokenRequest): void {
    const old = this.cache.get(key);
    if (old !== undefined) this.unindexPod(key, old);
    this.cache.set(key, value);
    this.expiry.push({ exp: value.status.expirationTimestamp, seq: this.seq++, key, value });
    const uid = value.spec.boundObjectRef?.uid;
    if (uid !== undefined) {
      let keys = this.byPodUid.get(uid);
      if (keys === undefined) this.byPodUid.set(uid, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindexPod(key: string, value: IssuedTokenRequest): void {
    const uid = value.spec.boundObjectRef?.uid;
    if (uid === undefined) return;
    const keys = this.byPodUid.get(uid);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.byPodUid.delete(uid);
  }

  /**
   * SPEC A.6: remove every entry whose cached response is bound to `podUID`. Entries without a bound
   * ref are skipped (upstream would dereference nil). Returns the removed keys.
   */
  deleteServiceAccountToken(podUID: string): string[] {
    const keys = this.byPodUid.get(podUID);
    if (keys === undefined) return [];
    const removed = [...keys];
    for (const k of removed) this.cache.delete(k);
    this.byPodUid.delete(podUID);
    return removed;
  }

  /** SPEC A.7: remove every entry with now > expirationTimestamp (strict). Returns the removed keys. */
  cleanup(): string[] {
    const now = this.clock.now();
    const removed: string[] = [];
    for (;;) {
      const top = this.expiry.peek();
      // Strict: an entry at exactly its expiration stays.
      if (top === undefined || !(now > top.exp)) break;
      this.expiry.pop();
      // Lazy index: skip items whose entry was replaced or deleted since.
      if (this.cache.get(top.key) !== top.value) continue;
      this.cache.delete(top.key);
      this.unindexPod(top.key, top.value);
      removed.push(top.key);
    }
    return removed;
  }

  /** SPEC A.4: expired ⇔ now > status.expirationTimestamp (strict). */
  expired(tr: IssuedTokenRequest, now = this.clock.now()): boolean {
    return now > tr.status.expirationTimestamp;
  }

  /** SPEC A.5 as upstream's boolean. */
  requiresRefresh(tr: IssuedTokenRequest): boolean {
    return this.checkRefresh(tr).refresh;
  }

  /** SPEC A.5 with the details (which rule, which jitter). Draws one jitter unless ES is nil or the version has none. */
  checkRefresh(tr: IssuedTokenRequest): RefreshCheck {
    const es = tr.spec.expirationSeconds;
    // SPEC A.5 step 1: upstream returns before drawing.
    if (es === undefined) return refreshDecision(undefined, tr.status.expirationTimestamp, this.clock.now(), 0);
    // SPEC A.5 step 3: trunc(U × 10) whole seconds, a fresh draw per call (1.20+, SPEC A.9).
    const jitter = hasJitter(this.version) ? Math.trunc(this.random.float() * MAX_JITTER_SECONDS) : 0;
    return refreshDecision(es, tr.status.expirationTimestamp, this.clock.now(), jitter);
  }
}
