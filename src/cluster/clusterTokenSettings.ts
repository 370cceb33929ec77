/**
 * The cluster's real token settings, as far as they can be known without minting anything: the issuer
 * and JWKS URI from /.well-known/openid-configuration (ClusterClient.fetchJwks), and, from tokens the
 * user has already read from pods, the API server's audiences and what its maximum token lifetime must
 * be. Meant as defaults for what-if simulations. Pure: claims in, settings out.
 */

/** A token read from a pod, with what its projection asked for. */
export interface ObservedToken {
  /** The decoded JWT payload. */
  payload: Record<string, unknown>;
  /** expirationSeconds of the projection (the request the kubelet made). */
  requestedSeconds: number;
  /** The projection named an audience (false: the API server's own audiences were used). */
  audienceRequested: boolean;
}

export type MaxExpiration =
  /** The server shortened a request: its --service-account-max-token-expiration is exactly this. */
  | { kind: 'exactly'; seconds: number; why: string }
  /** No request was shortened: the maximum is unset or at least this. */
  | { kind: 'atLeast'; seconds: number; why: string };

export interface ClusterTokenSettings {
  issuer?: string;
  jwksUri?: string;
  /** --api-audiences: the aud of a token whose projection named no audience. */
  apiAudiences?: string[];
  maxExpiration?: MaxExpiration;
  /** --service-account-extend-token-expiration, when a 3607 s pod token shows it. */
  extendTokenExpiration?: boolean;
}

/** The 3607 s request the kubelet makes for kube-api-access, the one the API server may extend (SPEC D.1 step 8). */
const EXTENDABLE_SECONDS = 3607;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function audiences(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function clusterTokenSettings(discovery: { issuer?: string; jwksUri?: string } | undefined, tokens: readonly ObservedToken[]): ClusterTokenSettings {
  const out: ClusterTokenSettings = {};
  if (discovery?.issuer) out.issuer = discovery.issuer;
  if (discovery?.jwksUri) out.jwksUri = discovery.jwksUri;
  let max: MaxExpiration | undefined;
  for (const t of tokens) {
    const iat = num(t.payload.iat);
    const exp = num(t.payload.exp);
    // SPEC D.1 step 4: an empty spec.audiences gets the API server's audiences.
    if (!t.audienceRequested && out.apiAudiences === undefined) {
      const aud = audiences(t.payload.aud);
      if (aud.length > 0) out.apiAudiences = aud;
    }
    if (iat === undefined || exp === undefined) continue;
    const k8s = t.payload['kubernetes.io'];
    const warnafter = typeof k8s === 'object' && k8s !== null ? num((k8s as Record<string, unknown>).warnafter) : undefined;
    // SPEC D.1 step 8: an extended token carries warnafter = iat + 3607 and a far later exp.
    const extended = warnafter !== undefined && warnafter - iat === EXTENDABLE_SECONDS;
    if (t.requestedSeconds === EXTENDABLE_SECONDS && t.payload['kubernetes.io'] !== undefined && out.extendTokenExpiration === undefined && !t.audienceRequested) {
      out.extendTokenExpiration = extended;
    }
    const granted = extended ? EXTENDABLE_SECONDS : exp - iat;
    if (granted < t.requestedSeconds) {
      // SPEC D.1 step 7: ES > M → ES = M.
      max = { kind: 'exactly', seconds: granted, why: `a ${t.requestedSeconds} s request was shortened to ${granted} s` };
    } else if (max?.kind !== 'exactly' && (max === undefined || granted > max.seconds)) {
      max = { kind: 'atLeast', seconds: granted, why: `a ${granted} s request was granted in full` };
    }
  }
  if (max) out.maxExpiration = max;
  return out;
}
