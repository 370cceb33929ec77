/**
 * activate(): builds the services, registers views and commands. Wiring only: behaviour lives in
 * src/vscode (VS Code glue), src/cluster (talking to clusters) and src/sim (the models).
 */
import * as vscode from 'vscode';
import { KubeconfigState } from './vscode/kubeconfigState';
import { ClusterTreeProvider } from './vscode/clusterTree';
import { KubeconfigUsersTreeProvider } from './vscode/kubeconfigUsersTree';
import { registerKubeconfigCommands } from './vscode/kubeconfigCommands';
import { SimulationRuns } from './vscode/simulationRuns';
import { SimulationsTreeProvider } from './vscode/simulationsTree';
import { SimulationRunner } from './vscode/simulationRunner';
import { TimelinePanels } from './vscode/timelinePanel';
import { ScenarioDocuments } from './vscode/scenarioDocuments';
import { registerSimulateCommands } from './vscode/simulateCommands';

/** What activate() returns: used by the integration tests to look inside the views. */
export interface KubeTokenLensApi {
  clusterTree: ClusterTreeProvider;
  usersTree: KubeconfigUsersTreeProvider;
  simulationsTree: SimulationsTreeProvider;
  runs: SimulationRuns;
  panels: TimelinePanels;
}

export function activate(context: vscode.ExtensionContext): KubeTokenLensApi {
  const log = vscode.window.createOutputChannel('Kube Token Lens', { log: true });
  const kubeconfig = new KubeconfigState(log);
  const clusterTree = new ClusterTreeProvider(kubeconfig);
  const usersTree = new KubeconfigUsersTreeProvider(kubeconfig);
  const runs = new SimulationRuns();
  const simulationsTree = new SimulationsTreeProvider(runs);
  const runner = new SimulationRunner(context.extensionUri, runs, log);
  const panels = new TimelinePanels(context, runner, log);
  const scenarioDocuments = new ScenarioDocuments();

  context.subscriptions.push(
    log,
    kubeconfig,
    clusterTree,
    usersTree,
    runs,
    simulationsTree,
    panels,
    scenarioDocuments,
    vscode.window.createTreeView('kubeTokenLens.cluster', { treeDataProvider: clusterTree, showCollapseAll: true }),
    vscode.window.createTreeView('kubeTokenLens.kubeconfigUsers', { treeDataProvider: usersTree }),
    vscode.window.createTreeView('kubeTokenLens.simulations', { treeDataProvider: simulationsTree }),
    ...registerKubeconfigCommands(kubeconfig, log),
    ...registerSimulateCommands({ runner, runs, panels, scenarioDocuments }),
  );
  log.info(`Kube Token Lens ${String(context.extension.packageJSON.version)} activated`);
  return { clusterTree, usersTree, simulationsTree, runs, panels };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
