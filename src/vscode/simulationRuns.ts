import * as vscode from 'vscode';
import type { Scenario } from '../sim/scenario/types';
import type { Trace } from '../sim/trace';
import { DisposableBase } from './disposable';

/** Where a simulation's scenario came from, so a run can be re-opened or re-run. */
export type RunSource =
  | { kind: 'default' }
  | { kind: 'file'; uri: string }
  | { kind: 'token'; description: string };

export interface SimulationRun {
  id: number;
  title: string;
  source: RunSource;
  /** Wall-clock time the run finished (epoch ms). */
  finishedAt: number;
  /** Time the engine took, ms. */
  tookMs: number;
  scenario: Scenario;
  trace: Trace;
}

const KEEP = 10;

/**
 * The recent runs of this window, newest first. Only the last few keep their trace in memory:
 * a 10,000-pod trace is large, and an older run can be re-run from its scenario.
 */
export class SimulationRuns extends DisposableBase {
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private runs: SimulationRun[] = [];
  private nextId = 1;

  add(run: Omit<SimulationRun, 'id'>): SimulationRun {
    const stored = { ...run, id: this.nextId++ };
    this.runs = [stored, ...this.runs].slice(0, KEEP);
    this.changed.fire();
    return stored;
  }

  list(): readonly SimulationRun[] {
    return this.runs;
  }

  get(id: number): SimulationRun | undefined {
    return this.runs.find((r) => r.id === id);
  }

  clear(): void {
    this.runs = [];
    this.changed.fire();
  }
}
