/**
 * The TokenRequest API (authentication.k8s.io/v1) as the simulation's models exchange it: what the
 * kubelet, client refreshers and credential providers send, what the API server returns, and the
 * lifetime bounds the API server enforces on it. The one home of these types and bounds.
 */

/** SPEC D.1 step 5: expirationSeconds when the request leaves it nil. */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
/** SPEC D.1 step 5: the API server rejects shorter lifetimes ("may not specify a duration less than 10 minutes"). */
export const MIN_EXPIRATION_SECONDS = 600;
/** SPEC D.1 step 5, D.4: 2^32 seconds, the longest lifetime the API server accepts. */
export const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** SPEC D.4: --service-account-max-token-expiration, when set, must be at least 1 h (and at most 2^32 s). */
export const MIN_MAX_TOKEN_EXPIRATION_SECONDS = 3600;

export interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

export interface TokenRequestSpec {
  /** undefined = Go nil (no audience); [] is a different cache key (SPEC A.2). */
  audiences?: string[];
  /** undefined = Go nil. */
  expirationSeconds?: number;
  boundObjectRef?: BoundObjectReference;
}

export interface TokenRequestStatus {
  /** Opaque token value (in the simulation a synthetic id, never a JWT). */
  token: string;
  /** Epoch ms. */
  expirationTimestamp: number;
}

export interface TokenRequest {
  metadata?: { name?: string; namespace?: string; uid?: string };
  spec: TokenRequestSpec;
  status?: TokenRequestStatus;
}

/** A TokenRequest as returned by the API server: status is set. */
export interface IssuedTokenRequest extends TokenRequest {
  status: TokenRequestStatus;
}

/**
 * A TokenRequest's answer. `latencyMs` of a failure is its round trip: the caller learns of it at
 * request time + latencyMs, and judges what it still holds at that instant (SPEC A.3 step 4).
 */
export type TokenRequestResult = { ok: true; response: IssuedTokenRequest } | { ok: false; error: string; latencyMs?: number };
