/** Human-readable times and durations for token views (pure: the current time is passed in). */

/** Milliseconds since the epoch → RFC 3339 UTC ("2025-01-02T03:04:05Z"; milliseconds only when non-zero). */
export function isoUtc(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return `(out of range: ${ms} ms)`;
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/** Exact duration from whole seconds, every non-zero unit: 3607 → "1 h 7 s", 31536000 → "365 d", 0 → "0 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(Math.round(seconds));
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n > 0) parts.push(`${n} ${name}`);
  }
  return parts.length === 0 ? '0 s' : sign + parts.join(' ');
}

/** At most the two largest adjacent units, "≈" when something was dropped: 3725 → "1 h 2 min" (≈), 90 → "1 min 30 s". */
export function formatDurationShort(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(Math.round(seconds));
  const parts: string[] = [];
  let first = -1;
  let approx = false;
  UNITS.forEach(([name, size], index) => {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n === 0) return;
    if (first < 0) first = index;
    if (index <= first + 1) parts.push(`${n} ${name}`);
    else approx = true;
  });
  if (parts.length === 0) return '0 s';
  return `${approx ? '≈' : ''}${sign}${parts.join(' ')}`;
}

/** "in 47 min 12 s", "3 h 2 min ago", "now" (within half a second). */
export function relativeTime(targetMs: number, nowMs: number): string {
  const diff = targetMs - nowMs;
  if (Math.abs(diff) < 500) return 'now';
  const text = formatDurationShort(Math.abs(diff) / 1000);
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A wall-clock time in a time zone (the runtime's own when none is given) with the zone's name, the same
 * shape in every view: "2026-12-02 14:03:12 GMT+1". Pure: the zone is a parameter, never read from a clock.
 */
export function formatLocalDateTime(ms: number, timeZone?: string): string {
  if (!Number.isFinite(ms)) return String(ms);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return `(out of range: ${ms} ms)`;
  const parts = new Intl.DateTimeFormat('en-US', {
    ...(timeZone ? { timeZone } : {}),
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${get('year')}-${pad2(Number(get('month')))}-${pad2(Number(get('day')))}`;
  const time = `${pad2(Number(get('hour')))}:${pad2(Number(get('minute')))}:${pad2(Number(get('second')))}`;
  return `${date} ${time} ${get('timeZoneName')}`;
}
