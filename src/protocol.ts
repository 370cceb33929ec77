/**
 * The typed contract between the extension host and the timeline webview, shared by both bundles:
 * the messages each side may send, the what-if payloads, the webview's persisted state, and the
 * HTML skeleton (element ids, CSP) the host must serve. Every message that crosses the boundary is
 * validated on arrival (parse*), because a webview is untrusted input for the host and vice versa.
 *
 * Pure: no vscode, no DOM, no Node I/O (the webview bundle and the host both import it).
 */
import type { Trace } from './sim/trace';
import { NONE, traceToColumns, type TraceColumns } from './traceColumns';
import {
  checkWhatIfContract,
  checkWhatIfValues,
  describeValue as describe,
  isRecord,
  whatIfProblemsText,
  type WhatIfContract,
  type WhatIfValues,
} from './sim/whatIf';

// ---------------------------------------------------------------------------------------------
// What-if payloads
// ---------------------------------------------------------------------------------------------

/**
 * The what-if form of a trace: the generic contract to render (fields and checks of every model
 * section, see sim/whatIf.ts) and the values that produced the trace.
 */
export interface WhatIfFormData extends WhatIfContract {
  values: WhatIfValues;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** What-if values as the webview sends them: any JSON record of bounded size, not yet checked. */
export type JsonRecord = { [key: string]: JsonValue };

/** Bounds of a what-if values record on the wire (far above what any form needs). */
export const MAX_WHAT_IF_JSON = { keys: 200, nodes: 5_000, depth: 4, text: 1_000 } as const;

/**
 * Checks that `raw` is a record of JSON values of bounded size (keys, nodes, depth, string length).
 * Only the structure: the host checks the values against its own fields before using them.
 */
export function checkJsonRecord(raw: unknown, field: string): string | undefined {
  if (!isRecord(raw)) return `${field} must be an object, got ${describe(raw)}`;
  if (Object.keys(raw).length > MAX_WHAT_IF_JSON.keys) return `${field} has more than ${MAX_WHAT_IF_JSON.keys} keys`;
  let nodes = 0;
  const walk = (v: unknown, path: string, depth: number): string | undefined => {
    if (++nodes > MAX_WHAT_IF_JSON.nodes) return `${field} has more than ${MAX_WHAT_IF_JSON.nodes} values`;
    if (typeof v === 'string') return v.length > MAX_WHAT_IF_JSON.text ? `${path} is longer than ${MAX_WHAT_IF_JSON.text} characters` : undefined;
    if (typeof v === 'boolean' || v === null) return undefined;
    if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} must be a finite number`;
    if (depth >= MAX_WHAT_IF_JSON.depth) return `${path} is nested deeper than ${MAX_WHAT_IF_JSON.depth} levels`;
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) {
        const problem = walk(item, `${path}[${i}]`, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    if (isRecord(v)) {
      for (const [k, item] of Object.entries(v)) {
        if (k.length > MAX_WHAT_IF_JSON.text) return `${path} has a key longer than ${MAX_WHAT_IF_JSON.text} characters`;
        const problem = walk(item, `${path}.${k}`, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    return `${path} must be a JSON value, got ${describe(v)}`;
  };
  return walk(raw, field, 0);
}

/** Checks a what-if form from the host: the contract's structure, then its values against it. */
export function checkWhatIfForm(raw: unknown, field: string): { ok: true; form: WhatIfFormData } | { ok: false; error: string } {
  if (!isRecord(raw)) return { ok: false, error: `${field} must be an object, got ${describe(raw)}` };
  const problem = checkWhatIfContract(raw);
  if (problem) return { ok: false, error: `${field}: ${problem}` };
  const contract = raw as unknown as WhatIfContract;
  const checked = checkWhatIfValues(contract.fields, raw.values, contract.checks);
  if (!checked.ok) return { ok: false, error: whatIfProblemsText(checked.problems, `${field}.values`) };
  return { ok: true, form: { fields: contract.fields, checks: contract.checks, values: checked.values } };
}

// ---------------------------------------------------------------------------------------------
// Comparing two runs
// ---------------------------------------------------------------------------------------------

/** One figure of two runs side by side ("Token requests (total)": 120 vs 95). */
export interface ComparisonRowData {
  label: string;
  left: string;
  right: string;
  differs: boolean;
}

/** The strip a panel shows while it is one side of a comparison of two runs (Compare With…). */
export interface ComparisonData {
  /** Which of the two this panel shows. */
  side: 'left' | 'right';
  leftTitle: string;
  rightTitle: string;
  rows: ComparisonRowData[];
}

/** Bounds of a comparison on the wire. */
export const MAX_COMPARISON_ROWS = 200;
const MAX_COMPARISON_TEXT = 500;

/** Checks a comparison from the host (structure and bounds). */
export function checkComparison(raw: unknown, field: string): { ok: true; comparison: ComparisonData } | { ok: false; error: string } {
  if (!isRecord(raw)) return { ok: false, error: `${field} must be an object, got ${describe(raw)}` };
  if (raw.side !== 'left' && raw.side !== 'right') return { ok: false, error: `${field}.side must be "left" or "right", got ${describe(raw.side)}` };
  for (const key of ['leftTitle', 'rightTitle'] as const) {
    const v = raw[key];
    if (typeof v !== 'string' || v.length > MAX_COMPARISON_TEXT) return { ok: false, error: `${field}.${key} must be a string of at most ${MAX_COMPARISON_TEXT} characters, got ${describe(v)}` };
  }
  if (!Array.isArray(raw.rows) || raw.rows.length > MAX_COMPARISON_ROWS) return { ok: false, error: `${field}.rows must be a list of at most ${MAX_COMPARISON_ROWS} rows` };
  const rows: ComparisonRowData[] = [];
  for (const [i, row] of (raw.rows as unknown[]).entries()) {
    const at = `${field}.rows[${i}]`;
    if (!isRecord(row)) return { ok: false, error: `${at} must be an object, got ${describe(row)}` };
    for (const key of ['label', 'left', 'right'] as const) {
      const v = row[key];
      if (typeof v !== 'string' || v.length > MAX_COMPARISON_TEXT) return { ok: false, error: `${at}.${key} must be a string of at most ${MAX_COMPARISON_TEXT} characters, got ${describe(v)}` };
    }
    if (typeof row.differs !== 'boolean') return { ok: false, error: `${at}.differs must be true or false, got ${describe(row.differs)}` };
    rows.push({ label: row.label as string, left: row.left as string, right: row.right as string, differs: row.differs });
  }
  return { ok: true, comparison: { side: raw.side, leftTitle: raw.leftTitle as string, rightTitle: raw.rightTitle as string, rows } };
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** What the host sends to the webview. */
export type HostMessage =
  | {
      type: 'showTrace';
      title: string;
      /**
       * The trace as columns (traceToColumns): what the host and the HTML report send. The page also
       * accepts a Trace of objects (a saved state, tests) and turns it into columns on arrival.
       */
      trace: TraceColumns;
      /** The what-if form and the values that produced this trace; absent = the trace is not what-if driven (form disabled). */
      whatIf?: WhatIfFormData;
      /** The real "now" (epoch ms) to put the clock cursor at, when it lies within the trace. */
      anchorNow?: number;
      /** A sentence about how the run was set up, shown above the timeline (e.g. why its horizon was capped). */
      notice?: string;
      /** Set while the panel is one side of a comparison of two runs. */
      comparison?: ComparisonData;
    }
  /** A re-run is in progress (on) or finished/failed (off). */
  | { type: 'busy'; on: boolean }
  | { type: 'error'; message: string };

export type ExportFormat = 'csv' | 'json';

/** What the webview sends to the host. */
export type WebviewMessage =
  /** The page's message listener is in place: send (or re-send) the trace. */
  | { type: 'ready' }
  /** Re-run the simulation with these values and answer with showTrace (wrap it in busy on/off). */
  | { type: 'rerun'; values: JsonRecord }
  /** Write these values to a scenario file (the host asks where). */
  | { type: 'saveScenario'; values: JsonRecord }
  /** Export the current trace. */
  | { type: 'export'; format: ExportFormat }
  /** Save this PNG of the chart (a data:image/png;base64 URL). */
  | { type: 'exportPng'; dataUrl: string }
  /** Something went wrong in the page (e.g. a rejected message); log it. */
  | { type: 'reportError'; message: string }
  /** The user selected an event (informational; the host may reveal the lane's object). */
  | { type: 'selectEvent'; lane: string; t: number; eventType: string };

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

const MAX_TEXT = 10_000;
/** Largest PNG the host accepts, decoded. */
export const MAX_PNG_BYTES = 20 * 1024 * 1024;
const PNG_PREFIX = 'data:image/png;base64,';
/** base64 of the 8-byte PNG signature (\x89PNG\r\n\x1a\n) starts with this. */
const PNG_SIGNATURE_B64 = 'iVBORw0KGgo';

/** A bounded string, or why it is not one (shared by the blast-radius protocol). */
export function checkText(v: unknown, field: string, max = MAX_TEXT): string | { error: string } {
  if (typeof v !== 'string') return { error: `${field} must be a string, got ${describe(v)}` };
  if (v.length > max) return { error: `${field} is longer than ${max} characters` };
  return v;
}

export function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** Checks a data:image/png;base64 URL: prefix, base64 alphabet, PNG signature and decoded size. */
export function checkPngDataUrl(v: unknown, field = 'dataUrl'): string | undefined {
  if (typeof v !== 'string') return `${field} must be a string, got ${describe(v)}`;
  if (!v.startsWith(PNG_PREFIX)) return `${field} must start with "${PNG_PREFIX}"`;
  const b64 = v.slice(PNG_PREFIX.length);
  const maxChars = Math.ceil(MAX_PNG_BYTES / 3) * 4;
  if (b64.length > maxChars) return `${field} is larger than ${MAX_PNG_BYTES / (1024 * 1024)} MB`;
  if (b64.length === 0 || b64.length % 4 !== 0) return `${field} is not valid base64 (length ${b64.length} is not a positive multiple of 4)`;
  const badAt = b64.search(/[^A-Za-z0-9+/=]|=(?=[^=])/);
  if (badAt >= 0) return `${field} is not valid base64 (bad character at ${badAt})`;
  if (!b64.startsWith(PNG_SIGNATURE_B64)) return `${field} does not hold a PNG image (no PNG signature)`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Exhaustive message maps: one parser and one handler per message type, checked by the compiler
// ---------------------------------------------------------------------------------------------

/** The member of a message union with this `type`. */
export type MessageOf<U extends { type: string }, K extends U['type']> = Extract<U, { type: K }>;

/**
 * One parser per message type of a union. A mapped type over `type`, so a message type added to the
 * union without its parser does not compile (test/types/messageMaps.ts proves it). A parser receives
 * the raw object (its `type` already known) and returns the narrowed message or why it is malformed.
 */
export type MessageParsers<U extends { type: string }> = {
  readonly [K in U['type']]: (raw: Record<string, unknown>) => Parsed<MessageOf<U, K>>;
};

/** One handler per message type of a union; each receives its own, narrowed message. */
export type MessageHandlers<U extends { type: string }, R = void> = {
  readonly [K in U['type']]: (message: MessageOf<U, K>) => R;
};

/** Validates `raw` with the parser of its `type`; an unknown type (or a prototype key) is rejected. */
export function parseWith<U extends { type: string }>(parsers: MessageParsers<U>, raw: unknown): Parsed<U> {
  if (!isRecord(raw)) return fail(`message is not an object, got ${describe(raw)}`);
  const type = raw.type;
  if (typeof type !== 'string' || !Object.hasOwn(parsers, type)) return fail(`unknown message type ${JSON.stringify(type)}`);
  // The map is keyed by every type of U, so the parser found answers with a member of U.
  const parser = parsers[type as U['type']] as (raw: Record<string, unknown>) => Parsed<U>;
  return parser(raw);
}

/** Calls the handler of the message's type (the map has one for every type). */
export function dispatchMessage<U extends { type: string }, R>(handlers: MessageHandlers<U, R>, message: U): R {
  // TypeScript cannot correlate `handlers[message.type]` with `message`; the mapped type guarantees it.
  const handler = handlers[message.type as U['type']] as (message: U) => R;
  return handler(message);
}

/** rerun and saveScenario carry the same what-if payload. */
function whatIfMessage<K extends 'rerun' | 'saveScenario'>(type: K) {
  return (raw: Record<string, unknown>): Parsed<MessageOf<WebviewMessage, K>> => {
    // Only the structure: the host re-checks the values against its own fields before applying them.
    const problem = checkJsonRecord(raw.values, `${type}.values`);
    if (problem) return fail(problem);
    return { ok: true, message: { type, values: raw.values as JsonRecord } as MessageOf<WebviewMessage, K> };
  };
}

/** Every message the webview may send, validated. */
export const WEBVIEW_MESSAGE_PARSERS: MessageParsers<WebviewMessage> = {
  ready: () => ({ ok: true, message: { type: 'ready' } }),
  rerun: whatIfMessage('rerun'),
  saveScenario: whatIfMessage('saveScenario'),
  export: (raw) => {
    if (raw.format !== 'csv' && raw.format !== 'json') return fail(`export.format must be "csv" or "json", got ${describe(raw.format)}`);
    return { ok: true, message: { type: 'export', format: raw.format } };
  },
  exportPng: (raw) => {
    const problem = checkPngDataUrl(raw.dataUrl, 'exportPng.dataUrl');
    if (problem) return fail(problem);
    return { ok: true, message: { type: 'exportPng', dataUrl: raw.dataUrl as string } };
  },
  reportError: (raw) => {
    const message = checkText(raw.message, 'reportError.message');
    if (typeof message !== 'string') return fail(message.error);
    return { ok: true, message: { type: 'reportError', message } };
  },
  selectEvent: (raw) => {
    const lane = checkText(raw.lane, 'selectEvent.lane', 1000);
    if (typeof lane !== 'string') return fail(lane.error);
    const eventType = checkText(raw.eventType, 'selectEvent.eventType', 200);
    if (typeof eventType !== 'string') return fail(eventType.error);
    if (!isFiniteNumber(raw.t)) return fail(`selectEvent.t must be a finite number, got ${describe(raw.t)}`);
    return { ok: true, message: { type: 'selectEvent', lane, t: raw.t, eventType } };
  },
};

export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  return parseWith(WEBVIEW_MESSAGE_PARSERS, raw);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Checks the shape of a Trace (structure and types, and that spans/events name a known lane; not the
 * meaning of every event). Unknown span kinds and event types are accepted: the model may grow, and
 * the timeline shows them generically.
 */
export function checkTrace(raw: unknown): string | undefined {
  if (!isRecord(raw)) return `trace is not an object, got ${describe(raw)}`;
  if (raw.version !== 1) return `trace.version must be 1, got ${JSON.stringify(raw.version)}`;
  const meta = checkMeta(raw.meta);
  if (meta) return meta;
  for (const key of ['lanes', 'spans', 'events', 'series'] as const) {
    if (!Array.isArray(raw[key])) return `trace.${key} must be an array`;
  }
  const laneIds = new Set<string>();
  for (const [i, lane] of (raw.lanes as unknown[]).entries()) {
    if (!isRecord(lane) || typeof lane.id !== 'string' || typeof lane.label !== 'string' || typeof lane.kind !== 'string') {
      return `trace.lanes[${i}] must have string id, kind and label`;
    }
    if (typeof lane.detailed !== 'boolean') return `trace.lanes[${i}].detailed must be true or false, got ${describe(lane.detailed)}`;
    if (lane.group !== undefined && typeof lane.group !== 'string') return `trace.lanes[${i}].group must be a string, got ${describe(lane.group)}`;
    if (laneIds.has(lane.id)) return `trace.lanes[${i}].id ${JSON.stringify(lane.id)} is not unique`;
    laneIds.add(lane.id);
  }
  for (const [i, span] of (raw.spans as unknown[]).entries()) {
    if (!isRecord(span) || typeof span.lane !== 'string' || !isFiniteNumber(span.start) || !isFiniteNumber(span.end)) {
      return `trace.spans[${i}] must have a lane and numeric start/end`;
    }
    if (typeof span.kind !== 'string') return `trace.spans[${i}].kind must be a string, got ${describe(span.kind)}`;
    if (span.end < span.start) return `trace.spans[${i}] ends (${span.end}) before it starts (${span.start})`;
    if (!laneIds.has(span.lane)) return `trace.spans[${i}].lane ${JSON.stringify(span.lane)} is not in trace.lanes`;
    for (const key of ['label', 'rule'] as const) {
      if (span[key] !== undefined && typeof span[key] !== 'string') return `trace.spans[${i}].${key} must be a string, got ${describe(span[key])}`;
    }
  }
  for (const [i, ev] of (raw.events as unknown[]).entries()) {
    if (!isRecord(ev) || !isFiniteNumber(ev.t) || typeof ev.lane !== 'string' || typeof ev.type !== 'string' || typeof ev.rule !== 'string') {
      return `trace.events[${i}] must have numeric t and string lane, type, rule`;
    }
    if (!laneIds.has(ev.lane)) return `trace.events[${i}].lane ${JSON.stringify(ev.lane)} is not in trace.lanes`;
    if (ev.ok !== undefined && typeof ev.ok !== 'boolean') return `trace.events[${i}].ok must be true or false, got ${describe(ev.ok)}`;
    if (ev.error !== undefined && typeof ev.error !== 'string') return `trace.events[${i}].error must be a string, got ${describe(ev.error)}`;
    if (ev.data !== undefined) {
      if (!isRecord(ev.data)) return `trace.events[${i}].data must be an object, got ${describe(ev.data)}`;
      for (const [k, v] of Object.entries(ev.data)) {
        if (typeof v !== 'string' && typeof v !== 'boolean' && !isFiniteNumber(v)) {
          return `trace.events[${i}].data.${k} must be a string, number or boolean, got ${describe(v)}`;
        }
      }
    }
  }
  for (const [i, s] of (raw.series as unknown[]).entries()) {
    if (!isRecord(s) || typeof s.name !== 'string' || !isFiniteNumber(s.start) || !isFiniteNumber(s.intervalMs) || !Array.isArray(s.values)) {
      return `trace.series[${i}] must have name, start, intervalMs and values`;
    }
    if (s.intervalMs <= 0) return `trace.series[${i}].intervalMs must be > 0, got ${s.intervalMs}`;
    const badValue = s.values.findIndex((v) => !isFiniteNumber(v));
    if (badValue >= 0) return `trace.series[${i}].values[${badValue}] must be a finite number, got ${describe(s.values[badValue])}`;
  }
  return undefined;
}

/** Bounds of a trace in columns (far above what a run shows; a message past them is rejected). */
export const MAX_TRACE_COLUMNS = { items: 20_000_000, strings: 2_000_000, text: MAX_TEXT, dataKeys: 100, dataKey: 200 } as const;

type NumberColumn = Float64Array | Uint32Array | Int32Array | Int8Array | Uint8Array;
type ColumnTag = 'Float64Array' | 'Uint32Array' | 'Int32Array' | 'Int8Array' | 'Uint8Array';

/** The typed array's own tag: the page's realm or not, a plain array or an impostor object do not pass. */
function isColumn(v: unknown, tag: ColumnTag): v is NumberColumn {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === `[object ${tag}]`;
}

function columnProblem(v: unknown, field: string, tag: ColumnTag, length: number): string | undefined {
  if (!isColumn(v, tag)) return `${field} must be a ${tag}, got ${describe(v)}`;
  if (v.length !== length) return `${field} has ${v.length} values, expected ${length}`;
  return undefined;
}

/** Every value an index below `limit` (or NONE when `optional`). One pass over the column. */
function indexProblem(col: NumberColumn, field: string, limit: number, what: string, optional: boolean): string | undefined {
  for (let i = 0; i < col.length; i++) {
    const v = col[i] as number;
    if (v < limit && (v >= 0 || (optional && v === NONE))) continue;
    return `${field}[${i}] is ${v}, not ${optional ? `${NONE} (none) or ` : ''}an index into ${what} (0–${limit - 1})`;
  }
  return undefined;
}

function finiteProblem(col: Float64Array, field: string): string | undefined {
  for (let i = 0; i < col.length; i++) if (!Number.isFinite(col[i] as number)) return `${field}[${i}] must be a finite number, got ${col[i]}`;
  return undefined;
}

function checkMeta(meta: unknown): string | undefined {
  if (!isRecord(meta) || !isFiniteNumber(meta.start) || !isFiniteNumber(meta.end) || !(meta.end >= meta.start)) {
    return 'trace.meta must have numeric start <= end';
  }
  if (!isFiniteNumber(meta.seed)) return `trace.meta.seed must be a number, got ${describe(meta.seed)}`;
  for (const key of ['lanesTotal', 'eventsTotal'] as const) {
    if (!isFiniteNumber(meta[key]) || (meta[key] as number) < 0) return `trace.meta.${key} must be a number >= 0, got ${describe(meta[key])}`;
  }
  if (!Array.isArray(meta.models) || meta.models.some((m) => typeof m !== 'string')) return 'trace.meta.models must be a list of strings';
  if (meta.name !== undefined && typeof meta.name !== 'string') return `trace.meta.name must be a string, got ${describe(meta.name)}`;
  return undefined;
}

/** The columns of one table (lanes, spans, events): each of its type and all of one length. */
function tableProblem(raw: unknown, field: string, layout: Readonly<Record<string, ColumnTag>>): { error: string } | { length: number } {
  if (!isRecord(raw)) return { error: `${field} must be an object of columns, got ${describe(raw)}` };
  const first = Object.keys(layout)[0] as string;
  const length = ArrayBuffer.isView(raw[first]) ? (raw[first] as NumberColumn).length : -1;
  if (length > MAX_TRACE_COLUMNS.items) return { error: `${field} has more than ${MAX_TRACE_COLUMNS.items} rows` };
  for (const [key, tag] of Object.entries(layout)) {
    const problem = columnProblem(raw[key], `${field}.${key}`, tag, length);
    if (problem) return { error: problem };
  }
  return { length };
}

const LANE_COLUMNS = { id: 'Uint32Array', kind: 'Uint32Array', label: 'Uint32Array', group: 'Int32Array', detailed: 'Uint8Array' } as const;
const SPAN_COLUMNS = { lane: 'Uint32Array', kind: 'Uint32Array', start: 'Float64Array', end: 'Float64Array', label: 'Int32Array', rule: 'Int32Array' } as const;
const EVENT_COLUMNS = { t: 'Float64Array', lane: 'Uint32Array', type: 'Uint32Array', rule: 'Uint32Array', ok: 'Int8Array', error: 'Int32Array', data: 'Int32Array' } as const;

/**
 * Checks a trace in columns (traceToColumns) as thoroughly as checkTrace checks objects: every
 * column's type and length, every string bounded, every index in range, times finite, spans not
 * ending before they start, lane ids unique, data records flat. Each column is walked once.
 */
export function checkTraceColumns(raw: unknown): string | undefined {
  if (!isRecord(raw)) return `trace is not an object, got ${describe(raw)}`;
  if (raw.version !== 1) return `trace.version must be 1, got ${JSON.stringify(raw.version)}`;
  if (raw.columns !== 1) return `trace.columns must be 1, got ${JSON.stringify(raw.columns)}`;
  const meta = checkMeta(raw.meta);
  if (meta) return meta;
  const strings = raw.strings;
  if (!Array.isArray(strings)) return `trace.strings must be a list of strings, got ${describe(strings)}`;
  if (strings.length > MAX_TRACE_COLUMNS.strings) return `trace.strings has more than ${MAX_TRACE_COLUMNS.strings} entries`;
  for (let i = 0; i < strings.length; i++) {
    const s: unknown = strings[i];
    if (typeof s !== 'string') return `trace.strings[${i}] must be a string, got ${describe(s)}`;
    if (s.length > MAX_TRACE_COLUMNS.text) return `trace.strings[${i}] is longer than ${MAX_TRACE_COLUMNS.text} characters`;
  }
  const ns = strings.length;

  const lanes = tableProblem(raw.lanes, 'trace.lanes', LANE_COLUMNS);
  if ('error' in lanes) return lanes.error;
  const L = raw.lanes as TraceColumns['lanes'];
  const laneProblem =
    indexProblem(L.id, 'trace.lanes.id', ns, 'trace.strings', false) ??
    indexProblem(L.kind, 'trace.lanes.kind', ns, 'trace.strings', false) ??
    indexProblem(L.label, 'trace.lanes.label', ns, 'trace.strings', false) ??
    indexProblem(L.group, 'trace.lanes.group', ns, 'trace.strings', true) ??
    indexProblem(L.detailed, 'trace.lanes.detailed', 2, 'false/true', false);
  if (laneProblem) return laneProblem;
  const ids = new Set<string>();
  for (let i = 0; i < lanes.length; i++) {
    const id = strings[L.id[i] as number] as string;
    if (ids.has(id)) return `trace.lanes[${i}].id ${JSON.stringify(id)} is not unique`;
    ids.add(id);
  }

  const spans = tableProblem(raw.spans, 'trace.spans', SPAN_COLUMNS);
  if ('error' in spans) return spans.error;
  const S = raw.spans as TraceColumns['spans'];
  const spanProblem =
    indexProblem(S.lane, 'trace.spans.lane', lanes.length, 'the lanes', false) ??
    indexProblem(S.kind, 'trace.spans.kind', ns, 'trace.strings', false) ??
    indexProblem(S.label, 'trace.spans.label', ns, 'trace.strings', true) ??
    indexProblem(S.rule, 'trace.spans.rule', ns, 'trace.strings', true) ??
    finiteProblem(S.start, 'trace.spans.start') ??
    finiteProblem(S.end, 'trace.spans.end');
  if (spanProblem) return spanProblem;
  for (let i = 0; i < spans.length; i++) {
    if ((S.end[i] as number) < (S.start[i] as number)) return `trace.spans[${i}] ends (${S.end[i]}) before it starts (${S.start[i]})`;
  }

  const events = tableProblem(raw.events, 'trace.events', EVENT_COLUMNS);
  if ('error' in events) return events.error;
  const E = raw.events as TraceColumns['events'];
  const data = raw.data;
  if (!Array.isArray(data)) return `trace.data must be a list, got ${describe(data)}`;
  const eventProblem =
    finiteProblem(E.t, 'trace.events.t') ??
    indexProblem(E.lane, 'trace.events.lane', lanes.length, 'the lanes', false) ??
    indexProblem(E.type, 'trace.events.type', ns, 'trace.strings', false) ??
    indexProblem(E.rule, 'trace.events.rule', ns, 'trace.strings', false) ??
    indexProblem(E.error, 'trace.events.error', ns, 'trace.strings', true) ??
    indexProblem(E.data, 'trace.events.data', data.length, 'trace.data', true);
  if (eventProblem) return eventProblem;
  for (let i = 0; i < events.length; i++) {
    const ok = E.ok[i] as number;
    if (ok !== 0 && ok !== 1 && ok !== NONE) return `trace.events.ok[${i}] is ${ok}, not 1 (ok), 0 (failed) or ${NONE} (none)`;
  }
  if (data.length > events.length) return `trace.data has ${data.length} records for ${events.length} events`;
  for (let i = 0; i < data.length; i++) {
    const d: unknown = data[i];
    if (!isRecord(d)) return `trace.data[${i}] must be an object, got ${describe(d)}`;
    const keys = Object.keys(d);
    if (keys.length > MAX_TRACE_COLUMNS.dataKeys) return `trace.data[${i}] has more than ${MAX_TRACE_COLUMNS.dataKeys} keys`;
    for (const k of keys) {
      const v = d[k];
      if (k.length > MAX_TRACE_COLUMNS.dataKey) return `trace.data[${i}] has a key longer than ${MAX_TRACE_COLUMNS.dataKey} characters`;
      if (typeof v === 'string' ? v.length > MAX_TRACE_COLUMNS.text : typeof v !== 'boolean' && !isFiniteNumber(v)) {
        return `trace.data[${i}].${k} must be a string (at most ${MAX_TRACE_COLUMNS.text} characters), number or boolean, got ${describe(v)}`;
      }
    }
  }

  if (!Array.isArray(raw.series)) return 'trace.series must be an array';
  for (const [i, s] of (raw.series as unknown[]).entries()) {
    if (!isRecord(s) || typeof s.name !== 'string' || !isFiniteNumber(s.start) || !isFiniteNumber(s.intervalMs)) {
      return `trace.series[${i}] must have name, start, intervalMs and values`;
    }
    if (s.name.length > MAX_TRACE_COLUMNS.text) return `trace.series[${i}].name is longer than ${MAX_TRACE_COLUMNS.text} characters`;
    if (s.intervalMs <= 0) return `trace.series[${i}].intervalMs must be > 0, got ${s.intervalMs}`;
    if (!isColumn(s.values, 'Float64Array')) return `trace.series[${i}].values must be a Float64Array, got ${describe(s.values)}`;
    if (s.values.length > MAX_TRACE_COLUMNS.items) return `trace.series[${i}].values has more than ${MAX_TRACE_COLUMNS.items} values`;
    const problem = finiteProblem(s.values as Float64Array, `trace.series[${i}].values`);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The trace of a showTrace message as columns: columns are checked as they are; a Trace of objects
 * (a saved state, tests, an older host) is checked with checkTrace and then turned into columns.
 */
export function parseTraceMessage(raw: unknown): { ok: true; trace: TraceColumns } | { ok: false; error: string } {
  if (isRecord(raw) && raw.columns !== undefined) {
    const problem = checkTraceColumns(raw);
    return problem ? { ok: false, error: problem } : { ok: true, trace: raw as unknown as TraceColumns };
  }
  const problem = checkTrace(raw);
  return problem ? { ok: false, error: problem } : { ok: true, trace: traceToColumns(raw as unknown as Trace) };
}

/** Every message the host may send, validated. */
export const HOST_MESSAGE_PARSERS: MessageParsers<HostMessage> = {
  showTrace: (raw) => {
    const title = checkText(raw.title, 'showTrace.title', 500);
    if (typeof title !== 'string') return fail(title.error);
    const trace = parseTraceMessage(raw.trace);
    if (!trace.ok) return fail(trace.error);
    const message: MessageOf<HostMessage, 'showTrace'> = { type: 'showTrace', title, trace: trace.trace };
    if (raw.whatIf !== undefined) {
      const checked = checkWhatIfForm(raw.whatIf, 'showTrace.whatIf');
      if (!checked.ok) return fail(checked.error);
      message.whatIf = checked.form;
    }
    if (raw.anchorNow !== undefined) {
      if (!isFiniteNumber(raw.anchorNow)) return fail(`showTrace.anchorNow must be a finite number (epoch ms), got ${describe(raw.anchorNow)}`);
      message.anchorNow = raw.anchorNow;
    }
    if (raw.notice !== undefined) {
      const notice = checkText(raw.notice, 'showTrace.notice', 1_000);
      if (typeof notice !== 'string') return fail(notice.error);
      message.notice = notice;
    }
    if (raw.comparison !== undefined) {
      const checked = checkComparison(raw.comparison, 'showTrace.comparison');
      if (!checked.ok) return fail(checked.error);
      message.comparison = checked.comparison;
    }
    return { ok: true, message };
  },
  busy: (raw) => {
    if (typeof raw.on !== 'boolean') return fail(`busy.on must be true or false, got ${describe(raw.on)}`);
    return { ok: true, message: { type: 'busy', on: raw.on } };
  },
  error: (raw) => {
    const message = checkText(raw.message, 'error.message');
    if (typeof message !== 'string') return fail(message.error);
    return { ok: true, message: { type: 'error', message } };
  },
};

export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return parseWith(HOST_MESSAGE_PARSERS, raw);
}

// ---------------------------------------------------------------------------------------------
// Persisted webview state (vscode.setState / WebviewPanelSerializer)
// ---------------------------------------------------------------------------------------------

/** Where the user was: restored after the panel is hidden or VS Code restarts. */
export interface TimelineViewState {
  /** The clock cursor, epoch ms. */
  now: number;
  /** Virtual ms per real second. */
  speed: number;
  /** The visible time window, epoch ms; absent = the whole trace. */
  zoom?: [number, number];
  /** First visible lane (index among the displayed lanes). */
  laneOffset: number;
  /** Legend entries the user switched off. */
  hidden: string[];
  /** Width of the lane table, CSS px, when the user dragged its handle. */
  lanesWidth?: number;
}

/**
 * What the webview stores with vscode.setState. The host's WebviewPanelSerializer receives it in
 * deserializeWebviewPanel(panel, state): validate it with parseWebviewState, then re-run with
 * the what-if values (or re-open the scenario) and answer the page's `ready` with showTrace. `trace` is
 * only kept when small (see MAX_STATE_TRACE_EVENTS); the page shows it at once while the host re-runs.
 */
export interface WebviewState {
  version: 1;
  title: string;
  /** The what-if form as last shown (the page restores it before the host answers). */
  whatIf?: WhatIfFormData;
  anchorNow?: number;
  trace?: Trace;
  /** Identifies the trace the view state belongs to (see traceKey). */
  traceKey: string;
  view: TimelineViewState;
}

/** Traces with more events than this are not copied into the webview state (the host re-sends them). */
export const MAX_STATE_TRACE_EVENTS = 5_000;

/** A cheap identity of a trace: same key → the view state (zoom, cursor) still applies. */
export function traceKey(trace: Trace | TraceColumns): string {
  const m = trace.meta;
  // The same key for a trace as objects and as columns.
  const lanes = Array.isArray(trace.lanes) ? trace.lanes.length : trace.lanes.id.length;
  const events = Array.isArray(trace.events) ? trace.events.length : trace.events.t.length;
  return [m.name ?? '', m.seed, m.start, m.end, m.lanesTotal, m.eventsTotal, lanes, events].join('|');
}

/** Persisted state as parseWebviewState returns it. */
export interface RestoredWebviewState extends WebviewState {
  /**
   * The what-if values to re-run with: whatIf.values, or the `params` of a page saved before the form
   * was generic (the same keys). Not checked against any fields: the host re-checks them.
   */
  values?: JsonRecord;
}

/** Validates persisted state; undefined when it is missing, from another version, or malformed. */
export function parseWebviewState(raw: unknown): RestoredWebviewState | undefined {
  if (!isRecord(raw) || raw.version !== 1 || typeof raw.title !== 'string' || typeof raw.traceKey !== 'string') return undefined;
  const view = raw.view;
  if (!isRecord(view) || !isFiniteNumber(view.now) || !isFiniteNumber(view.speed) || view.speed <= 0 || !isFiniteNumber(view.laneOffset)) return undefined;
  if (!Array.isArray(view.hidden) || view.hidden.some((h) => typeof h !== 'string')) return undefined;
  let zoom: [number, number] | undefined;
  if (view.zoom !== undefined) {
    if (!Array.isArray(view.zoom) || view.zoom.length !== 2 || !isFiniteNumber(view.zoom[0]) || !isFiniteNumber(view.zoom[1])) return undefined;
    zoom = [view.zoom[0], view.zoom[1]];
  }
  const state: RestoredWebviewState = {
    version: 1,
    title: raw.title,
    traceKey: raw.traceKey,
    view: { now: view.now, speed: view.speed, laneOffset: Math.max(0, Math.floor(view.laneOffset)), hidden: view.hidden as string[], ...(zoom ? { zoom } : {}), ...(isFiniteNumber(view.lanesWidth) && view.lanesWidth > 0 ? { lanesWidth: view.lanesWidth } : {}) },
  };
  if (raw.whatIf !== undefined) {
    const checked = checkWhatIfForm(raw.whatIf, 'whatIf');
    if (checked.ok) {
      state.whatIf = checked.form;
      state.values = checked.form.values;
    }
  } else if (raw.params !== undefined && checkJsonRecord(raw.params, 'params') === undefined) {
    state.values = raw.params as JsonRecord;
  }
  if (isFiniteNumber(raw.anchorNow)) state.anchorNow = raw.anchorNow;
  if (raw.trace !== undefined && checkTrace(raw.trace) === undefined) state.trace = raw.trace as Trace;
  return state;
}

// ---------------------------------------------------------------------------------------------
// The page the host serves
// ---------------------------------------------------------------------------------------------

/** Element ids the host's HTML must contain (the webview builds everything else inside #app). */
export const TIMELINE_DOM = { app: 'app' } as const;

export interface WebviewHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce per page load (base64/hex, no quotes). */
  nonce: string;
  /** webview.asWebviewUri(dist/<bundle>.js), e.g. dist/webview.js for the timeline */
  scriptUri: string;
  /** webview.asWebviewUri(media/<page>.css), e.g. media/timeline.css for the timeline */
  styleUri: string;
  /** The panel title, for the document title. */
  title?: string;
}

/**
 * The Content-Security-Policy of every webview page (timeline, blast radius). No 'unsafe-inline' anywhere: the webview renders its
 * own tooltips with DOM nodes (no ECharts HTML tooltip, which writes inline style attributes), ECharts and
 * zrender style their elements through the CSSOM (element.style), which CSP allows, and
 * @vscode-elements/elements (Lit) uses constructable stylesheets. No eval: ECharts's only `new Function`
 * is in the GeoJSON parser, which the bundle does not include.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** The timeline page keeps its own name for the shared policy. */
export const timelineCsp = webviewCsp;

/** Options of the timeline page (the shared skeleton's). */
export type TimelineHtmlOptions = WebviewHtmlOptions;

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The HTML skeleton every webview page of the extension is served with: CSP meta, one stylesheet, the
 * #app root, one nonce'd script. Pages differ only by bundle, stylesheet and default title.
 */
export function webviewHtml(o: WebviewHtmlOptions, defaultTitle: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(webviewCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title ?? defaultTitle)}</title>
</head>
<body>
<div id="${TIMELINE_DOM.app}"></div>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** The timeline page's HTML skeleton. */
export function timelineHtml(o: TimelineHtmlOptions): string {
  return webviewHtml(o, 'Token timeline');
}
