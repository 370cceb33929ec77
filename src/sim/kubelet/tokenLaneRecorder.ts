/**
 * What the kubelet's token lanes with detail show (SPEC A.3–A.5, D.1): a TokenRequest and why it was
 * made, a stale serve, a failed sync, and for each issued token its validity span and the window in
 * which the kubelet will refresh it. The normal path and the fast path (fastForward.ts) both record
 * through here, so they emit the same events.
 */
import type { IssueResult } from '../apiserver/tokenIssuer';
import type { TraceBuilder } from '../traceBuilder';
import type { PodSlot } from './podWorker';
import { RULE_EXPIRED_FAILED, RULE_FETCH_FAILED, RULE_STALE, RULE_VALIDITY, RULE_VALIDITY_EXTENDED, requestReason } from './refreshReasons';
import { refreshWindow, type KubeletVersion, type RefreshCheck } from './tokenManager';

/** refreshWindow()'s text depends only on (ES, version): keep one copy per lifetime. */
const whyCache = new Map<string, string>();

export class TokenLaneRecorder {
  constructor(
    private readonly trace: TraceBuilder,
    private readonly version: KubeletVersion,
  ) {}

  /** A failed TokenRequest on a lane with detail (normal path and fast path alike). */
  requestFailed(slot: PodSlot, at: number, check: RefreshCheck | undefined, error: string, code: number): void {
    const why = requestReason(check);
    const data: Record<string, string | number | boolean> = { reason: why.reason };
    if (why.jitter !== undefined) data.jitterSeconds = why.jitter;
    data.code = code;
    this.trace.event({ t: at, lane: slot.laneId, type: 'tokenRequest', rule: why.rule, ok: false, error, data });
  }

  servedStale(slot: PodSlot, at: number, expirationTimestamp: number, apiError: string): void {
    this.trace.event({ t: at, lane: slot.laneId, type: 'tokenServedStale', rule: RULE_STALE, error: apiError, data: { expirationTimestamp, validForMs: expirationTimestamp - at } });
  }

  syncFailed(slot: PodSlot, end: number, error: string, via: 'fetchFailed' | 'expiredRefreshFailed', retryInMs: number): void {
    const rule = via === 'fetchFailed' ? RULE_FETCH_FAILED : RULE_EXPIRED_FAILED;
    this.trace.event({ t: end, lane: slot.laneId, type: 'syncFailed', rule, ok: false, error, data: { retryInMs } });
  }

  issued(slot: PodSlot, at: number, check: RefreshCheck | undefined, issue: Extract<IssueResult, { ok: true }>): void {
    const trace = this.trace;
    const why = requestReason(check);
    const data: Record<string, string | number | boolean> = { reason: why.reason };
    if (why.jitter !== undefined) data.jitterSeconds = why.jitter;
    const resp = issue.response;
    const es = resp.spec.expirationSeconds ?? 0;
    const exp = resp.status.expirationTimestamp;
    data.expirationSeconds = es;
    data.expirationTimestamp = exp;
    data.jwtExp = issue.claims.exp;
    data.jti = issue.claims.jti;
    data.extended = issue.extended;
    if (issue.claims['kubernetes.io'].warnafter !== undefined) data.warnafter = issue.claims['kubernetes.io'].warnafter;
    if (issue.kid !== undefined) data.kid = issue.kid;
    if (issue.warnings.length > 0) data.warning = issue.warnings.join('; ');
    trace.event({ t: at, lane: slot.laneId, type: 'tokenRequest', rule: why.rule, ok: true, data });
    trace.span({ lane: slot.laneId, kind: 'validity', start: exp - es * 1000, end: exp, label: `token ${issue.claims.jti.slice(0, 8)}`, rule: issue.extended ? RULE_VALIDITY_EXTENDED : RULE_VALIDITY });
    const win = refreshWindow(resp.spec.expirationSeconds, exp, this.version);
    if (win.thresholdRule !== 'never') {
      const whyKey = `${es}/${this.version}`;
      let text = whyCache.get(whyKey);
      if (text === undefined) whyCache.set(whyKey, (text = win.why));
      trace.span({ lane: slot.laneId, kind: 'refreshWindow', start: win.earliest, end: win.latest, label: win.thresholdRule === '80%' ? 'refresh (80% rule)' : 'refresh (24h rule)', rule: text });
    }
  }
}
