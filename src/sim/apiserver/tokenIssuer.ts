/**
 * The TokenRequest endpoint as a client sees it (SPEC D.1, D.2, D.4): defaulting, validation, the
 * max-expiration clamp, the kube-api-access extension, the claims of the signed token, and the faults
 * a client runs into (outages, random 503s, latency).
 *
 * The response's status.token is an opaque synthetic id, never a JWT: the simulation needs the claims
 * (returned alongside), not a signature.
 */
import type { Clock } from '../clock';
import type { RandomSource, Uint32Source } from '../random';
import { randomUuid, uuidFromText, UUID_DRAWS } from '../random';
import {
  DEFAULT_EXPIRATION_SECONDS,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  MIN_MAX_TOKEN_EXPIRATION_SECONDS,
  type BoundObjectReference,
  type IssuedTokenRequest,
  type TokenRequest,
} from './tokenRequest';

/** SPEC D.1 step 8: kube-api-access tokens (D.3) request exactly this. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
/** SPEC D.1 step 8: default extended lifetime (365 days). */
export const DEFAULT_MAX_EXTENDED_SECONDS = 31_536_000;

export interface Window {
  /** Epoch ms, [from, to). */
  from: number;
  to: number;
}

export interface IssuerConfig {
  /** --service-account-issuer (first value): the `iss` claim. */
  issuer: string;
  /** --api-audiences (default [issuer]). */
  audiences: string[];
  /** --service-account-max-token-expiration, seconds; 0 = no cap (SPEC D.4). */
  maxTokenExpirationSeconds: number;
  /** --service-account-extend-token-expiration (default true). */
  extendTokenExpiration: boolean;
  /** Cap of the extended lifetime; default 1 year (with an external signer: min(1 y, signer max)). */
  maxExtendedExpirationSeconds?: number;
  /** Windows in which the endpoint is unreachable. */
  outages?: readonly Window[];
  /** Probability in [0, 1] that a request outside outages fails with a 503. */
  errorRate?: number;
  /** Round-trip time of a request that reaches the server, ms. */
  latencyMs?: number;
  /** The URL the client talks to (only used in error texts). */
  serverUrl?: string;
  /** Service-account UID; default a stable UUID derived from namespace/name. */
  serviceAccountUid?: (namespace: string, name: string) => string;
  /** kid of the key that signs new tokens (external signer); undefined = local key, no kid tracked. */
  signingKeyId?: () => string | undefined;
  /**
   * Why the external signer cannot sign at t (its outage), or undefined when it can. The API server
   * validates the request first and asks the signer last, so such a request fails after a round trip.
   */
  signingUnavailable?: (t: number) => string | undefined;
}

export interface ObjectRef {
  name: string;
  uid: string;
}

/** The claims of the signed JWT (SPEC D.2). */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: ObjectRef;
    pod?: ObjectRef;
    node?: ObjectRef;
    secret?: ObjectRef;
    warnafter?: number;
  };
}

export type IssueResult =
  | {
      ok: true;
      response: IssuedTokenRequest;
      claims: TokenClaims;
      kid: string | undefined;
      warnings: string[];
      /** True when the JWT got the one-year extension (SPEC D.1 step 8). */
      extended: boolean;
      latencyMs: number;
    }
  | { ok: false; error: string; code: number; reason: string; latencyMs: number };

/**
 * The time-invariant part of handling a request: everything but outages, random errors and the
 * stamp. Deterministic, so the engine can compute it once per token source.
 */
export type IssuePlan =
  | {
      ok: true;
      /** spec.expirationSeconds after defaulting and clamping (SPEC D.1 steps 5, 7). */
      expirationSeconds: number;
      audiences: string[];
      extended: boolean;
      /** JWT lifetime in seconds (= expirationSeconds unless extended). */
      jwtLifetimeSeconds: number;
      warnings: string[];
      saUid: string;
    }
  | { ok: false; error: string; code: number; reason: string };

/** The default service-account UID when the scenario gives none: stable across runs. */
export function defaultServiceAccountUid(namespace: string, name: string): string {
  return uuidFromText(`serviceaccount:${namespace}/${name}`);
}

