/**
 * The Trace: the one output format of every simulation (DESIGN.md, "Trace").
 * Charts, the CLI, reports and tests all read it. It is plain JSON so that the
 * same seed gives a byte-identical serialisation.
 * Times are integer epoch milliseconds of the virtual clock.
 */

export type LaneKind =
  | 'token' // one projected token source of one pod (kubelet token manager)
  | 'apiServer' // the TokenRequest endpoint (outages, error rates)
  | 'signer' // the external JWT signer's key cache
  | 'refresher' // a client-side refresher such as Calico's
  | 'cacheKey' // a credential-provider cache entry (credential provider issue)
  | 'kubeconfigUser'; // an exec-credential user (exec auth issue)

export interface Lane {
  id: string;
  kind: LaneKind;
  label: string;
  /** Grouping for display, e.g. "shop/web-0". */
  group?: string;
  /** False when the run only keeps aggregate series for this lane (large runs). */
  detailed: boolean;
}

export type SpanKind =
  | 'validity' // a token's validity as the client sees it (issue → reported expiry)
  | 'refreshWindow' // where the kubelet may refresh: threshold minus the jitter range
  | 'outage' // an API-server outage
  | 'cacheEntry'; // a cache entry's lifetime

export interface Span {
  lane: string;
  kind: SpanKind;
  start: number;
  end: number;
  label?: string;
  /** The rule that placed the span, e.g. "SPEC A.5: 80 % of TTL (2886 s) minus jitter 0–9 s". */
  rule?: string;
}

export type EventType =
  | 'tokenRequest' // the manager/refresher called TokenRequest (ok true/false, error text)
  | 'tokenWritten' // a new token reached the pod's file
  | 'tokenServedStale' // refresh failed, the old still-valid token was kept
  | 'tokenExpired' // the token in the pod's file is past its expiry
  | 'tokenRejected' // a consumer's verification of the token failed (e.g. signing key dropped)
  | 'podDeleted'
  | 'cacheCleanup'
  | 'outageStart'
  | 'outageEnd'
  | 'keyRotated'
  | 'keySync'
  | 'syncFailed'; // a pod sync failed (token could not be fetched) and was re-queued

export interface TraceEvent {
  t: number;
  lane: string;
  type: EventType;
  /** The rule that caused the event, citing SPEC.md, e.g. "SPEC A.5 80 % rule, jitter 7 s". */
  rule: string;
  ok?: boolean;
  error?: string;
  /** Small, JSON-safe details. Never a token value. */
  data?: Record<string, string | number | boolean>;
}

/** Per-interval aggregate over all lanes (including those without detail). */
export interface Series {
  name: 'tokenRequests' | 'tokenRequestFailures' | 'expiredTokens' | 'staleServes' | string;
  start: number;
  intervalMs: number;
  values: number[];
}

export interface Trace {
  version: 1;
  meta: {
    name?: string;
    seed: number;
    start: number;
    end: number;
    /** Which upstream version the models follow, e.g. "kubelet 1.34+". */
    models: string[];
    lanesTotal: number;
    eventsTotal: number;
  };
  lanes: Lane[];
  spans: Span[];
  events: TraceEvent[];
  series: Series[];
}
