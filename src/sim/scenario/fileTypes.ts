/**
 * The scenario file as validate.ts hands it over: the file's own shape (names as written, replicas
 * not expanded, defaults not applied) but with durations already in milliseconds and date-times in
 * epoch milliseconds. `Loose<…>` is the same after a failed validation: any value that broke its
 * rule is missing, so semantic checks can still run over the rest.
 */

export interface OutageFile {
  from: number;
  to: number;
}

export interface TokenFile {
  path: string;
  audience?: string;
  audiences?: string[];
  expirationSeconds?: number;
}

export interface PodFile {
  name: string;
  namespace?: string;
  serviceAccount?: string;
  uid?: string;
  replicas?: number;
  tokens: TokenFile[];
  deleteAt?: number;
}

export interface RefresherFile {
  kind: 'calico';
  name?: string;
  namespace?: string;
  serviceAccount?: string;
  expirationSeconds?: number;
  refreshInterval?: number;
}

export interface ScenarioFile {
  $schema?: string;
  name?: string;
  seed?: number;
  start: number;
  horizon: number;
  kubelet?: { syncFrequency?: number; version?: '1.19' | '1.20' | '1.34' };
  apiServer?: {
    issuer?: string;
    audiences?: string[];
    maxTokenExpiration?: number;
    extendTokenExpiration?: boolean;
    outages?: OutageFile[];
    errorRate?: number;
    latency?: number;
  };
  signer?: {
    refreshHint: number;
    rotations?: { at: number; dropOldKeyAfter?: number }[];
    outages?: OutageFile[];
  };
  pods: PodFile[];
  refreshers?: RefresherFile[];
  output?: { maxDetailedLanes?: number; seriesInterval?: number };
}

/** Every property optional, every array item possibly missing (it failed validation). */
export type Loose<T> = T extends (infer U)[]
  ? (Loose<U> | undefined)[]
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> }
    : T;
