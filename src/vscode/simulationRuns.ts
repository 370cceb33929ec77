import * as vscode from 'vscode';
import type { Scenario } from '../sim/scenario/types';
import type { Trace } from '../sim/trace';
import { DisposableBase } from './disposable';

/** Where a simulation's scenario came from, so a run can be re-opened or re-run. */
export type RunSource =
  | { kind: 'default' }
  | { kind: 'file'; uri: string }
  | { kind: 'token'; description: string }
  /** A timeline VS Code restored after a reload, run again from its remembered scenario. */
  | { kind: 'restored' };

/** A what-if re-run: which run it changes, and what the user changed (one phrase per field). */
export interface WhatIfOrigin {
  baseRunId: number;
  baseTitle: string;
  changes: string[];
}

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
  /** Set on a what-if re-run from a timeline's form. */
  whatIf?: WhatIfOrigin;
  /** The real "now" (epoch ms) of the timeline's clock cursor. */
  anchorNow?: number;
  /** Something the timeline says about how the run was set up (e.g. why its horizon was capped). */
  notice?: string;
}

const KEEP = 10;

/**
 * The recent runs of this window, newest first: every run (a first run, a what-if re-run, a re-run
 * of a file, a restored timeline) is one entry. Only the last few keep their trace in memory:
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
