/**
 * A scenario after loading and validation: durations are integer milliseconds,
 * times are epoch milliseconds, replicas are expanded into pods. The file format
 * (YAML/JSON, see scenario.schema.json) is converted to this by load.ts; the
 * engine (engine/run.ts) only ever sees this shape.
 */

export interface TokenSource {
  /** Path inside the pod, e.g. "kube-api-access/token". */
  path: string;
  /** Undefined = no audience (the API server's audiences). [] is different from undefined (SPEC A.2). */
  audiences?: string[];
  /**
   * Undefined = not set in the request (the cache key sees nil, SPEC A.2). The API server defaults it
   * to 3600 in the response the kubelet stores, so the kubelet refreshes it at 80 % of 3600 s.
   */
  expirationSeconds?: number;
}

export interface PodSpec {
  name: string;
  namespace: string;
  serviceAccount: string;
  uid: string;
  tokens: TokenSource[];
  /** Offset from start, ms. */
  deleteAt?: number;
}

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
  /** Offsets [from, to) when the signer's FetchKeys fails. */
  outages: Outage[];
}

export interface RefresherSpec {
  kind: 'calico';
  name: string;
  namespace: string;
  serviceAccount: string;
  /** Default 86400 (SPEC D.6). */
  expirationSeconds: number;
  /** CNI_TOKEN_REFRESH_INTERVAL, ms (v3.30+). */
  refreshIntervalMs?: number;
}

export interface Scenario {
  name?: string;
  seed: number;
  start: number;
  horizonMs: number;
  kubelet: {
    syncFrequencyMs: number;
    /** Which token-manager rules to follow (SPEC A.9). */
    version: '1.19' | '1.20' | '1.34';
  };
  apiServer: ApiServerSpec;
  signer?: SignerSpec;
  pods: PodSpec[];
  refreshers: RefresherSpec[];
  output: {
    /** Lanes kept with full detail; the rest only feed the aggregate series. */
    maxDetailedLanes: number;
    seriesIntervalMs: number;
  };
}
