/**
 * What an outage blast-radius analysis is asked: the outage, the pods (from the cluster, a manifest or a
 * scenario) with the projected service-account tokens they hold, how well each pod's token phase is
 * known, and the kubelet's and API server's settings. Pure data: the analysis (blastRadius.ts) samples
 * many possible histories of every pod (Monte Carlo over seeds) and summarises them (blastRadiusResult.ts).
 */
import type { KubeletVersion } from '../kubelet/tokenManager';
import { formatDuration, parseDuration, type DurationResult } from '../units/duration';

/** The outage: the API server refuses every TokenRequest in [startMs, startMs + durationMs). */
export interface OutageWindow {
  startMs: number;
  durationMs: number;
}

/** One projected serviceAccountToken source of a pod, as the pod spec (after admission) has it. */
export interface BlastToken {
  /** The projected volume's name, e.g. "kube-api-access-x7k2p" or "vault-token". */
  volume: string;
  /** The file inside the volume, e.g. "token". */
  path: string;
  /** Undefined: no audience, so the API server's own audiences. */
  audience?: string;
  /** As requested in the pod spec; undefined: absent, the API server defaults it to 3600 s. */
  expirationSeconds?: number;
}

/**
 * How much of a pod's token history is known, which decides where each sampled history starts.
 * - `issued`: the real issue time of every token the pod holds now (read from the pod), in token order;
 *   the pod's next syncs follow the latest of them.
 * - `started`: the pod's `status.startTime`; the kubelet requested every token at its first sync then.
 * - `unknown`: a template or a pod without a start time; each history draws a start time uniformly in a
 *   window before the outage long enough to make the token's phase in its refresh cycle uniform.
 */
export type PodAnchor = { kind: 'issued'; issuedAtMs: number[] } | { kind: 'started'; startedAtMs: number } | { kind: 'unknown' };

export interface BlastPod {
  namespace: string;
  name: string;
  uid?: string;
  serviceAccount: string;
  anchor: PodAnchor;
  tokens: BlastToken[];
  /** Where the pod comes from, in words for the result table, e.g. "Deployment shop/web (pod template)". */
  origin?: string;
}

export interface BlastRadiusInput {
  outage: OutageWindow;
  /** How many independent histories (seeds) to sample per pod; at least 1. */
  runs: number;
  /** The first seed; run k uses seed + k. */
  seed: number;
  kubelet: { syncFrequencyMs: number; version: KubeletVersion };
  apiServer: {
    /** --api-audiences (default [issuer]): a token with no audience gets these. */
    audiences: string[];
    /** --service-account-max-token-expiration in seconds; 0 = no cap. */
    maxTokenExpirationSeconds: number;
    /** --service-account-extend-token-expiration (default true). */
    extendTokenExpiration: boolean;
    /** Cap of the extended lifetime; default one year. */
    maxExtendedExpirationSeconds?: number;
  };
  pods: BlastPod[];
}

/** The API server's default --max-mutating-requests-inflight (TokenRequest is a mutating request). */
export const DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT = 200;
/** The least Monte Carlo runs the UI and CLI offer by default. */
export const DEFAULT_BLAST_RADIUS_RUNS = 20;
/** The most runs one analysis takes (the cost grows linearly with them). */
export const MAX_BLAST_RADIUS_RUNS = 1000;
/** The most pods one analysis takes (a scenario's limit too). */
export const MAX_BLAST_RADIUS_PODS = 100_000;

/** The longest outage analysed: past a few weeks every token has expired many times over. */
export const MAX_OUTAGE_MS = 30 * 86_400_000;

/** An outage's duration as a person writes it ("3h", "90m"): more than 0, at most MAX_OUTAGE_MS. */
export function parseOutageDuration(text: string): DurationResult {
  const d = parseDuration(text.trim());
  if (!d.ok) return d;
  if (d.ms <= 0) return { ok: false, error: 'an outage lasts longer than 0: write e.g. "3h"' };
  if (d.ms > MAX_OUTAGE_MS) return { ok: false, error: `at most ${formatDuration(MAX_OUTAGE_MS)}: past that every token has expired many times over` };
  return d;
}
