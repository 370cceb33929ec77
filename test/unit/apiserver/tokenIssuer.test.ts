import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sim/clock';
import { createStream } from '../../../src/sim/random';
import { TokenIssuer, checkTokenTimes, defaultServiceAccountUid, validateIssuerConfig, type IssuerConfig, type IssueResult } from '../../../src/sim/apiserver/tokenIssuer';
import type { TokenRequest } from '../../../src/sim/apiserver/tokenRequest';

const S = 1000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0) + 250; // not on a whole second: status/iat truncate
const ISS = 'https://kubernetes.default.svc';

function issuer(cfg: Partial<IssuerConfig> = {}, seed = 1): { clock: ManualClock; iss: TokenIssuer } {
  const clock = new ManualClock(T0);
  const iss = new TokenIssuer({ issuer: ISS, audiences: [ISS], maxTokenExpirationSeconds: 0, extendTokenExpiration: true, ...cfg }, clock, createStream(seed, 'issuer'));
  return { clock, iss };
}

const podRef = { kind: 'Pod', apiVersion: 'v1', name: 'web-0', uid: 'pod-uid' };

function podRequest(es?: number, audiences?: string[]): TokenRequest {
  return { spec: { ...(audiences === undefined ? {} : { audiences }), ...(es === undefined ? {} : { expirationSeconds: es }), boundObjectRef: podRef } };
}

function ok(r: IssueResult): Extract<IssueResult, { ok: true }> {
  if (!r.ok) assert.fail(`expected success, got ${r.error}`);
  return r;
}

function err(r: IssueResult): Extract<IssueResult, { ok: false }> {
  if (r.ok) assert.fail('expected an error');
  return r;
}

describe('TokenRequest defaulting and validation (SPEC D.1 step 5)', () => {
  test('expirationSeconds unset → 3600 in the response; status = now + ES in whole seconds', () => {
    const { iss } = issuer();
    const r = ok(iss.createToken('shop', 'web', podRequest(undefined, ['vault'])));
    assert.equal(r.response.spec.expirationSeconds, 3600);
    assert.equal(r.response.status.expirationTimestamp, (Math.floor(T0 / S) + 3600) * S);
  });

  test('< 600 is rejected with the API server’s message; 600 is fine', () => {
    const { iss } = issuer();
    const e = err(iss.createToken('shop', 'web', podRequest(599)));
    assert.equal(e.code, 422);
    assert.equal(e.error, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
    assert.ok(e.error.includes('spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes'));
    ok(iss.createToken('shop', 'web', podRequest(600)));
  });

  test('> 2^32 is rejected; exactly 2^32 is fine', () => {
    const { iss } = issuer();
    const e = err(iss.createToken('shop', 'web', podRequest(2 ** 32 + 1, ['vault'])));
    assert.ok(e.error.endsWith(`spec.expirationSeconds: Invalid value: ${2 ** 32 + 1}: may not specify a duration larger than 2^32 seconds`));
    ok(iss.createToken('shop', 'web', podRequest(2 ** 32, ['vault'])));
  });

  test('validation happens before the clamp', () => {
    const { iss } = issuer({ maxTokenExpirationSeconds: 3600 });
    assert.match(err(iss.createToken('shop', 'web', podRequest(500))).error, /less than 10 minutes/);
  });

  test('no audiences → the API server’s audiences', () => {
    const { iss } = issuer({ audiences: [ISS, 'api'] });
    assert.deepEqual(ok(iss.createToken('shop', 'web', podRequest(3600))).response.spec.audiences, [ISS, 'api']);
    assert.deepEqual(ok(iss.createToken('shop', 'web', podRequest(3600, []))).claims.aud, [ISS, 'api']);
  });
});

describe('max-expiration clamp (SPEC D.1 step 7, D.4)', () => {
  test('longer requests are shortened, with the warning', () => {
    const { iss } = issuer({ maxTokenExpirationSeconds: 7200 });
    const r = ok(iss.createToken('shop', 'web', podRequest(86_400, ['vault'])));
    assert.equal(r.response.spec.expirationSeconds, 7200);
    assert.deepEqual(r.warnings, ['requested expiration of 86400 seconds shortened to 7200 seconds']);
    assert.equal(r.response.status.expirationTimestamp, (Math.floor(T0 / S) + 7200) * S);
  });

  test('0 means no cap', () => {
    const { iss } = issuer({ maxTokenExpirationSeconds: 0 });
    assert.equal(ok(iss.createToken('shop', 'web', podRequest(2 ** 32, ['vault']))).response.spec.expirationSeconds, 2 ** 32);
  });

  test('the flag must be 0 or within [1 h, 2^32 s]', () => {
    assert.equal(validateIssuerConfig({ issuer: ISS, audiences: [ISS], maxTokenExpirationSeconds: 3599, extendTokenExpiration: true }), 'the service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
    assert.equal(validateIssuerConfig({ issuer: ISS, audiences: [ISS], maxTokenExpirationSeconds: 3600, extendTokenExpiration: true }), undefined);
    assert.throws(() => issuer({ maxTokenExpirationSeconds: 2 ** 32 + 1 }), /between 1 hour and 2\^32 seconds/);
  });
});

describe('kube-api-access extension (SPEC D.1 steps 8–9)', () => {
  test('pod-bound 3607 s with API audiences → JWT valid 1 year, warnafter iat+3607, status still now+3607', () => {
    const { iss } = issuer();
    const r = ok(iss.createToken('shop', 'web', podRequest(3607)));
    const iat = Math.floor(T0 / S);
    assert.equal(r.extended, true);
    assert.equal(r.claims.exp, iat + 31_536_000);
    assert.equal(r.claims['kubernetes.io'].warnafter, iat + 3607);
    assert.equal(r.response.status.expirationTimestamp, (iat + 3607) * S);
    assert.equal(r.response.spec.expirationSeconds, 3607);
  });

  test('no extension for other audiences, other lifetimes, unbound tokens, the flag off, or a clamp below 3607', () => {
    const cases: [Partial<IssuerConfig>, TokenRequest][] = [
      [{}, podRequest(3607, ['vault'])],
      [{}, podRequest(3608)],
      [{}, { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'x' } } }],
      [{}, { spec: { expirationSeconds: 3607 } }],
      [{ extendTokenExpiration: false }, podRequest(3607)],
      [{ maxTokenExpirationSeconds: 3600 }, podRequest(3607)],
    ];
    for (const [cfg, tr] of cases) {
      const r = ok(issuer(cfg).iss.createToken('shop', 'web', tr));
      assert.equal(r.extended, false);
      assert.equal(r.claims.exp, r.claims.iat + (r.response.spec.expirationSeconds ?? 0));
      assert.equal(r.claims['kubernetes.io'].warnafter, undefined);
    }
  });

  test('the extended lifetime is capped (external signer max)', () => {
    const r = ok(issuer({ maxExtendedExpirationSeconds: 86_400 }).iss.createToken('shop', 'web', podRequest(3607)));
    assert.equal(r.claims.exp - r.claims.iat, 86_400);
  });
});

