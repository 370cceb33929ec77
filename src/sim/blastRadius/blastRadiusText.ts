/**
 * The words of an outage blast-radius result, shared by the webview and the CLI (one home for the
 * words): token kinds, verdicts, ranges over the sampled runs, anchors, the extended-token and the
 * in-flight sentences, and the CSV export. Pure: times are passed in and shown in UTC, zone named.
 */
import { formatDateTime } from '../units/datetime';
import { formatDuration } from '../units/duration';
import { DEFAULT_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';
import type { OutageWindow, PodAnchor } from './blastRadiusInput';
import type { AffectedToken, BlastRadiusResult, ExpiryVerdict, KindSummary, RecoveryHerd, Spread, TokenKind } from './blastRadiusResult';

const SECOND = 1000;
const YEAR_SECONDS = 365 * 86_400;

/** A lifetime in words: whole years as "1 year", otherwise the duration notation of the scenarios ("1h7s"). */
export function lifetimeText(seconds: number): string {
  if (seconds > 0 && seconds % YEAR_SECONDS === 0) {
    const years = seconds / YEAR_SECONDS;
    return `${years} year${years === 1 ? '' : 's'}`;
  }
  return formatDuration(Math.round(seconds) * SECOND);
}

/** A duration in ms, rounded to the second (ranges over runs carry sub-second noise nobody needs). */
export function durationText(ms: number): string {
  return formatDuration(Math.round(ms / SECOND) * SECOND);
}

/** Who the token is for: "API server audience" or "audience vault". */
export function audienceText(audience: string | null): string {
  return audience === null ? 'API server audience' : `audience ${audience}`;
}

/**
 * A kind's label: "API server audience, 3607 s requested → kubelet refreshes on 1h7s; JWT valid 1 year
 * (extended)", "audience vault, 600 s", "audience sts.amazonaws.com, 86400 s requested → capped to 12h".
 */
export function kindLabel(kind: TokenKind): string {
  const parts = [audienceText(kind.audience)];
  let lifetime: string;
  if (kind.requestedSeconds === null) {
    // SPEC D.1 step 5: no expirationSeconds → the API server defaults it (3600 s unless capped).
    lifetime =
      kind.issuedSeconds === DEFAULT_EXPIRATION_SECONDS
        ? `no lifetime requested → ${DEFAULT_EXPIRATION_SECONDS} s (the API server's default)`
        : `no lifetime requested → ${kind.issuedSeconds} s`;
  } else if (kind.issuedSeconds < kind.requestedSeconds) {
    // SPEC D.1 step 7: --service-account-max-token-expiration shortens it.
    lifetime = `${kind.requestedSeconds} s requested → capped to ${lifetimeText(kind.issuedSeconds)} by the API server`;
  } else if (kind.extended) {
    lifetime = `${kind.requestedSeconds} s requested → kubelet refreshes on ${lifetimeText(kind.issuedSeconds)}`;
  } else {
    lifetime = `${kind.requestedSeconds} s`;
  }
  parts.push(lifetime);
  let label = parts.join(', ');
  // SPEC D.1 steps 8–9: the JWT's exp is a year out while the TokenRequest status says 3607 s.
  if (kind.extended) label += `; JWT valid ${lifetimeText(kind.jwtLifetimeSeconds)} (extended)`;
  return label;
}

/**
 * What an extended (kube-api-access) token's expiry means. SPEC A.4 / A.8 / D.1: the kubelet judges
 * expiry by the TokenRequest status (requested lifetime), the API server by the JWT's one-year exp.
 */
export const EXTENDED_TOKEN_SENTENCE =
  "The kubelet sees these expire and the pod's syncs fail, but the API server still accepts the token (its JWT is valid for a year)";

/** "expires in every run" / "expires in 7 of 20 runs" / "never expires". */
export function verdictText(runsExpired: number, runs: number): string {
  if (runsExpired <= 0) return 'never expires';
  if (runsExpired >= runs) return 'expires in every run';
  return `expires in ${runsExpired} of ${runs} runs`;
}

/** The verdict's short name, for table cells and the CSV. */
export function verdictName(verdict: ExpiryVerdict): string {
  return verdict === 'certain' ? 'certainly expires' : verdict === 'possible' ? 'possibly expires' : 'never expires';
}

/** "2026-01-01" and "14:03:10" (with ".250" when not whole seconds) of a UTC instant. */
function dateAndClock(ms: number): [string, string] {
  const [date = '', time = ''] = formatDateTime(ms).split('T');
  return [date, time.replace(/Z$/, '')];
}

/** One instant: "2026-01-01 14:03:10 UTC". */
export function timeText(ms: number): string {
  const [date, clock] = dateAndClock(ms);
  return `${date} ${clock} UTC`;
}

/**
 * A spread of instants as a range: "14:03:10–14:09:55 UTC" when both ends fall on `sameDayAs`'s UTC day,
 * with the date once when they share another day, with both dates when they do not; one time when min = max.
 */
export function timeRangeText(spread: Spread, sameDayAs?: number): string {
  const [d1, c1] = dateAndClock(spread.min);
  const [d2, c2] = dateAndClock(spread.max);
  const refDay = sameDayAs === undefined ? undefined : dateAndClock(sameDayAs)[0];
  if (d1 === d2) {
    const prefix = d1 === refDay ? '' : `${d1} `;
    return spread.min === spread.max ? `${prefix}${c1} UTC` : `${prefix}${c1}–${c2} UTC`;
  }
  return `${d1} ${c1} – ${d2} ${c2} UTC`;
}

/** A spread of durations: "between 2m and 5m", or "3m" when every run agrees. */
export function durationRangeText(spread: Spread): string {
  const lo = durationText(spread.min);
  const hi = durationText(spread.max);
  return lo === hi ? lo : `between ${lo} and ${hi}`;
}

/** A spread of counts: "3–7", or "5" when every run agrees. Fractions (means) get one decimal. */
export function countRangeText(spread: Spread): string {
  const n = (v: number): string => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 1 }));
  return spread.min === spread.max ? n(spread.min) : `${n(spread.min)}–${n(spread.max)}`;
}

