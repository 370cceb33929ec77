/**
 * The timeline's view of a Trace (as columns, see src/traceColumns.ts), computed once per trace: displayed lanes, events in time order,
 * marker and span data in the layout the chart wants, each lane's state at any instant, and event
 * stepping. Pure (no DOM): tested in Node, used by the chart, the lane table and the clock.
 */
import type { EventType, Lane, Span, Trace, TraceEvent } from '../src/sim/trace';
import type { LaneStateReading, LaneView, SpanStyle, StateCode } from '../src/sim/presentation';
import { eventAt, laneAt, NONE, spanAt, traceFromColumns, type EventData, type TraceColumns } from '../src/traceColumns';
import { STATE_LABELS } from '../src/sim/presentation';
import { eventStatus, LANE_STATE_RULES } from '../src/sim/presentations';
import { categoryOf, eventLabel, MARKER_CATEGORIES, spanStyle, SPAN_STYLES } from './categories';
import { formatSpan } from './format';

export { STATE_LABELS, STATE_ORDER, type StateCode } from '../src/sim/presentation';

/** First index i with a[i] > x (a sorted ascending). */
export function upperBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with a[i] >= x. */
export function lowerBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The model's many small typed arrays (per lane: times, spans, markers; ~35 per lane), carved as views
 * out of one buffer per element type. A typed array of its own per lane costs a backing store each, and
 * for 1,000 lanes those allocations and the garbage collections they trigger took longer than all of
 * the model's arithmetic. Sized from upper bounds known up front (the trace's event and span counts).
 */
class Arena {
  private readonly pools: { f64: Float64Array; i32: Int32Array; i8: Int8Array };
  private readonly at = { f64: 0, i32: 0, i8: 0 };

  constructor(f64: number, i32: number, i8: number) {
    this.pools = { f64: new Float64Array(f64), i32: new Int32Array(i32), i8: new Int8Array(i8) };
  }

  f64<T>(list: ArrayLike<T>, fn: (item: T) => number): Float64Array {
    return this.fill('f64', list, fn);
  }

  i32<T>(list: ArrayLike<T>, fn: (item: T) => number): Int32Array {
    return this.fill('i32', list, fn);
  }

  i8<T>(list: ArrayLike<T>, fn: (item: T) => number): Int8Array {
    return this.fill('i8', list, fn);
  }

  private fill<K extends 'f64' | 'i32' | 'i8', T>(kind: K, list: ArrayLike<T>, fn: (item: T) => number): (typeof this.pools)[K] {
    const from = this.at[kind];
    const out = this.pools[kind].subarray(from, from + list.length) as (typeof this.pools)[K];
    if (out.length !== list.length) throw new Error(`model arena: ${kind} pool too small`);
    for (let i = 0; i < list.length; i++) out[i] = fn(list[i] as T);
    this.at[kind] = from + list.length;
    return out;
  }
}

export interface LaneState {
  code: StateCode;
  /** Short text for the state column. */
  label: string;
  /** Time left (validity / cache entry / outage), ms; negative = since expiry. */
  remainingMs?: number;
  /** Text for the remaining column. */
  remaining: string;
}

/** Sorted intervals of one kind in one lane. */
interface Intervals {
  starts: Float64Array;
  ends: Float64Array;
  /** Running maximum of ends, so "is t inside any interval" is one binary search. */
  maxEnds: Float64Array;
}

/** Intervals of the spans `sorted` (indices, in (start, end) order) of the start / end columns. */
function intervals(arena: Arena, sorted: readonly number[], start: Float64Array, end: Float64Array): Intervals {
  let max = -Infinity;
  return {
    starts: arena.f64(sorted, (si) => start[si] as number),
    ends: arena.f64(sorted, (si) => end[si] as number),
    maxEnds: arena.f64(sorted, (si) => (max = Math.max(max, end[si] as number))),
  };
}

/** The interval with the latest start <= t, or -1. */
function latestStarted(iv: Intervals, t: number): number {
  return upperBound(iv.starts, t) - 1;
}

/** End of an interval containing t (the latest-ending of those started), or undefined. */
function containing(iv: Intervals, t: number): number | undefined {
  const i = latestStarted(iv, t);
  if (i < 0 || (iv.maxEnds[i] as number) <= t) return undefined;
  // Some interval started at or before t ends after t: find the one ending last among the recent ones.
  let best = -Infinity;
  for (let j = i; j >= 0 && j > i - 8; j--) if ((iv.ends[j] as number) > t) best = Math.max(best, iv.ends[j] as number);
  return best === -Infinity ? (iv.maxEnds[i] as number) : best;
}

