/**
 * The one way into a simulation from the UI: the command palette (Simulate Refresh), the Cluster
 * view (a pod or token), the scenario CodeLens and editor command (Run Simulation) and the
 * Simulations view (re-open a run) all call this service, which runs the scenario in the worker
 * (SimulationRunner: progress, the Simulations list) and opens its timeline.
 */
import * as vscode from 'vscode';
import defaultScenarioText from '../../examples/shop-outage.yaml';
import { loadScenario, formatDiagnostic } from '../sim/scenario/load';
import type { Scenario } from '../sim/scenario/types';
import type { PodSummary, ProjectedTokenSource } from '../cluster/clusterClient';
import { simulationDefaults } from './configuration';
import { tokenKey, type ContextRef } from './clusterTree';
import type { KnownTokens } from './knownTokens';
import type { ScenarioDocuments } from './scenarioDocuments';
import { freshTokenSimulation, podSimulation, type SimulationRequest } from './simulationRequests';
import type { SimulationRunner } from './simulationRunner';
import type { SimulationRun, SimulationRuns } from './simulationRuns';
import { compareRuns } from './runDescriptions';
import type { TimelinePanels } from './timelinePanel';
import { includesOf } from './scenarioIncludes';

export const DEFAULT_SCENARIO_FILE = 'shop-outage.yaml';

/** The embedded default scenario (examples/shop-outage.yaml, bundled). */
export function defaultScenario(): Scenario {
  const loaded = loadScenario(defaultScenarioText, DEFAULT_SCENARIO_FILE);
  if (!loaded.ok) throw new Error(`the built-in scenario is invalid: ${loaded.errors.map((e) => formatDiagnostic(DEFAULT_SCENARIO_FILE, e)).join('; ')}`);
  return loaded.scenario;
}

export interface SimulationServiceDeps {
  runner: SimulationRunner;
  runs: SimulationRuns;
  panels: TimelinePanels;
  scenarioDocuments: ScenarioDocuments;
  known: KnownTokens;
}

export class SimulationService {
  constructor(private readonly deps: SimulationServiceDeps) {}

  /** Runs a request and opens its timeline. */
  async simulate(request: SimulationRequest): Promise<void> {
    const run = await this.deps.runner.run(request.scenario, request.title, request.source, {
      ...(request.anchorNow !== undefined ? { anchorNow: request.anchorNow } : {}),
      ...(request.notice !== undefined ? { notice: request.notice } : {}),
    });
    this.deps.panels.open(run);
  }

  /** The runs of the Simulations view, newest first. */
  get runs(): readonly SimulationRun[] {
    return this.deps.runs.list();
  }

  /** The built-in example. */
  async simulateDefault(): Promise<void> {
    const scenario = defaultScenario();
    await this.simulate({ title: scenario.name ?? 'Default scenario', scenario, source: { kind: 'default' } });
  }

  /**
   * A scenario file: the open (maybe edited) document when there is one, else the file on disk.
   * Errors are reported as the Problems view shows them, with a way there.
   */
  async simulateFile(target: vscode.Uri): Promise<void> {
    // An open, edited document is what the user sees: use it rather than the file on disk.
    const doc = await vscode.workspace.openTextDocument(target);
    const name = vscode.workspace.asRelativePath(target);
    const loaded = loadScenario(doc.getText(), name, includesOf(doc));
    if (!loaded.ok) {
      this.deps.scenarioDocuments.check(doc);
      const first = loaded.errors[0];
      const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
      const choice = await vscode.window.showErrorMessage(
        `The scenario has errors: ${first ? formatDiagnostic(name, first) : 'unknown error'}${more}`,
        'Show Problems',
        'Open File',
      );
      if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
      if (choice === 'Open File') await vscode.window.showTextDocument(doc);
      return;
    }
    await this.simulate({ title: loaded.scenario.name ?? name, scenario: loaded.scenario, source: { kind: 'file', uri: target.toString() } });
  }

  /** A pod of a cluster (or one of its tokens), anchored at the real issue time of tokens we hold. */
  async simulatePod(ctx: ContextRef, pod: PodSummary, only?: ProjectedTokenSource): Promise<void> {
    const sources = only ? [only] : pod.tokenSources;
    const issuedAtMs = sources.flatMap((s) => {
      const iat = this.deps.known.get(tokenKey(ctx, pod, s))?.decoded.payload.iat;
      return iat !== undefined ? [Number(iat) * 1000] : [];
    });
    await this.simulate(podSimulation({ contextLabel: ctx.label, pod, ...(only ? { only } : {}), issuedAtMs, now: Date.now(), defaults: simulationDefaults() }));
  }

  /** A fresh pod with one token of the given lifetime, starting now. */
  async simulateFreshToken(lifetimeSeconds: number): Promise<void> {
    await this.simulate(freshTokenSimulation(lifetimeSeconds, Date.now(), simulationDefaults()));
  }

  /** Shows a run of the Simulations view (from memory: no re-run): reveals its panel when one is open. */
  openRun(id: number): void {
    const run = this.deps.runs.get(id);
    if (!run) {
      void vscode.window.showWarningMessage('That simulation is no longer kept in memory: run it again.');
      return;
    }
    this.deps.panels.open(run);
  }

  /**
   * Two runs side by side: `left` in the first editor group, `right` beside it, each panel with a
   * strip naming both runs' figures (requests, failures, expiries…), the ones that differ first.
   */
  compare(left: SimulationRun, right: SimulationRun): void {
    const comparison = compareRuns(left, right);
    const l = this.deps.panels.open(left, vscode.ViewColumn.One);
    const r = this.deps.panels.open(right, vscode.ViewColumn.Two);
    l.setComparison({ side: 'left', ...comparison });
    r.setComparison({ side: 'right', ...comparison });
  }
}
