import * as vscode from 'vscode';
import type { UserSummary } from '../cluster/kubeconfig';
import type { KubeconfigState } from './kubeconfigState';
import { DisposableBase } from './disposable';

export type UserNode = { kind: 'user'; user: UserSummary } | { kind: 'message'; label: string; detail: string };

const AUTH_LABEL: Record<UserSummary['auth'], string> = {
  exec: 'exec plugin',
  token: 'static token',
  clientCertificate: 'client certificate',
  authProvider: 'auth provider (deprecated)',
  basic: 'basic auth',
  none: 'no credentials',
};

/** Users of the kubeconfig; exec users first, since they are the ones whose credentials expire. */
export class KubeconfigUsersTreeProvider extends DisposableBase implements vscode.TreeDataProvider<UserNode> {
  private readonly changed = this.own(new vscode.EventEmitter<UserNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly kubeconfig: KubeconfigState) {
    super();
    this.own(kubeconfig.onDidChange(() => this.changed.fire(undefined)));
  }

  getChildren(element?: UserNode): UserNode[] {
    if (element) return [];
    const load = this.kubeconfig.get();
    if (load.status === 'notFound') return [{ kind: 'message', label: 'No kubeconfig found', detail: load.looked.join(', ') }];
    if (load.status === 'error') return [{ kind: 'message', label: 'Kubeconfig could not be loaded', detail: `${load.file}: ${load.message}` }];
    if (load.users.length === 0) return [{ kind: 'message', label: 'The kubeconfig has no users', detail: load.source.files.join(', ') }];
    const users = [...load.users].sort((a, b) => Number(b.auth === 'exec') - Number(a.auth === 'exec') || a.name.localeCompare(b.name));
    return users.map((user) => ({ kind: 'user', user }));
  }

  getTreeItem(node: UserNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label);
      item.tooltip = node.detail;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const { user } = node;
    const item = new vscode.TreeItem(user.name);
    item.iconPath = new vscode.ThemeIcon(user.auth === 'exec' ? 'terminal' : 'account');
    item.description = user.exec ? `${user.exec.command} · ${user.exec.apiVersion.split('/').pop() ?? ''}` : AUTH_LABEL[user.auth];
    const lines = [`**${user.name}**`, `authentication: ${AUTH_LABEL[user.auth]}`];
    if (user.exec) {
      lines.push(`command: \`${user.exec.command}\` (${user.exec.argCount} argument(s))`, `apiVersion: \`${user.exec.apiVersion}\``);
      lines.push(`interactiveMode: \`${user.exec.interactiveMode ?? '(unset)'}\``);
    }
    item.tooltip = new vscode.MarkdownString(lines.join('  \n'));
    item.contextValue = `user.${user.auth}`;
    return item;
  }

}
