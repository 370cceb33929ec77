import * as vscode from 'vscode';
import { registerCommands } from './registerCommand';
import type { ClusterNode, ClusterTreeProvider } from './clusterTree';
import type { TokenHealth } from './tokenHealth';
import { REVEAL_SOONEST_COMMAND, revealToken, type TokenStatusBar } from './statusBar';
import { readNamespaceTokens } from './namespaceTokenRead';
import type { ClusterConnections } from './clusterConnections';
import type { KnownTokens } from './knownTokens';
import type { Consent } from './consent';

/** The context key the Cluster view's title uses to show the filter's on or off button. */
export const ONLY_AT_RISK_CONTEXT = 'kubeTokenLens.onlyAtRisk';

interface Deps {
  tree: ClusterTreeProvider;
  view: vscode.TreeView<ClusterNode>;
  health: TokenHealth;
  statusBar: TokenStatusBar;
  connections: ClusterConnections;
  known: KnownTokens;
  consent: Consent;
  log: vscode.LogOutputChannel;
}

/** The "only at risk" toggle of the Cluster view and the status bar's click. */
export function registerTokenHealthCommands(deps: Deps): vscode.Disposable[] {
  const { tree, view, health, statusBar, log } = deps;
  const setFilter = async (on: boolean): Promise<void> => {
    tree.setPodFilter(on ? (ctx, pod) => health.atRisk(ctx.key, pod) : undefined);
    view.description = on ? 'only pods at risk' : undefined;
    await vscode.commands.executeCommand('setContext', ONLY_AT_RISK_CONTEXT, on);
  };
  // Findings change with time and with reads: re-filter when they do (the tree re-asks for children).
  const refilter = health.onDidChange(() => {
    if (view.description) tree.setPodFilter((ctx, pod) => health.atRisk(ctx.key, pod));
  });
  return [
    refilter,
    ...registerCommands(log, {
      'kubeTokenLens.showOnlyAtRisk': () => setFilter(true),
      'kubeTokenLens.showAllPods': () => setFilter(false),
      'kubeTokenLens.readNamespaceTokens': async (node: Extract<ClusterNode, { kind: 'namespace' }>) => {
        if (node?.kind !== 'namespace') throw new Error('pick a namespace in the Cluster view');
        await readNamespaceTokens(node, deps);
      },
      [REVEAL_SOONEST_COMMAND]: async () => {
        const target = statusBar.target;
        if (!target) throw new Error('no token with an expiry has been read yet');
        await revealToken(tree, view, target);
      },
    }),
  ];
}
