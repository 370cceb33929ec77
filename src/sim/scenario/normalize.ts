/**
 * File shape → the engine's Scenario (types.ts): defaults applied, replicas expanded, durations in
 * ms, seconds where the engine counts seconds. Only called on a file that passed every check, so
 * nothing here validates.
 */
import type { OutageFile, ScenarioFile, TokenFile } from './fileTypes';
import { DEFAULTS } from './rules';
import { refresherName, replicaNames } from './semantic';
import { parseDuration } from '../units/duration';
import type { Outage, PodSpec, Scenario, TokenSource } from './types';
import { podUid } from './uid';

/** A default that is written as a duration string in DEFAULTS (so the schema can publish it). */
function durationDefault(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(`bad built-in default duration ${text}`);
  return r.ms;
}

export function normalizeScenario(file: ScenarioFile): Scenario {
  const api = file.apiServer ?? {};
  const issuer = api.issuer ?? DEFAULTS.issuer;
  const scenario: Scenario = {
    seed: file.seed ?? DEFAULTS.seed,
    start: file.start,
    horizonMs: file.horizon,
    kubelet: {
      syncFrequencyMs: file.kubelet?.syncFrequency ?? durationDefault(DEFAULTS.syncFrequency),
      version: file.kubelet?.version ?? DEFAULTS.kubeletVersion,
    },
    apiServer: {
      issuer,
      audiences: api.audiences ? [...api.audiences] : [issuer],
      maxTokenExpirationSeconds: (api.maxTokenExpiration ?? DEFAULTS.maxTokenExpiration) / 1000,
      extendTokenExpiration: api.extendTokenExpiration ?? DEFAULTS.extendTokenExpiration,
      outages: outages(api.outages),
      errorRate: api.errorRate ?? DEFAULTS.errorRate,
      latencyMs: api.latency ?? durationDefault(DEFAULTS.latency),
    },
    pods: file.pods.flatMap(expandPod),
    refreshers: (file.refreshers ?? []).map((r, i) => ({
      kind: r.kind,
      name: refresherName(r.name, i),
      namespace: r.namespace ?? DEFAULTS.calicoNamespace,
      serviceAccount: r.serviceAccount ?? DEFAULTS.calicoServiceAccount,
      expirationSeconds: r.expirationSeconds ?? DEFAULTS.calicoExpirationSeconds,
      ...(r.refreshInterval === undefined ? {} : { refreshIntervalMs: r.refreshInterval }),
    })),
    output: {
      maxDetailedLanes: file.output?.maxDetailedLanes ?? DEFAULTS.maxDetailedLanes,
      seriesIntervalMs: file.output?.seriesInterval ?? durationDefault(DEFAULTS.seriesInterval),
    },
  };
  if (file.name !== undefined) scenario.name = file.name;
  if (file.signer !== undefined) {
    scenario.signer = {
      refreshHintSeconds: file.signer.refreshHint / 1000,
      rotations: (file.signer.rotations ?? []).map((r) =>
        r.dropOldKeyAfter === undefined ? { at: r.at } : { at: r.at, dropOldKeyAfter: r.dropOldKeyAfter },
      ),
      outages: outages(file.signer.outages),
    };
  }
  return scenario;
}

function outages(list: OutageFile[] | undefined): Outage[] {
  return (list ?? []).map((o) => ({ from: o.from, to: o.to }));
}

function expandPod(pod: ScenarioFile['pods'][number]): PodSpec[] {
  const namespace = pod.namespace ?? DEFAULTS.namespace;
  return replicaNames(pod.name, pod.replicas).map((name) => {
    const spec: PodSpec = {
      name,
      namespace,
      serviceAccount: pod.serviceAccount ?? DEFAULTS.serviceAccount,
      // Semantic checks allow an explicit uid only without replicas (or with replicas: 1).
      uid: pod.uid ?? podUid(namespace, name),
      // Each replica gets its own token objects: the engine may keep per-pod state on them.
      tokens: pod.tokens.map(tokenSource),
    };
    if (pod.deleteAt !== undefined) spec.deleteAt = pod.deleteAt;
    return spec;
  });
}

/** `audience: vault` → ["vault"]; `audiences: [...]` → a copy (even []); neither (or "") → undefined (SPEC A.2). */
function tokenSource(t: TokenFile): TokenSource {
  const source: TokenSource = { path: t.path };
  if (t.audiences !== undefined) source.audiences = [...t.audiences];
  else if (t.audience !== undefined && t.audience !== '') source.audiences = [t.audience];
  if (t.expirationSeconds !== undefined) source.expirationSeconds = t.expirationSeconds;
  return source;
}
