import * as vscode from 'vscode';
import type { PodSummary } from '../cluster/clusterClient';
import type { ClusterNode } from './clusterTree';
import type { ClusterConnections } from './clusterConnections';
import type { Consent } from './consent';
import type { KnownTokens } from './knownTokens';
import { readPodTokenFiles, readTokensDetail } from './podTokenRead';
import { ACTION_ACCESS, requireAccess } from './accessCheck';
import { errorText } from './commandGuard';

type NamespaceNode = Extract<ClusterNode, { kind: 'namespace' }>;

/** Pods read at the same time: enough to be quick, few enough not to load the API server. */
export const READ_CONCURRENCY = 4;

export interface NamespaceReadResult {
  read: number;
  failed: Array<{ pod: string; error: string }>;
  cancelled: boolean;
}

/**
 * "Read Tokens of All Pods in Namespace…": one confirmation for the namespace (with the choice to allow
 * it again in this window), then each pod's token files, a few at a time, with progress and Cancel.
 */
export async function readNamespaceTokens(
  node: NamespaceNode,
  deps: { connections: ClusterConnections; known: KnownTokens; consent: Consent; log: vscode.LogOutputChannel },
): Promise<NamespaceReadResult | undefined> {
  const { ctx, namespace } = node;
  await requireAccess(await deps.connections.client(ctx.key), ACTION_ACCESS.readTokenFromPod(namespace), deps.log);
  const ok = await deps.consent.askForScope(
    `read-namespace:${ctx.key}/${namespace}`,
    `Read the current tokens of every pod in namespace ${namespace} (${ctx.label})?`,
    readTokensDetail(ctx.demo),
    'Read Tokens',
    'Read, and Allow Again for This Namespace in This Window',
  );
  if (!ok) return undefined;
  const client = await deps.connections.client(ctx.key);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading the tokens of pods in ${namespace}`, cancellable: true },
    async (progress, cancel) => {
      const pods: PodSummary[] = [];
      let continueToken: string | undefined;
      do {
        const page = await client.listPods(namespace, { limit: 500, ...(continueToken ? { continueToken } : {}) });
        pods.push(...page.items.filter((p) => p.tokenSources.length > 0));
        continueToken = page.continueToken;
      } while (continueToken && !cancel.isCancellationRequested);
      const result: NamespaceReadResult = { read: 0, failed: [], cancelled: false };
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < pods.length && !cancel.isCancellationRequested) {
          const pod = pods[next++] as PodSummary;
          try {
            await readPodTokenFiles(client, ctx, pod, pod.tokenSources, deps.known, Date.now());
            result.read++;
          } catch (err) {
            result.failed.push({ pod: pod.name, error: errorText(err) });
          }
          progress.report({ increment: 100 / pods.length, message: `${result.read + result.failed.length} of ${pods.length} pods` });
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, pods.length) }, worker));
      result.cancelled = cancel.isCancellationRequested;
      deps.log.info(`read the tokens of ${result.read} of ${pods.length} pod(s) in ${namespace} from ${ctx.label}${result.cancelled ? ' (cancelled)' : ''}${result.failed.length ? `; ${result.failed.length} failed` : ''}`);
      if (result.failed.length > 0) {
        const first = result.failed[0] as { pod: string; error: string };
        void vscode.window.showWarningMessage(`Token Lens: could not read the tokens of ${result.failed.length} pod(s) in ${namespace}, e.g. ${first.pod}: ${first.error}`);
      }
      return result;
    },
  );
}
