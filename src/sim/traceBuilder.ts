/**
 * Collects a run's output into a Trace (trace.ts): lanes, spans, point events and the per-interval
 * aggregate series the models registered (series.ts).
 *
 * Event order: by (t, rank of the actor that emitted it, emission sequence). Ranks are the
 * scheduler's fixed per-actor ranks (clock.ts), so events at the same millisecond come out in the
 * same order however far ahead an actor ran before emitting them (dead-time skipping lets a pod
 * emit the events of several future syncs at once); within one actor, emission order is its own
 * order of evaluation, the same whether the engine steps or skips.
 */
import { SeriesRegistry } from './series';
import type { Lane, Span, Trace, TraceEvent } from './trace';

export class TraceBuilder {
  readonly lanes: Lane[] = [];
  readonly spans: Span[] = [];
  readonly events: TraceEvent[] = [];
  /** The aggregate series, in the order the models registered them (series.ts). */
  readonly series: SeriesRegistry;
  private readonly ranks: number[] = [];
  /** Rank of the actor emitting now (set by the engine core whenever an actor runs). */
  rank = -1;

  constructor(start: number, end: number, intervalMs: number) {
    this.series = new SeriesRegistry(start, end, intervalMs);
  }

  event(e: TraceEvent): void {
    this.events.push(e);
    this.ranks.push(this.rank);
  }

  span(s: Span): void {
    this.spans.push(s);
  }

  build(meta: Omit<Trace['meta'], 'eventsTotal'>): Trace {
    const all = this.events;
    const n = all.length;
    // Sort positions by (t, rank, position) over flat arrays: much cheaper than comparing objects.
    // When it fits exactly in a double, (t, rank) is packed into one key.
    let minT = Infinity;
    let maxT = -Infinity;
    let maxRank = 0;
    for (let i = 0; i < n; i++) {
      const t = (all[i] as TraceEvent).t;
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
      const r = (this.ranks[i] as number) + 1;
      if (r > maxRank) maxRank = r;
    }
    const rankSpan = maxRank + 1;
    const packed = n > 0 && (maxT - minT + 1) * rankSpan < Number.MAX_SAFE_INTEGER;
    const ts = new Float64Array(n);
    const rs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = (all[i] as TraceEvent).t;
      const r = (this.ranks[i] as number) + 1; // setup events have rank −1
      if (packed) ts[i] = (t - minT) * rankSpan + r;
      else {
        ts[i] = t;
        rs[i] = r;
      }
    }
    // A plain array: V8 sorts it with TimSort, which is fast on the long already-sorted runs the
    // engine emits (events mostly come out in time order).
    const order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (packed) order.sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b);
    else order.sort((a, b) => (ts[a] as number) - (ts[b] as number) || (rs[a] as number) - (rs[b] as number) || a - b);
    const events = new Array<TraceEvent>(n);
    for (let i = 0; i < n; i++) events[i] = all[order[i] as number] as TraceEvent;
    return {
      version: 1,
      meta: { ...meta, eventsTotal: events.length },
      lanes: this.lanes,
      spans: this.spans,
      events,
      series: this.series.build(),
    };
  }
}
