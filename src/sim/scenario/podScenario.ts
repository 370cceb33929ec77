/**
 * Scenarios built from one pod (or one token) rather than a file: what "Simulate Refresh" runs for a
 * pod of the cluster or a fresh default. Anchored at a given start (the token's real issue time when
 * known), with the sections' defaults unless told otherwise.
 */
import { API_SERVER_DEFAULTS } from '../apiserver/section';
import type { PodSpec, TokenSource } from '../kubelet/kubeletSpec';
import { KUBELET_DEFAULTS } from '../kubelet/section';
import { CORE_DEFAULTS } from './rules';
import type { Scenario } from './types';

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
  const issuer = input.issuer ?? API_SERVER_DEFAULTS.issuer;
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    seed: input.seed,
    start: input.start,
    horizonMs: input.horizonMs,
    kubelet: { syncFrequencyMs: input.syncFrequencyMs, version: KUBELET_DEFAULTS.version },
    apiServer: {
      issuer,
      audiences: input.audiences ?? [issuer],
      maxTokenExpirationSeconds: API_SERVER_DEFAULTS.maxTokenExpiration,
      extendTokenExpiration: API_SERVER_DEFAULTS.extendTokenExpiration,
      outages: [],
      errorRate: API_SERVER_DEFAULTS.errorRate,
      latencyMs: 0,
    },
    pods: [{ ...input.pod, tokens: input.tokens.map((t) => ({ ...t })) }],
    refreshers: [],
    output: { maxDetailedLanes: CORE_DEFAULTS.maxDetailedLanes, seriesIntervalMs: 60_000 },
  };
}
