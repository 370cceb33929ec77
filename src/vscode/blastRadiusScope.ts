/**
 * The pods of a cluster scope (a whole context, or one namespace) as the blast-radius analysis takes
 * them: every page of the pod list (so thousands of pods), with progress and cancellation, each pod
 * with its projected token sources and how well its token history is known: the issue times of tokens
 * the user read from the pod in this window when all of them are known, else status.startTime.
 */
import * as vscode from 'vscode';
import type { ClusterClient, PodSummary } from '../cluster/clusterClient';
import { ClusterError } from '../cluster/clusterErrors';
import { blastPodOf } from '../manifest/blastPods';
import type { BlastPod } from '../sim/blastRadius/blastRadiusInput';
import { MAX_PODS } from '../sim/kubelet/section';
import { tokenKey, type ContextRef } from './clusterTree';
import type { KnownTokens } from './knownTokens';

/** What to analyse: every namespace of a context, or one. */
export interface ClusterScope {
  ctx: ContextRef;
  namespace?: string;
}

export function scopeLabel(scope: ClusterScope): string {
  return scope.namespace === undefined ? `${scope.ctx.label}, all namespaces` : `${scope.ctx.label}, namespace ${scope.namespace}`;
}

/** Pods per list request: large pages, since every pod is needed. */
const PAGE = 500;

/** Every pod of the scope, page by page. A continue token the server compacted away restarts the list. */
export async function listScopePods(
  client: ClusterClient,
  scope: ClusterScope,
  progress: vscode.Progress<{ message?: string }>,
  cancel: vscode.CancellationToken,
): Promise<PodSummary[]> {
  let pods: PodSummary[] = [];
  let cont: string | undefined;
  let restarted = false;
  do {
    if (cancel.isCancellationRequested) throw new vscode.CancellationError();
    let page;
    try {
      page = await client.listPods(scope.namespace, { limit: PAGE, ...(cont ? { continueToken: cont } : {}) });
    } catch (err) {
      if (!(err instanceof ClusterError) || err.info.kind !== 'expired' || restarted) throw err;
      // As kubectl does: the list changed too much while paging, start it again (once).
      restarted = true;
      pods = [];
      cont = undefined;
      continue;
    }
    pods.push(...page.items);
    if (pods.length > MAX_PODS) throw new Error(`${scopeLabel(scope)} has more than ${MAX_PODS.toLocaleString('en-US')} pods: run Outage Blast Radius on one namespace at a time`);
    cont = page.continueToken;
    const more = page.remainingItemCount !== undefined ? ` of about ${(pods.length + page.remainingItemCount).toLocaleString('en-US')}` : '';
    progress.report({ message: `listed ${pods.length.toLocaleString('en-US')}${more} pods` });
  } while (cont);
  return pods;
}

/** The pods that hold projected tokens, as blast-radius pods; issue times from tokens read in this window. */
export function scopeBlastPods(ctx: ContextRef, pods: readonly PodSummary[], known: KnownTokens): BlastPod[] {
  const out: BlastPod[] = [];
  for (const pod of pods) {
    if (pod.tokenSources.length === 0) continue;
    const issued: number[] = [];
    for (const source of pod.tokenSources) {
      const iat = known.get(tokenKey(ctx, pod, source))?.decoded.payload.iat;
      if (typeof iat === 'number' && Number.isFinite(iat)) issued.push(iat * 1000);
    }
    const blast = blastPodOf(pod);
    // Only when every token's issue time is known does it pin the pod's history (see PodAnchor).
    out.push(issued.length === pod.tokenSources.length ? { ...blast, anchor: { kind: 'issued', issuedAtMs: issued } } : blast);
  }
  return out;
}
