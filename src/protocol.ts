/**
 * The typed contract between the extension host and the timeline webview, shared by both bundles:
 * the messages each side may send, the what-if parameters, the webview's persisted state, and the
 * HTML skeleton (element ids, CSP) the host must serve. Every message that crosses the boundary is
 * validated on arrival (parse*), because a webview is untrusted input for the host and vice versa.
 *
 * Pure: no vscode, no DOM, no Node I/O (the webview bundle and the host both import it).
 */
import type { Trace } from './sim/trace';
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from './sim/apiserver/tokenRequest';
import { formatDuration, parseDuration } from './sim/units/duration';

// ---------------------------------------------------------------------------------------------
// What-if parameters
// ---------------------------------------------------------------------------------------------

/** An API-server outage, as offsets from the simulation start (duration strings, "0" allowed). */
export interface OutageWindow {
  from: string;
  to: string;
}

export type RefresherPolicy = 'none' | 'calico';
export const REFRESHER_POLICIES: readonly RefresherPolicy[] = ['none', 'calico'];

/** The values of the what-if form: the host maps them onto a scenario and re-runs it. */
export interface WhatIfParams {
  /** How far the simulation runs, e.g. "6h". */
  horizon: string;
  /** Seed of the random source. */
  seed: number;
  /** The kubelet's --sync-frequency, e.g. "1m". */
  syncFrequency: string;
  /** The projected token's spec.expirationSeconds. */
  expirationSeconds: number;
  outages: OutageWindow[];
  /** --service-account-max-token-expiration as a duration; "" = no cap. */
  maxTokenExpiration: string;
  /** --service-account-extend-token-expiration. */
  extendTokenExpiration: boolean;
  refresher: RefresherPolicy;
}

/** Ranges the form and both parsers enforce (SPEC D.1, D.4 for the API-server bounds). */
export const WHAT_IF_LIMITS = {
  horizonMinMs: 60_000,
  horizonMaxMs: 366 * 86_400_000,
  syncFrequencyMinMs: 1_000,
  syncFrequencyMaxMs: 86_400_000,
  expirationSecondsMin: MIN_EXPIRATION_SECONDS,
  expirationSecondsMax: MAX_EXPIRATION_SECONDS,
  /** --service-account-max-token-expiration must be within [1 h, 2^32 s] (SPEC D.4). */
  maxTokenExpirationMinMs: 3_600_000,
  maxTokenExpirationMaxMs: MAX_EXPIRATION_SECONDS * 1000,
  maxOutages: 50,
} as const;

/** One problem with a what-if value; `path` names the field, e.g. "outages[1].to". */
export interface ParamProblem {
  path: string;
  message: string;
}

export type CheckedParams = { ok: true; params: WhatIfParams } | { ok: false; problems: ParamProblem[] };

const PARAM_KEYS: readonly (keyof WhatIfParams)[] = [
  'horizon',
  'seed',
  'syncFrequency',
  'expirationSeconds',
  'outages',
  'maxTokenExpiration',
  'extendTokenExpiration',
  'refresher',
];

/**
 * Checks what-if parameters and returns a normalised copy ("0" max expiration → ""), or every
 * problem found, each with the field it concerns (the form marks that field).
 */