const NO_INTERVALS: Intervals = { starts: new Float64Array(0), ends: new Float64Array(0), maxEnds: new Float64Array(0) };

interface LaneData {
  /** Event indices (into trace.events) of this lane, in time order. */
  events: Int32Array;
  times: Float64Array;
  /** The lane's spans per span kind. */
  spans: Map<string, Intervals>;
  /** Times and statuses of the lane's status events (EventKind.status), in time order. */
  statusTimes: Float64Array;
  statusCodes: string[];
}

/** The lane-state rules' view of one lane, answered from its indexes. */
class LaneIndexView implements LaneView {
  constructor(
    readonly kind: string,
    private readonly d: LaneData,
  ) {}

  private of(spanKind: string): Intervals {
    return this.d.spans.get(spanKind) ?? NO_INTERVALS;
  }

  has(spanKind: string): boolean {
    return this.of(spanKind).starts.length > 0;
  }

  started(spanKind: string, t: number): boolean {
    return latestStarted(this.of(spanKind), t) >= 0;
  }

  containing(spanKind: string, t: number): number | undefined {
    return containing(this.of(spanKind), t);
  }

  latestEnd(spanKind: string, t: number): number | undefined {
    const iv = this.of(spanKind);
    const v = latestStarted(iv, t);
    return v < 0 ? undefined : (containing(iv, t) ?? (iv.ends[v] as number));
  }

  status(t: number): string | undefined {
    const i = upperBound(this.d.statusTimes, t) - 1;
    return i >= 0 ? this.d.statusCodes[i] : undefined;
  }
}

/** The spans of one style in one lane, sorted by start (what the chart draws as one path). */
export interface LaneSpans {
  lane: number;
  starts: Float64Array;
  ends: Float64Array;
  /** Running maximum of ends: the first span that may reach a time t is lowerBound(maxEnds, t). */
  maxEnds: Float64Array;
  slots: Int8Array;
  /** Slots in this lane (stacked lifetimes). */
  slotCount: number;
  /** Indices into trace.spans. */
  spans: Int32Array;
}

/** The markers of one category in one lane, in time order (what the chart draws as one path). */
export interface LaneMarkers {
  lane: number;
  times: Float64Array;
  events: Int32Array;
}
/** One span band: [lane index, start, end, slot, slots, span index]. */
export type SpanDatum = [number, number, number, number, number, number];

/** A position of the event stepper: an index into `order`, or before the first / after the last. */
export type StepPos = number;

export class TraceModel {
  /** The trace as it arrived (columns). */
  readonly columns: TraceColumns;
  /** The lanes shown as rows (detailed lanes and any lane with items), in trace order. */
  readonly lanes: Lane[];
  readonly laneIndex: Map<string, number>;
  /** Event indices sorted by (t, index). */
  readonly order: Int32Array;
  /** Times of `order`. */
  readonly times: Float64Array;
  /** Position of each event index in `order`. */
  readonly rank: Int32Array;
  /** Lane index per event index. */
  readonly eventLane: Int32Array;
  /** Marker count per category id (only categories present, in legend order). */
  readonly markers: Map<string, number>;
  /** The markers grouped by lane, per category id. */
  readonly markerLanes: Map<string, LaneMarkers[]>;
  /** The spans grouped by lane, per span style id. */
  readonly spanLanes: Map<string, LaneSpans[]>;
  /** Span data per span style id (only styles present). */
  readonly spans: Map<string, SpanDatum[]>;
  /** Per backdrop span style (SpanStyle.backdrop, e.g. outages): its windows in any lane, merged, for the background bands. */
  readonly backdrops: Map<string, Array<[number, number]>>;
  /** Lanes in the trace that only feed the aggregate series. */
  readonly aggregateOnlyLanes: number;
  private readonly laneData: LaneData[];
  private readonly laneViews: LaneIndexView[];
  private small: Trace | undefined;

