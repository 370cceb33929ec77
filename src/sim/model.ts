/**
 * The seam between the engine core and the models of upstream systems (DESIGN.md, "Models plug into
 * the engine"). A model (src/sim/<system>/model.ts) builds its actors against a ModelCore and never
 * sees the engine itself; models compose through services that one provides and another uses.
 *
 * Explicit composition: a model reads time and draws random numbers only through `core.clock` and
 * `core.random`, which follow the actor the core runs (`actAs`, and every scheduled task): time,
 * stream and rank are always set together, so no model keeps an ambient context of its own.
 */
import type { Clock, Task } from './clock';
import type { RandomSource, SeededRandom } from './random';
import type { TraceBuilder } from './traceBuilder';

export type RunMode = 'skip' | 'step';

/** One actor of the scheduler: its rank orders ties at one instant (clock.ts), its stream feeds its draws. */
export interface Actor {
  readonly rank: number;
  readonly stream: SeededRandom;
}

/** A reusable action of one actor, scheduled as often as the model likes. */
export interface ActorTask extends Task {
  readonly rank: number;
}

/** A typed name under which one model provides a service to the others. */
export interface ServiceKey<T> {
  readonly name: string;
  /** Carries T for the compiler only. */
  readonly __service?: T;
}

export function serviceKey<T>(name: string): ServiceKey<T> {
  return { name };
}

export interface ModelCore {
  /** The run covers [start, end] in epoch ms of the virtual clock. */
  readonly start: number;
  readonly end: number;
  readonly mode: RunMode;
  /** The virtual time of the actor running now. */
  readonly clock: Clock;
  /** Draws from the stream of the actor running now. */
  readonly random: RandomSource;
  /** Lanes, spans, events (ordered by the emitting actor's rank) and the series registry. */
  readonly trace: TraceBuilder;
  /** A seeded stream of its own for `name` (same seed and name, same draws, whatever else runs). */
  stream(name: string): SeededRandom;
  /** A new actor: ranks are handed out in the order models and their actors are built. */
  actor(stream: SeededRandom): Actor;
  /** From now on `actor` runs at `t`: sets the virtual time, the random stream and the trace rank. */
  actAs(actor: Actor, t: number): void;
  /** A reusable task of `actor`: when it runs, the core acts as the actor at the task's time first. */
  task(actor: Actor, run: (t: number) => void): ActorTask;
  /** Schedules `task` at `t` unless that is past the end of the run. */
  scheduleAt(task: ActorTask, t: number): void;
  provide<T>(key: ServiceKey<T>, service: T): void;
  /** The service another model provides; undefined when no model of this run provides it. */
  use<T>(key: ServiceKey<T>): T | undefined;
}

/** What a model built for one run. */
export interface ModelRun {
  /** The upstream behaviour it follows, one line each (trace.meta.models). */
  readonly describes: readonly string[];
  /** Lanes it simulated, with or without detail (trace.meta.lanesTotal sums them). */
  readonly lanesTotal: number;
  /** Lanes it keeps with full detail. */
  readonly detailedLanes: number;
  /** Called once every model is built: emit setup output, schedule the first tasks. */
  start?(): void;
  /** After the horizon, with a rank after every actor: account for what is still in effect. */
  finish?(): void;
}

/** An upstream system as the engine composes it. `S` is the part of the scenario it reads. */
export interface Model<S> {
  readonly id: string;
  /** Builds the model's actors, or returns undefined when the scenario has nothing for it. */
  build(scenario: S, core: ModelCore): ModelRun | undefined;
}
