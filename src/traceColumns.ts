/**
 * The Trace as the timeline page receives it: columns instead of objects. A trace of 50,000 events
 * as objects costs the structured clone (host → page) and the validator one visit per object and
 * per property; as columns it is a few dozen typed arrays (cloned as memory blocks, which VS Code's
 * webview messaging carries as array buffers) and one table of the distinct strings (rules, lane
 * ids, event types repeat: a trace has a few hundred distinct strings, not 200,000).
 *
 * The trace itself does not change: traceFromColumns(traceToColumns(t)) deep-equals t. Kinds and
 * types come back as the strings that were sent (unknown ones included, as with objects: the
 * timeline shows them generically).
 * Pure: no DOM, no Node I/O (the host, the CLI report and the webview all import it).
 */
import type { EventType, Lane, LaneKind, Series, Span, SpanKind, Trace, TraceEvent } from './sim/trace';

/** Small, JSON-safe details of one event (TraceEvent.data). */
export type EventData = Record<string, string | number | boolean>;

/** No value in an optional string or data column. */
export const NONE = -1;

export interface LaneColumns {
  /** Indices into TraceColumns.strings. */
  id: Uint32Array;
  kind: Uint32Array;
  label: Uint32Array;
  /** NONE = no group. */
  group: Int32Array;
  /** 1 = detailed, 0 = aggregate only. */
  detailed: Uint8Array;
}

export interface SpanColumns {
  /** Index into the lanes. */
  lane: Uint32Array;
  /** Indices into strings. */
  kind: Uint32Array;
  start: Float64Array;
  end: Float64Array;
  /** Indices into strings, NONE = absent. */
  label: Int32Array;
  rule: Int32Array;
}

export interface EventColumns {
  t: Float64Array;
  /** Index into the lanes. */
  lane: Uint32Array;
  /** Indices into strings. */
  type: Uint32Array;
  rule: Uint32Array;
  /** 1 ok, 0 failed, NONE absent. */
  ok: Int8Array;
  /** Index into strings, NONE = absent. */
  error: Int32Array;
  /** Index into TraceColumns.data, NONE = absent. */
  data: Int32Array;
}

export interface SeriesColumns {
  name: string;
  start: number;
  intervalMs: number;
  values: Float64Array;
}

export interface TraceColumns {
  /** The column layout's version (not the Trace's). */
  columns: 1;
  version: 1;
  meta: Trace['meta'];
  /** Every distinct string of the lanes, spans and events, once. */
  strings: string[];
  lanes: LaneColumns;
  spans: SpanColumns;
  events: EventColumns;
  /** The events' data records (only events that have one point here). */
  data: EventData[];
  series: SeriesColumns[];
}

/**
 * Trace → columns. Self-contained on purpose (no reference outside its body, NONE written as -1):
 * the interactive HTML report embeds its source text (Function.prototype.toString) in the page's host
 * stub, so the report and the extension encode with the very same code.
 */
