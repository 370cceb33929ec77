import * as vscode from 'vscode';
import type { PodSummary } from '../cluster/clusterClient';
import type { ClusterError } from '../cluster/clusterErrors';
import { analyzeClaims } from '../token/claims';
import { tokenKey, type ClusterNode, type ClusterTreeProvider, type ContextRef, type PodChange } from './clusterTree';
import type { ClusterConnections } from './clusterConnections';
import type { KnownTokens } from './knownTokens';
import { DisposableBase, toDisposable } from './disposable';
import { errorText } from './commandGuard';

/** Reconnect delays after a failed watch: doubling from 1 s up to 30 s; reset by the next event. */
export function backoffMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
}

interface Running {
  ctx: ContextRef;
  namespace: string;
  resourceVersion: string;
  failures: number;
  stop?: () => void;
  timer?: ReturnType<typeof setTimeout>;
  stopped: boolean;
}

/**
 * Keeps listed namespaces live: each one whose pods the tree has listed is watched from the list's
 * resourceVersion, and its rows follow pods coming, going and restarting. A restarted or deleted pod's
 * known tokens are dropped (they are no longer what the pod holds), and the user is told. The watch
 * stops when its namespace or context row collapses, when the namespace is no longer listed, and with
 * the extension; it reconnects with backoff, and after a 410 (too old) lists again.
 */
export class PodWatches extends DisposableBase {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly tree: ClusterTreeProvider,
    view: vscode.TreeView<ClusterNode>,
    private readonly connections: ClusterConnections,
    private readonly known: KnownTokens,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.own(tree.onDidLoadPods((e) => {
      if (e.resourceVersion !== undefined) this.start(e.ctx, e.namespace, e.resourceVersion);
    }));
    // A Refresh or a kubeconfig change drops the clients: a watch reconnecting then would connect again
    // from the background (for an exec-plugin user: ask to run it). Stop; the next listing starts anew.
    this.own(tree.onDidForget(() => {
      for (const r of [...this.running.values()]) this.stop(r.ctx.key, r.namespace);
    }));
    this.own(view.onDidCollapseElement((e) => {
      if (e.element.kind === 'namespace') this.stop(e.element.ctx.key, e.element.namespace);
      if (e.element.kind === 'context') for (const r of [...this.running.values()]) if (r.ctx.key === e.element.ctx.key) this.stop(r.ctx.key, r.namespace);
    }));
    // Changes made while not watching were missed: list again on expand (which starts a new watch).
    this.own(view.onDidExpandElement((e) => {
      const n = e.element;
      if (n.kind === 'namespace' && !this.running.has(key(n.ctx.key, n.namespace)) && tree.hasPods(n.ctx, n.namespace)) {
        tree.reloadPods(n.ctx, n.namespace).catch((err: unknown) => this.log.warn(`could not list pods of ${n.namespace} again: ${errorText(err)}`));
      }
    }));
    this.own(toDisposable(() => {
      for (const r of [...this.running.values()]) this.stop(r.ctx.key, r.namespace);
    }));
  }

  /** Namespaces being watched, as "context key/namespace" (for tests and the log). */
  watching(): string[] {
    return [...this.running.values()].map((r) => `${r.ctx.key}/${r.namespace}`);
  }

  private start(ctx: ContextRef, namespace: string, resourceVersion: string): void {
    this.stop(ctx.key, namespace);
    const r: Running = { ctx, namespace, resourceVersion, failures: 0, stopped: false };
    this.running.set(key(ctx.key, namespace), r);
    void this.connect(r);
  }

  private stop(ctxKey: string, namespace: string): void {
    const r = this.running.get(key(ctxKey, namespace));
    if (!r) return;
    r.stopped = true;
    r.stop?.();
    if (r.timer) clearTimeout(r.timer);
    this.running.delete(key(ctxKey, namespace));
  }

  private async connect(r: Running): Promise<void> {
    if (r.stopped) return;
    try {
      const client = await this.connections.client(r.ctx.key);
      const stop = await client.watchPods(
        r.namespace,
        r.resourceVersion,
        (type, pod, rv) => {
          if (r.stopped) return;
          r.failures = 0;
          if (rv) r.resourceVersion = rv;
          this.apply(r, { type, pod });
        },
        (err) => this.ended(r, err),
      );
      if (r.stopped) stop();
      else r.stop = stop;
    } catch (err) {
      this.retry(r, errorText(err));
    }
  }

  private ended(r: Running, err: ClusterError | undefined): void {
    if (r.stopped) return;
    if (!err) {
      // The server ended the stream (its timeout): carry on from the last version seen.
      void this.connect(r);
      return;
    }
    if (err.info.kind === 'expired') {
      // Too old: list again; the fresh list starts a new watch from its version.
      this.stop(r.ctx.key, r.namespace);
      this.tree.reloadPods(r.ctx, r.namespace).catch((e: unknown) => this.log.warn(`could not list pods of ${r.namespace} again: ${errorText(e)}`));
      return;
    }
    this.retry(r, err.info.message);
  }

  private retry(r: Running, why: string): void {
    if (r.stopped) return;
    r.failures++;
    const delay = backoffMs(r.failures);
    this.log.warn(`watch of pods in ${r.namespace} (${r.ctx.label}) ended: ${why}; reconnecting in ${Math.round(delay / 1000)} s`);
    r.timer = setTimeout(() => void this.connect(r), delay);
  }

  private apply(r: Running, change: PodChange): void {
    if (!this.tree.applyPodChange(r.ctx, r.namespace, change)) {
      this.stop(r.ctx.key, r.namespace); // the namespace is no longer listed (Refresh): nothing to keep live
      return;
    }
    this.dropStaleTokens(r.ctx, change);
  }

  /** Known tokens of a pod that is gone, or that came back with a new uid, are not what it holds now. */
  private dropStaleTokens(ctx: ContextRef, change: PodChange): void {
    const pod: PodSummary = change.pod;
    const dropped: string[] = [];
    for (const source of pod.tokenSources) {
      const k = tokenKey(ctx, pod, source);
      const t = this.known.get(k);
      if (!t) continue;
      const boundUid = analyzeClaims(t.decoded.payload, 0).kubernetes?.pod?.uid;
      if (change.type === 'DELETED' || (boundUid !== undefined && boundUid !== pod.uid)) {
        this.known.delete(k);
        dropped.push(`${source.volume}/${source.path}`);
      }
    }
    if (dropped.length === 0) return;
    const what = change.type === 'DELETED' ? 'was deleted' : 'restarted (it is a new pod with the same name)';
    const message = `Pod ${pod.namespace}/${pod.name} ${what}: the token${dropped.length > 1 ? 's' : ''} read from it before (${dropped.join(', ')}) ${dropped.length > 1 ? 'are' : 'is'} no longer what it holds and ${dropped.length > 1 ? 'were' : 'was'} dropped. Read again to see the current one.`;
    this.log.info(message);
    void vscode.window.showInformationMessage(`Token Lens: ${message}`);
  }
}

const key = (ctxKey: string, namespace: string): string => `${ctxKey}\u0000${namespace}`;
