import * as vscode from 'vscode';
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../sim/apiserver/tokenRequest';
import { refreshReport } from './refreshReport';
import type { ReportDocuments } from './reportDocuments';
import { registerCommands } from './registerCommand';
import type { ScenarioDocuments } from './scenarioDocuments';
import type { SimulationService } from './simulationService';
import type { SimulationRun } from './simulationRuns';

interface Deps {
  simulations: SimulationService;
  scenarioDocuments: ScenarioDocuments;
  log: vscode.LogOutputChannel;
  /** Where Explain Refresh Timing shows its answer (a read-only Markdown tab, not a modal). */
  reports: ReportDocuments;
  /** Extra "what to simulate" choices, e.g. pods of the connected cluster. */
  extraChoices?: () => Promise<SimulationChoice[]>;
}

/** One entry of Simulate Refresh's "what to simulate" list: picking it runs that simulation. */
export interface SimulationChoice extends vscode.QuickPickItem {
  run: () => Promise<void>;
}

export function registerSimulateCommands(deps: Deps): vscode.Disposable[] {
  const { simulations, scenarioDocuments } = deps;

  /** Run Simulation: the given file (CodeLens, explorer), else the active editor's, else one to pick. */
  async function runScenarioFile(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (target) return simulations.simulateFile(target);
    const picked = await vscode.window.showOpenDialog({ title: 'Open a scenario file', filters: { Scenarios: ['yaml', 'yml', 'json'] }, canSelectMany: false });
    if (picked?.[0]) await simulations.simulateFile(picked[0]);
  }

  async function simulateRefresh(): Promise<void> {
    const choices: SimulationChoice[] = [];
    const active = vscode.window.activeTextEditor?.document;
    if (active && scenarioDocuments.isScenario(active)) {
      choices.push({
        label: `$(file-code) ${vscode.workspace.asRelativePath(active.uri)}`,
        description: 'the scenario in the active editor',
        run: () => simulations.simulateFile(active.uri),
      });
    }
    choices.push({
      label: '$(beaker) Default scenario',
      description: 'a small shop through a two-hour API-server outage',
      run: () => simulations.simulateDefault(),
    });
    choices.push(...((await deps.extraChoices?.()) ?? []));
    choices.push(
      {
        label: '$(symbol-event) One token, starting now…',
        description: 'a fresh pod with one projected token of the lifetime you choose',
        run: async () => {
          const lifetime = await askLifetime('How long a lifetime (expirationSeconds) does the token request?');
          if (lifetime !== undefined) await simulations.simulateFreshToken(lifetime);
        },
      },
      {
        label: '$(folder-opened) Scenario file…',
        description: 'a YAML or JSON scenario',
        run: () => runScenarioFile(undefined),
      },
    );
    const picked = await vscode.window.showQuickPick(choices, { title: 'Simulate Refresh: what should be simulated?', matchOnDescription: true });
    if (picked) await picked.run();
  }

  /** A quick-pick entry of a run. */
  const runItem = (run: SimulationRun, description?: string): vscode.QuickPickItem & { run: SimulationRun } => ({
    label: run.title,
    description: description ?? new Date(run.finishedAt).toLocaleTimeString(),
    run,
  });

  /**
   * Compare With…: the given run (a Simulations view row, or an id), else one to pick; then the run
   * to compare it with, its baseline (or its what-ifs) first. The earlier run goes left.
   */
  async function compareRuns(arg?: SimulationRun | number): Promise<void> {
    const runs = simulations.runs;
    if (runs.length < 2) {
      void vscode.window.showInformationMessage('Comparing needs two runs: run a simulation, change a value in its What if… form and re-run.');
      return;
    }
    const byId = (id: number): SimulationRun | undefined => runs.find((r) => r.id === id);
    let first = typeof arg === 'number' ? byId(arg) : arg !== undefined ? byId(arg.id) : undefined;
    if (!first) {
      const picked = await vscode.window.showQuickPick(runs.map((r) => runItem(r)), { title: 'Compare runs: pick the first run' });
      if (!picked) return;
      first = picked.run;
    }
    const a = first;
    const related = (r: SimulationRun): boolean => r.id === a.whatIf?.baseRunId || r.whatIf?.baseRunId === a.id || (a.whatIf !== undefined && r.whatIf?.baseRunId === a.whatIf.baseRunId);
    const others = runs.filter((r) => r.id !== a.id);
    const ordered = [...others.filter(related), ...others.filter((r) => !related(r))];
    const picked = await vscode.window.showQuickPick(
      ordered.map((r) => runItem(r, r.id === a.whatIf?.baseRunId ? 'its baseline' : related(r) ? 'a what-if of the same baseline' : undefined)),
      { title: `Compare “${a.title}” with…` },
    );
    if (!picked) return;
    const [left, right] = a.id < picked.run.id ? [a, picked.run] : [picked.run, a];
    simulations.compare(left, right);
  }

  return registerCommands(deps.log, {
    'kubeTokenLens.compareRuns': compareRuns,
    'kubeTokenLens.simulateRefresh': simulateRefresh,
    'kubeTokenLens.runScenario': (uri?: vscode.Uri) => runScenarioFile(uri),
    'kubeTokenLens.openRun': (id: number) => simulations.openRun(id),
    /** The answer opens beside the editor as a report the user can keep reading while they work. */
    'kubeTokenLens.explainRefresh': async (ttl?: number, issuedAtMs?: number) => {
      const lifetime = typeof ttl === 'number' ? ttl : await askLifetime('Explain the kubelet refresh timing of a token with expirationSeconds:');
      if (lifetime === undefined) return;
      const issued = typeof issuedAtMs === 'number' && Number.isFinite(issuedAtMs) ? issuedAtMs : undefined;
      const report = refreshReport({ ttl: lifetime, issuedMs: issued ?? Date.now(), issuedIsNow: issued === undefined });
      if (!report.ok) throw new Error(report.error);
      await deps.reports.show(report.title, report.markdown);
    },
  });
}

async function askLifetime(prompt: string): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Token lifetime',
    prompt,
    value: '3607',
    validateInput: (v) => {
      if (!/^\d+$/.test(v.trim())) return 'Enter a whole number of seconds, e.g. 3607.';
      const n = Number(v);
      if (n < MIN_EXPIRATION_SECONDS) return 'The API server rejects lifetimes under 600 s (10 minutes).';
      if (n > MAX_EXPIRATION_SECONDS) return 'The API server rejects lifetimes over 2^32 seconds.';
      return undefined;
    },
  });
  return text === undefined ? undefined : Number(text.trim());
}
