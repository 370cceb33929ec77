/**
 * The answer of an outage blast-radius analysis, as the webview, the CLI and the tests read it. Plain
 * data (no functions), so it crosses the worker thread and the webview message boundary as JSON.
 * Times are epoch milliseconds; ranges are [lowest, highest] across the sampled runs.
 */
import type { OutageWindow, PodAnchor } from './blastRadiusInput';

/** Across runs: how many of the runs saw it. */
export type ExpiryVerdict = 'certain' | 'possible' | 'never';

export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** A kind of token: audience × requested lifetime × extended or not. */
export interface TokenKind {
  /** Stable identity within one result. */
  key: string;
  /** null: no audience, the API server's own. */
  audience: string | null;
  /** As requested; null when absent (the API server's default applies). */
  requestedSeconds: number | null;
  /** The lifetime the API server issues after defaulting and its max-expiration cap: the kubelet refreshes on it. */
  issuedSeconds: number;
  /** The JWT's own lifetime (`exp` − `iat`): issuedSeconds unless extended to a year. */
  jwtLifetimeSeconds: number;
  /** The kube-api-access one-year extension applies: the kubelet sees the token expire, the API server does not. */
  extended: boolean;
}

export interface KindSummary {
  kind: TokenKind;
  pods: number;
  tokens: number;
  /** Tokens whose (kubelet-side) expiry fell inside the outage in every run / in some runs / in none. */
  certain: number;
  possible: number;
  never: number;
  /** Expired tokens of this kind in one run. */
  expiredPerRun: Spread;
  /** The first expiry of a token of this kind in each run; null when none expired in any run. */
  earliestExpiryMs: Spread | null;
}

/** A token that expired in at least one run. */
export interface AffectedToken {
  /** Index into BlastRadiusInput.pods and into that pod's tokens. */
  podIndex: number;
  tokenIndex: number;
  namespace: string;
  pod: string;
  volume: string;
  path: string;
  kindKey: string;
  verdict: Exclude<ExpiryVerdict, 'never'>;
  /** In how many runs it expired (of `runs`). */
  runsExpired: number;
  /** When it expired, over the runs in which it did. */
  expiryMs: Spread;
  /** How long the pod's file held the expired token (until the kubelet wrote a new one), over those runs. */
  expiredForMs: Spread;
  anchor: PodAnchor['kind'];
}

/** TokenRequests the API server receives around the end of the outage, in one-second bins. */
export interface RecoveryHerd {
  binMs: number;
  /** Start of the first bin. */
  fromMs: number;
  /** Per bin, over the runs. */
  mean: number[];
  min: number[];
  max: number[];
  /** The busiest second after the outage, per run. */
  peakPerSecond: Spread;
  /** From the end of the outage to the last request of a token whose refresh the outage held back, per run. */
  durationMs: Spread;
  /** Requests of tokens whose refresh the outage held back, per run. */
  catchUpRequests: Spread;
  /** Mean TokenRequests per second in the hour before the outage (the steady state). */
  baselinePerSecond: number;
  /** The API server's default --max-mutating-requests-inflight. */
  inFlightLimit: number;
}

export interface BlastRadiusResult {
  outage: OutageWindow;
  runs: number;
  seed: number;
  pods: number;
  tokens: number;
  /** Pods per anchor kind: how much of the answer rests on known issue times. */
  anchors: Record<PodAnchor['kind'], number>;
  kinds: KindSummary[];
  /** Sorted by the earliest expiry, then namespace, pod, volume. */
  affected: AffectedToken[];
  herd: RecoveryHerd;
  /** What the answer assumes, in plain sentences (shown under the table). */
  assumptions: string[];
}
