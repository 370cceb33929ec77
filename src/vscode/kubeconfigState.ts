import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { homedir } from 'node:os';
import { defaultKubeconfigEnv, loadKubeconfig, type KubeconfigLoad } from '../cluster/kubeconfig';
import { getSetting, onSettingsChange } from './configuration';
import { DisposableBase } from './disposable';

/**
 * The loaded kubeconfig, shared by the Cluster and Kubeconfig Users views. Reloads when the
 * setting changes, when a kubeconfig file changes on disk, or on an explicit refresh.
 */
export class KubeconfigState extends DisposableBase {
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private current: KubeconfigLoad | undefined;
  /** Replaced on every load, so not owned: onDispose releases the last set. */
  private watchers: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this.own(onSettingsChange(['kubeconfigPath'], () => this.reload()));
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
    const settingPath = expandVariables(getSetting('kubeconfigPath'));
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
    if (this.disposed) return;
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

  protected override onDispose(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
  }
}

/** The setting may use ${workspaceFolder} and ${userHome}, as VS Code's own path settings do. */
function expandVariables(path: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path
    .replace(/\$\{userHome\}/g, homedir())
    .replace(/\$\{workspaceFolder\}/g, () => folder ?? '${workspaceFolder}');
}
