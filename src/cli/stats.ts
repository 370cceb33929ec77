/**
 * Per-lane counts and the next refresh window, read from a Trace. Shared by the text summary and
 * the HTML report so that both say the same numbers. The window is the engine's own refreshWindow
 * span for the last issued token (it computed it with the run's kubelet version), not recomputed here.
 */
import type { Lane, Series, Span, Trace } from '../sim/trace';

export interface Window {
  /** Refresh happens at the first check strictly after `earliest` (jitter 9 s) … `latest` (jitter 0). */
  earliest: number;
  latest: number;
  /** The issue time the window derives from (iat = exp − ES, SPEC A.5 step 2). */
  issuedAt: number;
  /** The span's label, e.g. "refresh (80% rule)". */
  label: string;
  /** The span's rule text (SPEC reference and arithmetic). */
  rule: string;
}

export interface LaneStats {
  lane: Lane;
  issued: number;
  attempts: number;
  failures: number;
  stale: number;
  expiries: number;
  rejected: number;
  /** From the last issued token; undefined if none was issued or its rule never refreshes. */
  next?: Window;
}

export interface Totals {
  issued: number;
  attempts: number;
  failures: number;
  stale: number;
  /** tokenExpired events: lanes with detail only (the others have no events). */
  expiries: number;
  rejected: number;
  /** Most tokens past expiry within one series interval, over every lane (the expiredTokens series). */
  peakExpired?: number;
}

/** The lanes that hold tokens: kubelet token sources and client-side refreshers. */
export function isTokenLane(lane: Lane): boolean {
  return lane.kind === 'token' || lane.kind === 'refresher';
}

export function laneStats(trace: Trace): LaneStats[] {
  const byLane = new Map<string, LaneStats>();
  for (const lane of trace.lanes) {
    if (isTokenLane(lane)) byLane.set(lane.id, { lane, issued: 0, attempts: 0, failures: 0, stale: 0, expiries: 0, rejected: 0 });
  }
  const lastIssue = new Map<string, { t: number; data: Record<string, string | number | boolean> | undefined }>();
  for (const e of trace.events) {
    const s = byLane.get(e.lane);
    if (s === undefined) continue;
    switch (e.type) {
      case 'tokenRequest':
        s.attempts++;
        if (e.ok === false) s.failures++;
        else {
          s.issued++;
          lastIssue.set(e.lane, { t: e.t, data: e.data });
        }
        break;
      case 'tokenServedStale':
        s.stale++;
        break;
      case 'tokenExpired':
        s.expiries++;
        break;
      case 'tokenRejected':
        s.rejected++;
        break;
      default:
        break;
    }
  }
  const windowSpans = lastSpans(trace.spans, 'refreshWindow');
  for (const s of byLane.values()) {
    const issue = lastIssue.get(s.lane.id);
    if (issue === undefined) continue;
    const span = windowSpans.get(s.lane.id);
    // A window older than the last issue belongs to an earlier token: the last one has none (nil ES).
    if (span === undefined || span.end < issue.t) continue;
    s.next = { earliest: span.start, latest: span.end, issuedAt: issuedAt(issue.t, issue.data), label: span.label ?? 'refresh window', rule: span.rule ?? '' };
  }
  return [...byLane.values()];
}

/**
 * Totals over every lane. Counters come from the aggregate series when the trace has them (they
 * include lanes kept without detail); expiredTokens is a level (tokens past expiry per interval),
 * not a count of expiries, so it only gives the peak.
 */
export function totals(trace: Trace, stats: LaneStats[]): Totals {
  const series = (name: Series['name']): number[] | undefined => trace.series.find((x) => x.name === name)?.values;
  const sum = (name: Series['name']): number | undefined => series(name)?.reduce((a, b) => a + b, 0);
  const fromLanes = (key: 'attempts' | 'failures' | 'stale' | 'expiries' | 'rejected'): number =>
    stats.reduce((a, s) => a + s[key], 0);
  const attempts = sum('tokenRequests') ?? fromLanes('attempts');
  const failures = sum('tokenRequestFailures') ?? fromLanes('failures');
  const expired = series('expiredTokens');
  const out: Totals = {
    attempts,
    failures,
    issued: attempts - failures,
    stale: sum('staleServes') ?? fromLanes('stale'),
    expiries: fromLanes('expiries'),
    rejected: fromLanes('rejected'),
  };
  if (expired !== undefined && expired.length > 0) out.peakExpired = Math.max(...expired);
  return out;
}

/** iat = status.expirationTimestamp − expirationSeconds (SPEC A.5 step 2) when the event says so, else the request time. */
function issuedAt(t: number, data: Record<string, string | number | boolean> | undefined): number {
  const es = data?.expirationSeconds;
  const exp = data?.expirationTimestamp;
  return typeof es === 'number' && typeof exp === 'number' && es > 0 ? exp - es * 1000 : t;
}

function lastSpans(spans: Span[], kind: Span['kind']): Map<string, Span> {
  const last = new Map<string, Span>();
  for (const s of spans) {
    if (s.kind !== kind) continue;
    const prev = last.get(s.lane);
    if (prev === undefined || s.start >= prev.start) last.set(s.lane, s);
  }
  return last;
}