export function checkWhatIfParams(raw: unknown): CheckedParams {
  const problems: ParamProblem[] = [];
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  if (!isRecord(raw)) return { ok: false, problems: [{ path: '', message: `must be an object, got ${describe(raw)}` }] };
  for (const key of Object.keys(raw)) {
    if (!(PARAM_KEYS as readonly string[]).includes(key)) bad(key, `unknown field "${key}"`);
  }
  const L = WHAT_IF_LIMITS;

  const duration = (path: string, v: unknown, min: number, max: number): number | undefined => {
    if (typeof v !== 'string') return void bad(path, `must be a duration string such as "6h", got ${describe(v)}`);
    const d = parseDuration(v);
    if (!d.ok) return void bad(path, d.error);
    if (d.ms < min) return void bad(path, `must be at least ${formatDuration(min)}, got "${v}"`);
    if (d.ms > max) return void bad(path, `must be at most ${formatDuration(max)}, got "${v}"`);
    return d.ms;
  };
  const integer = (path: string, v: unknown, min: number, max: number): number | undefined => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return void bad(path, `must be an integer, got ${describe(v)}`);
    if (v < min || v > max) return void bad(path, `must be between ${min} and ${max}, got ${v}`);
    return v;
  };

  const horizonMs = duration('horizon', raw.horizon, L.horizonMinMs, L.horizonMaxMs);
  integer('seed', raw.seed, 0, Number.MAX_SAFE_INTEGER);
  duration('syncFrequency', raw.syncFrequency, L.syncFrequencyMinMs, L.syncFrequencyMaxMs);
  integer('expirationSeconds', raw.expirationSeconds, L.expirationSecondsMin, L.expirationSecondsMax);

  let maxTokenExpiration = '';
  if (typeof raw.maxTokenExpiration !== 'string') {
    bad('maxTokenExpiration', `must be a duration string, or "" for no cap, got ${describe(raw.maxTokenExpiration)}`);
  } else if (raw.maxTokenExpiration !== '' && raw.maxTokenExpiration !== '0') {
    const ms = duration('maxTokenExpiration', raw.maxTokenExpiration, L.maxTokenExpirationMinMs, L.maxTokenExpirationMaxMs);
    if (ms !== undefined) maxTokenExpiration = raw.maxTokenExpiration;
  }
  if (typeof raw.extendTokenExpiration !== 'boolean') {
    bad('extendTokenExpiration', `must be true or false, got ${describe(raw.extendTokenExpiration)}`);
  }
  if (typeof raw.refresher !== 'string' || !(REFRESHER_POLICIES as readonly string[]).includes(raw.refresher)) {
    bad('refresher', `must be one of ${REFRESHER_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${describe(raw.refresher)}`);
  }

  const outages: OutageWindow[] = [];
  if (!Array.isArray(raw.outages)) {
    bad('outages', `must be a list of {from, to}, got ${describe(raw.outages)}`);
  } else if (raw.outages.length > L.maxOutages) {
    bad('outages', `at most ${L.maxOutages} outages, got ${raw.outages.length}`);
  } else {
    raw.outages.forEach((o: unknown, i) => {
      const path = `outages[${i}]`;
      if (!isRecord(o)) return bad(path, `must be an object {from, to}, got ${describe(o)}`);
      for (const key of Object.keys(o)) if (key !== 'from' && key !== 'to') bad(`${path}.${key}`, `unknown field "${key}"`);
      const from = duration(`${path}.from`, o.from, 0, L.horizonMaxMs);
      const to = duration(`${path}.to`, o.to, 0, L.horizonMaxMs);
      if (from !== undefined && to !== undefined) {
        if (to <= from) bad(`${path}.to`, `must be after from (${o.from}), got "${o.to}"`);
        else if (horizonMs !== undefined && from >= horizonMs) bad(`${path}.from`, `starts at or after the horizon (${raw.horizon})`);
      }
      outages.push({ from: String(o.from), to: String(o.to) });
    });
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    params: {
      horizon: raw.horizon as string,
      seed: raw.seed as number,
      syncFrequency: raw.syncFrequency as string,
      expirationSeconds: raw.expirationSeconds as number,
      outages,
      maxTokenExpiration,
      extendTokenExpiration: raw.extendTokenExpiration as boolean,
      refresher: raw.refresher as RefresherPolicy,
    },
  };
}

