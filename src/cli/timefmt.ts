/** Time and count formatting shared by the summary, CSV and HTML report. */
import { formatDateTime } from '../sim/units/datetime';
import { formatDuration } from '../sim/units/duration';

/** Epoch ms → RFC 3339 UTC, e.g. "2026-01-01T00:48:06Z". */
export function iso(ms: number): string {
  return formatDateTime(ms);
}

export { formatDuration };
// One home: the summary sections of the models use them too.
export { count, rel } from '../sim/presentation';
