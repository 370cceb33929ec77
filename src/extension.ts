/**
 * activate(): builds the services, registers views and commands. Wiring only: behaviour lives in
 * src/vscode (VS Code glue), src/cluster (talking to clusters) and src/sim (the models).
 */
import * as vscode from 'vscode';
import { KubeconfigState } from './vscode/kubeconfigState';
import { ClusterTreeProvider, type ClusterNode } from './vscode/clusterTree';
import { KubeconfigUsersTreeProvider } from './vscode/kubeconfigUsersTree';
import { registerKubeconfigCommands } from './vscode/kubeconfigCommands';
import { SimulationRuns } from './vscode/simulationRuns';
import { SimulationsTreeProvider } from './vscode/simulationsTree';
import { SimulationRunner } from './vscode/simulationRunner';
import { TimelinePanels } from './vscode/timelinePanel';
import { ScenarioDocuments } from './vscode/scenarioDocuments';
import { SchemaAssistProvider } from './vscode/schemaAssistProvider';
import { registerSimulateCommands } from './vscode/simulateCommands';
import { SimulationService } from './vscode/simulationService';
import { ClusterConnections } from './vscode/clusterConnections';
import { KnownTokens } from './vscode/knownTokens';
import { TokenReports } from './vscode/tokenReport';
import { registerClusterCommands, clusterSimulationChoice } from './vscode/clusterCommands';
import { registerKubernetesExtensionCommands } from './vscode/kubernetesCommands';
import { followKubernetesExtension, KubernetesExtensionAdapter } from './vscode/kubernetesExtension';
import { Consent, type Confirm } from './vscode/consent';
import { redactingLog } from './vscode/redactingLog';
import { CredentialProviderDocuments } from './vscode/credentialProviderDocuments';
import { registerCredentialProviderCommands } from './vscode/credentialProviderCommands';
import { ReportDocuments } from './vscode/reportDocuments';
import { KubeconfigDiagnostics } from './vscode/kubeconfigDiagnostics';
import { registerExecPluginCommands } from './vscode/execPluginCommands';
import { BlastRadiusPanels } from './vscode/blastRadiusPanel';
import { registerBlastRadiusCommands } from './vscode/blastRadiusCommands';
import { ManifestLenses } from './vscode/manifestLenses';
import { registerManifestCommands } from './vscode/manifestCommands';
import { TokenHealth } from './vscode/tokenHealth';
import { TokenStatusBar } from './vscode/statusBar';
import { registerTokenHealthCommands } from './vscode/tokenHealthCommands';
import { PodWatches } from './vscode/podWatch';

