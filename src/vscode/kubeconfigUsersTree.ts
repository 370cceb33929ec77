/**
 * The Kubeconfig Users view: every user of every kubeconfig file in use (merged first-wins as kubectl
 * does; shadowed definitions shown as such), exec users first with what they run, and the lint
 * findings about each user as child rows that open the file at the finding.
 */
import * as vscode from 'vscode';
import type { UserAuthKind } from '../cluster/kubeconfig';
import type { FindingSeverity, KubeconfigFinding } from '../sim/execAuth/kubeconfigFinding';
import type { KubeconfigUserRow } from './kubeconfigUsers';
import type { KubeconfigState } from './kubeconfigState';
import { DisposableBase } from './disposable';

export type UserNode =
  | { kind: 'user'; user: KubeconfigUserRow }
  | { kind: 'finding'; finding: KubeconfigFinding }
  /** Under an exec user whose command is not found on PATH: the PATH that was searched. */
  | { kind: 'pathNote'; path: string }
  | { kind: 'message'; label: string; detail: string; finding?: KubeconfigFinding };

/** Context value of an exec user row kubectl uses (the Run Exec Plugin Now menu keys on it). */
export const EXEC_USER_CONTEXT = 'user.exec';

const AUTH_LABEL: Record<UserAuthKind, string> = {
  exec: 'exec plugin',
  token: 'static token',
  clientCertificate: 'client certificate',
  authProvider: 'auth provider (deprecated)',
  basic: 'basic auth',
  none: 'no credentials',
};

const SEVERITY_ICON: Record<FindingSeverity, vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

/** Opens the file with the finding's range selected. */
function openAt(finding: KubeconfigFinding): vscode.Command {
  const r = finding.range;
  const selection = new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, r.endColumn - 1);
  return { command: 'vscode.open', title: 'Open the kubeconfig here', arguments: [vscode.Uri.file(finding.file), { selection, preview: true }] };
}

function needsPathNote(user: KubeconfigUserRow): boolean {
  return user.exec !== undefined && !user.exec.command.includes('/') && user.findings.some((f) => f.code === 'exec-command-not-found');
}

export class KubeconfigUsersTreeProvider extends DisposableBase implements vscode.TreeDataProvider<UserNode> {
  private readonly changed = this.own(new vscode.EventEmitter<UserNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly kubeconfig: KubeconfigState) {
    super();
    this.own(kubeconfig.onDidChange(() => this.changed.fire(undefined)));
  }

  /** The exec users kubectl uses (not the shadowed definitions): what Run Exec Plugin Now offers. */
  execUsers(): KubeconfigUserRow[] {
    const load = this.kubeconfig.users();
    return load.status === 'loaded' ? load.view.rows.filter((r) => r.exec !== undefined && r.shadowedBy === undefined) : [];
  }

  getChildren(element?: UserNode): UserNode[] {
    if (element) {
      if (element.kind !== 'user') return [];
      const rows: UserNode[] = element.user.findings.map((finding) => ({ kind: 'finding', finding }));
      if (needsPathNote(element.user)) rows.push({ kind: 'pathNote', path: process.env.PATH ?? '' });
      return rows;
    }
    const load = this.kubeconfig.users();
    if (load.status === 'notFound') return [{ kind: 'message', label: 'No kubeconfig found', detail: load.looked.join(', ') }];
    if (load.status === 'error') return [{ kind: 'message', label: 'Kubeconfig could not be loaded', detail: `${load.file}: ${load.message}` }];
    const { view } = load;
    const top: UserNode[] = view.unreadable.map((u) => ({
      kind: 'message',
      label: 'Kubeconfig could not be loaded',
      detail: `${u.finding ? `${u.file}:${u.finding.range.line}:${u.finding.range.column}` : u.file}: ${u.message}`,
      ...(u.finding ? { finding: u.finding } : {}),
    }));
    top.push(...view.fileFindings.map((finding): UserNode => ({ kind: 'finding', finding })));
    if (view.rows.length === 0 && view.unreadable.length === 0) return [...top, { kind: 'message', label: 'The kubeconfig has no users', detail: view.files.join(', ') }];
    return [...top, ...view.rows.map((user): UserNode => ({ kind: 'user', user }))];
  }

  getTreeItem(node: UserNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.label);
        item.tooltip = node.detail;
        item.description = node.finding ? node.finding.message : undefined;
        item.iconPath = node.finding ? SEVERITY_ICON.error : new vscode.ThemeIcon('info');
        if (node.finding) item.command = openAt(node.finding);
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.message);
        item.iconPath = SEVERITY_ICON[f.severity];
        item.tooltip = new vscode.MarkdownString().appendText(`${f.severity}: ${f.message}\n\n${f.file}:${f.range.line}:${f.range.column}`);
        item.command = openAt(f);
        item.contextValue = `finding.${f.severity}`;
        return item;
      }
      case 'pathNote': {
        const item = new vscode.TreeItem('PATH as the extension host sees it');
        const entries = node.path.split(':').filter((e) => e !== '');
        item.description = entries.length === 0 ? '(empty)' : entries.join(':');
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.tooltip = new vscode.MarkdownString()
          .appendText(entries.length === 0 ? 'PATH is empty.' : entries.join('\n'))
          .appendMarkdown('\n\n')
          .appendText("A terminal's PATH may differ: VS Code started from the dock, a launcher or a desktop file does not read your shell profile, so a plugin installed into a folder your profile adds is found by kubectl in the terminal but not here.");
        return item;
      }
      case 'user':
        return this.userItem(node.user);
    }
  }

  private userItem(user: KubeconfigUserRow): vscode.TreeItem {
    const hasChildren = user.findings.length > 0 || needsPathNote(user);
    const item = new vscode.TreeItem(user.name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(user.shadowedBy !== undefined ? 'circle-slash' : user.auth === 'exec' ? 'terminal' : 'account');
    const what = user.exec ? `${user.exec.commandName} · ${user.exec.apiVersion.split('/').pop() ?? ''}` : AUTH_LABEL[user.auth];
    item.description = user.shadowedBy !== undefined ? `shadowed · ${what}` : what;
    const lines = [`**${user.name}**`, `defined in \`${user.file}\` (line ${user.line})`, `authentication: ${AUTH_LABEL[user.auth]}`];
    if (user.shadowedBy !== undefined) lines.push(`shadowed: \`${user.shadowedBy}\` comes first in KUBECONFIG and defines this user too, so kubectl ignores this definition`);
    if (user.exec) {
      lines.push(`command: \`${user.exec.command}\` (${user.exec.argCount} argument(s))`, `apiVersion: \`${user.exec.apiVersion}\``);
      lines.push(`interactiveMode: \`${user.exec.interactiveMode ?? '(unset)'}\``);
    }
    const counts = (['error', 'warning', 'info'] as const).map((s) => [s, user.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    if (counts.length > 0) lines.push(`lint: ${counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`).join(', ')}`);
    item.tooltip = new vscode.MarkdownString(lines.join('  \n'));
    item.contextValue = user.shadowedBy !== undefined ? `user.${user.auth}.shadowed` : `user.${user.auth}`;
    item.id = `${user.file}\0${user.name}`;
    return item;
  }
}
