/**
 * Time and duration formatting for the timeline (pure). The one home of the styles is
 * src/token/format.ts (the tree, hovers and reports use it too), so a duration reads "48 min 6 s" and
 * a time "2026-01-01 03:12:05 GMT+1" in every view; this module only adapts them to milliseconds.
 * Times are the user's local time, with the zone's name, like the chart's axis.
 */
import { formatDuration, formatDurationShort, formatLocalDateTime } from '../src/token/format';

export { formatDuration, formatDurationShort, formatLocalDateTime } from '../src/token/format';
export { EXPIRY_NAMES, expiryRelative, type ExpiryKind } from '../src/token/expiries';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "2026-01-01 03:12:05 GMT+1" in the local zone (milliseconds only when not zero: "03:12:05.007 GMT+1"). */
export function formatTime(t: number, timeZone?: string): string {
  const text = formatLocalDateTime(t, timeZone);
  const ms = ((t % 1000) + 1000) % 1000;
  if (!Number.isFinite(t) || ms === 0 || text.startsWith('(')) return text;
  const space = text.lastIndexOf(' ');
  return `${text.slice(0, space)}.${pad(Math.round(ms), 3)}${text.slice(space)}`;
}

/** "03:12:05" in the local zone — the short clock reading, with the date when the span of the trace needs it. */
export function formatClock(t: number, withDate: boolean): string {
  const d = new Date(t);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

/**
 * A duration in milliseconds in the shared style: the two largest units ("48 min 6 s", "≈1 d 1 h"), or
 * every unit when `exact` ("1 d 1 h 1 min 1 s"). Below a second (simulated latencies): "250 ms".
 */
export function formatSpan(ms: number, exact = false): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs > 0 && abs < 1000) return `${ms < 0 ? '-' : ''}${Math.round(abs)} ms`;
  return exact ? formatDuration(ms / 1000) : formatDurationShort(ms / 1000);
}

/** Offset from the trace start: "+3 h 12 min". */
export function formatOffset(t: number, start: number): string {
  const d = t - start;
  const text = formatSpan(Math.abs(d));
  const sign = d >= 0 ? '+' : '-';
  // "≈+3 h 12 min": the approximation mark stays in front of the whole offset.
  return text.startsWith('≈') ? `≈${sign}${text.slice(1)}` : `${sign}${text}`;
}

export { humanize } from '../src/sim/presentations';

/** "12,345". Whole numbers without Intl: the first toLocaleString call loads ICU's number data (~40 ms of the first paint). */
export function formatCount(n: number): string {
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n.toLocaleString('en-US');
}
