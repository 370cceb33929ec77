import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { homedir } from 'node:os';
import { defaultKubeconfigEnv, loadKubeconfig, resolveKubeconfigFiles, type KubeconfigLoad } from '../cluster/kubeconfig';
import { resolveCommandPath } from '../plugins/commandPath';
import { kubeconfigUsersView, type KubeconfigText, type KubeconfigUsersView } from './kubeconfigUsers';
import { getSetting, onSettingsChange } from './configuration';
import { DisposableBase } from './disposable';

/** The users of every kubeconfig file in use, merged and linted as kubectl reads them. */
export type KubeconfigUsersLoad =
  | { status: 'loaded'; view: KubeconfigUsersView }
  | { status: 'notFound'; looked: string[] }
  | { status: 'error'; file: string; message: string };

/**
 * The loaded kubeconfig, shared by the Cluster and Kubeconfig Users views. Reloads when the
 * setting changes, when a kubeconfig file changes on disk, or on an explicit refresh.
 */
export class KubeconfigState extends DisposableBase {
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private current: KubeconfigLoad | undefined;
  private currentUsers: KubeconfigUsersLoad | undefined;
  /** Replaced on every load, so not owned: onDispose releases the last set. */
  private watchers: vscode.Disposable[] = [];
  /** The Kubernetes extension's kubeconfig file, when it has one: used when our setting is empty. */
  private externalPath: string | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this.own(onSettingsChange(['kubeconfigPath'], () => this.reload()));
  }

  /** Sets the path another tool (the Kubernetes extension) uses; reloads when it changes the outcome. */
  setExternalPath(path: string | undefined): void {
    if (path === this.externalPath) return;
    this.externalPath = path;
    if (getSetting('kubeconfigPath') === '') this.reload();
  }

  /** Our setting when the user set it (it wins), else the Kubernetes extension's path, else '' (KUBECONFIG, ~/.kube/config). */
  private configuredPath(): string {
    const own = getSetting('kubeconfigPath');
    return expandVariables(own !== '' ? own : (this.externalPath ?? ''));
  }

  get(): KubeconfigLoad {
    if (!this.current) this.current = this.load();
    return this.current;
  }

  reload(): void {
    this.currentUsers = undefined;
    this.current = this.load();
    this.changed.fire();
  }

  /**
   * The users as the files on disk define them (cached until a file or the setting changes). With
   * `overlay`, the text of a file open in an editor replaces its disk text (not cached).
   */
  users(overlay?: (file: string) => string | undefined): KubeconfigUsersLoad {
    if (overlay) return this.loadUsers(overlay);
    this.currentUsers ??= this.loadUsers(() => undefined);
    return this.currentUsers;
  }

  /** The files kubectl reads now (the setting, else KUBECONFIG, else ~/.kube/config). */
  files(): string[] {
    return resolveKubeconfigFiles(defaultKubeconfigEnv(this.configuredPath())).source?.files ?? [];
  }

  private loadUsers(overlay: (file: string) => string | undefined): KubeconfigUsersLoad {
    const settingPath = this.configuredPath();
    const { source, looked } = resolveKubeconfigFiles(defaultKubeconfigEnv(settingPath));
    if (!source) return { status: 'notFound', looked };
    const texts: KubeconfigText[] = source.files.map((file) => {
      const open = overlay(file);
      if (open !== undefined) return { file, text: open };
      try {
        return { file, text: readFileSync(file, 'utf8') };
      } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        return { file, readError: missing && source.kind === 'setting' ? 'file does not exist (kubeTokenLens.kubeconfigPath)' : missing ? 'file does not exist' : 'file cannot be read' };
      }
    });
    const first = texts[0];
    if (source.kind === 'setting' && first !== undefined && 'readError' in first) return { status: 'error', file: first.file, message: first.readError };
    // PATH as the extension host sees it: a terminal's may differ (the lint says so).
    return { status: 'loaded', view: kubeconfigUsersView(texts, (command) => resolveCommandPath(command, { path: process.env.PATH })) };
  }

  private load(): KubeconfigLoad {
    const settingPath = this.configuredPath();
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
        this.currentUsers = undefined;
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
