import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { homedir } from 'node:os';
import { defaultKubeconfigEnv, loadKubeconfig, type KubeconfigLoad } from '../cluster/kubeconfig';

/**
 * The loaded kubeconfig, shared by the Cluster and Kubeconfig Users views. Reloads when the
 * setting changes, when a kubeconfig file changes on disk, or on an explicit refresh.
 */
export class KubeconfigState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: KubeconfigLoad | undefined;
  private watchers: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('kubeTokenLens.kubeconfigPath')) this.reload();
      }),
    );
  }

  get(): KubeconfigLoad {
    if (!this.current) this.current = this.load();
    return this.current;
  }

  reload(): void {
    this.current = this.load();
    this.changed.fire();
  }

  private load(): KubeconfigLoad {
    const settingPath = expandVariables(vscode.workspace.getConfiguration('kubeTokenLens').get<string>('kubeconfigPath', ''));
    const result = loadKubeconfig(defaultKubeconfigEnv(settingPath));
    switch (result.status) {
      case 'loaded':
        this.log.info(`kubeconfig loaded from ${result.source.files.join(', ')}: ${result.contexts.length} context(s)`);
        this.watch(result.source.files);
        break;
      case 'notFound':
        this.log.info(`no kubeconfig found (looked at ${result.looked.join(', ')})`);
        this.watch(result.looked);
        break;
      case 'error':
        this.log.warn(`kubeconfig ${result.file} could not be loaded: ${result.message}`);
        this.watch(result.source.files);
        break;
    }
    return result;
  }

  private watch(files: string[]): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = files.map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
      const onAny = () => {
        this.current = undefined;
        this.changed.fire();
      };
      watcher.onDidChange(onAny);
      watcher.onDidCreate(onAny);
      watcher.onDidDelete(onAny);
      return watcher;
    });
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The setting may use ${workspaceFolder} and ${userHome}, as VS Code's own path settings do. */
function expandVariables(path: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path
    .replace(/\$\{userHome\}/g, homedir())
    .replace(/\$\{workspaceFolder\}/g, () => folder ?? '${workspaceFolder}');
}
