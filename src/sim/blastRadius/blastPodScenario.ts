/**
 * "This pod's timeline" from a blast-radius analysis: the one-pod scenario the engine runs to show
 * one pod's tokens around the outage, with the analysis's kubelet and API-server settings.
 */
import type { Scenario } from '../scenario/types';
import { podScenario } from '../scenario/podScenario';
import type { BlastPod, BlastRadiusInput } from './blastRadiusInput';
import { planPodHistory, podSpecOf } from './podHistory';

/** How long after the outage end the timeline runs. */
export const TIMELINE_AFTER_OUTAGE_MS = 3600_000;

/**
 * Where the timeline starts: the pod's start, the earliest known issue time, or (unknown) one refresh
 * cycle of its longest-lived token before the outage, so the outage meets tokens mid-cycle.
 */
export function timelineStart(input: BlastRadiusInput, podIndex: number): number {
  const pod = input.pods[podIndex] as BlastPod;
  const a = pod.anchor;
  if (a.kind === 'started') return a.startedAtMs;
  if (a.kind === 'issued' && a.issuedAtMs.length > 0) return Math.min(...a.issuedAtMs);
  return input.outage.startMs - planPodHistory(input, podIndex).longestCycleMs;
}

export function blastPodScenario(input: BlastRadiusInput, podIndex: number): Scenario {
  const pod = input.pods[podIndex];
  if (pod === undefined) throw new Error(`pods[${podIndex}]: no such pod (the analysis has ${input.pods.length})`);
  const spec = podSpecOf(pod);
  const start = timelineStart(input, podIndex);
  const outageEnd = input.outage.startMs + input.outage.durationMs;
  const base = podScenario({
    name: `${pod.namespace}/${pod.name} around the outage`,
    start,
    horizonMs: Math.max(0, outageEnd + TIMELINE_AFTER_OUTAGE_MS - start),
    seed: input.seed,
    syncFrequencyMs: input.kubelet.syncFrequencyMs,
    pod: { name: spec.name, namespace: spec.namespace, serviceAccount: spec.serviceAccount, uid: spec.uid },
    tokens: spec.tokens,
    audiences: [...input.apiServer.audiences],
  });
  // Outages are offsets from the scenario start; a pod started inside the outage sees only its rest.
  const from = Math.max(0, input.outage.startMs - start);
  const to = outageEnd - start;
  return {
    ...base,
    kubelet: { syncFrequencyMs: input.kubelet.syncFrequencyMs, version: input.kubelet.version },
    apiServer: {
      ...base.apiServer,
      maxTokenExpirationSeconds: input.apiServer.maxTokenExpirationSeconds,
      extendTokenExpiration: input.apiServer.extendTokenExpiration,
      outages: to > from ? [{ from, to }] : [],
    },
  };
}
