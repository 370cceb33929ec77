/**
 * Scenarios built from one pod (or one token) rather than a file: what "Simulate Refresh" runs for a
 * pod of the cluster or a fresh default. Anchored at a given start (the token's real issue time when
 * known), with the API server's defaults (rules.ts) unless told otherwise.
 */
import { DEFAULTS } from './rules';
import type { PodSpec, Scenario, TokenSource } from './types';

export interface PodScenarioInput {
  name?: string;
  start: number;
  horizonMs: number;
  seed: number;
  syncFrequencyMs: number;
  pod: Omit<PodSpec, 'tokens' | 'deleteAt'>;
  tokens: TokenSource[];
  issuer?: string;
  /** The API server's audiences; default [issuer]. */
  audiences?: string[];
}

export function podScenario(input: PodScenarioInput): Scenario {
  const issuer = input.issuer ?? DEFAULTS.issuer;
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    seed: input.seed,
    start: input.start,
    horizonMs: input.horizonMs,
    kubelet: { syncFrequencyMs: input.syncFrequencyMs, version: DEFAULTS.kubeletVersion },
    apiServer: {
      issuer,
      audiences: input.audiences ?? [issuer],
      maxTokenExpirationSeconds: DEFAULTS.maxTokenExpiration,
      extendTokenExpiration: DEFAULTS.extendTokenExpiration,
      outages: [],
      errorRate: DEFAULTS.errorRate,
      latencyMs: 0,
    },
    pods: [{ ...input.pod, tokens: input.tokens.map((t) => ({ ...t })) }],
    refreshers: [],
    output: { maxDetailedLanes: DEFAULTS.maxDetailedLanes, seriesIntervalMs: 60_000 },
  };
}
