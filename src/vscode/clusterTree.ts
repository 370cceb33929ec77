import * as vscode from 'vscode';
import type { ContextSummary } from '../cluster/kubeconfig';
import type { LegacyTokenSecretSummary, PodSummary, ProjectedTokenSource, ServiceAccountSummary } from '../cluster/clusterClient';
import { ClusterError, type ClusterErrorInfo } from '../cluster/clusterErrors';
import { analyzeClaims, type ClaimsView } from '../token/claims';
import { TOKEN_DOCS_URL } from '../token/expiries';
import { formatDurationShort, formatLocalDateTime } from '../token/format';
import { refreshRuleText } from '../token/kubeletRefresh';
import { claimRows, expirySummary, lifetimeLines, refreshShort, type TextOptions } from '../token/tokenTexts';
import { refreshWindow } from '../sim/kubelet/tokenManager';
import type { KubeconfigState } from './kubeconfigState';
import { DEMO_CONTEXT_LABEL, DEMO_KEY, type ClusterConnections } from './clusterConnections';
import type { KnownToken, KnownTokens } from './knownTokens';
import { getSetting } from './configuration';
import { DisposableBase, toDisposable } from './disposable';
import { healthUri } from './tokenHealthUri';

/** The pods of a namespace changed (listed, a page more, or a watch event): for health and watches. */
export interface PodsLoadedEvent {
  ctx: ContextRef;
  namespace: string;
  pods: readonly PodSummary[];
  /** resourceVersion of the first page's list (where a watch starts), when this was a fresh list. */
  resourceVersion?: string;
}

/** A pod as a watch reports it (src/vscode/podWatch.ts). */
export type PodChange = { type: 'ADDED' | 'MODIFIED'; pod: PodSummary } | { type: 'DELETED'; pod: PodSummary };

/** A context the view can browse: one of the kubeconfig's, or the built-in demo cluster. */
export interface ContextRef {
  key: string;
  label: string;
  server?: string;
  current: boolean;
  demo: boolean;
  summary?: ContextSummary;
}

export type ClusterNode =
  | { kind: 'context'; ctx: ContextRef }
  | { kind: 'namespace'; ctx: ContextRef; namespace: string }
  | { kind: 'folder'; ctx: ContextRef; namespace: string; folder: 'serviceAccounts' | 'legacySecrets' }
  | { kind: 'pod'; ctx: ContextRef; pod: PodSummary }
  | { kind: 'token'; ctx: ContextRef; pod: PodSummary; source: ProjectedTokenSource }
  /** A token the user minted with TokenRequest "like" a source: not the pod's token, so never its row. */
  | { kind: 'mintedToken'; ctx: ContextRef; pod: PodSummary; source: ProjectedTokenSource; key: string }
  | { kind: 'serviceAccount'; ctx: ContextRef; sa: ServiceAccountSummary }
  | { kind: 'legacySecret'; ctx: ContextRef; secret: LegacyTokenSecretSummary }
  | { kind: 'loadMore'; ctx: ContextRef; namespace: string; remaining?: number }
  | { kind: 'claim'; id: string; label: string; value: string; tooltip?: string; icon?: string }
  | { kind: 'message'; id: string; label: string; detail: string; icon: string; command?: vscode.Command };

/** Where a token source's known token is kept (KnownTokens key). */
export function tokenKey(ctx: ContextRef, pod: PodSummary, source: ProjectedTokenSource): string {
  return `${ctx.key}/${pod.namespace}/${pod.name}/${source.volume}/${source.path}`;
}

/** Where the tokens minted like a source are kept: under the source's key, never at it. */
export function mintedTokenKeyPrefix(ctx: ContextRef, pod: PodSummary, source: ProjectedTokenSource): string {
  return `${tokenKey(ctx, pod, source)}/minted/`;
}

/** The pod's `kubernetes.io/description` annotation, the standard place for a sentence about an object. */
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';

/** The first line of a description, cut to fit a row. */
function shortDescription(text: string, max = 60): string {
  const first = text.split('\n')[0]?.trim() ?? '';
  return first.length > max ? `${first.slice(0, max - 1).trimEnd()}…` : first;
}

