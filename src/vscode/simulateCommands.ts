import * as vscode from 'vscode';
import defaultScenarioText from '../../examples/shop-outage.yaml';
import { loadScenario, formatDiagnostic } from '../sim/scenario/load';
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../sim/apiserver/tokenRequest';
import { parseDuration } from '../sim/units/duration';
import { podScenario } from '../sim/scenario/podScenario';
import { explainRefresh } from '../sim/kubelet/refreshExplanation';
import type { Scenario } from '../sim/scenario/types';
import type { ScenarioDocuments } from './scenarioDocuments';
import type { SimulationRunner } from './simulationRunner';
import type { RunSource, SimulationRuns } from './simulationRuns';
import type { TimelinePanels } from './timelinePanel';

export const DEFAULT_SCENARIO_FILE = 'shop-outage.yaml';

interface Deps {
  runner: SimulationRunner;
  runs: SimulationRuns;
  panels: TimelinePanels;
  scenarioDocuments: ScenarioDocuments;
  /** Extra "what to simulate" choices, e.g. pods of the connected cluster. */
  extraChoices?: () => Promise<SimulationChoice[]>;
}

/** One entry of Simulate Refresh's "what to simulate" list. */
export interface SimulationChoice extends vscode.QuickPickItem {
  build: () => Promise<{ title: string; scenario: Scenario; source: RunSource; anchorNow?: number } | undefined>;
}

function settings(): { horizonMs: number; seed: number } {
  const cfg = vscode.workspace.getConfiguration('kubeTokenLens.simulation');
  const horizon = parseDuration(cfg.get<string>('defaultHorizon', '6h'));
  return { horizonMs: horizon.ok && horizon.ms > 0 ? horizon.ms : 6 * 3_600_000, seed: cfg.get<number>('defaultSeed', 1) };
}

/** The embedded default scenario (examples/shop-outage.yaml, bundled). */
export function defaultScenario(): Scenario {
  const loaded = loadScenario(defaultScenarioText, DEFAULT_SCENARIO_FILE);
  if (!loaded.ok) throw new Error(`the built-in scenario is invalid: ${loaded.errors.map((e) => formatDiagnostic(DEFAULT_SCENARIO_FILE, e)).join('; ')}`);
  return loaded.scenario;
}

async function readDocumentText(uri: vscode.Uri): Promise<vscode.TextDocument> {
  // An open, edited document is what the user sees: use it rather than the file on disk.
  return vscode.workspace.openTextDocument(uri);
}

export function registerSimulateCommands(deps: Deps): vscode.Disposable[] {
  const { runner, runs, panels, scenarioDocuments } = deps;

  async function simulate(title: string, scenario: Scenario, source: RunSource, anchorNow?: number): Promise<void> {
    const run = await runner.run(scenario, title, source);
    panels.open(title, scenario, run.trace, anchorNow);
  }

  async function runScenarioFile(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      const picked = await vscode.window.showOpenDialog({ title: 'Open a scenario file', filters: { Scenarios: ['yaml', 'yml', 'json'] }, canSelectMany: false });
      if (!picked?.[0]) return;
      return runScenarioFile(picked[0]);
    }
    const doc = await readDocumentText(target);
    const name = vscode.workspace.asRelativePath(target);
    const loaded = loadScenario(doc.getText(), name);
    if (!loaded.ok) {
      scenarioDocuments.check(doc);
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
    await simulate(loaded.scenario.name ?? name, loaded.scenario, { kind: 'file', uri: target.toString() });
  }

  async function freshToken(): Promise<void> {
    const lifetime = await askLifetime('How long a lifetime (expirationSeconds) does the token request?');
    if (lifetime === undefined) return;
    const { horizonMs, seed } = settings();
    const now = Date.now();
    const scenario = podScenario({
      name: `One token of ${lifetime} s`,
      start: now,
      horizonMs,
      seed,
      syncFrequencyMs: 60_000,
      pod: { name: 'my-pod', namespace: 'default', serviceAccount: 'default', uid: 'b1e9c6a2-0000-4000-8000-000000000001' },
      tokens: [{ path: 'token', expirationSeconds: lifetime }],
    });
    await simulate(scenario.name ?? 'One token', scenario, { kind: 'token', description: `fresh ${lifetime} s token` }, now);
  }

  return [
    vscode.commands.registerCommand('kubeTokenLens.simulateRefresh', async () => {
      const choices: SimulationChoice[] = [];
      const active = vscode.window.activeTextEditor?.document;
      if (active && scenarioDocuments.isScenario(active)) {
        choices.push({
          label: `$(file-code) ${vscode.workspace.asRelativePath(active.uri)}`,
          description: 'the scenario in the active editor',
          build: async () => {
            await runScenarioFile(active.uri);
            return undefined;
          },
        });
      }
      choices.push({
        label: '$(beaker) Default scenario',
        description: 'a small shop through a two-hour API-server outage',
        build: async () => {
          const scenario = defaultScenario();
          return { title: scenario.name ?? 'Default scenario', scenario, source: { kind: 'default' } };
        },
      });
      choices.push(...((await deps.extraChoices?.()) ?? []));
      choices.push(
        {
          label: '$(symbol-event) One token, starting now…',
          description: 'a fresh pod with one projected token of the lifetime you choose',
          build: async () => {
            await freshToken();
            return undefined;
          },
        },
        {
          label: '$(folder-opened) Scenario file…',
          description: 'a YAML or JSON scenario',
          build: async () => {
            await runScenarioFile(undefined);
            return undefined;
          },
        },
      );
      const picked = await vscode.window.showQuickPick(choices, { title: 'Simulate Refresh: what should be simulated?', matchOnDescription: true });
      if (!picked) return;
      const built = await picked.build();
      if (built) await simulate(built.title, built.scenario, built.source, built.anchorNow);
    }),
    vscode.commands.registerCommand('kubeTokenLens.runScenario', (uri?: vscode.Uri) => runScenarioFile(uri)),
    vscode.commands.registerCommand('kubeTokenLens.openRun', (id: number) => {
      const run = runs.get(id);
      if (!run) {
        void vscode.window.showWarningMessage('That simulation is no longer kept in memory: run it again.');
        return;
      }
      panels.open(run.title, run.scenario, run.trace);
    }),
    vscode.commands.registerCommand('kubeTokenLens.explainRefresh', async (ttl?: number) => {
      const lifetime = ttl ?? (await askLifetime('Explain the kubelet refresh timing of a token with expirationSeconds:'));
      if (lifetime === undefined) return;
      const result = explainRefresh({ ttl: lifetime, version: '1.34' });
      if (!result.ok) {
        void vscode.window.showErrorMessage(`Token Lens: ${result.error}`);
        return;
      }
      await vscode.window.showInformationMessage(`Kubelet refresh of a ${lifetime} s token`, { modal: true, detail: result.explanation.text });
    }),
  ];
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