  constructor(columns: TraceColumns) {
    this.columns = columns;
    const c = columns;
    const str = c.strings;
    const E = c.events;
    const S = c.spans;
    const nLanes = c.lanes.id.length;
    const busy = new Uint8Array(nLanes);
    for (let i = 0; i < S.lane.length; i++) busy[S.lane[i] as number] = 1;
    for (let i = 0; i < E.lane.length; i++) busy[E.lane[i] as number] = 1;
    // Trace lane index → row (or -1: aggregate only).
    const rowOf = new Int32Array(nLanes).fill(-1);
    this.lanes = [];
    for (let i = 0; i < nLanes; i++) {
      if (c.lanes.detailed[i] !== 1 && busy[i] !== 1) continue;
      rowOf[i] = this.lanes.length;
      this.lanes.push(laneAt(c, i));
    }
    this.aggregateOnlyLanes = Math.max(0, c.meta.lanesTotal - this.lanes.length);
    this.laneIndex = new Map(this.lanes.map((l, i) => [l.id, i]));

    // Events: usually already in time order (the engine emits them so): then no sort at all.
    const n = E.t.length;
    const t = E.t;
    const order = new Int32Array(n);
    let inOrder = true;
    for (let i = 0; i < n; i++) {
      order[i] = i;
      if (i > 0 && (t[i] as number) < (t[i - 1] as number)) inOrder = false;
    }
    if (!inOrder) order.sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
    this.order = order;
    this.times = new Float64Array(n);
    this.rank = new Int32Array(n);
    this.eventLane = new Int32Array(n);

    // Category and lane status per (type, ok): the same for every event without data, so computed once.
    const categoryCache = new Map<number, string>();
    const statusCache = new Map<number, string | undefined>();
    const okOf = (e: number): boolean | undefined => (E.ok[e] === NONE ? undefined : E.ok[e] === 1);
    const probe = (e: number): Pick<TraceEvent, 'type' | 'ok' | 'data'> => {
      const ok = okOf(e);
      const d = E.data[e] as number;
      return { type: str[E.type[e] as number] as EventType, ...(ok !== undefined ? { ok } : {}), ...(d !== NONE ? { data: c.data[d] as EventData } : {}) };
    };
    const typeKey = (e: number): number => (E.type[e] as number) * 3 + (E.ok[e] as number) + 1;
    const categoryAt = (e: number): string => {
      if (E.data[e] !== NONE) return categoryOf(probe(e));
      const key = typeKey(e);
      let cat = categoryCache.get(key);
      if (cat === undefined) categoryCache.set(key, (cat = categoryOf(probe(e))));
      return cat;
    };
    const statusAt = (e: number): string | undefined => {
      const key = typeKey(e);
      if (!statusCache.has(key)) statusCache.set(key, eventStatus(probe(e)));
      return statusCache.get(key);
    };

    const rows = this.lanes.length;
    const nSpans = S.lane.length;
    // Per lane: events, times, status times, markers (times, events); per span: 3 intervals + 3 bands, slot, index.
    const arena = new Arena(3 * n + 6 * nSpans, 2 * n + nSpans, nSpans);
    const perLaneEvents: number[][] = Array.from({ length: rows }, () => []);
    const perLaneStatus: Array<Array<[number, string]>> = Array.from({ length: rows }, () => []);
    // Per category: per row, the row's markers (event indices) in time order.
    const markerRows = new Map<string, Map<number, number[]>>();
    for (let pos = 0; pos < n; pos++) {
      const e = order[pos] as number;
      const te = t[e] as number;
      this.times[pos] = te;
      this.rank[e] = pos;
      const lane = rowOf[E.lane[e] as number] as number;
      this.eventLane[e] = lane;
      if (lane < 0) continue;
      (perLaneEvents[lane] as number[]).push(e);
      const code = statusAt(e);
      if (code) (perLaneStatus[lane] as Array<[number, string]>).push([te, code]);
      const cat = categoryAt(e);
      let byRow = markerRows.get(cat);
      if (!byRow) markerRows.set(cat, (byRow = new Map()));
      let list = byRow.get(lane);
      if (!list) byRow.set(lane, (list = []));
      list.push(e);
    }

    // Spans per row, sorted by start; style per span kind looked up once per kind.
    const styleCache = new Map<number, SpanStyle>();
    const styleOf = (si: number): SpanStyle => {
      const k = S.kind[si] as number;
      let st = styleCache.get(k);
      if (!st) styleCache.set(k, (st = spanStyle(str[k] as string)));
      return st;
    };
    const spanIndexByLane: number[][] = Array.from({ length: rows }, () => []);
    for (let i = 0; i < S.lane.length; i++) {
      const lane = rowOf[S.lane[i] as number] as number;
      if (lane >= 0) (spanIndexByLane[lane] as number[]).push(i);
    }
    const st = S.start;
    const en = S.end;
    for (const list of spanIndexByLane) list.sort((a, b) => (st[a] as number) - (st[b] as number) || (en[a] as number) - (en[b] as number) || a - b);

    this.laneData = this.lanes.map((_, lane) => {
      const events = arena.i32(perLaneEvents[lane] ?? [], (e) => e);
      const status = perLaneStatus[lane] ?? [];
      const byKind = new Map<string, number[]>();
      for (const si of spanIndexByLane[lane] ?? []) {
        const kind = str[S.kind[si] as number] as string;
        let list = byKind.get(kind);
        if (!list) byKind.set(kind, (list = []));
        list.push(si);
      }
      return {
        events,
        times: arena.f64(events, (e) => t[e] as number),
        spans: new Map([...byKind].map(([kind, list]) => [kind, intervals(arena, list, st, en)])),
        statusTimes: arena.f64(status, (x) => x[0]),
        statusCodes: status.map((x) => x[1]),
      };
    });
    this.laneViews = this.lanes.map((l, lane) => new LaneIndexView(l.kind, this.laneData[lane] as LaneData));

    const spans = new Map<string, SpanDatum[]>();
    const backdrops = new Map<string, Array<[number, number]>>(SPAN_STYLES.filter((x) => x.backdrop).map((x) => [x.id, []]));
    for (let lane = 0; lane < rows; lane++) {
      const list = spanIndexByLane[lane] ?? [];
      // Lifetimes (validity, cache entries) overlap when a replacement is issued before the old one ends:
      // stack them in slots so each stays visible; a refresh window shares its validity's slot.
      const slotEnds: number[] = [];
      const slotOf = new Map<number, number>();
      for (const si of list) {
        if (styleOf(si).layout !== 'lifetime') continue;
        const s0 = st[si] as number;
        let slot = slotEnds.findIndex((end) => end <= s0);
        if (slot < 0) {
          slot = slotEnds.length < 3 ? slotEnds.length : slotEnds.indexOf(Math.min(...slotEnds));
          if (slot === slotEnds.length) slotEnds.push(en[si] as number);
        }
        slotEnds[slot] = en[si] as number;
        slotOf.set(si, slot);
      }
      const slots = Math.max(1, slotEnds.length);
      const lifetimes = list.filter((si) => slotOf.has(si));
      for (const si of list) {
        const style = styleOf(si);
        let slot = 0;
        let laneSlots = 1;
        if (slotOf.has(si)) {
          slot = slotOf.get(si) as number;
          laneSlots = slots;
        } else if (style.layout === 'withinLifetime') {
          // The lifetime that contains this span (latest started before it), e.g. a token's refresh window.
          let owner: number | undefined;
          for (const li of lifetimes) {
            if ((st[li] as number) > (st[si] as number)) break;
            if ((en[li] as number) >= (en[si] as number)) owner = li;
          }
          if (owner !== undefined) {
            slot = slotOf.get(owner) as number;
            laneSlots = slots;
          }
        }
        backdrops.get(style.id)?.push([st[si] as number, en[si] as number]);
        let data = spans.get(style.id);
        if (!data) spans.set(style.id, (data = []));
        data.push([lane, st[si] as number, en[si] as number, slot, laneSlots, si]);
      }
    }
    this.backdrops = new Map([...backdrops].map(([id, list]) => [id, mergeIntervals(list)]));
    // Keep the maps in legend order.
    this.spans = new Map(SPAN_STYLES.filter((x) => spans.has(x.id)).map((x) => [x.id, spans.get(x.id) as SpanDatum[]]));
    this.spanLanes = new Map();
    for (const [style, list] of this.spans) {
      const byLane = new Map<number, SpanDatum[]>();
      for (const d of list) {
        let l = byLane.get(d[0]);
        if (!l) byLane.set(d[0], (l = []));
        l.push(d);
      }
      this.spanLanes.set(
        style,
        [...byLane.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([lane, ds]) => {
            // Already in (start, end) order: the row's spans were sorted so.
            let max = -Infinity;
            let slotCount = 1;
            for (const d of ds) slotCount = Math.max(slotCount, d[4]);
            return {
              lane,
              starts: arena.f64(ds, (d) => d[1]),
              ends: arena.f64(ds, (d) => d[2]),
              maxEnds: arena.f64(ds, (d) => (max = Math.max(max, d[2]))),
              slots: arena.i8(ds, (d) => d[3]),
              slotCount,
              spans: arena.i32(ds, (d) => d[5]),
            };
          }),
      );
    }
    this.markers = new Map();
    this.markerLanes = new Map();
    for (const cat of MARKER_CATEGORIES) {
      const byRow = markerRows.get(cat.id);
      if (!byRow) continue;
      let count = 0;
      const lanes: LaneMarkers[] = [...byRow.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([lane, evs]) => {
          count += evs.length;
          return { lane, times: arena.f64(evs, (e) => t[e] as number), events: arena.i32(evs, (e) => e) };
        });
      this.markers.set(cat.id, count);
      this.markerLanes.set(cat.id, lanes);
    }
  }