function problemsText(field: string, problems: ParamProblem[]): string {
  return problems.map((p) => `${field}${p.path ? `.${p.path}` : ''} ${p.message}`).join('; ');
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** What the host sends to the webview. */
export type HostMessage =
  | {
      type: 'showTrace';
      title: string;
      trace: Trace;
      /** The what-if values that produced this trace; absent = the trace is not what-if driven (form disabled). */
      params?: WhatIfParams;
      /** The real "now" (epoch ms) to put the clock cursor at, when it lies within the trace. */
      anchorNow?: number;
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
  | { type: 'rerun'; params: WhatIfParams }
  /** Write these values to a scenario file (the host asks where). */
  | { type: 'saveScenario'; params: WhatIfParams }
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short description of a bad value for error messages. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `${typeof v} ${String(v)}`;
}

function text(v: unknown, field: string, max = MAX_TEXT): string | { error: string } {
  if (typeof v !== 'string') return { error: `${field} must be a string, got ${describe(v)}` };
  if (v.length > max) return { error: `${field} is longer than ${max} characters` };
  return v;
}

function fail<T>(error: string): Parsed<T> {
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
function parseWith<U extends { type: string }>(parsers: MessageParsers<U>, raw: unknown): Parsed<U> {
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
    const checked = checkWhatIfParams(raw.params);
    if (!checked.ok) return fail(problemsText(`${type}.params`, checked.problems));
    return { ok: true, message: { type, params: checked.params } as MessageOf<WebviewMessage, K> };
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
    const message = text(raw.message, 'reportError.message');
    if (typeof message !== 'string') return fail(message.error);
    return { ok: true, message: { type: 'reportError', message } };
  },
  selectEvent: (raw) => {
    const lane = text(raw.lane, 'selectEvent.lane', 1000);
    if (typeof lane !== 'string') return fail(lane.error);
    const eventType = text(raw.eventType, 'selectEvent.eventType', 200);
    if (typeof eventType !== 'string') return fail(eventType.error);
    if (!isFiniteNumber(raw.t)) return fail(`selectEvent.t must be a finite number, got ${describe(raw.t)}`);
    return { ok: true, message: { type: 'selectEvent', lane, t: raw.t, eventType } };
  },
};

export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  return parseWith(WEBVIEW_MESSAGE_PARSERS, raw);
}

