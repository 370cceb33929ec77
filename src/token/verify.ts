/**
 * Verifies a JWT against a JSON Web Key Set the way the API server would judge it: signature, then
 * times with a 60 s leeway, then optional issuer and audience. Pure: keys and time are passed in.
 * Failures come back as one precise sentence, never as an exception.
 */
import {
  createLocalJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyResult,
  type JWTHeaderParameters,
} from 'jose';
import { decodeJwt, type DecodedJwt } from './decode';
import { LEEWAY_SECONDS } from './claims';
import { isoUtc, relativeTime } from './format';

export interface VerifyOptions {
  nowMs: number;
  /** Expected iss. */
  issuer?: string;
  /** Accepted audiences: the token must name at least one. */
  audience?: string | string[];
  /** Allowed algorithms; default the asymmetric ones Kubernetes signs with. */
  algorithms?: string[];
}

export type VerifyFailureKind = 'format' | 'keys' | 'signature' | 'expired' | 'notYetValid' | 'issuedInFuture' | 'issuer' | 'audience' | 'algorithm';

export type VerifyResult =
  | { ok: true; protectedHeader: JWTHeaderParameters; payload: JWTPayload; kid?: string }
  | { ok: false; kind: VerifyFailureKind; reason: string };

const DEFAULT_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'];

function quoteList(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.map((v) => JSON.stringify(v)).join(', ');
}

function keyDescription(keys: readonly JWK[]): string {
  const kids = keys.map((k) => (typeof k.kid === 'string' ? JSON.stringify(k.kid) : '(no kid)'));
  return `the JWKS has ${keys.length} key${keys.length === 1 ? '' : 's'}${kids.length ? `: ${kids.join(', ')}` : ''}`;
}

const KTY_FOR_ALG: Record<string, string> = { RS: 'RSA', PS: 'RSA', ES: 'EC', Ed: 'OKP' };

function describeNoKey(decoded: DecodedJwt, keys: readonly JWK[]): string {
  const { kid, alg } = decoded.header;
  const kty = KTY_FOR_ALG[alg.slice(0, 2)];
  if (kid !== undefined) {
    const same = keys.filter((k) => k.kid === kid);
    if (same.length === 0) return `signature does not match any key (kid ${JSON.stringify(kid)} is not in the JWKS; ${keyDescription(keys)})`;
    return `signature does not match any key (the key with kid ${JSON.stringify(kid)} cannot verify ${alg}: it is kty ${same.map((k) => k.kty).join('/')}${same.some((k) => k.alg) ? `, alg ${same.map((k) => k.alg ?? '-').join('/')}` : ''}${same.some((k) => k.use && k.use !== 'sig') ? `, use ${same.map((k) => k.use).join('/')}` : ''})`;
  }
  return `signature does not match any key (the token has no kid and no ${kty ?? alg} key in the JWKS can verify ${alg}; ${keyDescription(keys)})`;
}

function claimTime(payload: unknown, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const v = (payload as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'number' ? v * 1000 : undefined;
}

function audList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string') : [];
}

type Failure = Extract<VerifyResult, { ok: false }>;

function explainError(err: unknown, decoded: DecodedJwt, keys: readonly JWK[], opts: VerifyOptions): Failure {
  const nowMs = opts.nowMs;
  const kidText = decoded.header.kid !== undefined ? `kid ${JSON.stringify(decoded.header.kid)}` : 'no kid';
  if (err instanceof errors.JWKSNoMatchingKey) return { ok: false, kind: 'keys', reason: describeNoKey(decoded, keys) };
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return {
      ok: false,
      kind: 'signature',
      reason: `signature does not match any key (${kidText}): the token was altered or signed by a different key`,
    };
  }
  if (err instanceof errors.JWTExpired) {
    const exp = claimTime(err.payload, 'exp') ?? 0;
    return { ok: false, kind: 'expired', reason: `expired at ${isoUtc(exp)} (${relativeTime(exp, nowMs)}; more than ${LEEWAY_SECONDS} s ago)` };
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    const payload = err.payload as Record<string, unknown>;
    switch (err.claim) {
      case 'nbf': {
        const nbf = claimTime(payload, 'nbf') ?? 0;
        return { ok: false, kind: 'notYetValid', reason: `not valid before ${isoUtc(nbf)} (${relativeTime(nbf, nowMs)}; beyond the ${LEEWAY_SECONDS} s leeway)` };
      }
      case 'iss':
        return {
          ok: false,
          kind: 'issuer',
          reason: payload.iss === undefined ? `issuer is missing, expected ${JSON.stringify(opts.issuer)}` : `issuer ${JSON.stringify(payload.iss)} is not ${JSON.stringify(opts.issuer)}`,
        };
      case 'aud': {
        const want = typeof opts.audience === 'string' ? [opts.audience] : (opts.audience ?? []);
        return {
          ok: false,
          kind: 'audience',
          reason: `audience ${payload.aud === undefined ? 'is missing' : `[${quoteList(audList(payload.aud))}]`} does not include ${want.length === 1 ? JSON.stringify(want[0]) : `any of ${quoteList(want)}`}`,
        };
      }
      default:
        return { ok: false, kind: 'format', reason: `claim ${err.claim} is invalid: ${err.message}` };
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return { ok: false, kind: 'algorithm', reason: `algorithm ${JSON.stringify(decoded.header.alg)} is not allowed (allowed: ${(opts.algorithms ?? DEFAULT_ALGS).join(', ')})` };
  }
  if (err instanceof errors.JOSENotSupported) {
    return { ok: false, kind: 'algorithm', reason: `algorithm ${JSON.stringify(decoded.header.alg)} is not supported: ${err.message}` };
  }
  if (err instanceof errors.JWKSInvalid || err instanceof errors.JWKInvalid) {
    return { ok: false, kind: 'keys', reason: `the JWKS is invalid: ${err.message}` };
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return { ok: false, kind: 'format', reason: `the token is not a valid JWS/JWT: ${err.message}` };
  }
  return { ok: false, kind: 'format', reason: `verification failed: ${err instanceof Error ? err.message : String(err)}` };
}

