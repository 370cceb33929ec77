/**
 * Collects a run's output into a Trace (trace.ts): lanes, spans, point events and the per-interval
 * aggregate series.
 *
 * Event order: by (t, rank of the actor that emitted it, emission sequence). Ranks are the
 * scheduler's fixed per-actor ranks (clock.ts), so events at the same millisecond come out in the
 * same order however far ahead an actor ran before emitting them (dead-time skipping lets a pod
 * emit the events of several future syncs at once); within one actor, emission order is its own
 * order of evaluation, the same whether the engine steps or skips.
 */
import type { Lane, Series, Span, Trace, TraceEvent } from './trace';

/**
 * Flat encoding of series increments for TraceBuilder.countEncoded, in triples: `code, t, count` for
 * `count` requests or stale answers in the series interval of t, `SERIES_EXPIRED, expiration,
 * replacedAt` for countExpired.
 */
export const SERIES_REQUEST_OK = 0;
export const SERIES_REQUEST_FAILED = 1;
export const SERIES_STALE = 2;
export const SERIES_EXPIRED = 3;

export class TraceBuilder {
  readonly lanes: Lane[] = [];
  readonly spans: Span[] = [];
  readonly events: TraceEvent[] = [];
  private readonly ranks: number[] = [];
  /** Rank of the actor emitting now (set by the engine before it runs an actor). */
  rank = -1;
  private readonly requests: Float64Array;
  private readonly failures: Float64Array;
  private readonly stale: Float64Array;
  /** Difference array: expired[i] counts tokens past expiry at some point of interval i. */
  private readonly expiredDiff: Float64Array;
  private readonly count: number;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly intervalMs: number,
  ) {
    this.count = Math.max(1, Math.ceil((end - start) / intervalMs));
    this.requests = new Float64Array(this.count);
    this.failures = new Float64Array(this.count);
    this.stale = new Float64Array(this.count);
    this.expiredDiff = new Float64Array(this.count + 1);
  }

  /** Series interval of an instant (instants past the end, e.g. a sync's latency tail, count in the last one). */
  private index(t: number): number {
    const i = Math.floor((t - this.start) / this.intervalMs);
    return i < 0 ? 0 : i >= this.count ? this.count - 1 : i;
  }

  event(e: TraceEvent): void {
    this.events.push(e);
    this.ranks.push(this.rank);
  }

  span(s: Span): void {
    this.spans.push(s);
  }

  countRequest(at: number, ok: boolean): void {
    const i = this.index(at);
    this.requests[i] = (this.requests[i] as number) + 1;
    if (!ok) this.failures[i] = (this.failures[i] as number) + 1;
  }

  /**
   * Adds series increments encoded flat in `buf[0..length)` (see SERIES_REQUEST_OK): the fast path's form,
   * since a time passed to a method V8 does not inline is boxed, one allocation per increment.
   */
  countEncoded(buf: Float64Array, length: number): void {
    for (let k = 0; k < length; k += 3) {
      const code = buf[k] as number;
      if (code === SERIES_EXPIRED) {
        this.countExpired(buf[k + 1] as number, buf[k + 2] as number);
        continue;
      }
      const i = this.index(buf[k + 1] as number);
      const count = buf[k + 2] as number;
      if (code === SERIES_STALE) this.stale[i] = (this.stale[i] as number) + count;
      else {
        this.requests[i] = (this.requests[i] as number) + count;
        if (code === SERIES_REQUEST_FAILED) this.failures[i] = (this.failures[i] as number) + count;
      }
    }
  }

  countStale(at: number): void {
    const i = this.index(at);
    this.stale[i] = (this.stale[i] as number) + 1;
  }

  /**
   * A token sat in a file past its expiry from expiration + 1 ms (SPEC A.4: expired ⇔ now > exp)
   * until replacedAt (exclusive): count it in every interval that overlaps that stretch.
   */
  countExpired(expiration: number, replacedAt: number): void {
    const from = expiration + 1;
    if (from >= replacedAt || from > this.end) return;
    const i0 = this.index(from);
    const i1 = this.index(Math.min(replacedAt - 1, this.end));
    this.expiredDiff[i0] = (this.expiredDiff[i0] as number) + 1;
    this.expiredDiff[i1 + 1] = (this.expiredDiff[i1 + 1] as number) - 1;
  }

  private series(name: string, values: Float64Array): Series {
    return { name, start: this.start, intervalMs: this.intervalMs, values: Array.from(values) };
  }

  build(meta: Omit<Trace['meta'], 'eventsTotal'>): Trace {
    const expired = new Float64Array(this.count);
    let run = 0;
    for (let i = 0; i < this.count; i++) {
      run += this.expiredDiff[i] as number;
      expired[i] = run;
    }
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
      series: [
        this.series('tokenRequests', this.requests),
        this.series('tokenRequestFailures', this.failures),
        this.series('staleServes', this.stale),
        this.series('expiredTokens', expired),
      ],
    };
  }
}