/** SPEC D.4: startup check of the max-expiration flag; returns the error text or undefined. */
export function validateIssuerConfig(cfg: IssuerConfig): string | undefined {
  const m = cfg.maxTokenExpirationSeconds;
  if (m !== 0 && (m < MIN_MAX_TOKEN_EXPIRATION_SECONDS || m > MAX_EXPIRATION_SECONDS)) {
    return 'the service-account-max-token-expiration must be between 1 hour and 2^32 seconds';
  }
  return undefined;
}

/** status.expirationTimestamp as the client reads it: RFC 3339 on the wire keeps whole seconds (SPEC D.1 step 9). */
export function statusExpiration(nowMs: number, expirationSeconds: number): number {
  return (Math.floor(nowMs / 1000) + expirationSeconds) * 1000;
}

/** The part of the issuer's configuration that decides what a request is issued as. */
export type IssuePlanConfig = Pick<IssuerConfig, 'audiences' | 'maxTokenExpirationSeconds' | 'extendTokenExpiration' | 'maxExtendedExpirationSeconds'>;

/**
 * SPEC D.1 steps 3–8, without time or randomness: what the API server does with a TokenRequest for
 * service account `namespace/name` whose UID is `saUid` (defaulting, validation, the max-expiration
 * clamp, the kube-api-access extension). Pure, so analyses that do not run the engine (the outage
 * blast radius) issue by the same rules.
 */
export function issuePlan(cfg: IssuePlanConfig, namespace: string, name: string, tr: TokenRequest, saUid: string): IssuePlan {
  // Step 3: a body UID must match the service account (gate on by default since 1.34).
  const reqUid = tr.metadata?.uid;
  if (reqUid !== undefined && reqUid !== '' && reqUid !== saUid) {
    return {
      ok: false,
      code: 409,
      reason: 'Conflict',
      error: `Operation cannot be fulfilled on serviceaccounts "${name}": the UID in the token request (${reqUid}) does not match the UID of the service account (${saUid})`,
    };
  }
  // Step 4: no audiences → the API server's audiences.
  const audiences = tr.spec.audiences !== undefined && tr.spec.audiences.length > 0 ? [...tr.spec.audiences] : [...cfg.audiences];
  // Step 5: defaulting, then validation (before the clamp).
  let es = tr.spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (es < MIN_EXPIRATION_SECONDS || es > MAX_EXPIRATION_SECONDS) {
    const msg = es < MIN_EXPIRATION_SECONDS ? 'may not specify a duration less than 10 minutes' : 'may not specify a duration larger than 2^32 seconds';
    return {
      ok: false,
      code: 422,
      reason: 'Invalid',
      // The Status message a client prints for a 422 on this subresource.
      error: `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: ${es}: ${msg}`,
    };
  }
  // Step 6: only these kinds can be bound (the simulation does not check that the object exists).
  const ref = tr.spec.boundObjectRef;
  if (ref !== undefined && ref.kind !== 'Pod' && ref.kind !== 'Secret' && ref.kind !== 'Node') {
    // schema.GroupVersionKind.String(): "group/version, Kind=k", with an empty group for core ("/v1, Kind=k").
    const gv = (ref.apiVersion ?? '').includes('/') ? (ref.apiVersion ?? '') : `/${ref.apiVersion ?? ''}`;
    return { ok: false, code: 400, reason: 'BadRequest', error: `cannot bind token to object of type ${gv}, Kind=${ref.kind ?? ''}` };
  }
  // Step 7: the max-expiration clamp.
  const warnings: string[] = [];
  if (cfg.maxTokenExpirationSeconds > 0 && es > cfg.maxTokenExpirationSeconds) {
    warnings.push(`requested expiration of ${es} seconds shortened to ${cfg.maxTokenExpirationSeconds} seconds`);
    es = cfg.maxTokenExpirationSeconds;
  }
  // Step 8: the kube-api-access extension (3607 after clamping, pod-bound, only apiserver audiences).
  const kubeAudiences = audiences.every((a) => cfg.audiences.includes(a));
  const extended = cfg.extendTokenExpiration && ref?.kind === 'Pod' && es === WARN_ONLY_EXPIRATION_SECONDS && kubeAudiences;
  const jwtLifetimeSeconds = extended ? (cfg.maxExtendedExpirationSeconds ?? DEFAULT_MAX_EXTENDED_SECONDS) : es;
  return { ok: true, expirationSeconds: es, audiences, extended, jwtLifetimeSeconds, warnings, saUid };
}

