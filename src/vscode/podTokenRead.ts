import type { ClusterClient, PodSummary, ProjectedTokenSource } from '../cluster/clusterClient';
import { tokenKey, type ContextRef } from './clusterTree';
import type { KnownTokens } from './knownTokens';

/**
 * Reads the token files of a pod into KnownTokens: the demo cluster hands them over, a real cluster is
 * read with pods/exec `cat`. The caller has the user's consent. The one home of "read a pod's tokens"
 * (the per-pod command and the per-namespace one both use it).
 */
export async function readPodTokenFiles(client: ClusterClient, ctx: ContextRef, pod: PodSummary, sources: readonly ProjectedTokenSource[], known: KnownTokens, now: number): Promise<void> {
  if (ctx.demo) {
    const files = await client.readDemoPodTokens(pod.namespace, pod.name);
    for (const source of sources) {
      const file = files.find((f) => f.volume === source.volume && f.path === source.path);
      if (!file) continue;
      const problem = known.set(tokenKey(ctx, pod, source), file.token, 'readFromPod', now, Date.parse(file.statusExpirationTimestamp));
      if (problem) throw new Error(`the token in ${source.volume}/${source.path} is not a JWT (${problem})`);
    }
    return;
  }
  for (const source of sources) {
    const mount = source.mounts.find((m) => !m.initContainer) ?? source.mounts[0];
    if (!mount) throw new Error(`no container mounts ${source.volume}, so there is no file to read`);
    const token = await client.execReadFile(pod.namespace, pod.name, mount.container, mount.file);
    const problem = known.set(tokenKey(ctx, pod, source), token, 'readFromPod', now);
    if (problem) throw new Error(`${mount.file} in container ${mount.container} does not hold a JWT (${problem})`);
  }
}

/** What reading token files does, said once for the pod and the namespace confirmations. */
export function readTokensDetail(demo: boolean): string {
  return demo
    ? 'The demo cluster hands over the token files its kubelet wrote. The tokens stay in this window’s memory: they are never logged or saved.'
    : 'Kube Token Lens will run `cat` on each token file in a container of the pod (pods/exec, like kubectl exec). The tokens stay in this window’s memory: they are never logged or saved.';
}
