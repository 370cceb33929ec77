/**
 * Scenario → scenario file text (YAML), the inverse of load.ts: what "Save scenario" writes. Pods are
 * written one by one (replicas already expanded), each with its uid, so loading the text gives back
 * an equal Scenario.
 */
import { stringify } from 'yaml';
import { formatDateTime } from '../units/datetime';
import { formatDuration } from '../units/duration';
import type { Outage, Scenario } from './types';

type Json = string | number | boolean | Json[] | { [key: string]: Json };

const outages = (list: Outage[]): Json[] => list.map((o) => ({ from: formatDuration(o.from), to: formatDuration(o.to) }));

export function scenarioToFile(s: Scenario): { [key: string]: Json } {
  const file: { [key: string]: Json } = {};
  if (s.name !== undefined) file.name = s.name;
  file.seed = s.seed;
  file.start = formatDateTime(s.start);
  file.horizon = formatDuration(s.horizonMs);
  file.kubelet = { syncFrequency: formatDuration(s.kubelet.syncFrequencyMs), version: s.kubelet.version };
  const api: { [key: string]: Json } = {
    issuer: s.apiServer.issuer,
    audiences: [...s.apiServer.audiences],
    extendTokenExpiration: s.apiServer.extendTokenExpiration,
  };
  if (s.apiServer.maxTokenExpirationSeconds > 0) api.maxTokenExpiration = formatDuration(s.apiServer.maxTokenExpirationSeconds * 1000);
  if (s.apiServer.outages.length) api.outages = outages(s.apiServer.outages);
  if (s.apiServer.errorRate > 0) api.errorRate = s.apiServer.errorRate;
  if (s.apiServer.latencyMs > 0) api.latency = formatDuration(s.apiServer.latencyMs);
  file.apiServer = api;
  if (s.signer) {
    const signer: { [key: string]: Json } = { refreshHint: formatDuration(s.signer.refreshHintSeconds * 1000) };
    if (s.signer.rotations.length) {
      signer.rotations = s.signer.rotations.map((r) => {
        const rotation: { [key: string]: Json } = { at: formatDuration(r.at) };
        if (r.dropOldKeyAfter !== undefined) rotation.dropOldKeyAfter = formatDuration(r.dropOldKeyAfter);
        return rotation;
      });
    }
    if (s.signer.outages.length) signer.outages = outages(s.signer.outages);
    file.signer = signer;
  }
  file.pods = s.pods.map((p) => {
    const pod: { [key: string]: Json } = { name: p.name, namespace: p.namespace, serviceAccount: p.serviceAccount, uid: p.uid };
    pod.tokens = p.tokens.map((t) => {
      const token: { [key: string]: Json } = { path: t.path };
      if (t.audiences !== undefined) token.audiences = [...t.audiences];
      if (t.expirationSeconds !== undefined) token.expirationSeconds = t.expirationSeconds;
      return token;
    });
    if (p.deleteAt !== undefined) pod.deleteAt = formatDuration(p.deleteAt);
    return pod;
  });
  if (s.refreshers.length) {
    file.refreshers = s.refreshers.map((r) => {
      const refresher: { [key: string]: Json } = {
        kind: r.kind,
        name: r.name,
        namespace: r.namespace,
        serviceAccount: r.serviceAccount,
        expirationSeconds: r.expirationSeconds,
      };
      if (r.refreshIntervalMs !== undefined) refresher.refreshInterval = formatDuration(r.refreshIntervalMs);
      return refresher;
    });
  }
  file.output = { maxDetailedLanes: s.output.maxDetailedLanes, seriesInterval: formatDuration(s.output.seriesIntervalMs) };
  return file;
}

export function scenarioToYaml(s: Scenario): string {
  return `# Kube Token Lens scenario (see scenario.schema.json)\n${stringify(scenarioToFile(s), { lineWidth: 0 })}`;
}