/** What activate() returns: used by the integration tests to look inside the views. */
export interface KubeTokenLensApi {
  clusterTree: ClusterTreeProvider;
  usersTree: KubeconfigUsersTreeProvider;
  simulationsTree: SimulationsTreeProvider;
  runs: SimulationRuns;
  panels: TimelinePanels;
  blastRadiusPanels: BlastRadiusPanels;
  connections: ClusterConnections;
  known: KnownTokens;
  clusterView: vscode.TreeView<ClusterNode>;
  /** Replaces the modal confirmation of credential actions (integration tests answer it themselves). */
  setConfirmation(confirm: Confirm | undefined): void;
  /** Health of the listed pods, namespaces and contexts (the rows' badges). */
  health: TokenHealth;
  /** The soonest-expiring known token in the status bar. */
  statusBar: TokenStatusBar;
  /** The watches that keep listed namespaces live. */
  podWatches: PodWatches;
  /** This extension's log folder (the tests read the output channel's log file near it). */
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): KubeTokenLensApi {
  // Every log write is redacted: no token value can reach the log, whatever a message quotes.
  const log = redactingLog(vscode.window.createOutputChannel('Kube Token Lens', { log: true }));
  const kubeconfig = new KubeconfigState(log);
  const consent = new Consent();
  const connections = new ClusterConnections(kubeconfig, consent, log, context.globalState);
  const known = new KnownTokens();
  const reports = new TokenReports();
  const clusterTree = new ClusterTreeProvider(kubeconfig, connections, known);
  const usersTree = new KubeconfigUsersTreeProvider(kubeconfig);
  const clusterView = vscode.window.createTreeView('kubeTokenLens.cluster', { treeDataProvider: clusterTree, showCollapseAll: true });
  // The Kubernetes extension, when installed: its kubeconfig path (unless ours is set) and its explorer's pods.
  const kubernetesExtension = new KubernetesExtensionAdapter(vscode.extensions);
  followKubernetesExtension(kubernetesExtension, kubeconfig, context.subscriptions, log);
  const runs = new SimulationRuns();
  const simulationsTree = new SimulationsTreeProvider(runs);
  const runner = new SimulationRunner(context.extensionUri, runs, log);
  const panels = new TimelinePanels(context, runner, log);
  const scenarioDocuments = new ScenarioDocuments();
  // The one way into a simulation for the palette, the Cluster view and the CodeLens.
  const simulations = new SimulationService({ runner, runs, panels, scenarioDocuments, known });
  const blastRadiusPanels = new BlastRadiusPanels(context.extensionUri, simulations, log);
  const credentialProviderDocuments = new CredentialProviderDocuments();
  const reportDocuments = new ReportDocuments();
  const manifestLenses = new ManifestLenses();
  const health = new TokenHealth(known, connections, log);
  const statusBar = new TokenStatusBar(health);
  const podWatches = new PodWatches(clusterTree, clusterView, connections, known, log);
  // Health follows what the tree lists: its pods, and per namespace its Secrets and service accounts.
  const podsLoaded = clusterTree.onDidLoadPods((e) => {
    health.setPods(e.ctx, e.namespace, e.pods);
    if (e.resourceVersion !== undefined) void health.loadNamespaceFacts(e.ctx, e.namespace);
  });

  context.subscriptions.push(
    log,
    kubeconfig,
    connections,
    known,
    reports,
    clusterTree,
    usersTree,
    runs,
    simulationsTree,
    panels,
    blastRadiusPanels,
    scenarioDocuments,
    credentialProviderDocuments,
    reportDocuments,
    manifestLenses,
    health,
    statusBar,
    podsLoaded,
    podWatches,
    vscode.window.registerFileDecorationProvider(health),
    new SchemaAssistProvider(),
    new KubeconfigDiagnostics(kubeconfig),
    clusterView,
    vscode.window.createTreeView('kubeTokenLens.kubeconfigUsers', { treeDataProvider: usersTree }),
    vscode.window.createTreeView('kubeTokenLens.simulations', { treeDataProvider: simulationsTree }),
    ...registerKubeconfigCommands(kubeconfig, log, () => {
      connections.askAgain();
      clusterTree.refresh();
    }),
    ...registerExecPluginCommands({ kubeconfig, usersTree, reports: reportDocuments, consent, log, simulations }),
    ...registerClusterCommands({ tree: clusterTree, connections, known, reports, simulations, log, consent }),
    ...registerKubernetesExtensionCommands({ adapter: kubernetesExtension, tree: clusterTree, view: clusterView, simulations, log }),
    ...registerTokenHealthCommands({ tree: clusterTree, view: clusterView, health, statusBar, connections, known, consent, log }),
    ...registerBlastRadiusCommands({ tree: clusterTree, connections, known, panels: blastRadiusPanels, log }),
    ...registerManifestCommands({ lenses: manifestLenses, reports: reportDocuments, simulations, panels: blastRadiusPanels, log }),
    ...registerSimulateCommands({
      simulations,
      scenarioDocuments,
      log,
      reports: reportDocuments,
      extraChoices: async () => [clusterSimulationChoice({ tree: clusterTree, connections, simulations })],
    }),
    ...registerCredentialProviderCommands({
      documents: credentialProviderDocuments,
      reports: reportDocuments,
      simulations,
      tree: clusterTree,
      connections,
      consent,
      workspaceState: context.workspaceState,
      log,
    }),
  );
  log.info(`Kube Token Lens ${String(context.extension.packageJSON.version)} activated`);
  return {
    clusterTree,
    usersTree,
    simulationsTree,
    runs,
    panels,
    blastRadiusPanels,
    connections,
    known,
    clusterView,
    setConfirmation: (confirm) => {
      consent.override = confirm;
    },
    logUri: context.logUri,
    health,
    statusBar,
    podWatches,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