function isFiniteNumber(v: unknown): v is number {
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
  const meta = raw.meta;
  if (!isRecord(meta) || !isFiniteNumber(meta.start) || !isFiniteNumber(meta.end) || !(meta.end >= meta.start)) {
    return 'trace.meta must have numeric start <= end';
  }
  if (!isFiniteNumber(meta.seed)) return `trace.meta.seed must be a number, got ${describe(meta.seed)}`;
  for (const key of ['lanesTotal', 'eventsTotal'] as const) {
    if (!isFiniteNumber(meta[key]) || (meta[key] as number) < 0) return `trace.meta.${key} must be a number >= 0, got ${describe(meta[key])}`;
  }
  if (!Array.isArray(meta.models) || meta.models.some((m) => typeof m !== 'string')) return 'trace.meta.models must be a list of strings';
  if (meta.name !== undefined && typeof meta.name !== 'string') return `trace.meta.name must be a string, got ${describe(meta.name)}`;
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

/** Every message the host may send, validated. */
export const HOST_MESSAGE_PARSERS: MessageParsers<HostMessage> = {
  showTrace: (raw) => {
    const title = text(raw.title, 'showTrace.title', 500);
    if (typeof title !== 'string') return fail(title.error);
    const problem = checkTrace(raw.trace);
    if (problem) return fail(problem);
    const message: MessageOf<HostMessage, 'showTrace'> = { type: 'showTrace', title, trace: raw.trace as Trace };
    if (raw.params !== undefined) {
      const checked = checkWhatIfParams(raw.params);
      if (!checked.ok) return fail(problemsText('showTrace.params', checked.problems));
      message.params = checked.params;
    }
    if (raw.anchorNow !== undefined) {
      if (!isFiniteNumber(raw.anchorNow)) return fail(`showTrace.anchorNow must be a finite number (epoch ms), got ${describe(raw.anchorNow)}`);
      message.anchorNow = raw.anchorNow;
    }
    return { ok: true, message };
  },
  busy: (raw) => {
    if (typeof raw.on !== 'boolean') return fail(`busy.on must be true or false, got ${describe(raw.on)}`);
    return { ok: true, message: { type: 'busy', on: raw.on } };
  },
  error: (raw) => {
    const message = text(raw.message, 'error.message');
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
}

/**
 * What the webview stores with vscode.setState. The host's WebviewPanelSerializer receives it in
 * deserializeWebviewPanel(panel, state): validate it with parseWebviewState, then re-run with
 * `params` (or re-open the scenario) and answer the page's `ready` with showTrace. `trace` is only
 * kept when small (see MAX_STATE_TRACE_EVENTS); the page shows it at once while the host re-runs.
 */
export interface WebviewState {
  version: 1;
  title: string;
  params?: WhatIfParams;
  anchorNow?: number;
  trace?: Trace;
  /** Identifies the trace the view state belongs to (see traceKey). */
  traceKey: string;
  view: TimelineViewState;
}

/** Traces with more events than this are not copied into the webview state (the host re-sends them). */
export const MAX_STATE_TRACE_EVENTS = 5_000;

/** A cheap identity of a trace: same key → the view state (zoom, cursor) still applies. */
export function traceKey(trace: Trace): string {
  const m = trace.meta;
  return [m.name ?? '', m.seed, m.start, m.end, m.lanesTotal, m.eventsTotal, trace.lanes.length, trace.events.length].join('|');
}

/** Validates persisted state; undefined when it is missing, from another version, or malformed. */
export function parseWebviewState(raw: unknown): WebviewState | undefined {
  if (!isRecord(raw) || raw.version !== 1 || typeof raw.title !== 'string' || typeof raw.traceKey !== 'string') return undefined;
  const view = raw.view;
  if (!isRecord(view) || !isFiniteNumber(view.now) || !isFiniteNumber(view.speed) || view.speed <= 0 || !isFiniteNumber(view.laneOffset)) return undefined;
  if (!Array.isArray(view.hidden) || view.hidden.some((h) => typeof h !== 'string')) return undefined;
  let zoom: [number, number] | undefined;
  if (view.zoom !== undefined) {
    if (!Array.isArray(view.zoom) || view.zoom.length !== 2 || !isFiniteNumber(view.zoom[0]) || !isFiniteNumber(view.zoom[1])) return undefined;
    zoom = [view.zoom[0], view.zoom[1]];
  }
  const state: WebviewState = {
    version: 1,
    title: raw.title,
    traceKey: raw.traceKey,
    view: { now: view.now, speed: view.speed, laneOffset: Math.max(0, Math.floor(view.laneOffset)), hidden: view.hidden as string[], ...(zoom ? { zoom } : {}) },
  };
  if (raw.params !== undefined) {
    const checked = checkWhatIfParams(raw.params);
    if (checked.ok) state.params = checked.params;
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

export interface TimelineHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce per page load (base64/hex, no quotes). */
  nonce: string;
  /** webview.asWebviewUri(dist/webview.js) */
  scriptUri: string;
  /** webview.asWebviewUri(media/timeline.css) */
  styleUri: string;
  /** The panel title, for the document title. */
  title?: string;
}

/**
 * The Content-Security-Policy of the timeline page. No 'unsafe-inline' anywhere: the webview renders its
 * own tooltips with DOM nodes (no ECharts HTML tooltip, which writes inline style attributes), ECharts and
 * zrender style their elements through the CSSOM (element.style), which CSP allows, and
 * @vscode-elements/elements (Lit) uses constructable stylesheets. No eval: ECharts's only `new Function`
 * is in the GeoJSON parser, which the bundle does not include.
 */
export function timelineCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The timeline page's HTML skeleton: CSP meta, one stylesheet, the #app root, one nonce'd script. */
export function timelineHtml(o: TimelineHtmlOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(timelineCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title ?? 'Token timeline')}</title>
</head>
<body>
<div id="${TIMELINE_DOM.app}"></div>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
