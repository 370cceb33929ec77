import * as vscode from 'vscode';
import type { LegacyTokenSecretSummary, PodSummary, ProjectedTokenSource, ServiceAccountSummary } from '../cluster/clusterClient';
import { analyzeClaims } from '../token/claims';
import { HEALTH_KINDS, describeSummary, legacySecretFindings, summarize, tokenFindings, type HealthFinding, type HealthSummary } from '../token/health';
import { tokenKey, type ContextRef } from './clusterTree';
import type { ClusterConnections } from './clusterConnections';
import type { KnownToken, KnownTokens } from './knownTokens';
import { DisposableBase, toDisposable } from './disposable';
import { parseHealthUri, type HealthTarget } from './tokenHealthUri';
import { errorText } from './commandGuard';

/** A projected token source of a pod the tree has listed, with its known token when there is one. */
export interface PodTokenEntry {
  readonly ctx: ContextRef;
  readonly pod: PodSummary;
  readonly source: ProjectedTokenSource;
  readonly key: string;
  readonly known?: KnownToken;
}

/** What a namespace holds besides pods, listed once its pods are. */
interface NamespaceFacts {
  legacySecrets: LegacyTokenSecretSummary[];
  serviceAccountUids: Map<string, string>;
}

const nsKey = (ctxKey: string, namespace: string): string => `${ctxKey}\u0000${namespace}`;

/**
 * The health of what the Cluster view has listed: per pod from its known tokens, per namespace from its
 * pods and legacy token Secrets, per context from its namespaces (worst wins, src/token/health.ts).
 * Shown as file decorations on the rows' `ktl-health:` URIs.
 */
export class TokenHealth extends DisposableBase implements vscode.FileDecorationProvider {
  private readonly changed = this.own(new vscode.EventEmitter<undefined>());
  /** Every change re-decorates all rows: there are few, and aggregates change with any pod. */
  readonly onDidChangeFileDecorations = this.changed.event;
  readonly onDidChange = this.changed.event;
  /** ctx\0namespace → pod name → pod, as last listed (or watched). */
  private readonly pods = new Map<string, Map<string, { ctx: ContextRef; pod: PodSummary }>>();
  private readonly facts = new Map<string, NamespaceFacts>();

  constructor(
    private readonly known: KnownTokens,
    private readonly connections: ClusterConnections,
    private readonly log: vscode.LogOutputChannel,
    private readonly now: () => number = () => Date.now(),
  ) {
    super();
    this.own(known.onDidChange(() => this.changed.fire(undefined)));
    // Findings depend on the time (refresh due, expired): re-evaluate while tokens are known.
    const ticker = setInterval(() => {
      if (known.size > 0) this.changed.fire(undefined);
    }, 30_000);
    this.own(toDisposable(() => clearInterval(ticker)));
  }

  /** The pods of a namespace as the tree has them now (all pages loaded so far). */
  setPods(ctx: ContextRef, namespace: string, pods: readonly PodSummary[]): void {
    this.pods.set(nsKey(ctx.key, namespace), new Map(pods.map((pod) => [pod.name, { ctx, pod }])));
    this.changed.fire(undefined);
  }

  /** Lists the namespace's legacy token Secrets and service accounts (for the namespace and uid findings). */
  async loadNamespaceFacts(ctx: ContextRef, namespace: string): Promise<void> {
    try {
      const client = await this.connections.client(ctx.key);
      const [legacySecrets, sas] = await Promise.all([client.listLegacyTokenSecrets(namespace), client.listServiceAccounts(namespace)]);
      this.facts.set(nsKey(ctx.key, namespace), { legacySecrets, serviceAccountUids: new Map(sas.map((sa: ServiceAccountSummary) => [sa.name, sa.uid])) });
      this.changed.fire(undefined);
    } catch (err) {
      // Health is extra information: a namespace we may not list Secrets in just has no such findings.
      this.log.warn(`token health: could not list Secrets / service accounts of ${namespace} in ${ctx.label}: ${errorText(err)}`);
    }
  }

  /** Every listed pod's token sources, with the known token when there is one. */
  entries(filter?: { ctxKey?: string; namespace?: string; pod?: string }): PodTokenEntry[] {
    const out: PodTokenEntry[] = [];
    for (const [key, pods] of this.pods) {
      const [ctxKey, namespace] = key.split('\u0000') as [string, string];
      if (filter?.ctxKey !== undefined && filter.ctxKey !== ctxKey) continue;
      if (filter?.namespace !== undefined && filter.namespace !== namespace) continue;
      for (const { ctx, pod } of pods.values()) {
        if (filter?.pod !== undefined && filter.pod !== pod.name) continue;
        for (const source of pod.tokenSources) {
          const k = tokenKey(ctx, pod, source);
          const known = this.known.get(k);
          out.push({ ctx, pod, source, key: k, ...(known ? { known } : {}) });
        }
      }
    }
    return out;
  }

  private podFindings(ctxKey: string, namespace: string, podName: string, nowMs: number): HealthFinding[] {
    const saUids = this.facts.get(nsKey(ctxKey, namespace))?.serviceAccountUids;
    return this.entries({ ctxKey, namespace, pod: podName }).flatMap((e) => {
      if (!e.known) return [];
      const view = analyzeClaims(e.known.decoded.payload, nowMs);
      const saUid = saUids?.get(view.serviceAccount?.name ?? e.pod.serviceAccountName);
      return tokenFindings({
        subject: `${e.pod.namespace}/${e.pod.name} ${e.source.volume}/${e.source.path}`,
        view,
        fromKubelet: e.known.origin === 'readFromPod',
        nowMs,
        ...(saUid !== undefined ? { serviceAccountUid: saUid } : {}),
      });
    });
  }

  private namespaceFindings(ctxKey: string, namespace: string, nowMs: number): HealthFinding[] {
    const pods = this.pods.get(nsKey(ctxKey, namespace));
    const podFindings = [...(pods?.keys() ?? [])].flatMap((name) => this.podFindings(ctxKey, namespace, name, nowMs));
    const legacy = this.facts.get(nsKey(ctxKey, namespace))?.legacySecrets ?? [];
    return [...podFindings, ...legacySecretFindings(namespace, legacy.map((s) => s.name))];
  }

  summary(target: HealthTarget): HealthSummary {
    const nowMs = this.now();
    switch (target.level) {
      case 'pod':
        return summarize(this.podFindings(target.ctxKey, target.namespace, target.pod, nowMs));
      case 'namespace':
        return summarize(this.namespaceFindings(target.ctxKey, target.namespace, nowMs));
      case 'context': {
        const namespaces = new Set([...this.pods.keys(), ...this.facts.keys()].filter((k) => k.startsWith(`${target.ctxKey}\u0000`)).map((k) => k.slice(target.ctxKey.length + 1)));
        return summarize([...namespaces].flatMap((ns) => this.namespaceFindings(target.ctxKey, ns, nowMs)));
      }
    }
  }

  /** Whether a pod has any known risk (the "only at risk" filter keeps these). */
  atRisk(ctxKey: string, pod: PodSummary): boolean {
    return this.summary({ level: 'pod', ctxKey, namespace: pod.namespace, pod: pod.name }).worst !== undefined;
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const target = parseHealthUri(uri);
    if (!target) return undefined;
    const s = this.summary(target);
    if (!s.worst) return undefined;
    const kind = HEALTH_KINDS[s.worst];
    const decoration = new vscode.FileDecoration(kind.badge, describeSummary(s).join('\n'), new vscode.ThemeColor(kind.severity === 'error' ? 'list.errorForeground' : 'list.warningForeground'));
    return decoration;
  }
}