  get meta(): Trace['meta'] {
    return this.columns.meta;
  }

  get series(): TraceColumns['series'] {
    return this.columns.series;
  }

  /** Events in the trace. */
  get eventCount(): number {
    return this.columns.events.t.length;
  }

  /** The trace as objects, for a small trace only (the webview state keeps it); made once. */
  smallTrace(maxEvents: number): Trace | undefined {
    if (this.eventCount > maxEvents) return undefined;
    this.small ??= traceFromColumns(this.columns);
    return this.small;
  }

  get start(): number {
    return this.columns.meta.start;
  }

  get end(): number {
    return this.columns.meta.end;
  }

  /** One event as an object (made on demand: the tooltip, the details panel, the stepper read it). */
  event(i: number): TraceEvent {
    return eventAt(this.columns, i);
  }

  span(i: number): Span {
    return spanAt(this.columns, i);
  }

  /** Events of a lane (indices into trace.events) in time order. */
  laneEvents(lane: number): Int32Array {
    return this.laneData[lane]?.events ?? new Int32Array(0);
  }

  /** The state of a lane at time t: the first registered lane-state rule that applies, else the lane's last event. */
  stateAt(lane: number, t: number): LaneState {
    const d = this.laneData[lane];
    const view = this.laneViews[lane];
    if (!d || !view) return { code: 'idle', label: STATE_LABELS.idle, remaining: '' };
    for (const rule of LANE_STATE_RULES) {
      const reading = rule(view, t);
      if (reading) return laneState(reading);
    }
    const last = upperBound(d.times, t) - 1;
    if (last < 0) return { code: 'idle', label: STATE_LABELS.idle, remaining: '' };
    const ev = this.event(d.events[last] as number);
    return { code: 'idle', label: eventLabel(ev).toLowerCase(), remaining: `${formatSpan(t - ev.t)} ago` };
  }

