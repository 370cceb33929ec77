/** Time and count formatting shared by the summary, CSV and HTML report. */
import { formatDateTime } from '../sim/units/datetime';
import { formatDuration } from '../sim/units/duration';

/** Epoch ms → RFC 3339 UTC, e.g. "2026-01-01T00:48:06Z". */
export function iso(ms: number): string {
  return formatDateTime(ms);
}

/** A signed offset, e.g. "+48m6s", "-9s", "+0s". */
export function rel(ms: number): string {
  return ms < 0 ? `-${formatDuration(-ms)}` : `+${formatDuration(ms)}`;
}

export { formatDuration };

/** "1 expiry", "3 expiries": `n` with the right form of the noun. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
