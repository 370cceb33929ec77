/** Time and duration formatting for the timeline (pure). Times are shown in UTC, like the axis. */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "2026-01-01 03:12:05 UTC" (milliseconds only when not zero). */
export function formatTime(t: number): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  const ms = d.getUTCMilliseconds();
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''} UTC`
  );
}

/** "03:12:05" — the short clock reading, with the date when the span of the trace needs it. */
export function formatClock(t: number, withDate: boolean): string {
  const d = new Date(t);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withDate ? `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time}` : time;
}

const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Compact duration with at most `parts` units: 2_886_000 → "48m 6s"; 0 → "0s". */
export function formatSpan(ms: number, parts = 2): string {
  const sign = ms < 0 ? '−' : '';
  let rest = Math.round(Math.abs(ms));
  if (rest < 1000 && rest > 0) return `${sign}${rest}ms`;
  // The largest non-zero unit and the next `parts - 1` units after it; trailing zero units dropped.
  const out: Array<[number, string]> = [];
  for (const [unit, per] of UNITS) {
    if (out.length >= parts || unit === 'ms') break;
    const n = Math.floor(rest / per);
    if (n > 0 || out.length > 0) {
      out.push([n, unit]);
      rest -= n * per;
    }
  }
  while (out.length > 1 && out[out.length - 1]?.[0] === 0) out.pop();
  return out.length ? sign + out.map(([n, u]) => `${n}${u}`).join(' ') : '0s';
}

/** Offset from the trace start: "+3h 12m". */
export function formatOffset(t: number, start: number): string {
  const d = t - start;
  return d >= 0 ? `+${formatSpan(d)}` : formatSpan(d);
}

export { humanize } from '../src/sim/presentations';

/** "12,345". Whole numbers without Intl: the first toLocaleString call loads ICU's number data (~40 ms of the first paint). */
export function formatCount(n: number): string {
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n.toLocaleString('en-US');
}
