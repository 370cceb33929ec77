/**
 * The kubelet's part of the normalized Scenario (what the engine runs): the kubelet's settings and
 * the pods it runs, replicas expanded, durations in ms. The scenario file's `kubelet` and `pods`
 * sections (section.ts) normalize to these.
 */
import type { KubeletVersion } from './tokenManager';

/** The token-manager rule sets we model (SPEC A.9), as the scenario file names them. */
export const KUBELET_VERSIONS = ['1.19', '1.20', '1.34'] as const satisfies readonly KubeletVersion[];

export interface KubeletSpec {
  syncFrequencyMs: number;
  /** Which token-manager rules to follow (SPEC A.9). */
  version: KubeletVersion;
}

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
