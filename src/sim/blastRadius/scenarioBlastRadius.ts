/**
 * A scenario's pods as an outage blast-radius analysis takes them: every pod starts at the scenario's
 * start (as the engine runs it), with the scenario's kubelet and API-server settings and seed, and by
 * default the scenario's first API-server outage. What a scenario can say that the analysis cannot
 * (a token with several audiences) is a located problem, not a silent change.
 */
import type { Scenario } from '../scenario/types';
import type { BlastPod, BlastRadiusInput, BlastToken, OutageWindow } from './blastRadiusInput';

export type ScenarioBlastRadius = { ok: true; input: BlastRadiusInput } | { ok: false; problems: string[] };

/** The scenario's first outage as an absolute window, if it has one. */
export function scenarioOutage(s: Scenario): OutageWindow | undefined {
  const first = s.apiServer.outages[0];
  return first === undefined ? undefined : { startMs: s.start + first.from, durationMs: first.to - first.from };
}

export function scenarioBlastRadius(s: Scenario, outage: OutageWindow, runs: number): ScenarioBlastRadius {
  const problems: string[] = [];
  const pods: BlastPod[] = [];
  s.pods.forEach((p, i) => {
    const tokens: BlastToken[] = [];
    p.tokens.forEach((t, j) => {
      if (t.audiences !== undefined && t.audiences.length > 1) {
        problems.push(`pods[${i}].tokens[${j}] (${p.namespace}/${p.name} ${t.path}): a token with ${t.audiences.length} audiences; the blast radius takes one audience per token`);
        return;
      }
      // The kubelet section keeps "volume/file" as one path (kubeletSpec.ts TokenSource.path).
      const slash = t.path.indexOf('/');
      tokens.push({
        volume: slash < 0 ? t.path : t.path.slice(0, slash),
        path: slash < 0 ? t.path : t.path.slice(slash + 1),
        ...(t.audiences?.[0] !== undefined ? { audience: t.audiences[0] } : {}),
        ...(t.expirationSeconds !== undefined ? { expirationSeconds: t.expirationSeconds } : {}),
      });
    });
    if (tokens.length > 0) pods.push({ namespace: p.namespace, name: p.name, uid: p.uid, serviceAccount: p.serviceAccount, anchor: { kind: 'started', startedAtMs: s.start }, tokens, origin: 'scenario pod' });
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    input: {
      outage,
      runs,
      seed: s.seed,
      kubelet: { syncFrequencyMs: s.kubelet.syncFrequencyMs, version: s.kubelet.version },
      apiServer: {
        audiences: [...s.apiServer.audiences],
        maxTokenExpirationSeconds: s.apiServer.maxTokenExpirationSeconds,
        extendTokenExpiration: s.apiServer.extendTokenExpiration,
      },
      pods,
    },
  };
}