describe('claims (SPEC D.2)', () => {
  test('iss, sub, aud, iat = nbf = now in whole seconds, exp, jti, kubernetes.io', () => {
    const { iss } = issuer();
    const r = ok(iss.createToken('shop', 'web', podRequest(3600, ['vault'])));
    const iat = Math.floor(T0 / S);
    assert.deepEqual(
      { ...r.claims, jti: 'x' },
      {
        iss: ISS,
        sub: 'system:serviceaccount:shop:web',
        aud: ['vault'],
        iat,
        nbf: iat,
        exp: iat + 3600,
        jti: 'x',
        'kubernetes.io': { namespace: 'shop', serviceaccount: { name: 'web', uid: defaultServiceAccountUid('shop', 'web') }, pod: { name: 'web-0', uid: 'pod-uid' } },
      },
    );
    assert.match(r.claims.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('jti comes from the seeded stream: same seed, same jti; next request, new jti', () => {
    const a = issuer({}, 7).iss;
    const b = issuer({}, 7).iss;
    const ja = ok(a.createToken('shop', 'web', podRequest(3600))).claims.jti;
    assert.equal(ja, ok(b.createToken('shop', 'web', podRequest(3600))).claims.jti);
    assert.notEqual(ja, ok(a.createToken('shop', 'web', podRequest(3600))).claims.jti);
  });

  test('status.token is opaque, not a JWT; the response echoes the bound ref and carries the SA UID', () => {
    const r = ok(issuer().iss.createToken('shop', 'web', podRequest(3600)));
    assert.notEqual(r.response.status.token.split('.').length, 3);
    assert.deepEqual(r.response.spec.boundObjectRef, podRef);
    assert.equal(r.response.metadata?.uid, defaultServiceAccountUid('shop', 'web'));
  });

  test('a body UID that does not match the service account → 409', () => {
    const e = err(issuer().iss.createToken('shop', 'web', { metadata: { uid: 'other' }, spec: podRequest(3600).spec }));
    assert.equal(e.code, 409);
    assert.match(e.error, /the UID in the token request \(other\) does not match the UID of the service account/);
    ok(issuer().iss.createToken('shop', 'web', { metadata: { uid: defaultServiceAccountUid('shop', 'web') }, spec: podRequest(3600).spec }));
  });

  test('binding to an unsupported kind → 400', () => {
    const e = err(issuer().iss.createToken('shop', 'web', { spec: { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c', uid: 'u' } } }));
    assert.equal(e.error, 'cannot bind token to object of type /v1, Kind=ConfigMap');
  });
});

describe('faults as a client sees them', () => {
  test('outages [from, to): connection refused, no round trip, no draws', () => {
    const { clock, iss } = issuer({ outages: [{ from: T0 + 10 * S, to: T0 + 20 * S }], latencyMs: 40 });
    clock.set(T0 + 10 * S - 1);
    assert.equal(ok(iss.createToken('shop', 'web', podRequest(3600))).latencyMs, 40);
    clock.set(T0 + 10 * S);
    const stream = createStream(3, 'x');
    const e = err(iss.createToken('shop', 'web', podRequest(3600), stream));
    assert.equal(e.error, 'Post "https://10.0.0.1:6443/api/v1/namespaces/shop/serviceaccounts/web/token": dial tcp 10.0.0.1:6443: connect: connection refused');
    assert.equal(e.latencyMs, 0);
    assert.equal(stream.position, 0);
    clock.set(T0 + 20 * S);
    ok(iss.createToken('shop', 'web', podRequest(3600)));
    assert.equal(iss.reachableFrom(T0 + 15 * S), T0 + 20 * S);
  });

  test('error rate: one draw per request that reaches the server; 1 always fails with a 503', () => {
    const { iss } = issuer({ errorRate: 1, latencyMs: 5 });
    const stream = createStream(3, 'x');
    const e = err(iss.createToken('shop', 'web', podRequest(3600), stream));
    assert.equal(e.code, 503);
    assert.equal(e.error, 'the server is currently unable to handle the request (post serviceaccounts web)');
    assert.equal(stream.position, 1);
    const fine = issuer({ errorRate: 0 }).iss;
    const s2 = createStream(3, 'x');
    ok(fine.createToken('shop', 'web', podRequest(3600), s2));
    assert.equal(s2.position, 4); // only the jti
  });

  test('error rate: about the requested fraction fails', () => {
    const { iss } = issuer({ errorRate: 0.25 });
    let failed = 0;
    for (let i = 0; i < 4000; i++) if (!iss.createToken('shop', 'web', podRequest(3600)).ok) failed++;
    assert.ok(failed > 800 && failed < 1200, `${failed} of 4000`);
  });
});

describe('token acceptance times (SPEC D.2)', () => {
  const iat = Math.floor(T0 / S);
  const claims = { iat, nbf: iat, exp: iat + 3600 };

  test('60 s leeway on exp: accepted until exp + 60 s, rejected 1 ms later', () => {
    assert.equal(checkTokenTimes(claims, (iat + 3660) * S).ok, true);
    assert.deepEqual(checkTokenTimes(claims, (iat + 3660) * S + 1), { ok: false, error: 'service account token has expired', staleToken: false });
  });

  test('60 s leeway on nbf and iat', () => {
    assert.equal(checkTokenTimes(claims, (iat - 60) * S).ok, true);
    assert.equal(checkTokenTimes(claims, (iat - 60) * S - 1).error, 'service account token is not valid yet');
    assert.equal(checkTokenTimes({ ...claims, nbf: iat - 1000 }, (iat - 60) * S - 1).error, 'service account token is issued in the future');
  });

  test('past warnafter an extended token still authenticates, flagged stale', () => {
    const r = ok(issuer().iss.createToken('shop', 'web', podRequest(3607)));
    const warn = r.claims['kubernetes.io'].warnafter ?? 0;
    assert.deepEqual(checkTokenTimes(r.claims, warn * S), { ok: true, staleToken: false });
    assert.deepEqual(checkTokenTimes(r.claims, warn * S + 1), { ok: true, staleToken: true });
    assert.equal(checkTokenTimes(r.claims, (iat + 200 * 86_400) * S).ok, true);
  });
});