/**
 * Verifies `token` with the keys of `keys` (a JWKS object, as served at /openid/v1/jwks).
 * Tokens without a kid are tried against every key that fits the algorithm, as the API server does.
 */
export async function verifyJwt(token: string, keys: JSONWebKeySet | unknown, opts: VerifyOptions): Promise<VerifyResult> {
  const decoded = decodeJwt(token);
  if (!decoded.ok) return { ok: false, kind: 'format', reason: `malformed token: ${decoded.error}` };
  if (decoded.header.alg === 'none') return { ok: false, kind: 'algorithm', reason: 'the token is unsigned (alg "none")' };
  const set = keys as JSONWebKeySet;
  if (typeof keys !== 'object' || keys === null || !Array.isArray(set.keys)) {
    return { ok: false, kind: 'keys', reason: 'the JWKS is invalid: expected an object with a "keys" array' };
  }
  let jwksFn: ReturnType<typeof createLocalJWKSet>;
  try {
    jwksFn = createLocalJWKSet(set);
  } catch (err) {
    return explainError(err, decoded, set.keys, opts);
  }
  // WebCrypto rejects malformed key material with a DOMException; name it as a key problem.
  const getKey: typeof jwksFn = (async (header: Parameters<typeof jwksFn>[0], tok: Parameters<typeof jwksFn>[1]) => {
    try {
      return await jwksFn(header, tok);
    } catch (err) {
      if (err instanceof errors.JOSEError) throw err;
      throw new errors.JWKInvalid(`a key for kid ${JSON.stringify(header?.kid ?? '')} could not be imported (${err instanceof Error ? err.message : String(err)})`);
    }
  }) as typeof jwksFn;
  const options = {
    currentDate: new Date(opts.nowMs),
    clockTolerance: LEEWAY_SECONDS,
    algorithms: opts.algorithms ?? DEFAULT_ALGS,
    ...(opts.issuer !== undefined ? { issuer: opts.issuer } : {}),
    ...(opts.audience !== undefined ? { audience: opts.audience } : {}),
  };
  let result: JWTVerifyResult;
  try {
    result = await jwtVerify(decoded.token, getKey, options);
  } catch (err) {
    if (err instanceof errors.JWTExpired && !expiredForKubernetes(err.payload, opts.nowMs)) {
      // jose compares whole seconds with <=; the API server uses now − 60 s > exp (strict, sub-second).
      // exp is jose's last check, so everything else has passed.
      result = { payload: err.payload, protectedHeader: decoded.header as JWTHeaderParameters } as JWTVerifyResult;
      return finish(result, opts);
    }
    if (!(err instanceof errors.JWKSMultipleMatchingKeys)) return explainError(err, decoded, set.keys, opts);
    // Several candidate keys (no kid, or a duplicated kid): the first whose signature verifies decides.
    let last: unknown = err;
    let verified: JWTVerifyResult | undefined;
    for await (const key of err) {
      try {
        verified = await jwtVerify(decoded.token, key, options);
        break;
      } catch (inner) {
        last = inner;
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) return explainError(inner, decoded, set.keys, opts);
      }
    }
    if (!verified) return explainError(last instanceof errors.JWKSMultipleMatchingKeys ? new errors.JWSSignatureVerificationFailed() : last, decoded, set.keys, opts);
    result = verified;
  }
  return finish(result, opts);
}

/** The API server's rule: expired ⇔ now − 60 s > exp (SPEC D.2). */
function expiredForKubernetes(payload: unknown, nowMs: number): boolean {
  const exp = claimTime(payload, 'exp');
  return exp !== undefined && nowMs - LEEWAY_SECONDS * 1000 > exp;
}

function finish(result: JWTVerifyResult, opts: VerifyOptions): VerifyResult {
  if (expiredForKubernetes(result.payload, opts.nowMs)) {
    const exp = claimTime(result.payload, 'exp') ?? 0;
    return { ok: false, kind: 'expired', reason: `expired at ${isoUtc(exp)} (${relativeTime(exp, opts.nowMs)}; more than ${LEEWAY_SECONDS} s ago)` };
  }
  // jose checks iat only against a maximum age; the API server also rejects tokens issued in the future.
  const iat = claimTime(result.payload, 'iat');
  if (iat !== undefined && iat > opts.nowMs + LEEWAY_SECONDS * 1000) {
    return { ok: false, kind: 'issuedInFuture', reason: `issued in the future at ${isoUtc(iat)} (${relativeTime(iat, opts.nowMs)}; beyond the ${LEEWAY_SECONDS} s leeway)` };
  }
  const out: VerifyResult = { ok: true, protectedHeader: result.protectedHeader, payload: result.payload };
  if (typeof result.protectedHeader.kid === 'string') out.kid = result.protectedHeader.kid;
  return out;
}