  /** How many displayed lanes are in each state at t. */
  stateCounts(t: number): Map<StateCode, number> {
    const counts = new Map<StateCode, number>();
    for (let lane = 0; lane < this.lanes.length; lane++) {
      const code = this.stateAt(lane, t).code;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    return counts;
  }

  // ---- stepping through events (global) ----

  /** Position after `pos` (or, with no position, the first event strictly after t). */
  nextPos(t: number, pos: StepPos | undefined): StepPos | undefined {
    const next = pos !== undefined ? pos + 1 : upperBound(this.times, t);
    return next < this.order.length ? next : undefined;
  }

  /** Position before `pos` (or, with no position, the last event strictly before t). */
  prevPos(t: number, pos: StepPos | undefined): StepPos | undefined {
    const prev = pos !== undefined ? pos - 1 : lowerBound(this.times, t) - 1;
    return prev >= 0 && prev < this.order.length ? prev : undefined;
  }

  eventAtPos(pos: StepPos): number {
    return this.order[pos] as number;
  }

  // ---- stepping within one lane ----

  /** The lane's next event after `current` (an event index in that lane) or after t. */
  nextInLane(lane: number, t: number, current: number | undefined): number | undefined {
    const d = this.laneData[lane];
    if (!d) return undefined;
    let i: number;
    if (current !== undefined && this.eventLane[current] === lane) i = d.events.indexOf(current) + 1;
    else i = upperBound(d.times, t);
    return i < d.events.length ? d.events[i] : undefined;
  }

  prevInLane(lane: number, t: number, current: number | undefined): number | undefined {
    const d = this.laneData[lane];
    if (!d) return undefined;
    let i: number;
    if (current !== undefined && this.eventLane[current] === lane) i = d.events.indexOf(current) - 1;
    else i = lowerBound(d.times, t) - 1;
    return i >= 0 ? d.events[i] : undefined;
  }

  /** The lane's event closest to t. */
  nearestInLane(lane: number, t: number): number | undefined {
    const d = this.laneData[lane];
    if (!d || d.events.length === 0) return undefined;
    const i = lowerBound(d.times, t);
    const after = i < d.times.length ? (d.times[i] as number) - t : Infinity;
    const before = i > 0 ? t - (d.times[i - 1] as number) : Infinity;
    return before <= after ? d.events[i - 1] : d.events[i];
  }
}

function laneState(r: LaneStateReading): LaneState {
  const state: LaneState = { code: r.code, label: STATE_LABELS[r.code], remaining: '' };
  if (r.remainingMs !== undefined) {
    state.remainingMs = r.remainingMs;
    if (r.remaining) state.remaining = `${formatSpan(Math.abs(r.remainingMs))} ${r.remaining}`;
  }
  return state;
}

export function mergeIntervals(list: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
