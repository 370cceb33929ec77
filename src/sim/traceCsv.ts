/** The Trace's events as CSV (RFC 4180 quoting), one row per event, in trace order. */
import type { Trace, TraceEvent } from './trace';
import { formatDateTime as iso } from './units/datetime';

export const CSV_HEADER = ['t_iso', 't_ms', 'lane', 'type', 'ok', 'error', 'rule'] as const;

/** Quotes a field when it holds a comma, quote, or line break; quotes inside are doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(e: TraceEvent): string {
  const fields = [iso(e.t), String(e.t), e.lane, e.type, e.ok === undefined ? '' : String(e.ok), e.error ?? '', e.rule];
  return fields.map(csvField).join(',');
}

/** The CSV in pieces of about 64 KiB, so a long run can be streamed (traceToCsv joins them). */
export function* traceCsvChunks(trace: Trace): Generator<string> {
  let buf = `${CSV_HEADER.join(',')}\n`;
  for (const e of trace.events) {
    buf += `${row(e)}\n`;
    if (buf.length >= 64 * 1024) {
      yield buf;
      buf = '';
    }
  }
  yield buf;
}

export function traceToCsv(trace: Trace): string {
  let out = '';
  for (const chunk of traceCsvChunks(trace)) out += chunk;
  return out;
}
