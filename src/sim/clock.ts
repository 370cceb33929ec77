/**
 * Virtual time for the simulation core: a clock (integer epoch milliseconds) and a discrete-event
 * scheduler (DESIGN.md, "Virtual clock"). Nothing here reads the wall clock.
 *
 * Ordering: events run in (time, rank, sequence) order. `rank` is a fixed number per actor and kind
 * of event, chosen by the engine, so that two events at the same millisecond always run in the same
 * order no matter when they were scheduled. That property is what lets the engine skip dead time
 * (schedule an actor's next event from a different point of the run) without changing the trace.
 * `sequence` (insertion order) only breaks ties between events of equal rank.
 */

/** Anything that tells the time. Models take this, never the wall clock. */
export interface Clock {
  now(): number;
}

/** A clock the owner sets explicitly. */
export class ManualClock implements Clock {
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  set(t: number): void {
    this.t = t;
  }

  advance(ms: number): void {
    this.t += ms;
  }
}

/** A binary min-heap with a caller-supplied strict "a before b" order. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!this.before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(last);
    return top;
  }

  private siftDown(item: T): void {
    const items = this.items;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = items[l] as T;
      if (r < n) {
        const right = items[r] as T;
        if (this.before(right, child)) {
          c = r;
          child = right;
        }
      }
      if (!this.before(child, item)) break;
      items[i] = child;
      i = c;
    }
    items[i] = item;
  }
}

/** What an event does when its time comes. */
export interface Task {
  run(time: number): void;
}

/** A scheduled event; keep it to cancel it. */
export interface ScheduledEvent {
  readonly time: number;
  readonly rank: number;
  readonly seq: number;
  readonly task: Task;
  cancelled: boolean;
}

function eventBefore(a: ScheduledEvent, b: ScheduledEvent): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.rank !== b.rank) return a.rank < b.rank;
  return a.seq < b.seq;
}

export class Scheduler {
  readonly clock: ManualClock;
  private readonly heap = new MinHeap<ScheduledEvent>(eventBefore);
  private seq = 0;
  /** Events run so far (cancelled ones excluded): the benchmark's "events processed". */
  processed = 0;

  constructor(start: number) {
    this.clock = new ManualClock(start);
  }

  now(): number {
    return this.clock.now();
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Schedule `task` at `time` (integer ms, not in the past). */
  schedule(time: number, rank: number, task: Task): ScheduledEvent {
    if (!Number.isSafeInteger(time)) throw new Error(`scheduler: time must be an integer of ms, got ${time}`);
    if (time < this.clock.now()) throw new Error(`scheduler: ${time} is before now (${this.clock.now()})`);
    const ev: ScheduledEvent = { time, rank, seq: this.seq++, task, cancelled: false };
    this.heap.push(ev);
    return ev;
  }

  cancel(ev: ScheduledEvent): void {
    ev.cancelled = true;
  }

  /**
   * Run every event with time ≤ end, in order; the clock ends at `end`. `onTick` (if given) is called
   * every `tickEvery` events with the current time (progress reporting).
   */
  runUntil(end: number, onTick?: (time: number) => void, tickEvery = 65536): void {
    const heap = this.heap;
    let sinceTick = 0;
    for (;;) {
      const top = heap.peek();
      if (top === undefined || top.time > end) break;
      heap.pop();
      if (top.cancelled) continue;
      this.clock.set(top.time);
      this.processed++;
      top.task.run(top.time);
      if (onTick !== undefined && ++sinceTick >= tickEvery) {
        sinceTick = 0;
        onTick(top.time);
      }
    }
    if (this.clock.now() < end) this.clock.set(end);
  }
}
