/**
 * What to simulate, decided without VS Code: the scenario, title, run source and clock anchor of a
 * pod of the cluster or of a fresh token. The simulation service (simulationService.ts) runs them.
 * Pure (type imports only), so the anchoring rules are unit-tested.
 */
import { podScenario } from '../sim/scenario/podScenario';
import type { Scenario } from '../sim/scenario/types';
import type { PodSummary, ProjectedTokenSource } from '../cluster/clusterClient';
import type { RunSource } from './simulationRuns';
import type { SimulationDefaults } from './settings';

/** One simulation to run and show. */
export interface SimulationRequest {
  title: string;
  scenario: Scenario;
  source: RunSource;
  /** The real "now" (epoch ms) for the timeline's clock cursor. */
  anchorNow?: number;
  /** A sentence the timeline shows about how the run was set up (e.g. why its horizon was capped). */
  notice?: string;
}

/** The kubelet's default --sync-frequency. */
const SYNC_FREQUENCY_MS = 60_000;
/** A pod simulation runs at least this long past the real now, so what comes next is visible. */
const AHEAD_OF_NOW_MS = 3_600_000;

/**
 * A pod's projected tokens (or one of them). Anchored at the earliest real issue time (`iat`) of the
 * tokens we know, so the timeline's "now" is the real now; else at now.
 */
export function podSimulation(o: {
  /** The context's label, e.g. "Demo cluster (built-in)". */
  contextLabel: string;
  pod: PodSummary;
  only?: ProjectedTokenSource;
  /** Issue times (epoch ms) of the tokens of this pod we hold. */
  issuedAtMs: readonly number[];
  now: number;
  defaults: SimulationDefaults;
}): SimulationRequest {
  const { pod, only, now, defaults } = o;
  const sources = only ? [only] : pod.tokenSources;
  const issued = o.issuedAtMs.filter((t) => t <= now);
  const start = issued.length ? Math.min(...issued) : now;
  const scenario = podScenario({
    name: `${pod.namespace}/${pod.name}${only ? ` ${only.volume}/${only.path}` : ''}`,
    start,
    horizonMs: Math.max(defaults.horizonMs, now - start + AHEAD_OF_NOW_MS),
    seed: defaults.seed,
    syncFrequencyMs: SYNC_FREQUENCY_MS,
    pod: { name: pod.name, namespace: pod.namespace, serviceAccount: pod.serviceAccountName, uid: pod.uid },
    tokens: sources.map((s) => ({ path: `${s.volume}/${s.path}`, expirationSeconds: s.expirationSeconds, ...(s.audience !== undefined ? { audiences: [s.audience] } : {}) })),
  });
  const title = scenario.name ?? pod.name;
  return { title, scenario, source: { kind: 'token', description: `${o.contextLabel}: ${title}` }, anchorNow: now };
}

/** A fresh pod with one projected token of `lifetimeSeconds`, starting now. */
export function freshTokenSimulation(lifetimeSeconds: number, now: number, defaults: SimulationDefaults): SimulationRequest {
  const scenario = podScenario({
    name: `One token of ${lifetimeSeconds} s`,
    start: now,
    horizonMs: defaults.horizonMs,
    seed: defaults.seed,
    syncFrequencyMs: SYNC_FREQUENCY_MS,
    pod: { name: 'my-pod', namespace: 'default', serviceAccount: 'default', uid: 'b1e9c6a2-0000-4000-8000-000000000001' },
    tokens: [{ path: 'token', expirationSeconds: lifetimeSeconds }],
  });
  return { title: scenario.name ?? 'One token', scenario, source: { kind: 'token', description: `fresh ${lifetimeSeconds} s token` }, anchorNow: now };
}
