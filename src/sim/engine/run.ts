/**
 * The engine core: runs a Scenario (scenario/types.ts) on the virtual clock through the registered
 * models (models.ts) and returns the Trace (trace.ts). It knows no upstream system: it schedules,
 * hands out ranks in registration order and one seeded stream per actor, runs "this actor at t"
 * (time, stream and rank set together), collects the trace and reports progress.
 *
 * Events are ordered by (t, emitting actor's rank, emission order); output emitted while the models
 * start (before any actor runs) sorts first. Modes: 'step' evaluates every action as a scheduler
 * event; 'skip' (default) lets models run ahead through what they can predict exactly (the kubelet's
 * fastForward.ts) and produces the same trace, byte for byte.
 */
import { Scheduler } from '../clock';
import type { Actor, ActorTask, Model, ModelCore, ModelRun, RunMode, ServiceKey } from '../model';
import { createStream, type SeededRandom } from '../random';
import type { Scenario } from '../scenario/types';
import type { Trace } from '../trace';
import { TraceBuilder } from '../traceBuilder';
import { MODELS } from './models';

export interface RunOptions {
  mode?: RunMode;
  /** Called with the fraction of virtual time done (0..1), a few hundred times at most. */
  onProgress?: (fraction: number) => void;
}

export interface RunStats {
  mode: RunMode;
  /** Events the scheduler ran. */
  schedulerEvents: number;
  /** Events in the trace. */
  traceEvents: number;
  lanesTotal: number;
  /** Lanes kept with full detail (events and spans), over every model. */
  detailedLanes: number;
}

export function runScenario(s: Scenario, opts?: RunOptions): Trace {
  return runScenarioWithStats(s, opts).trace;
}

export function runScenarioWithStats(s: Scenario, opts: RunOptions = {}): { trace: Trace; stats: RunStats } {
  return runModels(MODELS, s, opts);
}

/** Runs `s` through `models` (the registry, or a test's own list). */
export function runModels<S extends Scenario>(models: readonly Model<S>[], s: S, opts: RunOptions = {}): { trace: Trace; stats: RunStats } {
  if (!(s.horizonMs >= 0) || !(s.output.seriesIntervalMs > 0)) throw new Error('runScenario: horizon must be ≥ 0, seriesInterval > 0');
  const core = new Core(s.seed, s.start, s.start + s.horizonMs, s.output.seriesIntervalMs, opts.mode ?? 'skip');
  const runs: ModelRun[] = [];
  for (const m of models) {
    const run = m.build(s, core);
    if (run !== undefined) runs.push(run);
  }
  for (const run of runs) run.start?.();
  core.runUntilEnd(opts.onProgress);
  core.trace.rank = core.nextRank; // after every actor
  for (const run of runs) run.finish?.();
  opts.onProgress?.(1);

  const lanesTotal = runs.reduce((n, run) => n + run.lanesTotal, 0);
  const trace = core.trace.build({
    ...(s.name === undefined ? {} : { name: s.name }),
    seed: s.seed,
    start: core.start,
    end: core.end,
    models: runs.flatMap((run) => run.describes),
    lanesTotal,
  });
  const detailedLanes = runs.reduce((n, run) => n + run.detailedLanes, 0);
  return { trace, stats: { mode: core.mode, schedulerEvents: core.scheduler.processed, traceEvents: trace.events.length, lanesTotal, detailedLanes } };
}

class Core implements ModelCore {
  readonly scheduler: Scheduler;
  readonly trace: TraceBuilder;
  readonly clock = { now: (): number => this.t };
  readonly random = { float: (): number => this.current.float() };
  nextRank = 0;
  private t: number;
  private current: SeededRandom;
  private readonly services = new Map<string, unknown>();

  constructor(
    private readonly seed: number,
    readonly start: number,
    readonly end: number,
    seriesIntervalMs: number,
    readonly mode: RunMode,
  ) {
    this.scheduler = new Scheduler(start);
    this.trace = new TraceBuilder(start, end, seriesIntervalMs);
    this.t = start;
    this.current = createStream(seed, 'engine');
  }

  stream(name: string): SeededRandom {
    return createStream(this.seed, name);
  }

  actor(stream: SeededRandom): Actor {
    return { rank: this.nextRank++, stream };
  }

  actAs(actor: Actor, t: number): void {
    this.t = t;
    this.current = actor.stream;
    this.trace.rank = actor.rank;
  }

  task(actor: Actor, run: (t: number) => void): ActorTask {
    return {
      rank: actor.rank,
      run: (t) => {
        this.actAs(actor, t);
        run(t);
      },
    };
  }

  scheduleAt(task: ActorTask, t: number): void {
    if (t <= this.end) this.scheduler.schedule(t, task.rank, task);
  }

  provide<T>(key: ServiceKey<T>, service: T): void {
    if (this.services.has(key.name)) throw new Error(`two models provide ${key.name}`);
    this.services.set(key.name, service);
  }

  use<T>(key: ServiceKey<T>): T | undefined {
    return this.services.get(key.name) as T | undefined;
  }

  runUntilEnd(onProgress: ((fraction: number) => void) | undefined): void {
    const horizon = Math.max(1, this.end - this.start);
    let reported = 0;
    const tick = (t: number): void => {
      const f = Math.min(1, (t - this.start) / horizon);
      // Only report visible progress (every 0.5 %).
      if (onProgress !== undefined && f - reported >= 0.005) {
        reported = f;
        onProgress(f);
      }
    };
    this.scheduler.runUntil(this.end, onProgress === undefined ? undefined : tick, 1024);
  }
}
