/**
 * RFC 3339 date-time parsing to epoch milliseconds, by arithmetic only: src/sim may not use the
 * wall clock, and Date.parse is lenient in implementation-defined ways (it accepts "2026-1-1",
 * local times without a zone, …) that would make a scenario mean different things on different hosts.
 */

import { parseDuration } from './duration';

export type DateTimeResult = { ok: true; ms: number } | { ok: false; error: string };

const EXAMPLE = '2026-01-01T00:00:00Z';
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

export function parseDateTime(text: string): DateTimeResult {
  const m = RFC3339.exec(text);
  if (m === null) return { ok: false, error: explainFailure(text) };
  const [, ys = '', mos = '', ds = '', hs = '', mis = '', ss = '', frac, zone = '', sign, ohs = '0', oms = '0'] = m;
  const [y, mo, d, h, mi, s, oh, om] = [ys, mos, ds, hs, mis, ss, ohs, oms].map(Number) as [
    number, number, number, number, number, number, number, number,
  ];
  if (mo < 1 || mo > 12) return { ok: false, error: `month ${mos} out of range in "${text}"` };
  if (d < 1 || d > daysInMonth(y, mo)) return { ok: false, error: `day ${ds} out of range for ${ys}-${mos} in "${text}"` };
  if (h > 23) return { ok: false, error: `hour ${hs} out of range in "${text}"` };
  if (mi > 59) return { ok: false, error: `minute ${mis} out of range in "${text}"` };
  if (s === 60) return { ok: false, error: `leap second in "${text}" is not supported: use :59` };
  if (s > 59) return { ok: false, error: `second ${ss} out of range in "${text}"` };
  if (oh > 23 || om > 59) return { ok: false, error: `time-zone offset out of range in "${text}"` };
  // The virtual clock counts whole milliseconds: finer digits are dropped (truncated, like Go's Truncate).
  const ms = frac === undefined ? 0 : Number(frac.slice(1, 4).padEnd(3, '0'));
  const offsetMs = zone.toUpperCase() === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  const local = daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms;
  return { ok: true, ms: local - offsetMs };
}

/** Epoch milliseconds → "2026-01-01T00:48:06Z" (milliseconds shown only when not zero). */
export function formatDateTime(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}${frac === 0 ? '' : `.${String(frac).padStart(3, '0')}`}Z`;
}

function explainFailure(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `"${text}" has no time of day: write e.g. "${text}T00:00:00Z"`;
  if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    return `"${text}" has no time zone: add "Z" for UTC or an offset such as "+01:00"`;
  }
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text)) return `"${text}": separate date and time with "T", e.g. "${EXAMPLE}"`;
  return `"${text}" is not an RFC 3339 date-time such as "${EXAMPLE}"`;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return isLeap(y) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of daysFromCivil. */
function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/**
 * A moment as a person types it for "when": `now`, `now+2h` / `+2h` (from now, a duration of
 * duration.ts), or an RFC 3339 date-time. `nowMs` is the caller's clock (this module never reads one).
 */
export function parseInstant(text: string, nowMs: number): DateTimeResult {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'now') return { ok: true, ms: nowMs };
  const rel = /^(?:now\s*)?\+\s*(.+)$/i.exec(t);
  if (rel !== null) {
    const d = parseDuration((rel[1] ?? '').trim());
    return d.ok ? { ok: true, ms: nowMs + d.ms } : { ok: false, error: `"${t}": ${d.error}` };
  }
  const dt = parseDateTime(t);
  return dt.ok ? dt : { ok: false, error: `${dt.error}; or write "now" or "+2h" (from now)` };
}
