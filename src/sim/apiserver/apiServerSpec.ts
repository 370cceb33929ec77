/**
 * The API server's part of the normalized Scenario (what the engine runs): its TokenRequest
 * behaviour and an optional external signer, durations in ms. The scenario file's `apiServer` and
 * `signer` sections (section.ts) normalize to these.
 */

export interface Outage {
  /** Offsets from start, ms; [from, to). */
  from: number;
  to: number;
}

export interface ApiServerSpec {
  issuer: string;
  /** The apiserver audiences (--api-audiences); default [issuer]. */
  audiences: string[];
  /** --service-account-max-token-expiration in seconds; 0 = no cap. */
  maxTokenExpirationSeconds: number;
  /** --service-account-extend-token-expiration (default true). */
  extendTokenExpiration: boolean;
  outages: Outage[];
  /** Probability in [0,1] that a request fails outside outages. */
  errorRate: number;
  /** Latency of each TokenRequest, ms. */
  latencyMs: number;
}

export interface KeyRotation {
  /** Offset from start, ms: the signer starts signing with a new key. */
  at: number;
  /** Offset from the rotation, ms, after which the old public key is no longer published; undefined = kept. */
  dropOldKeyAfter?: number;
}

export interface SignerSpec {
  /** The signer's refresh hint, seconds (> 0). */
  refreshHintSeconds: number;
  rotations: KeyRotation[];
  /** Offsets [from, to) when the signer is unreachable: FetchKeys and signing both fail. */
  outages: Outage[];
}