export function traceToColumns(trace: Trace): TraceColumns {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const opt = (s: string | undefined): number => (s === undefined ? -1 : str(s));
  const laneOf = new Map<string, number>();
  const nl = trace.lanes.length;
  const lanes = { id: new Uint32Array(nl), kind: new Uint32Array(nl), label: new Uint32Array(nl), group: new Int32Array(nl), detailed: new Uint8Array(nl) };
  for (let i = 0; i < nl; i++) {
    const l = trace.lanes[i] as Lane;
    if (!laneOf.has(l.id)) laneOf.set(l.id, i);
    lanes.id[i] = str(l.id);
    lanes.kind[i] = str(l.kind);
    lanes.label[i] = str(l.label);
    lanes.group[i] = opt(l.group);
    lanes.detailed[i] = l.detailed ? 1 : 0;
  }
  const laneIndex = (id: string, where: string): number => {
    const i = laneOf.get(id);
    if (i === undefined) throw new Error(`${where}.lane ${JSON.stringify(id)} is not in trace.lanes`);
    return i;
  };
  const ns = trace.spans.length;
  const spans = { lane: new Uint32Array(ns), kind: new Uint32Array(ns), start: new Float64Array(ns), end: new Float64Array(ns), label: new Int32Array(ns), rule: new Int32Array(ns) };
  for (let i = 0; i < ns; i++) {
    const s = trace.spans[i] as Span;
    spans.lane[i] = laneIndex(s.lane, `trace.spans[${i}]`);
    spans.kind[i] = str(s.kind);
    spans.start[i] = s.start;
    spans.end[i] = s.end;
    spans.label[i] = opt(s.label);
    spans.rule[i] = opt(s.rule);
  }
  const ne = trace.events.length;
  const events = { t: new Float64Array(ne), lane: new Uint32Array(ne), type: new Uint32Array(ne), rule: new Uint32Array(ne), ok: new Int8Array(ne), error: new Int32Array(ne), data: new Int32Array(ne) };
  const data: EventData[] = [];
  for (let i = 0; i < ne; i++) {
    const e = trace.events[i] as TraceEvent;
    events.t[i] = e.t;
    events.lane[i] = laneIndex(e.lane, `trace.events[${i}]`);
    events.type[i] = str(e.type);
    events.rule[i] = str(e.rule);
    events.ok[i] = e.ok === undefined ? -1 : e.ok ? 1 : 0;
    events.error[i] = opt(e.error);
    if (e.data === undefined) events.data[i] = -1;
    else {
      events.data[i] = data.length;
      data.push(e.data);
    }
  }
  const series = trace.series.map((s: Series) => ({ name: s.name, start: s.start, intervalMs: s.intervalMs, values: Float64Array.from(s.values) }));
  return { columns: 1, version: 1, meta: trace.meta, strings, lanes, spans, events, data, series };
}

/** One lane of the columns as a Lane object. */
export function laneAt(c: TraceColumns, i: number): Lane {
  const l = c.lanes;
  const lane: Lane = { id: c.strings[l.id[i] as number] as string, kind: c.strings[l.kind[i] as number] as LaneKind, label: c.strings[l.label[i] as number] as string, detailed: l.detailed[i] === 1 };
  const g = l.group[i] as number;
  if (g !== NONE) lane.group = c.strings[g] as string;
  return lane;
}

/** One span of the columns as a Span object. */
export function spanAt(c: TraceColumns, i: number): Span {
  const s = c.spans;
  const span: Span = { lane: c.strings[c.lanes.id[s.lane[i] as number] as number] as string, kind: c.strings[s.kind[i] as number] as SpanKind, start: s.start[i] as number, end: s.end[i] as number };
  const label = s.label[i] as number;
  const rule = s.rule[i] as number;
  if (label !== NONE) span.label = c.strings[label] as string;
  if (rule !== NONE) span.rule = c.strings[rule] as string;
  return span;
}

/** One event of the columns as a TraceEvent object. */
export function eventAt(c: TraceColumns, i: number): TraceEvent {
  const e = c.events;
  const ev: TraceEvent = { t: e.t[i] as number, lane: c.strings[c.lanes.id[e.lane[i] as number] as number] as string, type: c.strings[e.type[i] as number] as EventType, rule: c.strings[e.rule[i] as number] as string };
  const ok = e.ok[i] as number;
  const error = e.error[i] as number;
  const data = e.data[i] as number;
  if (ok !== NONE) ev.ok = ok === 1;
  if (error !== NONE) ev.error = c.strings[error] as string;
  if (data !== NONE) ev.data = c.data[data] as EventData;
  return ev;
}

/** Columns → the Trace they were made from. */
export function traceFromColumns(c: TraceColumns): Trace {
  const lanes: Lane[] = [];
  for (let i = 0; i < c.lanes.id.length; i++) lanes.push(laneAt(c, i));
  const spans: Span[] = [];
  for (let i = 0; i < c.spans.lane.length; i++) spans.push(spanAt(c, i));
  const events: TraceEvent[] = [];
  for (let i = 0; i < c.events.t.length; i++) events.push(eventAt(c, i));
  const series: Series[] = c.series.map((s) => ({ name: s.name, start: s.start, intervalMs: s.intervalMs, values: Array.from(s.values) }));
  return { version: 1, meta: c.meta, lanes, spans, events, series };
}
