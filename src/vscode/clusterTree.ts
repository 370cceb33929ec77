import * as vscode from 'vscode';
import type { ContextSummary } from '../cluster/kubeconfig';
import type { KubeconfigState } from './kubeconfigState';

/** Rows of the Cluster view. Error and empty states are rows with a message and an action. */
export type ClusterNode =
  | { kind: 'context'; context: ContextSummary }
  | { kind: 'message'; label: string; detail: string; icon: string; command?: vscode.Command };

export class ClusterTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly kubeconfig: KubeconfigState) {
    this.subscription = kubeconfig.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: ClusterNode): ClusterNode[] {
    if (element) return [];
    const load = this.kubeconfig.get();
    switch (load.status) {
      case 'notFound':
        return [
          {
            kind: 'message',
            label: 'No kubeconfig found',
            detail: `Looked at ${load.looked.join(', ')}`,
            icon: 'info',
            command: { command: 'kubeTokenLens.selectKubeconfig', title: 'Select Kubeconfig File…' },
          },
        ];
      case 'error':
        return [
          {
            kind: 'message',
            label: `Kubeconfig could not be loaded: ${load.message}`,
            detail: load.file,
            icon: 'error',
            command: { command: 'kubeTokenLens.openKubeconfig', title: 'Open Kubeconfig', arguments: [load.file] },
          },
        ];
      case 'loaded':
        if (load.contexts.length === 0) {
          return [
            {
              kind: 'message',
              label: 'The kubeconfig has no contexts',
              detail: load.source.files.join(', '),
              icon: 'warning',
              command: { command: 'kubeTokenLens.openKubeconfig', title: 'Open Kubeconfig', arguments: [load.source.files[0]] },
            },
          ];
        }
        return load.contexts.map((context) => ({ kind: 'context', context }));
    }
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.detail;
      item.description = node.command?.title;
      if (node.command) item.command = node.command;
      item.contextValue = 'message';
      return item;
    }
    const ctx = node.context;
    const item = new vscode.TreeItem(ctx.name, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(ctx.current ? 'pass-filled' : 'circle-large-outline');
    item.description = [ctx.current ? 'current' : undefined, ctx.server].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(
      [`**${ctx.name}**`, `cluster: \`${ctx.cluster}\``, `server: \`${ctx.server ?? 'unknown'}\``, `user: \`${ctx.user}\``,
        ctx.namespace ? `namespace: \`${ctx.namespace}\`` : undefined].filter(Boolean).join('  \n'),
    );
    item.contextValue = 'context';
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