export class TokenIssuer {
  readonly config: IssuerConfig;
  private readonly clock: Clock;
  private readonly random: RandomSource & Uint32Source;
  private readonly outages: readonly Window[];
  private readonly errorRate: number;
  readonly latencyMs: number;
  private readonly serverUrl: string;
  private readonly saUid: (namespace: string, name: string) => string;

  constructor(config: IssuerConfig, clock: Clock, random: RandomSource & Uint32Source) {
    const problem = validateIssuerConfig(config);
    if (problem !== undefined) throw new Error(problem);
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.outages = config.outages ?? [];
    this.errorRate = config.errorRate ?? 0;
    this.latencyMs = config.latencyMs ?? 0;
    this.serverUrl = config.serverUrl ?? 'https://10.0.0.1:6443';
    const lookup = config.serviceAccountUid ?? defaultServiceAccountUid;
    // Deriving a UID hashes text: remember it per service account.
    const uids = new Map<string, string>();
    this.saUid = (namespace, name) => {
      const k = `${namespace}/${name}`;
      let uid = uids.get(k);
      if (uid === undefined) uids.set(k, (uid = lookup(namespace, name)));
      return uid;
    };
  }

  /** True if a request sent at `t` cannot reach the server. */
  inOutage(t: number): boolean {
    for (const o of this.outages) if (t >= o.from && t < o.to) return true;
    return false;
  }

  /** The first instant ≥ t at which a request is not refused (t itself when not in an outage). */
  reachableFrom(t: number): number {
    let e = t;
    for (let moved = true; moved; ) {
      moved = false;
      for (const o of this.outages) {
        if (e >= o.from && e < o.to) {
          e = o.to;
          moved = true;
        }
      }
    }
    return e;
  }

  /** The first outage boundary (start or end) strictly after t, or Infinity. */
  nextOutageBoundary(t: number): number {
    let next = Infinity;
    for (const o of this.outages) {
      if (o.from > t && o.from < next) next = o.from;
      if (o.to > t && o.to < next) next = o.to;
    }
    return next;
  }

  get hasErrorRate(): boolean {
    return this.errorRate > 0;
  }

  /** Draws made by a request that reaches the server: the error-rate draw (if any), then on success the jti. */
  get drawsOnSuccess(): number {
    return (this.hasErrorRate ? 1 : 0) + UUID_DRAWS;
  }

