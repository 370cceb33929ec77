/**
 * The timeline's view of a Trace, computed once per trace: displayed lanes, events in time order,
 * marker and span data in the layout the chart wants, each lane's state at any instant, and event
 * stepping. Pure (no DOM): tested in Node, used by the chart, the lane table and the clock.
 */
import type { Lane, Span, Trace, TraceEvent } from '../src/sim/trace';
import type { LaneStateReading, LaneView, StateCode } from '../src/sim/presentation';
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

function intervals(spans: readonly Span[]): Intervals {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const starts = new Float64Array(sorted.length);
  const ends = new Float64Array(sorted.length);
  const maxEnds = new Float64Array(sorted.length);
  let max = -Infinity;
  sorted.forEach((s, i) => {
    starts[i] = s.start;
    ends[i] = s.end;
    max = Math.max(max, s.end);
    maxEnds[i] = max;
  });
  return { starts, ends, maxEnds };
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

const NO_INTERVALS: Intervals = intervals([]);

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

/** One marker point: [t, lane index, event index]. */
export type MarkerDatum = [number, number, number];

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
  readonly trace: Trace;
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
  /** Marker data per category id (only categories present). */
  readonly markers: Map<string, MarkerDatum[]>;
  /** The same markers grouped by lane, per category id. */
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

  constructor(trace: Trace) {
    this.trace = trace;
    const busy = new Set<string>();
    for (const s of trace.spans) busy.add(s.lane);
    for (const e of trace.events) busy.add(e.lane);
    this.lanes = trace.lanes.filter((l) => l.detailed || busy.has(l.id));
    this.aggregateOnlyLanes = Math.max(0, trace.meta.lanesTotal - this.lanes.length);
    this.laneIndex = new Map(this.lanes.map((l, i) => [l.id, i]));

    const n = trace.events.length;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const ev = trace.events;
    const sorted = Array.from(idx).sort((a, b) => (ev[a] as TraceEvent).t - (ev[b] as TraceEvent).t || a - b);
    this.order = Int32Array.from(sorted);
    this.times = new Float64Array(n);
    this.rank = new Int32Array(n);
    this.eventLane = new Int32Array(n);
    this.markers = new Map();
    const perLaneEvents: number[][] = this.lanes.map(() => []);
    sorted.forEach((e, pos) => {
      const event = ev[e] as TraceEvent;
      this.times[pos] = event.t;
      this.rank[e] = pos;
      const lane = this.laneIndex.get(event.lane) ?? -1;
      this.eventLane[e] = lane;
      if (lane < 0) return;
      perLaneEvents[lane]?.push(e);
      const cat = categoryOf(event);
      let list = this.markers.get(cat);
      if (!list) this.markers.set(cat, (list = []));
      list.push([event.t, lane, e]);
    });

    const spansByLane: Span[][] = this.lanes.map(() => []);
    const spanIndexByLane: number[][] = this.lanes.map(() => []);
    trace.spans.forEach((s, i) => {
      const lane = this.laneIndex.get(s.lane);
      if (lane === undefined) return;
      spansByLane[lane]?.push(s);
      spanIndexByLane[lane]?.push(i);
    });

    this.laneData = this.lanes.map((_, lane) => {
      const events = Int32Array.from(perLaneEvents[lane] ?? []);
      const times = Float64Array.from(events, (e) => (ev[e] as TraceEvent).t);
      const spans = spansByLane[lane] ?? [];
      const status: Array<[number, string]> = [];
      for (const e of events) {
        const event = ev[e] as TraceEvent;
        const code = eventStatus(event);
        if (code) status.push([event.t, code]);
      }
      const byKind = new Map<string, Span[]>();
      for (const s of spans) {
        let list = byKind.get(s.kind);
        if (!list) byKind.set(s.kind, (list = []));
        list.push(s);
      }
      return {
        events,
        times,
        spans: new Map([...byKind].map(([kind, list]) => [kind, intervals(list)])),
        statusTimes: Float64Array.from(status, (s) => s[0]),
        statusCodes: status.map((s) => s[1]),
      };
    });
    this.laneViews = this.lanes.map((l, lane) => new LaneIndexView(l.kind, this.laneData[lane] as LaneData));

    this.spans = new Map();
    const backdrops = new Map<string, Array<[number, number]>>(SPAN_STYLES.filter((s) => s.backdrop).map((s) => [s.id, []]));
    this.lanes.forEach((_, lane) => {
      const list = (spanIndexByLane[lane] ?? []).slice().sort((a, b) => (trace.spans[a] as Span).start - (trace.spans[b] as Span).start);
      // Lifetimes (validity, cache entries) overlap when a replacement is issued before the old one ends:
      // stack them in slots so each stays visible; a refresh window shares its validity's slot.
      const slotEnds: number[] = [];
      const slotOf = new Map<number, number>();
      for (const si of list) {
        const s = trace.spans[si] as Span;
        if (spanStyle(s.kind).layout !== 'lifetime') continue;
        let slot = slotEnds.findIndex((end) => end <= s.start);
        if (slot < 0) {
          slot = slotEnds.length < 3 ? slotEnds.length : slotEnds.indexOf(Math.min(...slotEnds));
          if (slot === slotEnds.length) slotEnds.push(s.end);
        }
        slotEnds[slot] = s.end;
        slotOf.set(si, slot);
      }
      const slots = Math.max(1, slotEnds.length);
      const lifetimes = list.filter((si) => slotOf.has(si));
      for (const si of list) {
        const s = trace.spans[si] as Span;
        const style = spanStyle(s.kind);
        let slot = 0;
        let laneSlots = 1;
        if (slotOf.has(si)) {
          slot = slotOf.get(si) as number;
          laneSlots = slots;
        } else if (style.layout === 'withinLifetime') {
          // The lifetime that contains this span (latest started before it), e.g. a token's refresh window.
          let owner: number | undefined;
          for (const li of lifetimes) {
            const l = trace.spans[li] as Span;
            if (l.start <= s.start && l.end >= s.end) owner = li;
          }
          if (owner !== undefined) {
            slot = slotOf.get(owner) as number;
            laneSlots = slots;
          }
        }
        backdrops.get(style.id)?.push([s.start, s.end]);
        let data = this.spans.get(style.id);
        if (!data) this.spans.set(style.id, (data = []));
        data.push([lane, s.start, s.end, slot, laneSlots, si]);
      }
    });
    this.backdrops = new Map([...backdrops].map(([id, list]) => [id, mergeIntervals(list)]));
    // Keep the maps in legend order.
    this.markers = new Map(MARKER_CATEGORIES.filter((c) => this.markers.has(c.id)).map((c) => [c.id, this.markers.get(c.id) as MarkerDatum[]]));
    this.spans = new Map(SPAN_STYLES.filter((s) => this.spans.has(s.id)).map((s) => [s.id, this.spans.get(s.id) as SpanDatum[]]));
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
            ds.sort((a, b) => a[1] - b[1] || a[2] - b[2]);
            let max = -Infinity;
            return {
              lane,
              starts: Float64Array.from(ds, (d) => d[1]),
              ends: Float64Array.from(ds, (d) => d[2]),
              maxEnds: Float64Array.from(ds, (d) => (max = Math.max(max, d[2]))),
              slots: Int8Array.from(ds, (d) => d[3]),
              slotCount: Math.max(1, ...ds.map((d) => d[4])),
              spans: Int32Array.from(ds, (d) => d[5]),
            };
          }),
      );
    }
    this.markerLanes = new Map();
    for (const [cat, list] of this.markers) {
      const byLane = new Map<number, MarkerDatum[]>();
      for (const d of list) {
        let l = byLane.get(d[1]);
        if (!l) byLane.set(d[1], (l = []));
        l.push(d);
      }
      this.markerLanes.set(
        cat,
        [...byLane.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([lane, ds]) => ({ lane, times: Float64Array.from(ds, (d) => d[0]), events: Int32Array.from(ds, (d) => d[2]) })),
      );
    }
  }

  get start(): number {
    return this.trace.meta.start;
  }

  get end(): number {
    return this.trace.meta.end;
  }

  event(i: number): TraceEvent {
    return this.trace.events[i] as TraceEvent;
  }

  span(i: number): Span {
    return this.trace.spans[i] as Span;
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
