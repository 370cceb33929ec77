/**
 * Works with Microsoft's Kubernetes extension (ms-kubernetes-tools.vscode-kubernetes-tools) when it is
 * installed, through its public API only, and is inert when it is not: nothing here runs until a command
 * is invoked from its Cluster Explorer or until its kubeconfig path is asked for, and every call is
 * guarded (a missing or different API is "not available", never an exception in our activation).
 *
 * The types below are the few members we use, written to the shape of the API the extension exports
 * (the npm package vscode-kubernetes-tools-api only wraps it; we do not depend on it): `exports` is an
 * API broker whose `get(component, version)` answers `{ available: true, api } | { available: false,
 * reason }`, with components "clusterexplorer" (v1: `resolveCommandTarget`), "configuration" (v1 / v1_1:
 * `getKubeconfigPath()` → `{ pathType: 'host', hostPath } | { pathType: 'wsl', wslPath }`,
 * `onDidChangeKubeconfigPath`, `onDidChangeContext`).
 */
import type * as vscode from 'vscode';

export const KUBERNETES_EXTENSION_ID = 'ms-kubernetes-tools.vscode-kubernetes-tools';

/** The shape of the Kubernetes extension's exported API broker (see the module comment). */
export interface KubernetesApiBroker {
  get(component: string, version: string): Promise<KubernetesApi<unknown>> | KubernetesApi<unknown>;
}
export type KubernetesApi<T> = { available: true; api: T } | { available: false; reason?: string };

export type KubeconfigPathV1 = { pathType: 'host'; hostPath: string } | { pathType: 'wsl'; wslPath: string };

export interface ConfigurationV1 {
  getKubeconfigPath(): KubeconfigPathV1;
  /** v1_1 and later. */
  onDidChangeKubeconfigPath?: vscode.Event<KubeconfigPathV1>;
  onDidChangeContext?: vscode.Event<string | null>;
}

/** A Cluster Explorer node as resolveCommandTarget returns it (only the resource case is used). */
export interface ClusterExplorerResourceNode {
  nodeType: 'resource';
  namespace: string | null;
  name: string;
  /** { manifestKind: 'Pod', abbreviation: 'pod', … } in the extension; a string is accepted too. */
  resourceKind: { manifestKind?: string; abbreviation?: string } | string;
  kubectlContext?: string;
}

export interface ClusterExplorerV1 {
  resolveCommandTarget(target?: unknown): { nodeType: string } | undefined;
}

/** The piece of vscode.extensions we need (injected, so the adapter is tested with a fake). */
export interface ExtensionLookup {
  getExtension(id: string): { isActive: boolean; exports: unknown; activate(): Thenable<unknown> } | undefined;
}

/** A pod picked in the Kubernetes extension's explorer. */
export interface KubernetesPodTarget {
  name: string;
  namespace: string;
  /** The kubeconfig context the explorer showed it under, when it says. */
  context?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isPodNode(v: unknown): v is ClusterExplorerResourceNode {
  if (!isRecord(v) || v.nodeType !== 'resource' || typeof v.name !== 'string') return false;
  const kind = v.resourceKind;
  const k = typeof kind === 'string' ? kind : isRecord(kind) ? String(kind.manifestKind ?? kind.abbreviation ?? '') : '';
  return /^pods?$/i.test(k);
}

export class KubernetesExtensionAdapter {
  private broker: Promise<KubernetesApiBroker | undefined> | undefined;

  constructor(private readonly extensions: ExtensionLookup) {}

  /** Whether the Kubernetes extension is installed (does not activate it). */
  get installed(): boolean {
    return this.extensions.getExtension(KUBERNETES_EXTENSION_ID) !== undefined;
  }

  private getBroker(): Promise<KubernetesApiBroker | undefined> {
    this.broker ??= (async () => {
      const ext = this.extensions.getExtension(KUBERNETES_EXTENSION_ID);
      if (!ext) return undefined;
      try {
        const exports = ext.isActive ? ext.exports : await ext.activate();
        return isRecord(exports) && typeof exports.get === 'function' ? (exports as unknown as KubernetesApiBroker) : undefined;
      } catch {
        return undefined;
      }
    })();
    return this.broker;
  }

  private async api<T>(component: string, versions: readonly string[]): Promise<T | undefined> {
    const broker = await this.getBroker();
    if (!broker) return undefined;
    for (const version of versions) {
      try {
        const r = await broker.get(component, version);
        if (r.available) return r.api as T;
      } catch {
        // a version this build does not know: try the next
      }
    }
    return undefined;
  }

  /** The kubeconfig file the Kubernetes extension uses, when it has one set on this host. */
  async kubeconfigPath(): Promise<string | undefined> {
    const config = await this.api<ConfigurationV1>('configuration', ['v1_1', 'v1']);
    try {
      const p = config?.getKubeconfigPath();
      // A WSL path names a file inside the WSL distribution, which this host cannot read directly.
      return p?.pathType === 'host' && p.hostPath.trim() !== '' ? p.hostPath : undefined;
    } catch {
      return undefined;
    }
  }

  /** Calls `listener` when the Kubernetes extension's kubeconfig path or current context changes. */
  async onDidChange(listener: () => void): Promise<vscode.Disposable | undefined> {
    const config = await this.api<ConfigurationV1>('configuration', ['v1_1', 'v1']);
    if (!config) return undefined;
    const subs = [config.onDidChangeKubeconfigPath?.(() => listener()), config.onDidChangeContext?.(() => listener())].filter((d): d is vscode.Disposable => d !== undefined);
    return { dispose: () => subs.forEach((d) => d.dispose()) };
  }

  /**
   * The pod a command was invoked on from the Kubernetes extension's Cluster Explorer: the raw target
   * is resolved through clusterExplorer.v1.resolveCommandTarget; an already resolved node is taken as is.
   */
  async podTarget(target: unknown): Promise<KubernetesPodTarget | undefined> {
    let node: unknown = target;
    if (!isPodNode(node)) {
      const explorer = await this.api<ClusterExplorerV1>('clusterexplorer', ['v1']);
      try {
        node = explorer?.resolveCommandTarget(target);
      } catch {
        node = undefined;
      }
    }
    if (!isPodNode(node)) return undefined;
    return {
      name: node.name,
      namespace: node.namespace ?? 'default',
      ...(typeof node.kubectlContext === 'string' && node.kubectlContext !== '' ? { context: node.kubectlContext } : {}),
    };
  }
}

/**
 * Follows the Kubernetes extension's kubeconfig path (and re-reads on its context changes) when it is
 * installed; does nothing otherwise. Runs in the background: activation never waits for that extension.
 */
export function followKubernetesExtension(
  adapter: KubernetesExtensionAdapter,
  kubeconfig: { setExternalPath(path: string | undefined): void; reload(): void },
  subscriptions: vscode.Disposable[],
  log: Pick<vscode.LogOutputChannel, 'info'>,
): void {
  if (!adapter.installed) return;
  const update = async (): Promise<void> => {
    const path = await adapter.kubeconfigPath();
    if (path) log.info(`Kubernetes extension uses kubeconfig ${path}`);
    kubeconfig.setExternalPath(path);
  };
  void (async () => {
    await update();
    const sub = await adapter.onDidChange(() => {
      // A context switch rewrites current-context in the file (the watcher sees it); reload anyway.
      void update().then(() => kubeconfig.reload());
    });
    if (sub) subscriptions.push(sub);
  })().catch(() => undefined);
}