/** How far into the outage: "12m after the outage starts" / "between 12m and 40m after the outage starts". */
export function afterOutageStartText(spread: Spread, outage: OutageWindow): string {
  const rel = { min: spread.min - outage.startMs, median: spread.median - outage.startMs, max: spread.max - outage.startMs };
  return `${durationRangeText(rel)} after the outage starts`;
}

/** The outage: "2026-01-01 14:00:00 UTC to 17:00:00 UTC (3h)". */
export function outageText(outage: OutageWindow): string {
  const end = outage.startMs + outage.durationMs;
  const [d1] = dateAndClock(outage.startMs);
  const [d2, c2] = dateAndClock(end);
  return `${timeText(outage.startMs)} to ${d1 === d2 ? c2 : `${d2} ${c2}`} UTC (${durationText(outage.durationMs)})`;
}

/** Where a pod's sampled histories start, for a table cell. */
export function anchorText(anchor: PodAnchor['kind']): string {
  switch (anchor) {
    case 'issued':
      return 'real issue time';
    case 'started':
      return 'pod start time';
    case 'unknown':
      return 'unknown (sampled)';
  }
}

/** The same, as a full explanation (tooltips, the header). */
export function anchorExplanation(anchor: PodAnchor['kind']): string {
  switch (anchor) {
    case 'issued':
      return 'the real issue time of its tokens, read from the pod';
    case 'started':
      return "the pod's start time (the kubelet requests its tokens at the first sync after it); the phase after that is sampled";
    case 'unknown':
      return 'nothing: a start time is drawn at random in each run, so the phase in the refresh cycle is sampled';
  }
}

/** "420 pods anchored at the real issue time of their tokens, 75 at their start time, 5 unknown (sampled)". */
export function anchorsSummaryText(anchors: Record<PodAnchor['kind'], number>): string {
  const parts: string[] = [];
  const pods = (n: number): string => `${n.toLocaleString('en-US')} pod${n === 1 ? '' : 's'}`;
  const their = (n: number): string => (n === 1 ? 'its' : 'their');
  if (anchors.issued > 0) parts.push(`${pods(anchors.issued)} from the real issue time of ${their(anchors.issued)} tokens`);
  if (anchors.started > 0) parts.push(`${pods(anchors.started)} from ${their(anchors.started)} start time`);
  if (anchors.unknown > 0) parts.push(`${pods(anchors.unknown)} without a known start (sampled)`);
  return parts.length === 0 ? 'No pods.' : `Histories start: ${parts.join(', ')}.`;
}

/** The plain statement under every result: ranges over sampled runs, not a forecast. */
export function rangesStatement(runs: number): string {
  return runs === 1
    ? 'These numbers come from one sampled run of every pod\'s history: they show what can happen, not a forecast.'
    : `These numbers are ranges over ${runs} sampled runs of every pod's history, not a forecast.`;
}

/** Per-second rates: "0.7", "42", "1,250". */
function rateText(perSecond: number): string {
  return perSecond.toLocaleString('en-US', { maximumFractionDigits: perSecond < 10 ? 1 : 0 });
}

/**
 * When the in-flight limit is reached at the herd's peak. By Little's law the requests in flight are
 * the arrival rate times the time each takes, so `limit` in flight at `peak` per second are reached
 * once a TokenRequest takes longer than limit / peak seconds.
 */