export function secretTokenKey(ctx: ContextRef, secret: LegacyTokenSecretSummary): string {
  return `${ctx.key}/${secret.namespace}/secret/${secret.name}`;
}

interface PodPages {
  pods: PodSummary[];
  continueToken?: string;
  remaining?: number;
}

/**
 * The Cluster view: context → namespaces → pods → projected token sources → claims, plus per
 * namespace the service accounts and legacy token Secrets. Errors are rows that say what failed and
 * offer the next step. Children are fetched lazily and cached until Refresh.
 */
export class ClusterTreeProvider extends DisposableBase implements vscode.TreeDataProvider<ClusterNode> {
  private readonly changed = this.own(new vscode.EventEmitter<ClusterNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly namespaces = new Map<string, string[]>();
  private readonly podPages = new Map<string, PodPages>();
  private readonly now: () => number;
  private readonly podsLoaded = this.own(new vscode.EventEmitter<PodsLoadedEvent>());
  readonly onDidLoadPods = this.podsLoaded.event;
  private readonly forgot = this.own(new vscode.EventEmitter<void>());
  /** Everything listed was forgotten (Refresh, a kubeconfig change): what was derived from it must stop. */
  readonly onDidForget = this.forgot.event;
  /** Set by the "only at risk" toggle: pods it rejects are hidden. */
  private podFilter: ((ctx: ContextRef, pod: PodSummary) => boolean) | undefined;

  constructor(
    private readonly kubeconfig: KubeconfigState,
    private readonly connections: ClusterConnections,
    private readonly known: KnownTokens,
    now: () => number = () => Date.now(),
  ) {
    super();
    this.now = now;
    this.own(kubeconfig.onDidChange(() => this.refresh()));
    this.own(known.onDidChange(() => this.changed.fire(undefined)));
    // Remaining lifetimes and refresh windows are relative to now: re-label known tokens as time passes.
    const ticker = setInterval(() => {
      if (known.size > 0) this.changed.fire(undefined);
    }, 30_000);
    this.own(toDisposable(() => clearInterval(ticker)));
  }

  /** Forget everything fetched; the next expand fetches again. */
  refresh(): void {
    this.namespaces.clear();
    this.podPages.clear();
    this.forgot.fire();
    this.changed.fire(undefined);
  }

  contexts(): ContextRef[] {
    const load = this.kubeconfig.get();
    const refs: ContextRef[] =
      load.status === 'loaded'
        ? load.contexts.map((c) => ({
            key: `kubeconfig:${c.name}`,
            label: c.name,
            current: c.current,
            demo: false,
            summary: c,
            ...(c.server ? { server: c.server } : {}),
          }))
        : [];
    refs.push({ key: DEMO_KEY, label: DEMO_CONTEXT_LABEL, current: false, demo: true });
    return refs;
  }

  private readonly parents = new WeakMap<ClusterNode, ClusterNode>();

  getParent(node: ClusterNode): ClusterNode | undefined {
    return this.parents.get(node);
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    const children = await this.children(node);
    if (node) for (const child of children) this.parents.set(child, node);
    return children;
  }

  private async children(node?: ClusterNode): Promise<ClusterNode[]> {
    if (!node) return this.roots();
    try {
      switch (node.kind) {
        case 'context':
          return await this.namespaceNodes(node.ctx);
        case 'namespace':
          return await this.namespaceChildren(node.ctx, node.namespace);
        case 'folder':
          return await this.folderChildren(node.ctx, node.namespace, node.folder);
        case 'pod':
          return this.podChildren(node.ctx, node.pod);
        case 'token':
          return this.tokenChildren(node.ctx, node.pod, node.source);
        case 'mintedToken':
          return this.mintedChildren(node.key);
        case 'legacySecret':
          return this.legacySecretChildren(node.ctx, node.secret);
        default:
          return [];
      }
    } catch (err) {
      return [this.errorNode(node, err)];
    }
  }

  private roots(): ClusterNode[] {
    const load = this.kubeconfig.get();
    const nodes: ClusterNode[] = [];
    if (load.status === 'notFound') {
      nodes.push({
        kind: 'message',
        id: 'no-kubeconfig',
        label: 'No kubeconfig found: browse the demo cluster below, or pick a file',
        detail: `Looked at ${load.looked.join(', ')}`,
        icon: 'info',
        command: { command: 'kubeTokenLens.selectKubeconfig', title: 'Select Kubeconfig File…' },
      });
    } else if (load.status === 'error') {
      nodes.push({
        kind: 'message',
        id: 'kubeconfig-error',
        label: `Kubeconfig could not be loaded: ${load.message}`,
        detail: load.file,
        icon: 'error',
        command: { command: 'kubeTokenLens.openKubeconfig', title: 'Open Kubeconfig', arguments: [load.file] },
      });
    }
    return [...nodes, ...this.contexts().map((ctx): ClusterNode => ({ kind: 'context', ctx }))];
  }

  private async namespaceNodes(ctx: ContextRef): Promise<ClusterNode[]> {
    let names = this.namespaces.get(ctx.key);
    if (!names) {
      const client = await this.connections.client(ctx.key);
      try {
        names = (await client.listNamespaces()).map((n) => n.name).sort();
      } catch (err) {
        // Many users may read a few namespaces but not list them all: let them say which.
        if (err instanceof ClusterError && err.kind === 'forbidden') return this.enteredNamespaceNodes(ctx);
        throw err;
      }
      this.namespaces.set(ctx.key, names);
    }
    if (names.length === 0) return [{ kind: 'message', id: `${ctx.key}/empty`, label: 'No namespaces', detail: '', icon: 'info' }];
    return names.map((namespace) => ({ kind: 'namespace', ctx, namespace }));
  }

  /** When listing namespaces is forbidden: the ones the user entered, and the row to enter or change them. */
  private enteredNamespaceNodes(ctx: ContextRef): ClusterNode[] {
    const entered = this.connections.enteredNamespaces(ctx.key) ?? [];
    const ask: ClusterNode = {
      kind: 'message',
      id: `${ctx.key}/enter-namespaces`,
      label: entered.length ? 'You cannot list namespaces here: these are the ones you entered' : 'You cannot list namespaces here: enter the namespaces you can read…',
      detail: 'Your user may not list namespaces in this cluster (RBAC: list namespaces at cluster scope). Type the names of namespaces you can read; they are remembered for this context.',
      icon: 'lock',
      command: { command: 'kubeTokenLens.enterNamespaces', title: entered.length ? 'Change…' : 'Enter Namespaces…', arguments: [{ kind: 'context', ctx }] },
    };
    return [ask, ...entered.map((namespace): ClusterNode => ({ kind: 'namespace', ctx, namespace }))];
  }

  private pageSize(): number {
    return getSetting('cluster.pageSize');
  }

  /** Lists the next page of pods of a namespace (the first when none is loaded). */
  async loadMorePods(ctx: ContextRef, namespace: string): Promise<void> {
    const key = `${ctx.key}/${namespace}`;
    const pages = this.podPages.get(key);
    if (pages && pages.continueToken === undefined) return;
    const client = await this.connections.client(ctx.key);
    let page;
    try {
      page = await client.listPods(namespace, { limit: this.pageSize(), ...(pages?.continueToken ? { continueToken: pages.continueToken } : {}) });
    } catch (err) {
      // A continue token the server has compacted away: start the list again, as kubectl does.
      if (err instanceof ClusterError && err.info.kind === 'expired') {
        this.podPages.delete(key);
        page = await client.listPods(namespace, { limit: this.pageSize() });
      } else {
        throw err;
      }
    }
    const fresh = !this.podPages.has(key);
    const next: PodPages = { pods: [...(this.podPages.get(key)?.pods ?? []), ...page.items] };
    if (page.continueToken) next.continueToken = page.continueToken;
    if (page.remainingItemCount !== undefined) next.remaining = page.remainingItemCount;
    this.podPages.set(key, next);
    this.changed.fire(undefined);
    this.podsLoaded.fire({ ctx, namespace, pods: next.pods, ...(fresh && page.resourceVersion ? { resourceVersion: page.resourceVersion } : {}) });
  }

  /** Lists a namespace's pods again from the first page (after a watch lost track: 410, or a pause). */
  async reloadPods(ctx: ContextRef, namespace: string): Promise<void> {
    this.podPages.delete(`${ctx.key}/${namespace}`);
    await this.loadMorePods(ctx, namespace);
  }

  /** Whether a namespace's pods are listed (a watch keeps only those up to date). */
  hasPods(ctx: ContextRef, namespace: string): boolean {
    return this.podPages.has(`${ctx.key}/${namespace}`);
  }

  /** Hides the pods `filter` rejects (undefined shows all). */
  setPodFilter(filter: ((ctx: ContextRef, pod: PodSummary) => boolean) | undefined): void {
    this.podFilter = filter;
    this.changed.fire(undefined);
  }

  /** Applies a watch event to a listed namespace; false when the namespace is not listed (nothing to update). */
  applyPodChange(ctx: ContextRef, namespace: string, change: PodChange): boolean {
    const key = `${ctx.key}/${namespace}`;
    const pages = this.podPages.get(key);
    if (!pages) return false;
    const rest = pages.pods.filter((p) => p.name !== change.pod.name);
    const at = pages.pods.findIndex((p) => p.name === change.pod.name);
    let pods: PodSummary[];
    if (change.type === 'DELETED') pods = rest;
    else if (at >= 0) pods = pages.pods.map((p, i) => (i === at ? change.pod : p));
    // A new pod beyond the pages loaded so far appears when its page is loaded, not at the end.
    else if (pages.continueToken === undefined) pods = [...rest, change.pod].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    else return true;
    this.podPages.set(key, { ...pages, pods });
    this.changed.fire(undefined);
    this.podsLoaded.fire({ ctx, namespace, pods });
    return true;
  }

  private async namespaceChildren(ctx: ContextRef, namespace: string): Promise<ClusterNode[]> {
    const key = `${ctx.key}/${namespace}`;
    if (!this.podPages.has(key)) await this.loadMorePods(ctx, namespace);
    const pages = this.podPages.get(key) ?? { pods: [] };
    const filter = this.podFilter;
    const shown = filter ? pages.pods.filter((pod) => filter(ctx, pod)) : pages.pods;
    const nodes: ClusterNode[] = [
      { kind: 'folder', ctx, namespace, folder: 'serviceAccounts' },
      { kind: 'folder', ctx, namespace, folder: 'legacySecrets' },
      ...shown.map((pod): ClusterNode => ({ kind: 'pod', ctx, pod })),
    ];
    if (filter && shown.length < pages.pods.length) {
      const hidden = pages.pods.length - shown.length;
      nodes.push({ kind: 'message', id: `${key}/filtered`, label: `${hidden} pod${hidden === 1 ? '' : 's'} with no known risk hidden`, detail: 'Only pods with a known token problem are shown. Read their tokens to learn more, or show all pods.', icon: 'filter', command: { command: 'kubeTokenLens.showAllPods', title: 'Show All' } });
    }
    if (pages.continueToken !== undefined) {
      nodes.push({ kind: 'loadMore', ctx, namespace, ...(pages.remaining !== undefined ? { remaining: pages.remaining } : {}) });
    }
    return nodes;
  }

  private async folderChildren(ctx: ContextRef, namespace: string, folder: 'serviceAccounts' | 'legacySecrets'): Promise<ClusterNode[]> {
    const client = await this.connections.client(ctx.key);
    if (folder === 'serviceAccounts') {
      const sas = await client.listServiceAccounts(namespace);
      if (sas.length === 0) return [{ kind: 'message', id: `${ctx.key}/${namespace}/no-sa`, label: 'No service accounts', detail: '', icon: 'info' }];
      return sas.map((sa) => ({ kind: 'serviceAccount', ctx, sa }));
    }
    const secrets = await client.listLegacyTokenSecrets(namespace);
    if (secrets.length === 0) {
      return [{ kind: 'message', id: `${ctx.key}/${namespace}/no-legacy`, label: 'None (good: no never-expiring tokens here)', detail: '', icon: 'pass' }];
    }
    return secrets.map((secret) => ({ kind: 'legacySecret', ctx, secret }));
  }

  private podChildren(ctx: ContextRef, pod: PodSummary): ClusterNode[] {
    if (pod.tokenSources.length === 0) {
      return [
        {
          kind: 'message',
          id: `${ctx.key}/${pod.namespace}/${pod.name}/none`,
          label: pod.automountDisabled ? 'No projected tokens (automountServiceAccountToken: false)' : 'No projected service-account tokens',
          detail: '',
          icon: 'info',
        },
      ];
    }
    return pod.tokenSources.map((source) => ({ kind: 'token', ctx, pod, source }));
  }

  private tokenChildren(ctx: ContextRef, pod: PodSummary, source: ProjectedTokenSource): ClusterNode[] {
    const id = tokenKey(ctx, pod, source);
    const mounts: ClusterNode[] = source.mounts.map((m, i) => ({
      kind: 'claim',
      id: `${id}/mount/${i}`,
      label: m.initContainer ? `init container ${m.container}` : `container ${m.container}`,
      value: m.file + (m.subPath ? ' (subPath: never updated by the kubelet)' : ''),
      icon: m.subPath ? 'warning' : 'file',
    }));
    const known = this.known.get(id);
    const readRow: ClusterNode = {
      kind: 'message',
      id: `${id}/read`,
      label: 'Read the current token from the pod…',
      detail: 'Reads the token file the kubelet wrote, to show its claims and remaining lifetime.',
      icon: 'cloud-download',
      command: { command: 'kubeTokenLens.readTokenFromPod', title: 'Read Token From Pod', arguments: [{ kind: 'token', ctx, pod, source }] },
    };
    const minted = this.mintedNodes(ctx, pod, source);
    if (!known) return [...mounts, ...minted, readRow];
    return [...mounts, ...minted, ...claimNodes(id, analyzeClaims(known.decoded.payload, this.now()), this.now(), textOptions(known))];
  }

  /** One row per token the user minted like this source, newest first. */
  private mintedNodes(ctx: ContextRef, pod: PodSummary, source: ProjectedTokenSource): ClusterNode[] {
    return this.known
      .keysUnder(mintedTokenKeyPrefix(ctx, pod, source))
      .reverse()
      .map((key): ClusterNode => ({ kind: 'mintedToken', ctx, pod, source, key }));
  }

  private mintedChildren(key: string): ClusterNode[] {
    const known = this.known.get(key);
    if (!known) return [];
    return claimNodes(key, analyzeClaims(known.decoded.payload, this.now()), this.now(), textOptions(known));
  }

  private legacySecretChildren(ctx: ContextRef, secret: LegacyTokenSecretSummary): ClusterNode[] {
    const id = secretTokenKey(ctx, secret);
    const known = this.known.get(id);
    if (!known) {
      return [
        {
          kind: 'message',
          id: `${id}/read`,
          label: 'Decode the token of this Secret…',
          detail: 'Reads the Secret to show the claims of its never-expiring token.',
          icon: 'cloud-download',
          command: { command: 'kubeTokenLens.readLegacySecret', title: 'Decode Secret Token', arguments: [{ kind: 'legacySecret', ctx, secret }] },
        },
      ];
    }
    return claimNodes(id, analyzeClaims(known.decoded.payload, this.now()), this.now(), textOptions(known));
  }

  private errorNode(parent: ClusterNode, err: unknown): ClusterNode {
    const info: ClusterErrorInfo =
      err instanceof ClusterError ? err.info : { kind: 'unknown', message: err instanceof Error ? err.message : String(err) };
    const id = `error/${nodeId(parent)}`;
    const refresh: vscode.Command = { command: 'kubeTokenLens.refresh', title: 'Retry' };
    switch (info.kind) {
      case 'unreachable':
      case 'timeout':
        return { kind: 'message', id, label: `Cluster unreachable: ${info.message}`, detail: 'Check the network or VPN, then retry.', icon: 'debug-disconnect', command: refresh };
      case 'unauthorized':
        return {
          kind: 'message',
          id,
          label: `Not authenticated (401): ${info.message}`,
          detail: 'The kubeconfig user’s credentials were rejected. Inspect the user in the Kubeconfig Users view.',
          icon: 'account',
          command: { command: 'kubeTokenLens.kubeconfigUsers.focus', title: 'Show Kubeconfig Users' },
        };
      case 'forbidden': {
        const what = info.verb && info.resource ? `missing permission: ${info.verb} ${info.apiGroup ? `${info.resource}.${info.apiGroup}` : info.resource}${info.namespace ? ` in namespace ${info.namespace}` : ''}` : info.message;
        return { kind: 'message', id, label: `Forbidden (403): ${what}`, detail: info.serverMessage ?? info.message, icon: 'lock', command: refresh };
      }
      case 'tokenRequestUnsupported':
        return { kind: 'message', id, label: 'This API server does not support TokenRequest', detail: info.message, icon: 'circle-slash' };
      default:
        return { kind: 'message', id, label: info.message, detail: info.serverMessage ?? '', icon: 'error', command: refresh };
    }
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    const now = this.now();
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'context': {
        // With no kubeconfig contexts, the demo cluster is what there is to see: open it at once.
        const onlyDemo = node.ctx.demo && this.kubeconfig.get().status !== 'loaded';
        const item = new vscode.TreeItem(node.ctx.label, node.ctx.current || onlyDemo ? C.Expanded : C.Collapsed);
        item.iconPath = new vscode.ThemeIcon(node.ctx.demo ? 'beaker' : node.ctx.current ? 'pass-filled' : 'circle-large-outline');
        item.description = node.ctx.demo ? 'embedded API server, started on expand' : [node.ctx.current ? 'current' : undefined, node.ctx.server].filter(Boolean).join(' · ');
        const s = node.ctx.summary;
        item.tooltip = s
          ? new vscode.MarkdownString([`**${s.name}**`, `cluster: \`${s.cluster}\``, `server: \`${s.server ?? 'unknown'}\``, `user: \`${s.user}\``, s.namespace ? `namespace: \`${s.namespace}\`` : undefined].filter(Boolean).join('  \n'))
          : 'A small cluster built into Kube Token Lens (HTTPS on 127.0.0.1), with pods whose tokens are near refresh and expired.';
        item.contextValue = node.ctx.demo ? 'context.demo' : 'context';
        item.id = node.ctx.key;
        item.resourceUri = healthUri({ level: 'context', ctxKey: node.ctx.key });
        return item;
      }
      case 'namespace': {
        const item = new vscode.TreeItem(node.namespace, C.Collapsed);
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'namespace';
        item.id = `${node.ctx.key}/${node.namespace}`;
        item.resourceUri = healthUri({ level: 'namespace', ctxKey: node.ctx.key, namespace: node.namespace });
        return item;
      }
      case 'folder': {
        const label = node.folder === 'serviceAccounts' ? 'Service Accounts' : 'Legacy Token Secrets';
        const item = new vscode.TreeItem(label, C.Collapsed);
        item.iconPath = new vscode.ThemeIcon(node.folder === 'serviceAccounts' ? 'account' : 'key');
        item.tooltip = node.folder === 'legacySecrets' ? 'Secrets of type kubernetes.io/service-account-token: their tokens never expire.' : undefined;
        item.id = `${node.ctx.key}/${node.namespace}/${node.folder}`;
        return item;
      }
      case 'pod': {
        const p = node.pod;
        const item = new vscode.TreeItem(p.name, p.tokenSources.length ? C.Collapsed : C.None);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        const about = p.annotations[DESCRIPTION_ANNOTATION]?.trim();
        item.description = [p.phase, `sa ${p.serviceAccountName}`, `${p.tokenSources.length} token${p.tokenSources.length === 1 ? '' : 's'}`, about ? shortDescription(about) : undefined].filter(Boolean).join(' · ');
        const hover = new vscode.MarkdownString();
        hover.appendMarkdown(`**${p.namespace}/${p.name}**  \n`);
        // The annotation is the pod author's free text: escaped, so it is shown as text, never as Markdown.
        if (about) hover.appendMarkdown(`${mdText(about)}  \n`);
        item.tooltip = hover.appendMarkdown(
          [`uid: \`${p.uid}\``, `service account: \`${p.serviceAccountName}\``, p.nodeName ? `node: \`${p.nodeName}\`` : undefined, `containers: ${p.containers.map((c) => c.name).join(', ')}`]
            .filter(Boolean)
            .join('  \n'),
        );
        item.contextValue = 'pod';
        item.id = `${node.ctx.key}/${p.namespace}/pod/${p.name}`;
        item.resourceUri = healthUri({ level: 'pod', ctxKey: node.ctx.key, namespace: p.namespace, pod: p.name });
        return item;
      }
      case 'token':
        return this.tokenItem(node.ctx, node.pod, node.source, now);
      case 'mintedToken':
        return this.mintedItem(node, now);
      case 'serviceAccount': {
        const item = new vscode.TreeItem(node.sa.name, C.None);
        item.iconPath = new vscode.ThemeIcon('account');
        item.description = node.sa.automountServiceAccountToken === false ? 'automount off' : undefined;
        item.tooltip = `uid ${node.sa.uid}${node.sa.secrets.length ? ` · lists Secrets: ${node.sa.secrets.join(', ')}` : ''}`;
        item.id = `${node.ctx.key}/${node.sa.namespace}/sa/${node.sa.name}`;
        item.contextValue = 'serviceAccount';
        return item;
      }
      case 'legacySecret': {
        const s = node.secret;
        const item = new vscode.TreeItem(s.name, C.Collapsed);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.description = `never expires · sa ${s.serviceAccountName ?? '?'}${s.lastUsed ? ` · last used ${s.lastUsed}` : ''}${s.invalidSince ? ` · invalid since ${s.invalidSince}` : ''}`;
        item.tooltip = 'A legacy service-account token Secret: its token has no expiry and works until the Secret is deleted. Prefer projected tokens (TokenRequest).';
        item.contextValue = this.known.get(secretTokenKey(node.ctx, s)) ? 'legacySecret.known' : 'legacySecret';
        item.id = secretTokenKey(node.ctx, s);
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(`Load more pods…${node.remaining !== undefined ? ` (${node.remaining} more)` : ''}`, C.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'kubeTokenLens.loadMorePods', title: 'Load More', arguments: [node] };
        item.id = `${node.ctx.key}/${node.namespace}/more`;
        return item;
      }
      case 'claim': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.description = node.value;
        item.tooltip = node.tooltip ?? `${node.label}: ${node.value}`;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        item.id = node.id;
        item.contextValue = 'claim';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.detail || node.label;
        if (node.command) {
          item.command = node.command;
          item.description = node.command.title;
        }
        item.id = node.id;
        item.contextValue = 'message';
        return item;
      }
    }
  }

  /** Audience and requested lifetime always; the pod's own token's expiries once it was read from the pod. */
  private tokenItem(ctx: ContextRef, pod: PodSummary, source: ProjectedTokenSource, now: number): vscode.TreeItem {
    const key = tokenKey(ctx, pod, source);
    const item = new vscode.TreeItem(`${source.volume}/${source.path}`, vscode.TreeItemCollapsibleState.Collapsed);
    const audience = source.audience ?? 'API server';
    const parts = [`aud ${audience}`, `${source.expirationSeconds} s${source.expirationSecondsDefaulted ? ' (default)' : ''}`];
    // Only a token read from the pod describes this row: minted ones have their own rows (see mintedItem).
    const known = this.known.get(key);
    const lines = [
      `**${source.volume}/${source.path}** of ${pod.namespace}/${pod.name}`,
      `audience: ${source.audience ? `\`${source.audience}\`` : 'none (the API server’s audiences)'}`,
      `requested lifetime (expirationSeconds): ${source.expirationSeconds} s = ${formatDurationShort(source.expirationSeconds)}${source.expirationSecondsDefaulted ? ' (not set: the API default)' : ''}`,
    ];
    if (known) {
      const view = analyzeClaims(known.decoded.payload, now);
      const opts = textOptions(known);
      parts.push(expirySummary(view, now, opts));
      const refresh = refreshShort(view, now);
      if (refresh) parts.push(refresh);
      lines.push('', `**The pod’s token** (read ${formatLocalDateTime(known.obtainedAt)}):`, ...lifetimeLines(view, now, opts).map(mdText));
      item.iconPath = new vscode.ThemeIcon(view.lifetime.validity === 'valid' ? 'key' : 'error', view.lifetime.validity === 'valid' ? undefined : new vscode.ThemeColor('list.errorForeground'));
    } else {
      // Without the pod's token, the refresh window is what a token issued now would get.
      const w = refreshWindow(source.expirationSeconds, now + source.expirationSeconds * 1000);
      if (w.thresholdRule !== 'never') {
        lines.push(`A token issued now: ${mdText(refreshRuleText(source.expirationSeconds, w.thresholdRule, (w.latest - now) / 1000))}.`);
      }
      lines.push('Read the token from the pod to see its expiries.');
      item.iconPath = new vscode.ThemeIcon('key');
    }
    lines.push('', `[About service-account tokens](${TOKEN_DOCS_URL})`);
    item.description = parts.join(' · ');
    item.tooltip = new vscode.MarkdownString(lines.join('  \n'));
    item.contextValue = known ? 'token.known' : 'token';
    item.id = key;
    return item;
  }

  /** A token the user minted like this source: labelled as theirs, with its own expiry. */
  private mintedItem(node: Extract<ClusterNode, { kind: 'mintedToken' }>, now: number): vscode.TreeItem {
    const known = this.known.get(node.key);
    const item = new vscode.TreeItem(mintedLabel(known), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.key;
    // "*.known": Show Details, Verify and Copy act on it (package.json menus); not "token*": it is no source.
    item.contextValue = 'minted.known';
    item.iconPath = new vscode.ThemeIcon('person');
    if (!known) {
      item.description = 'no longer in memory';
      return item;
    }
    const view = analyzeClaims(known.decoded.payload, now);
    const opts = textOptions(known);
    item.description = expirySummary(view, now, opts);
    item.tooltip = new vscode.MarkdownString(
      [
        `**Minted by you** at ${formatLocalDateTime(known.obtainedAt)} with TokenRequest, for service account ${node.pod.namespace}/${node.pod.serviceAccountName}, bound to pod ${node.pod.name}.`,
        'It is a separate credential: the pod never sees it and the kubelet never refreshes it. It stays in this window’s memory only.',
        '',
        ...lifetimeLines(view, now, opts).map(mdText),
        '',
        `[About service-account tokens](${TOKEN_DOCS_URL})`,
      ].join('  \n'),
    );
    return item;
  }
}

/** "Minted by you: 600 s token, not the pod's". */
function mintedLabel(known: KnownToken | undefined): string {
  const view = known ? analyzeClaims(known.decoded.payload, known.obtainedAt) : undefined;
  const lifetime = view?.lifetime.issuedLifetimeSeconds;
  return `Minted by you: ${lifetime !== undefined ? `${formatDurationShort(lifetime)} token` : 'token'}, not the pod’s`;
}

/** What the text helpers need from a known token: the kubelet's status expiry when it came with one. */
function textOptions(known: KnownToken): TextOptions {
  return known.statusExpirationMs !== undefined && Number.isFinite(known.statusExpirationMs) ? { statusExpirationMs: known.statusExpirationMs } : {};
}

/** Plain text inside a MarkdownString: claims and notes may hold characters Markdown would read. */
function mdText(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

function nodeId(node: ClusterNode): string {
  switch (node.kind) {
    case 'context':
      return node.ctx.key;
    case 'namespace':
    case 'folder':
    case 'loadMore':
      return `${node.ctx.key}/${node.namespace}/${node.kind}`;
    case 'pod':
      return `${node.ctx.key}/${node.pod.namespace}/${node.pod.name}`;
    case 'token':
      return tokenKey(node.ctx, node.pod, node.source);
    case 'mintedToken':
      return node.key;
    case 'serviceAccount':
      return `${node.ctx.key}/${node.sa.namespace}/sa/${node.sa.name}`;
    case 'legacySecret':
      return secretTokenKey(node.ctx, node.secret);
    case 'claim':
    case 'message':
      return node.id;
  }
}

/** The claims of a decoded token as rows: lifetime analysis, registered claims, kubernetes.io claims. */
export function claimNodes(id: string, view: ClaimsView, now: number, opts: TextOptions = {}): ClusterNode[] {
  return claimRows(view, now, opts).map(
    (r): ClusterNode => ({ kind: 'claim', id: `${id}/claim/${r.label}`, label: r.label, value: r.value, ...(r.icon ? { icon: r.icon } : {}), ...(r.tooltip ? { tooltip: r.tooltip } : {}) }),
  );
}
