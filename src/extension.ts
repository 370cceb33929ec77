/**
 * activate(): builds the services, registers views and commands. Wiring only: behaviour lives in
 * src/vscode (VS Code glue), src/cluster (talking to clusters) and src/sim (the models).
 */
import * as vscode from 'vscode';
import { KubeconfigState } from './vscode/kubeconfigState';
import { ClusterTreeProvider } from './vscode/clusterTree';
import { KubeconfigUsersTreeProvider } from './vscode/kubeconfigUsersTree';
import { registerKubeconfigCommands } from './vscode/kubeconfigCommands';

/** What activate() returns: used by the integration tests to look inside the views. */
export interface KubeTokenLensApi {
  clusterTree: ClusterTreeProvider;
  usersTree: KubeconfigUsersTreeProvider;
}

export function activate(context: vscode.ExtensionContext): KubeTokenLensApi {
  const log = vscode.window.createOutputChannel('Kube Token Lens', { log: true });
  const kubeconfig = new KubeconfigState(log);
  const clusterTree = new ClusterTreeProvider(kubeconfig);
  const usersTree = new KubeconfigUsersTreeProvider(kubeconfig);

  context.subscriptions.push(
    log,
    kubeconfig,
    clusterTree,
    usersTree,
    vscode.window.createTreeView('kubeTokenLens.cluster', { treeDataProvider: clusterTree, showCollapseAll: true }),
    vscode.window.createTreeView('kubeTokenLens.kubeconfigUsers', { treeDataProvider: usersTree }),
    ...registerKubeconfigCommands(kubeconfig, log),
  );
  log.info(`Kube Token Lens ${String(context.extension.packageJSON.version)} activated`);
  return { clusterTree, usersTree };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
