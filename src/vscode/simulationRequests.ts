/**
 * What to simulate, decided without VS Code: the scenario, title, run source and clock anchor of a
 * pod of the cluster or of a fresh token. The simulation service (simulationService.ts) runs them.
 * Pure (type imports only), so the anchoring rules are unit-tested.
 */
import { refreshWindow, type KubeletVersion } from '../sim/kubelet/tokenManager';
import { KUBELET_DEFAULTS } from '../sim/kubelet/section';
import { podScenario } from '../sim/scenario/podScenario';
import { formatDuration } from '../token/format';
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
/** Room after the second refresh so it lies inside the run: the kubelet acts at a sync (≤ 1 sync period late). */
const AFTER_SECOND_REFRESH_MS = 10 * SYNC_FREQUENCY_MS;

/**
 * The most simulated time a new simulation from live objects gets by itself: 7 days. A kubelet
 * refresh cycle is at most 24 h (the 24 h rule, SPEC A.5), so two cycles of any token fit many times
 * over; only a start far in the past (a token we hold that was issued long ago) reaches it, and past a
 * week the timeline only repeats the same cycle while the trace and the chart grow. A longer run is
 * one Horizon change away in the what-if form.
 */
export const MAX_FITTED_HORIZON_MS = 7 * 86_400_000;

/** One token source as the horizon rule sees it. */
export interface HorizonToken {
  name: string;
  expirationSeconds: number | undefined;
}

/** A horizon and, when the cap cut it, the sentence the timeline shows about it. */
export interface FittedHorizon {
  horizonMs: number;
  notice?: string;
}

/**
 * The horizon of a new simulation from live objects: the default, but at least two refresh cycles of
 * the longest-cycling token (its refresh instant at jitter 0, from the kubelet's own refreshWindow:
 * one rule, one home) and, when the start lies in the past, the time to now plus an hour; never more
 * than MAX_FITTED_HORIZON_MS (and then `notice` says why).
 */
export function fittedHorizon(o: { defaultMs: number; start: number; now: number; tokens: readonly HorizonToken[]; version?: KubeletVersion }): FittedHorizon {
  const version = o.version ?? KUBELET_DEFAULTS.version;
  let longest: { name: string; cycleMs: number } | undefined;
  for (const t of o.tokens) {
    // A window anchored at issue = 0: `latest` is the time from issue to the refresh.
    const w = refreshWindow(t.expirationSeconds, (t.expirationSeconds ?? 0) * 1000, version);
    const cycleMs = w.latest ?? 0;
    if (cycleMs > 0 && (!longest || cycleMs > longest.cycleMs)) longest = { name: t.name, cycleMs };
  }
  const cycles = longest ? 2 * longest.cycleMs + AFTER_SECOND_REFRESH_MS : 0;
  const toNow = o.now > o.start ? o.now - o.start + AHEAD_OF_NOW_MS : 0;
  const wanted = Math.max(o.defaultMs, cycles, toNow);
  if (wanted <= MAX_FITTED_HORIZON_MS || o.defaultMs >= wanted) return { horizonMs: wanted };
  const why = [
    toNow > MAX_FITTED_HORIZON_MS ? `the oldest token we hold was issued ${formatDuration((o.now - o.start) / 1000)} before now, where the run starts` : undefined,
    longest ? `the longest token (${longest.name}) refreshes every ${formatDuration(longest.cycleMs / 1000)}` : undefined,
  ].filter((x): x is string => x !== undefined);
  return {
    horizonMs: Math.max(o.defaultMs, MAX_FITTED_HORIZON_MS),
    notice: `Simulated time capped at ${formatDuration(MAX_FITTED_HORIZON_MS / 1000)} (reaching now would take ${formatDuration(wanted / 1000)}): ${why.join('; ')}. Change the Horizon in the What if… form to see more.`,
  };
}

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
  const horizon = fittedHorizon({ defaultMs: defaults.horizonMs, start, now, tokens: sources.map((s) => ({ name: s.volume, expirationSeconds: s.expirationSeconds })) });
  const scenario = podScenario({
    name: `${pod.namespace}/${pod.name}${only ? ` ${only.volume}/${only.path}` : ''}`,
    start,
    horizonMs: horizon.horizonMs,
    seed: defaults.seed,
    syncFrequencyMs: SYNC_FREQUENCY_MS,
    pod: { name: pod.name, namespace: pod.namespace, serviceAccount: pod.serviceAccountName, uid: pod.uid },
    tokens: sources.map((s) => ({ path: `${s.volume}/${s.path}`, expirationSeconds: s.expirationSeconds, ...(s.audience !== undefined ? { audiences: [s.audience] } : {}) })),
  });
  const title = scenario.name ?? pod.name;
  return { title, scenario, source: { kind: 'token', description: `${o.contextLabel}: ${title}` }, anchorNow: now, ...(horizon.notice !== undefined ? { notice: horizon.notice } : {}) };
}

/** A fresh pod with one projected token of `lifetimeSeconds`, starting now. */
export function freshTokenSimulation(lifetimeSeconds: number, now: number, defaults: SimulationDefaults): SimulationRequest {
  const scenario = podScenario({
    name: `One token of ${lifetimeSeconds} s`,
    start: now,
    horizonMs: fittedHorizon({ defaultMs: defaults.horizonMs, start: now, now, tokens: [{ name: 'token', expirationSeconds: lifetimeSeconds }] }).horizonMs,
    seed: defaults.seed,
    syncFrequencyMs: SYNC_FREQUENCY_MS,
    pod: { name: 'my-pod', namespace: 'default', serviceAccount: 'default', uid: 'b1e9c6a2-0000-4000-8000-000000000001' },
    tokens: [{ path: 'token', expirationSeconds: lifetimeSeconds }],
  });
  return { title: scenario.name ?? 'One token', scenario, source: { kind: 'token', description: `fresh ${lifetimeSeconds} s token` }, anchorNow: now };
}
