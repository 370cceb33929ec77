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
import { expiryRelative, formatSpan } from './format';

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
  /** Text for the expiry column: names the expiry it counts down to ("Kubelet expiry in 48 min 6 s"). */
  remaining: string;
  /** The JWT's own expiry, named, when the trace knows it and it differs from the kubelet's ("JWT expiry in 365 d"). */
  jwtExpiry?: string;
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
    private readonly columns: TraceColumns,
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

  latestData(key: string, t: number): number | undefined {
    const { events, times } = this.d;
    const c = this.columns;
    // Asked for every visible lane on every clock frame: look back a bounded number of events (a token
    // lane has a TokenRequest among its last few events; a lane without the key stops here cheaply).
    for (let i = upperBound(times, t) - 1, n = 0; i >= 0 && n < LATEST_DATA_LOOKBACK; i--, n++) {
      const d = c.events.data[events[i] as number] as number;
      if (d === NONE) continue;
      const v = (c.data[d] as EventData | undefined)?.[key];
      if (typeof v === 'number') return v;
    }
    return undefined;
  }
}

const LATEST_DATA_LOOKBACK = 64;

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
/** The derived gap bands of one style in one lane (SpanStyle.gapsOf). */
export interface LaneGaps {
  lane: number;
  starts: Float64Array;
  ends: Float64Array;
}

/**
 * The gaps between a lane's intervals, from one's end to the next one's start, the last one until
 * `end` or until the lane's pod was deleted (a deleted pod holds no token: its lane reads "deleted").
 */