export function inFlightThresholdMs(herd: Pick<RecoveryHerd, 'inFlightLimit' | 'peakPerSecond'>): number | undefined {
  const peak = herd.peakPerSecond.max;
  return peak > 0 ? (herd.inFlightLimit / peak) * SECOND : undefined;
}

/** "The API server lets 200 mutating requests be in flight at once by default (…); at the peak of 40 per second …". */
export function inFlightSentence(herd: Pick<RecoveryHerd, 'inFlightLimit' | 'peakPerSecond'>): string {
  const lead = `The API server lets ${herd.inFlightLimit} mutating requests be in flight at once by default (--max-mutating-requests-inflight)`;
  const threshold = inFlightThresholdMs(herd);
  if (threshold === undefined) return `${lead}; no TokenRequest arrives after the outage, so that limit is not approached.`;
  const x = threshold < SECOND ? `${Math.floor(threshold)} ms` : durationText(threshold);
  return `${lead}; at the peak of ${rateText(herd.peakPerSecond.max)} per second that limit is reached if a TokenRequest takes longer than ${x}.`;
}

/** The herd's peak, in words: "between 30 and 42 TokenRequests per second". */
export function peakText(herd: Pick<RecoveryHerd, 'peakPerSecond'>): string {
  const p = herd.peakPerSecond;
  return p.min === p.max ? `${rateText(p.max)} TokenRequests per second` : `between ${rateText(p.min)} and ${rateText(p.max)} TokenRequests per second`;
}

/** The sentence when no refresh waited for the API server. */
export const NO_HELD_BACK_REFRESH = 'No refresh was held back';

/** A kind's summary in one line, for the CLI and screen readers. */
export function kindSummaryText(s: KindSummary, outage: OutageWindow): string {
  const earliest = s.earliestExpiryMs
    ? `first expiry ${timeRangeText(s.earliestExpiryMs, outage.startMs)} (${afterOutageStartText(s.earliestExpiryMs, outage)})`
    : 'none expires during the outage';
  return `${kindLabel(s.kind)}: ${s.tokens} tokens in ${s.pods} pods; ${s.certain} certainly, ${s.possible} possibly, ${s.never} never expire; ${earliest}`;
}

// ---------------------------------------------------------------------------------------------
// CSV export
// ---------------------------------------------------------------------------------------------

export const BLAST_RADIUS_CSV_COLUMNS = [
  'namespace',
  'pod',
  'volume',
  'path',
  'audience',
  'requested_seconds',
  'issued_seconds',
  'extended',
  'verdict',
  'runs_expired',
  'runs',
  'expiry_min',
  'expiry_median',
  'expiry_max',
  'expired_for_min_seconds',
  'expired_for_median_seconds',
  'expired_for_max_seconds',
] as const;

/**
 * One CSV field (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR first) is prefixed with an apostrophe: audiences and names come from the cluster.
 */
function csvField(v: string | number | boolean): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The affected tokens as CSV, one row each, in the result's order. Expiry instants are RFC 3339 UTC
 * (the kubelet-side expiry: the TokenRequest's status.expirationTimestamp); durations whole seconds.
 * `audience` is empty for the API server's own audiences; `requested_seconds` empty when not requested.
 */
export function blastRadiusCsv(result: Pick<BlastRadiusResult, 'kinds' | 'affected' | 'runs'>): string {
  const kinds = new Map(result.kinds.map((k) => [k.kind.key, k.kind]));
  const seconds = (ms: number): number => Math.round(ms / SECOND);
  const rows = [BLAST_RADIUS_CSV_COLUMNS.join(',')];
  for (const t of result.affected as readonly AffectedToken[]) {
    const kind = kinds.get(t.kindKey);
    rows.push(
      [
        t.namespace,
        t.pod,
        t.volume,
        t.path,
        kind?.audience ?? '',
        kind?.requestedSeconds ?? '',
        kind?.issuedSeconds ?? '',
        kind?.extended ?? '',
        t.verdict,
        t.runsExpired,
        result.runs,
        formatDateTime(t.expiryMs.min),
        formatDateTime(t.expiryMs.median),
        formatDateTime(t.expiryMs.max),
        seconds(t.expiredForMs.min),
        seconds(t.expiredForMs.median),
        seconds(t.expiredForMs.max),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** A kind in a few words, for a table cell: "API server, 1h7s (extended)", "vault, 10m". */
export function kindShortLabel(kind: TokenKind): string {
  const who = kind.audience === null ? 'API server' : kind.audience;
  return `${who}, ${lifetimeText(kind.issuedSeconds)}${kind.extended ? ' (extended)' : ''}`;
}
