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

export function traceToCsv(trace: Trace): string {
  const lines = [CSV_HEADER.join(','), ...trace.events.map(row)];
  return `${lines.join('\n')}\n`;
}
