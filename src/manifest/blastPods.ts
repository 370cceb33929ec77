/**
 * Pods of a manifest or of a live cluster → the pods an outage blast-radius analysis samples
 * (src/sim/blastRadius/blastRadiusInput.ts). A pod template stands for `replicas` pods, named
 * `<name>-0`, `<name>-1`, …; only a Pod with a status.startTime says when its tokens were first
 * requested, every other pod's phase is unknown and the analysis samples it.
 */
import type { BlastPod, BlastToken, PodAnchor } from '../sim/blastRadius/blastRadiusInput';
import { parseDateTime } from '../sim/units/datetime';
import type { ProjectedTokenSource } from './podTokenSources';
import type { PodTokens } from './tokenRows';
import { workloadTitle } from './workloads';

/** The token as the pod spec requests it: an absent expirationSeconds stays absent (the API server defaults it). */
export function blastTokenOf(source: ProjectedTokenSource): BlastToken {
  const t: BlastToken = { volume: source.volume, path: source.path };
  if (source.audience !== undefined) t.audience = source.audience;
  if (!source.expirationSecondsDefaulted) t.expirationSeconds = source.expirationSeconds;
  return t;
}

/** A live pod (the cluster layer's PodSummary fits): anchored at its start time when it has one. */
export interface LivePodTokens {
  namespace: string;
  name: string;
  uid?: string;
  serviceAccountName: string;
  /** status.startTime, RFC 3339. */
  startTime?: string;
  tokenSources: ProjectedTokenSource[];
}

function anchorAt(startTime: string | undefined): PodAnchor {
  const parsed = startTime === undefined ? undefined : parseDateTime(startTime);
  return parsed?.ok ? { kind: 'started', startedAtMs: parsed.ms } : { kind: 'unknown' };
}

export function blastPodOf(pod: LivePodTokens): BlastPod {
  const p: BlastPod = {
    namespace: pod.namespace,
    name: pod.name,
    serviceAccount: pod.serviceAccountName,
    anchor: anchorAt(pod.startTime),
    tokens: pod.tokenSources.map(blastTokenOf),
    origin: `Pod ${pod.namespace}/${pod.name}`,
  };
  if (pod.uid) p.uid = pod.uid;
  return p;
}

/** Every pod of the manifest with at least one projected token, templates expanded to their replicas. */
export function blastPodsOf(pods: readonly PodTokens[]): BlastPod[] {
  const out: BlastPod[] = [];
  for (const { workload: w, admission, sources } of pods) {
    if (sources.length === 0) continue;
    const tokens = sources.map(({ source }) => blastTokenOf(source));
    if (!w.template) {
      const p: BlastPod = {
        namespace: w.namespace,
        name: w.name,
        serviceAccount: admission.serviceAccount,
        anchor: w.startTimeMs !== undefined ? { kind: 'started', startedAtMs: w.startTimeMs } : { kind: 'unknown' },
        tokens,
        origin: workloadTitle(w),
      };
      if (w.podMetadata.uid) p.uid = w.podMetadata.uid;
      out.push(p);
      continue;
    }
    for (let i = 0; i < w.replicas; i++) {
      out.push({
        namespace: w.namespace,
        name: `${w.name}-${i}`,
        serviceAccount: admission.serviceAccount,
        anchor: { kind: 'unknown' },
        tokens: tokens.map((t) => ({ ...t })),
        origin: `${workloadTitle(w)} (pod template, replica ${i + 1} of ${w.replicas})`,
      });
    }
  }
  return out;
}
