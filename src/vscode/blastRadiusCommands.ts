/**
 * Outage Blast Radius from the Cluster view (a context or a namespace) and the palette: which scope,
 * which outage, then every pod of the scope through the analysis, shown in its panel.
 */
import * as vscode from 'vscode';
import type { OutageWindow } from '../sim/blastRadius/blastRadiusInput';
import type { BlastRadiusPanels } from './blastRadiusPanel';
import { listScopePods, scopeBlastPods, scopeLabel, type ClusterScope } from './blastRadiusScope';
import type { ClusterConnections } from './clusterConnections';
import type { ClusterNode, ClusterTreeProvider } from './clusterTree';
import type { KnownTokens } from './knownTokens';
import { registerCommands } from './registerCommand';

interface Deps {
  tree: ClusterTreeProvider;
  connections: ClusterConnections;
  known: KnownTokens;
  panels: BlastRadiusPanels;
  log: vscode.LogOutputChannel;
}

const ALL_NAMESPACES = '$(globe) All namespaces';

/** From the palette: a context, then the whole context or one of its namespaces. */
async function pickScope(deps: Deps): Promise<ClusterScope | undefined> {
  const contexts = deps.tree.contexts();
  const picked =
    contexts.length === 1
      ? { ctx: contexts[0] }
      : await vscode.window.showQuickPick(
          contexts.map((c) => ({ label: c.label, description: c.demo ? 'built-in' : (c.server ?? ''), ctx: c })),
          { title: 'Outage Blast Radius: which cluster?' },
        );
  const ctx = picked?.ctx;
  if (!ctx) return undefined;
  const client = await deps.connections.client(ctx.key);
  const namespaces = (await client.listNamespaces()).map((n) => n.name).sort();
  const scope = await vscode.window.showQuickPick([{ label: ALL_NAMESPACES, namespace: undefined }, ...namespaces.map((n) => ({ label: n, namespace: n as string | undefined }))], {
    title: `Outage Blast Radius: which pods of ${ctx.label}?`,
  });
  if (!scope) return undefined;
  return scope.namespace === undefined ? { ctx } : { ctx, namespace: scope.namespace };
}

function scopeOf(node: ClusterNode | undefined): ClusterScope | undefined {
  if (node?.kind === 'context') return { ctx: node.ctx };
  if (node?.kind === 'namespace') return { ctx: node.ctx, namespace: node.namespace };
  return undefined;
}

export function registerBlastRadiusCommands(deps: Deps): vscode.Disposable[] {
  return registerCommands(deps.log, {
    // `outage` lets a caller (a keybinding, another extension, the tests) skip the two questions; the
    // analysis checks it like any input.
    'kubeTokenLens.outageBlastRadius': async (node?: ClusterNode, outage?: OutageWindow) => {
      const scope = scopeOf(node) ?? (await pickScope(deps));
      if (!scope) return;
      const label = scopeLabel(scope);
      const client = await deps.connections.client(scope.ctx.key);
      const pods = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Outage Blast Radius: listing the pods of ${label}`, cancellable: true },
        (progress, cancel) => listScopePods(client, scope, progress, cancel),
      );
      await deps.panels.analyseAndShow({ scope: label, pods: scopeBlastPods(scope.ctx, pods, deps.known) }, outage);
    },
  });
}
