/**
 * How the kubelet's part of a trace is shown. The kubelet owns what happens to a pod's projected
 * token: its lanes (one per token source), the write to the pod's file, stale serves, expiry, failed
 * syncs, pod deletion and the token manager's cleanup, the refresh window, the stale/expired series,
 * the lane state of a held token (pending, valid, refresh window, stale, expired) and the summaries'
 * token table. The TokenRequest itself, token validity and rejections belong to the API server
 * (../apiserver/presentation.ts); this module only reads them by name to count and to read state.
 * Imports only the vocabulary (no engine code): the webview bundle imports it.
 */
import { formatDateTime } from '../units/datetime';
import { count, laneName, rel, type LaneStateRule, type ModelPresentation, type PresentationLookup, type SummaryBlock, type SummaryCell, type SummarySection } from '../presentation';
import type { Lane, Span, Trace } from '../trace';

/** The next refresh window of a lane, from the last issued token. */
export interface RefreshWindowText {
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

/** Per-lane counts of a token-holding lane (kubelet token sources and client-side refreshers). */
export interface TokenLaneStats {
  lane: Lane;
  issued: number;
  attempts: number;
  failures: number;
  stale: number;
  expiries: number;
  rejected: number;
  /** From the last issued token; undefined if none was issued or its rule never refreshes. */
  next?: RefreshWindowText;
}

/** The counts over every lane; `expiries` counts tokenExpired events, so lanes with detail only (the others have no events). */
export interface TokenTotals extends Omit<TokenLaneStats, 'lane' | 'next'> {
  /** Most tokens past expiry within one series interval, over every lane (the expiredTokens series). */
  peakExpired?: number;
}

/**
 * Counts per token-holding lane. The window is the engine's own refreshWindow span for the last
 * issued token (it computed it with the run's kubelet version), not recomputed here.
 */
export function tokenLaneStats(trace: Trace, lookup: PresentationLookup): TokenLaneStats[] {
  const byLane = new Map<string, TokenLaneStats>();
  for (const lane of trace.lanes) {
    if (lookup.laneKind(lane.kind)?.holdsToken === true) byLane.set(lane.id, { lane, issued: 0, attempts: 0, failures: 0, stale: 0, expiries: 0, rejected: 0 });
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
export function tokenTotals(trace: Trace, stats: TokenLaneStats[], lookup: PresentationLookup): TokenTotals {
  const fromLanes = (key: 'attempts' | 'failures' | 'stale' | 'expiries' | 'rejected'): number => stats.reduce((a, s) => a + s[key], 0);
  const attempts = lookup.seriesTotal(trace, 'tokenRequests') ?? fromLanes('attempts');
  const failures = lookup.seriesTotal(trace, 'tokenRequestFailures') ?? fromLanes('failures');
  const out: TokenTotals = {
    attempts,
    failures,
    issued: attempts - failures,
    stale: lookup.seriesTotal(trace, 'staleServes') ?? fromLanes('stale'),
    expiries: fromLanes('expiries'),
    rejected: fromLanes('rejected'),
  };
  const peak = lookup.seriesTotal(trace, 'expiredTokens');
  if (peak !== undefined) out.peakExpired = peak;
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

/** The "next refresh window" cell. */
export function windowText(s: TokenLaneStats, end: number): string {
  const w = s.next;
  if (w === undefined) {
    if (s.issued === 0) return 'none (no token issued)';
    return s.lane.kind === 'token' ? 'never (no expirationSeconds)' : '—';
  }
  const after = w.earliest > end ? ', after the horizon' : '';
  return `${formatDateTime(w.earliest)} … ${formatDateTime(w.latest)} (issue ${rel(w.earliest - w.issuedAt)} … ${rel(w.latest - w.issuedAt)}, ${w.label}${after})`;
}

const NEXT_WINDOW = 'from the last issued token';

function rows(stats: TokenLaneStats[], end: number): SummaryCell[][] {
  return stats.map((s) => {
    const next = windowText(s, end);
    return [laneName(s.lane), s.issued, s.attempts, s.failures, s.stale, s.expiries, s.rejected, s.next === undefined || s.next.rule === '' ? next : { text: next, title: s.next.rule }];
  });
}

/** Lanes kept without detail count in the series only, so per-lane counts miss them. */
function partial(trace: Trace): boolean {
  return trace.meta.lanesTotal > trace.lanes.length;
}

/** A run with no lane that holds a token (only image pulls, say) has no token table to show. */
function holdsNoTokens(trace: Trace, lookup: PresentationLookup): boolean {
  return !trace.lanes.some((l) => lookup.laneKind(l.kind)?.holdsToken === true);
}

const tokenSection: SummarySection = {
  id: 'kubelet.tokens',
  text(trace, lookup): SummaryBlock[] {
    if (holdsNoTokens(trace, lookup)) return [];
    const stats = tokenLaneStats(trace, lookup);
    const t = tokenTotals(trace, stats, lookup);
    const more = partial(trace) ? `, of ${trace.meta.lanesTotal} lanes in all` : '';
    const part = partial(trace) ? ' (lanes with detail)' : '';
    return [
      {
        kind: 'table',
        heading: `Token lanes (${stats.length} with detail${more}):`,
        columns: ['LANE', 'ISSUED', 'ATTEMPTS', 'FAILED', 'STALE', 'EXPIRED', 'REJECTED', `NEXT REFRESH WINDOW (${NEXT_WINDOW})`],
        rows: rows(stats, trace.meta.end),
        empty: '(none)',
      },
      {
        kind: 'line',
        text:
          `Totals: ${t.issued} issued, ${count(t.attempts, 'TokenRequest')}, ${t.failures} failed, ${count(t.stale, 'stale serve')}, ` +
          `${count(t.expiries, 'expiry', 'expiries')}${part}` +
          (t.rejected > 0 ? `, ${count(t.rejected, 'rejection')}${part}` : '') +
          (t.peakExpired !== undefined && t.peakExpired > 0 ? `; at most ${count(t.peakExpired, 'token')} expired at once` : ''),
      },
    ];
  },
  report(trace, lookup): SummaryBlock[] {
    if (holdsNoTokens(trace, lookup)) return [];
    const stats = tokenLaneStats(trace, lookup);
    const t = tokenTotals(trace, stats, lookup);
    return [
      {
        kind: 'line',
        text:
          `${count(t.issued, 'token')} issued by ${count(t.attempts, 'TokenRequest')} (${t.failures} failed); ${count(t.stale, 'stale serve')}; ` +
          `${count(t.expiries, 'expiry', 'expiries')}${t.rejected > 0 ? `; ${count(t.rejected, 'rejection')}` : ''}${partial(trace) ? ' (expiries and rejections: lanes with detail)' : ''}` +
          `${t.peakExpired !== undefined && t.peakExpired > 0 ? `; at most ${count(t.peakExpired, 'token')} expired at once` : ''}.`,
      },
      {
        kind: 'table',
        columns: ['Lane', 'Issued', 'TokenRequests', 'Failed', 'Stale serves', 'Expiries', 'Rejections', `Next refresh window (${NEXT_WINDOW})`],
        rows: rows(stats, trace.meta.end),
        empty: 'No token lanes.',
      },
    ];
  },
};

/** A deleted pod's lanes read "deleted" whatever their spans say. */
const deletedState: LaneStateRule = (lane, t) => (lane.status(t) === 'deleted' ? { code: 'deleted' } : undefined);

/**
 * A token held by a client (a pod's token file, a refresher): from its validity spans and the latest status event.
 * The validity span ends at status.expirationTimestamp, the kubelet's expiry (SPEC A.5), which is not the JWT's
 * exp for extended kube-api-access tokens; the latest TokenRequest's jwtExp (seconds) is passed on so views can name both.
 */
const heldTokenState: LaneStateRule = (lane, t) => {
  if (!lane.has('validity')) return undefined;
  const end = lane.latestEnd('validity', t);
  if (end === undefined) return { code: 'pending' };
  const remainingMs = end - t;
  const jwtExp = lane.latestData?.('jwtExp', t);
  const named = { expiry: 'statusExpiry' as const, ...(jwtExp !== undefined ? { jwtExpMs: jwtExp * 1000 } : {}) };
  if (remainingMs <= 0) return { code: 'expired', remainingMs, remaining: 'ago', ...named };
  const status = lane.status(t);
  if (status === 'rejected') return { code: 'rejected', remainingMs, remaining: 'left', ...named };
  if (status === 'stale') return { code: 'stale', remainingMs, remaining: 'left', ...named };
  if (lane.containing('refreshWindow', t) !== undefined) return { code: 'window', remainingMs, remaining: 'left', ...named };
  return { code: 'valid', remainingMs, remaining: 'left', ...named };
};

export const KUBELET_PRESENTATION: ModelPresentation = {
  model: 'kubelet',
  categories: [
    { id: 'written', label: 'Written to pod', shape: 'diamond', color: 'blue', help: "A new token reached the pod's file", dy: 5, rank: 30 },
    { id: 'stale', label: 'Stale serve', shape: 'triangle', color: 'orange', help: 'Refresh failed; the old, still valid token was kept', dy: 5, rank: 40 },
    { id: 'expired', label: 'Expired', shape: 'square', color: 'red', help: "The token in the pod's file is past its expiry", dy: 5, rank: 50 },
    // Failed syncs repeat every few seconds while a token is expired: a row of their own at the lane's bottom
    // edge, at most one per 8 px, so they do not smear over the expired band.
    { id: 'syncFailed', label: 'Sync failed', shape: 'hollowTriangle', color: 'orange', help: 'A pod sync could not fetch the token and was re-queued', dy: 9, rank: 70, minSpacingPx: 8 },
    { id: 'lifecycle', label: 'Deleted / cleanup', shape: 'hollowSquare', color: 'muted', help: 'Pod deleted, cache cleanup', dy: 0, rank: 130 },
  ],
  events: [
    { type: 'tokenWritten', category: 'written', label: "Token written to the pod's file", status: 'fresh' },
    { type: 'tokenServedStale', category: 'stale', label: 'Stale token served', status: 'stale' },
    { type: 'tokenExpired', category: 'expired', label: 'Token expired' },
    { type: 'syncFailed', category: 'syncFailed', label: 'Pod sync failed' },
    { type: 'podDeleted', category: 'lifecycle', label: 'Pod deleted', status: 'deleted' },
    { type: 'cacheCleanup', category: 'lifecycle', label: 'Cache cleanup' },
  ],
  spans: [
    { id: 'refreshWindow', label: 'Refresh window', color: 'yellow', alpha: 0.55, help: 'Where the kubelet may refresh (threshold minus jitter)', rank: 20, layout: 'withinLifetime' },
    // The lane state reads "expired" here (heldTokenState): a band makes that visible on the chart too.
    { id: 'expiredPeriod', label: 'Expired period', color: 'red', alpha: 0.38, help: "No valid token: from the kubelet expiry of the pod's token until a new token is written", rank: 25, layout: 'band', gapsOf: 'validity' },
  ],
  lanes: [{ kind: 'token', label: 'Token', short: 'TOK', holdsToken: true }],
  series: [
    { name: 'expiredTokens', label: 'Expired tokens', color: 'orange', kind: 'line', measure: 'level' },
    { name: 'staleServes', label: 'Stale serves', color: 'yellow', kind: 'line', measure: 'counter' },
  ],
  laneStates: [deletedState, heldTokenState],
  sections: [tokenSection],
};
