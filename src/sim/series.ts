/**
 * The aggregate series of a run, registered by the models that count into them (DESIGN.md, "Models
 * plug into the engine"): a model asks for a counter or a level by name at build time, and the trace
 * lists the series in the order they were first asked for. A run whose models never ask for a series
 * has none (a run without pods has no kubelet series).
 *
 * Both kinds share one grid: interval k covers [start + k·intervalMs, start + (k + 1)·intervalMs);
 * instants past the end (a request's latency tail) count in the last interval.
 */
import type { Series } from './trace';

class Grid {
  readonly count: number;
  constructor(
    readonly start: number,
    readonly end: number,
    readonly intervalMs: number,
  ) {
    this.count = Math.max(1, Math.ceil((end - start) / intervalMs));
  }

  index(t: number): number {
    const i = Math.floor((t - this.start) / this.intervalMs);
    return i < 0 ? 0 : i >= this.count ? this.count - 1 : i;
  }
}

/** Events per interval (requests, stale answers …): summed over the run by readers. */
export class Counter {
  readonly kind = 'counter';
  private readonly values: Float64Array;
  constructor(
    readonly name: string,
    private readonly grid: Grid,
  ) {
    this.values = new Float64Array(grid.count);
  }

  add(t: number, count: number): void {
    const i = this.grid.index(t);
    this.values[i] = (this.values[i] as number) + count;
  }

  toSeries(): Series {
    return { name: this.name, start: this.grid.start, intervalMs: this.grid.intervalMs, values: Array.from(this.values) };
  }
}

/** How many things are in a state per interval (tokens past expiry …): readers take its peak, not a sum. */
export class Level {
  readonly kind = 'level';
  /** Difference array: a stretch adds 1 at its first interval and removes it after its last. */
  private readonly diff: Float64Array;
  constructor(
    readonly name: string,
    private readonly grid: Grid,
  ) {
    this.diff = new Float64Array(grid.count + 1);
  }

  /** One thing is in the state from `from` until `until` (exclusive): count it in every interval that overlaps. */
  addStretch(from: number, until: number): void {
    if (from >= until || from > this.grid.end) return;
    const i0 = this.grid.index(from);
    const i1 = this.grid.index(Math.min(until - 1, this.grid.end));
    this.diff[i0] = (this.diff[i0] as number) + 1;
    this.diff[i1 + 1] = (this.diff[i1 + 1] as number) - 1;
  }

  toSeries(): Series {
    const values = new Array<number>(this.grid.count);
    let run = 0;
    for (let i = 0; i < this.grid.count; i++) {
      run += this.diff[i] as number;
      values[i] = run;
    }
    return { name: this.name, start: this.grid.start, intervalMs: this.grid.intervalMs, values };
  }
}

export class SeriesRegistry {
  private readonly grid: Grid;
  private readonly all: (Counter | Level)[] = [];

  constructor(start: number, end: number, intervalMs: number) {
    this.grid = new Grid(start, end, intervalMs);
  }

  get start(): number {
    return this.grid.start;
  }

  get intervalMs(): number {
    return this.grid.intervalMs;
  }

  /** The counter of this name, created on first use; two models asking for one name share it. */
  counter(name: string): Counter {
    return this.find(name, 'counter') ?? this.add(new Counter(name, this.grid));
  }

  level(name: string): Level {
    return this.find(name, 'level') ?? this.add(new Level(name, this.grid));
  }

  build(): Series[] {
    return this.all.map((s) => s.toSeries());
  }

  private find<K extends 'counter' | 'level'>(name: string, kind: K): (K extends 'counter' ? Counter : Level) | undefined {
    const s = this.all.find((x) => x.name === name);
    if (s === undefined) return undefined;
    if (s.kind !== kind) throw new Error(`series "${name}" is a ${s.kind}, asked for as a ${kind}`);
    return s as K extends 'counter' ? Counter : Level;
  }

  private add<S extends Counter | Level>(s: S): S {
    this.all.push(s);
    return s;
  }
}
