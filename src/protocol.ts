/**
 * The typed messages between the extension host and the timeline webview, shared by both bundles.
 * Every message that crosses the boundary is validated on arrival (parse*), because a webview is
 * untrusted input for the host and vice versa.
 */
import type { Trace } from './sim/trace';

/** What the host sends to the webview. */
export type HostMessage =
  | { type: 'showTrace'; title: string; trace: Trace }
  | { type: 'error'; message: string };

/** What the webview sends to the host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'reportError'; message: string };

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX_TEXT = 10_000;

function text(v: unknown, field: string, max = MAX_TEXT): string | { error: string } {
  if (typeof v !== 'string') return { error: `${field} must be a string` };
  if (v.length > max) return { error: `${field} is longer than ${max} characters` };
  return v;
}

export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  if (!isRecord(raw)) return { ok: false, error: 'message is not an object' };
  switch (raw.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'reportError': {
      const message = text(raw.message, 'reportError.message');
      if (typeof message !== 'string') return { ok: false, error: message.error };
      return { ok: true, message: { type: 'reportError', message } };
    }
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(raw.type)}` };
  }
}

/** Checks the shape of a Trace (structure and types, not the meaning of every event). */
export function checkTrace(raw: unknown): string | undefined {
  if (!isRecord(raw)) return 'trace is not an object';
  if (raw.version !== 1) return `trace.version must be 1, got ${JSON.stringify(raw.version)}`;
  const meta = raw.meta;
  if (!isRecord(meta) || typeof meta.start !== 'number' || typeof meta.end !== 'number' || !(meta.end >= meta.start)) {
    return 'trace.meta must have numeric start <= end';
  }
  for (const key of ['lanes', 'spans', 'events', 'series'] as const) {
    if (!Array.isArray(raw[key])) return `trace.${key} must be an array`;
  }
  const lanes = raw.lanes as unknown[];
  for (const [i, lane] of lanes.entries()) {
    if (!isRecord(lane) || typeof lane.id !== 'string' || typeof lane.label !== 'string' || typeof lane.kind !== 'string') {
      return `trace.lanes[${i}] must have string id, kind and label`;
    }
  }
  for (const [i, span] of (raw.spans as unknown[]).entries()) {
    if (!isRecord(span) || typeof span.lane !== 'string' || typeof span.start !== 'number' || typeof span.end !== 'number') {
      return `trace.spans[${i}] must have a lane and numeric start/end`;
    }
  }
  for (const [i, ev] of (raw.events as unknown[]).entries()) {
    if (!isRecord(ev) || typeof ev.t !== 'number' || typeof ev.lane !== 'string' || typeof ev.type !== 'string' || typeof ev.rule !== 'string') {
      return `trace.events[${i}] must have numeric t and string lane, type, rule`;
    }
  }
  for (const [i, s] of (raw.series as unknown[]).entries()) {
    if (!isRecord(s) || typeof s.name !== 'string' || typeof s.start !== 'number' || typeof s.intervalMs !== 'number' || !Array.isArray(s.values)) {
      return `trace.series[${i}] must have name, start, intervalMs and values`;
    }
  }
  return undefined;
}

export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  if (!isRecord(raw)) return { ok: false, error: 'message is not an object' };
  switch (raw.type) {
    case 'showTrace': {
      const title = text(raw.title, 'showTrace.title', 500);
      if (typeof title !== 'string') return { ok: false, error: title.error };
      const problem = checkTrace(raw.trace);
      if (problem) return { ok: false, error: problem };
      return { ok: true, message: { type: 'showTrace', title, trace: raw.trace as Trace } };
    }
    case 'error': {
      const message = text(raw.message, 'error.message');
      if (typeof message !== 'string') return { ok: false, error: message.error };
      return { ok: true, message: { type: 'error', message } };
    }
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(raw.type)}` };
  }
}