export function gapsBetween(iv: { starts: ArrayLike<number>; maxEnds: ArrayLike<number> }, end: number, deletedAt: number | undefined): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = iv.starts.length;
  for (let i = 0; i < n; i++) {
    const covered = iv.maxEnds[i] as number;
    const next = i + 1 < n ? (iv.starts[i + 1] as number) : Math.min(end, deletedAt ?? Infinity);
    if (next > covered) out.push([covered, next]);
  }
  return out;
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
  /** Derived gap bands (SpanStyle.gapsOf, e.g. expired periods) by style id: per lane, sorted disjoint intervals. */
  readonly gapLanes: Map<string, LaneGaps[]>;
  /** Spans per span style id (only styles present, in legend order), derived gap bands included. */
  readonly spanCounts: Map<string, number>;
  /** Slots of each span's lane row (1, or the row's stacked lifetimes), by span index. */
  private readonly spanSlots: Int8Array;
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
    const okOf = (e: number): boolean | undefined => (E.ok[e] === NONE ? undefined : E.ok[e] === 1);
    const probe = (e: number): Pick<TraceEvent, 'type' | 'ok' | 'data'> => {
      const ok = okOf(e);
      const d = E.data[e] as number;
      return { type: str[E.type[e] as number] as EventType, ...(ok !== undefined ? { ok } : {}), ...(d !== NONE ? { data: c.data[d] as EventData } : {}) };
    };
    // Only the legend's categories are drawn (in legend order); -1 = not drawn.
    const catIndex = new Map(MARKER_CATEGORIES.map((cat, i) => [cat.id, i]));
    const nCats = MARKER_CATEGORIES.length;
    const catOfKey = new Int32Array(str.length * 3).fill(-2);
    const statusOfKey = new Map<number, string | undefined>();
    const typeKey = (e: number): number => (E.type[e] as number) * 3 + (E.ok[e] as number) + 1;
    const categoryAt = (e: number): number => {
      if (E.data[e] !== NONE) return catIndex.get(categoryOf(probe(e))) ?? -1;
      const key = typeKey(e);
      let cat = catOfKey[key] as number;
      if (cat === -2) catOfKey[key] = cat = catIndex.get(categoryOf(probe(e))) ?? -1;
      return cat;
    };
    const statusAt = (e: number): string | undefined => {
      const key = typeKey(e);
      if (!statusOfKey.has(key)) statusOfKey.set(key, eventStatus(probe(e)));
      return statusOfKey.get(key);
    };

    // One pass in time order, then counting sorts: each row's events, and each (category, row)'s markers,
    // are contiguous runs of one flat array (views, no per-event push into per-lane lists).
    const rows = this.lanes.length;
    const nSpans = S.lane.length;
    const rowCount = new Int32Array(rows + 1);
    const markerCount = new Int32Array(nCats * rows + 1);
    const eventCat = new Int32Array(n);
    for (let pos = 0; pos < n; pos++) {
      const e = order[pos] as number;
      this.times[pos] = t[e] as number;
      this.rank[e] = pos;
      const lane = rowOf[E.lane[e] as number] as number;
      this.eventLane[e] = lane;
      if (lane < 0) continue;
      (rowCount[lane + 1] as number)++;
      const cat = categoryAt(e);
      eventCat[e] = cat;
      if (cat >= 0) (markerCount[cat * rows + lane + 1] as number)++;
    }
    for (let r = 0; r < rows; r++) rowCount[r + 1] = (rowCount[r + 1] as number) + (rowCount[r] as number);
    for (let k = 0; k < nCats * rows; k++) markerCount[k + 1] = (markerCount[k + 1] as number) + (markerCount[k] as number);
    const rowEvents = new Int32Array(rowCount[rows] as number);
    const markerEvents = new Int32Array(markerCount[nCats * rows] as number);
    const rowFill = rowCount.slice(0, rows);
    const markerFill = markerCount.slice(0, nCats * rows);
    for (let pos = 0; pos < n; pos++) {
      const e = order[pos] as number;
      const lane = this.eventLane[e] as number;
      if (lane < 0) continue;
      rowEvents[(rowFill[lane] as number)++] = e;
      const cat = eventCat[e] as number;
      if (cat >= 0) markerEvents[(markerFill[cat * rows + lane] as number)++] = e;
    }
    const rowTimes = new Float64Array(rowEvents.length);
    for (let i = 0; i < rowEvents.length; i++) rowTimes[i] = t[rowEvents[i] as number] as number;
    const markerTimes = new Float64Array(markerEvents.length);
    for (let i = 0; i < markerEvents.length; i++) markerTimes[i] = t[markerEvents[i] as number] as number;

    // Spans per row, sorted by start; style per span kind looked up once per kind.
    const styleCache = new Map<number, SpanStyle>();
    const styleOf = (si: number): SpanStyle => {
      const k = S.kind[si] as number;
      let sty = styleCache.get(k);
      if (!sty) styleCache.set(k, (sty = spanStyle(str[k] as string)));
      return sty;
    };
    const spanIndexByLane: number[][] = Array.from({ length: rows }, () => []);
    for (let i = 0; i < nSpans; i++) {
      const lane = rowOf[S.lane[i] as number] as number;
      if (lane >= 0) (spanIndexByLane[lane] as number[]).push(i);
    }
    const st = S.start;
    const en = S.end;
    for (const list of spanIndexByLane) list.sort((a, b) => (st[a] as number) - (st[b] as number) || (en[a] as number) - (en[b] as number) || a - b);

    // Per span: the intervals (3), the bands (3); their slots and indices. Per event: a status time at most.
    const arena = new Arena(6 * nSpans + n, nSpans, nSpans);
    this.laneData = this.lanes.map((_, lane) => {
      const from = rowCount[lane] as number;
      const to = rowCount[lane + 1] as number;
      const statusTimes: number[] = [];
      const statusCodes: string[] = [];
      for (let i = from; i < to; i++) {
        const code = statusAt(rowEvents[i] as number);
        if (code) {
          statusTimes.push(rowTimes[i] as number);
          statusCodes.push(code);
        }
      }
      const byKind = new Map<string, number[]>();
      for (const si of spanIndexByLane[lane] ?? []) {
        const kind = str[S.kind[si] as number] as string;
        let list = byKind.get(kind);
        if (!list) byKind.set(kind, (list = []));
        list.push(si);
      }
      return {
        events: rowEvents.subarray(from, to),
        times: rowTimes.subarray(from, to),
        spans: new Map([...byKind].map(([kind, list]) => [kind, intervals(arena, list, st, en)])),
        statusTimes: arena.f64(statusTimes, (x) => x),
        statusCodes,
      };
    });
    this.laneViews = this.lanes.map((l, lane) => new LaneIndexView(l.kind, this.laneData[lane] as LaneData, columns));

    const backdrops = new Map<string, Array<[number, number]>>(SPAN_STYLES.filter((x) => x.backdrop).map((x) => [x.id, []]));
    const spanLanes = new Map<string, LaneSpans[]>();
    this.spanSlots = new Int8Array(nSpans);
    const laneSlotsOf = this.spanSlots;
    const slotOf = new Int8Array(nSpans).fill(-1);
    const byStyle = new Map<string, number[]>();
    for (let lane = 0; lane < rows; lane++) {
      const list = spanIndexByLane[lane] ?? [];
      // Lifetimes (validity, cache entries) overlap when a replacement is issued before the old one ends:
      // stack them in slots so each stays visible; a refresh window shares its validity's slot.
      const slotEnds: number[] = [];
      const lifetimes: number[] = [];
      for (const si of list) {
        if (styleOf(si).layout !== 'lifetime') continue;
        const s0 = st[si] as number;
        let slot = -1;
        for (let k = 0; k < slotEnds.length; k++) {
          if ((slotEnds[k] as number) <= s0) {
            slot = k;
            break;
          }
        }
        if (slot < 0) {
          slot = slotEnds.length < 3 ? slotEnds.length : slotEnds.indexOf(Math.min(...slotEnds));
          if (slot === slotEnds.length) slotEnds.push(en[si] as number);
        }
        slotEnds[slot] = en[si] as number;
        slotOf[si] = slot;
        lifetimes.push(si);
      }
      const slots = Math.max(1, slotEnds.length);
      for (const l of byStyle.values()) l.length = 0;
      for (const si of list) {
        const style = styleOf(si);
        let slot = 0;
        let laneSlots = 1;
        if (slotOf[si] !== -1) {
          slot = slotOf[si] as number;
          laneSlots = slots;
        } else if (style.layout === 'withinLifetime') {
          // The lifetime that contains this span (latest started before it), e.g. a token's refresh window.
          let owner = -1;
          for (const li of lifetimes) {
            if ((st[li] as number) > (st[si] as number)) break;
            if ((en[li] as number) >= (en[si] as number)) owner = li;
          }
          if (owner >= 0) {
            slot = slotOf[owner] as number;
            laneSlots = slots;
          }
        }
        slotOf[si] = slot;
        laneSlotsOf[si] = laneSlots;
        backdrops.get(style.id)?.push([st[si] as number, en[si] as number]);
        let bucket = byStyle.get(style.id);
        if (!bucket) byStyle.set(style.id, (bucket = []));
        bucket.push(si);
      }
      // The row's spans of each style, in (start, end) order: what the chart draws as one path.
      for (const [id, sis] of byStyle) {
        if (sis.length === 0) continue;
        let max = -Infinity;
        let slotCount = 1;
        for (const si of sis) slotCount = Math.max(slotCount, laneSlotsOf[si] as number);
        let out = spanLanes.get(id);
        if (!out) spanLanes.set(id, (out = []));
        out.push({
          lane,
          starts: arena.f64(sis, (si) => st[si] as number),
          ends: arena.f64(sis, (si) => en[si] as number),
          maxEnds: arena.f64(sis, (si) => (max = Math.max(max, en[si] as number))),
          slots: arena.i8(sis, (si) => slotOf[si] as number),
          slotCount,
          spans: arena.i32(sis, (si) => si),
        });
      }
    }
    this.backdrops = new Map([...backdrops].map(([id, list]) => [id, mergeIntervals(list)]));
    // Keep the maps in legend order.
    this.spanLanes = new Map(SPAN_STYLES.filter((x) => spanLanes.has(x.id)).map((x) => [x.id, spanLanes.get(x.id) as LaneSpans[]]));
    this.gapLanes = new Map();
    for (const style of SPAN_STYLES) {
      if (!style.gapsOf) continue;
      const lanes: LaneGaps[] = [];
      this.laneData.forEach((d, lane) => {
        const iv = d.spans.get(style.gapsOf as string);
        if (!iv) return;
        const del = d.statusCodes.indexOf('deleted');
        const gaps = gapsBetween(iv, this.end, del >= 0 ? (d.statusTimes[del] as number) : undefined);
        if (gaps.length) lanes.push({ lane, starts: Float64Array.from(gaps, (g) => g[0]), ends: Float64Array.from(gaps, (g) => g[1]) });
      });
      if (lanes.length) this.gapLanes.set(style.id, lanes);
    }
    const counts = new Map<string, number>([...this.spanLanes].map(([id, lanes]) => [id, lanes.reduce((sum, l) => sum + l.spans.length, 0)]));
    for (const [id, lanes] of this.gapLanes) counts.set(id, lanes.reduce((sum, l) => sum + l.starts.length, 0));
    this.spanCounts = new Map(SPAN_STYLES.filter((x) => counts.has(x.id)).map((x) => [x.id, counts.get(x.id) as number]));

    this.markers = new Map();
    this.markerLanes = new Map();
    MARKER_CATEGORIES.forEach((cat, ci) => {
      const lanes: LaneMarkers[] = [];
      for (let lane = 0; lane < rows; lane++) {
        const from = markerCount[ci * rows + lane] as number;
        const to = markerCount[ci * rows + lane + 1] as number;
        if (to > from) lanes.push({ lane, times: markerTimes.subarray(from, to), events: markerEvents.subarray(from, to) });
      }
      if (lanes.length === 0) return;
      this.markers.set(cat.id, (markerCount[(ci + 1) * rows] as number) - (markerCount[ci * rows] as number));
      this.markerLanes.set(cat.id, lanes);
    });
  }

  /** Span data per span style id, [lane, start, end, slot, slots, span index] (for tests and tools; the chart reads spanLanes). */
  get spans(): Map<string, SpanDatum[]> {
    return new Map(
      [...this.spanLanes].map(([id, lanes]) => [id, lanes.flatMap((l) => Array.from(l.spans, (si, i): SpanDatum => [l.lane, l.starts[i] as number, l.ends[i] as number, l.slots[i] as number, this.spanSlots[si] as number, si]))]),
    );
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
      if (reading) return laneState(reading, t);
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

/** Expiries closer than this to the kubelet's are not shown twice (whole-second rounding, the API server's clock). */
const SAME_EXPIRY_MS = 60_000;

function laneState(r: LaneStateReading, t: number): LaneState {
  const state: LaneState = { code: r.code, label: STATE_LABELS[r.code], remaining: '' };
  if (r.remainingMs !== undefined) {
    state.remainingMs = r.remainingMs;
    if (r.expiry) state.remaining = expiryRelative(r.expiry, t + r.remainingMs, t);
    else if (r.remaining) state.remaining = `${formatSpan(Math.abs(r.remainingMs))} ${r.remaining}`;
    if (r.expiry && r.jwtExpMs !== undefined && Math.abs(r.jwtExpMs - (t + r.remainingMs)) > SAME_EXPIRY_MS) state.jwtExpiry = expiryRelative('jwtExp', r.jwtExpMs, t);
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
