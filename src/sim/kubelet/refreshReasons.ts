/**
 * The "why" the kubelet's trace events carry (SPEC A.3–A.7, pod workers addendum): which rule made the
 * token manager call TokenRequest, serve a stale token, fail a sync or drop a cache entry. Texts repeat
 * a lot in a long run (jitter 0–9 × a few lifetimes), so each is built once and shared by the trace.
 */
import type { RefreshCheck } from './tokenManager';

export interface RequestReason {
  reason: string;
  jitter?: number;
  rule: string;
}

const NOT_CACHED: RequestReason = {
  reason: 'notCached',
  rule: 'SPEC A.3 step 3: no cached token for this key (first sync, or dropped by cleanup after expiry, SPEC A.7) → TokenRequest',
};

const reasonCache = new Map<number, RequestReason>();

/** The "why" of a manager call that went to the API (SPEC A.3 / A.5): no cached entry, or which refresh rule. */
export function requestReason(check: RefreshCheck | undefined): RequestReason {
  if (check === undefined) return NOT_CACHED;
  const key = (check.lastFifthSeconds * 10 + check.jitterSeconds) * 2 + (check.rule === '24h' ? 1 : 0);
  let r = reasonCache.get(key);
  if (r === undefined) {
    r =
      check.rule === '24h'
        ? { reason: '24h', jitter: check.jitterSeconds, rule: `SPEC A.5 step 4: token older than 24 h − jitter ${check.jitterSeconds} s → TokenRequest` }
        : {
            reason: '80%',
            jitter: check.jitterSeconds,
            rule: `SPEC A.5 step 5: inside the last 20 % (${check.lastFifthSeconds} s) − jitter ${check.jitterSeconds} s → TokenRequest`,
          };
    reasonCache.set(key, r);
  }
  return r;
}

export const RULE_STALE = 'SPEC A.3 step 4: refresh failed but the cached token is still valid → old token returned, no error';
export const RULE_FETCH_FAILED =
  'SPEC A.3 step 4: not cached and the fetch failed → error; pod workers addendum: sync failed, re-queued after 10 s × (1 + 0.5·U)';
export const RULE_EXPIRED_FAILED =
  'SPEC A.3 step 4: cached token expired (SPEC A.4) and the refresh failed → error; pod workers addendum: sync failed, re-queued after 10 s × (1 + 0.5·U)';
export const RULE_WRITTEN = 'Pod workers addendum: the sync set up the projected volume again and wrote the new token (SPEC A.3 step 5)';
export const RULE_CLEANUP = 'SPEC A.7: cleanup (every 1 min) dropped the cached token: now > status.expirationTimestamp';
export const RULE_VALIDITY = 'SPEC D.1 step 9: status.expirationTimestamp = request time + expirationSeconds';
export const RULE_VALIDITY_EXTENDED = 'SPEC D.1 step 9: status.expirationTimestamp = request time + 3607 s, while the JWT exp is extended to 1 year (step 8)';