  /** The client's error when the connection is refused (outage); one string per service account (traces repeat it a lot). */
  outageError(namespace: string, name: string): string {
    const k = `${namespace}/${name}`;
    let text = this.outageErrors.get(k);
    if (text === undefined) {
      const host = this.serverUrl.replace(/^https?:\/\//, '');
      text = `Post "${this.serverUrl}/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token": dial tcp ${host}: connect: connection refused`;
      this.outageErrors.set(k, text);
    }
    return text;
  }

  private readonly outageErrors = new Map<string, string>();

  /** The client's error for a 503 (client-go's generic server response text). */
  unavailableError(name: string): string {
    return `the server is currently unable to handle the request (post serviceaccounts ${name})`;
  }

  /** SPEC D.1 steps 3–8, without time or randomness (issuePlan with this issuer's config and service-account UIDs). */
  plan(namespace: string, name: string, tr: TokenRequest): IssuePlan {
    return issuePlan(this.config, namespace, name, tr, this.saUid(namespace, name));
  }

  /**
   * Handle one TokenRequest create at the clock's time. `random` overrides the issuer's own stream
   * (the engine gives each caller its own stream so callers cannot shift each other's draws).
   */
  createToken(namespace: string, name: string, tr: TokenRequest, random?: RandomSource & Uint32Source): IssueResult {
    const now = this.clock.now();
    const rnd = random ?? this.random;
    // Connection refused: the request never reaches the server, so it costs no round trip.
    if (this.inOutage(now)) return { ok: false, code: 0, reason: 'ConnectionRefused', error: this.outageError(namespace, name), latencyMs: 0 };
    if (this.hasErrorRate && rnd.float() < this.errorRate) {
      return { ok: false, code: 503, reason: 'ServiceUnavailable', error: this.unavailableError(name), latencyMs: this.latencyMs };
    }
    const plan = this.plan(namespace, name, tr);
    if (!plan.ok) return { ...plan, latencyMs: this.latencyMs };
    const unsigned = this.config.signingUnavailable?.(now);
    if (unsigned !== undefined) return { ok: false, code: 500, reason: 'InternalError', error: `Internal error occurred: failed to sign token: ${unsigned}`, latencyMs: this.latencyMs };
    return this.issue(namespace, name, tr, plan, now, rnd);
  }

  private issue(namespace: string, name: string, tr: TokenRequest, plan: IssuePlan & { ok: true }, now: number, rnd: Uint32Source): IssueResult {
    // SPEC D.2: iat/nbf are whole seconds.
    const iat = Math.floor(now / 1000);
    const jti = randomUuid(rnd);
    const ref = tr.spec.boundObjectRef;
    const k8s: TokenClaims['kubernetes.io'] = { namespace, serviceaccount: { name, uid: plan.saUid } };
    const bound: ObjectRef | undefined = ref === undefined ? undefined : { name: ref.name ?? '', uid: ref.uid ?? '' };
    if (bound !== undefined && ref?.kind === 'Pod') k8s.pod = bound;
    else if (bound !== undefined && ref?.kind === 'Node') k8s.node = bound;
    else if (bound !== undefined && ref?.kind === 'Secret') k8s.secret = bound;
    // SPEC D.1 step 8 / D.2: warnafter only on extended tokens.
    if (plan.extended) k8s.warnafter = iat + WARN_ONLY_EXPIRATION_SECONDS;
    const claims: TokenClaims = {
      iss: this.config.issuer,
      sub: `system:serviceaccount:${namespace}:${name}`,
      aud: plan.audiences,
      iat,
      nbf: iat,
      exp: iat + plan.jwtLifetimeSeconds,
      jti,
      'kubernetes.io': k8s,
    };
    const boundObjectRef: BoundObjectReference | undefined = ref === undefined ? undefined : { ...ref };
    const response: IssuedTokenRequest = {
      metadata: { name, namespace, uid: plan.saUid },
      spec: {
        audiences: plan.audiences,
        // SPEC D.1 step 9: the response carries the post-clamp, pre-extension lifetime …
        expirationSeconds: plan.expirationSeconds,
        ...(boundObjectRef === undefined ? {} : { boundObjectRef }),
      },
      // … and so does status.expirationTimestamp, even when the JWT is valid for a year.
      status: { token: `simtoken-${jti}`, expirationTimestamp: statusExpiration(now, plan.expirationSeconds) },
    };
    return { ok: true, response, claims, kid: this.config.signingKeyId?.(), warnings: plan.warnings, extended: plan.extended, latencyMs: this.latencyMs };
  }
}

/** SPEC D.2: the token authenticator's clock-skew leeway on exp, nbf and iat. */
export const VALIDATION_LEEWAY_SECONDS = 60;

export interface TokenTimeCheck {
  ok: boolean;
  /** The authenticator's error text when rejected. */
  error?: string;
  /** Used past warnafter: still authenticates, but audited as `authentication.k8s.io/stale-token`. */
  staleToken: boolean;
}

/**
 * The time checks the API server applies to a service-account JWT (SPEC D.2): expired ⇔
 * now − 60 s > exp; not yet valid ⇔ now + 60 s < nbf; issued in the future ⇔ now + 60 s < iat.
 * Claims are in seconds, `nowMs` in ms. Object-existence checks (SA, pod, secret) are not modelled.
 */
export function checkTokenTimes(claims: Pick<TokenClaims, 'exp' | 'nbf' | 'iat'> & { 'kubernetes.io'?: { warnafter?: number } }, nowMs: number): TokenTimeCheck {
  const leewayMs = VALIDATION_LEEWAY_SECONDS * 1000;
  const warnafter = claims['kubernetes.io']?.warnafter;
  const staleToken = warnafter !== undefined && nowMs > warnafter * 1000;
  if (nowMs - leewayMs > claims.exp * 1000) return { ok: false, error: 'service account token has expired', staleToken };
  if (nowMs + leewayMs < claims.nbf * 1000) return { ok: false, error: 'service account token is not valid yet', staleToken };
  if (nowMs + leewayMs < claims.iat * 1000) return { ok: false, error: 'service account token is issued in the future', staleToken };
  return { ok: true, staleToken };
}
