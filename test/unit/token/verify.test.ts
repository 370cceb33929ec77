import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { verifyJwt } from '../../../src/token/verify';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const IAT = 1_735_689_600;
const NOW = (IAT + 100) * 1000;

interface Signer {
  alg: 'RS256' | 'ES256';
  kid: string;
  jwk: JWK;
  sign(payload: JWTPayload, header?: Record<string, unknown>): Promise<string>;
}

async function signer(alg: 'RS256' | 'ES256', kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    alg,
    kid,
    jwk,
    sign: (payload, header = {}) => new SignJWT(payload).setProtectedHeader({ alg, kid, ...header }).sign(privateKey),
  };
}

const claims = (over: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
  sub: 'system:serviceaccount:shop:web',
  aud: [ISSUER, 'vault'],
  iat: IAT,
  nbf: IAT,
  exp: IAT + 3600,
  ...over,
});

function failure(r: Awaited<ReturnType<typeof verifyJwt>>): { kind: string; reason: string } {
  assert.equal(r.ok, false, 'expected a failure');
  if (r.ok) throw new Error('unreachable');
  return { kind: r.kind, reason: r.reason };
}

for (const alg of ['RS256', 'ES256'] as const) {
  test(`${alg}: success and every failure kind`, async () => {
    const s = await signer(alg, `${alg}-key`);
    const other = await signer(alg, 'other');
    const jwks = { keys: [s.jwk, other.jwk] };
    const good = await s.sign(claims());

    const ok = await verifyJwt(good, jwks, { nowMs: NOW, issuer: ISSUER, audience: 'vault' });
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.equal(ok.kid, `${alg}-key`);
    assert.equal(ok.protectedHeader.alg, alg);
    assert.equal(ok.payload.sub, 'system:serviceaccount:shop:web');
    assert.ok((await verifyJwt(`Bearer ${good}\n`, jwks, { nowMs: NOW })).ok);

    // Tampered payload: same kid, signature no longer matches.
    const [h, , sig] = good.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(claims({ sub: 'system:serviceaccount:kube-system:admin' }))).toString('base64url')}.${sig}`;
    assert.deepEqual(failure(await verifyJwt(forged, jwks, { nowMs: NOW })), {
      kind: 'signature',
      reason: `signature does not match any key (kid "${alg}-key"): the token was altered or signed by a different key`,
    });
    // Signed by a key whose kid is not published.
    assert.deepEqual(failure(await verifyJwt(good, { keys: [other.jwk] }, { nowMs: NOW })), {
      kind: 'keys',
      reason: `signature does not match any key (kid "${alg}-key" is not in the JWKS; the JWKS has 1 key: "other")`,
    });
    // Published under the same kid but a different key.
    const impostor = { ...other.jwk, kid: `${alg}-key` };
    assert.equal(failure(await verifyJwt(good, { keys: [impostor] }, { nowMs: NOW })).kind, 'signature');

    // Times, with the API server's 60 s leeway.
    const exp = IAT + 3600;
    assert.ok((await verifyJwt(good, jwks, { nowMs: (exp + 60) * 1000 })).ok, 'now − 60 s > exp is strict');
    assert.deepEqual(failure(await verifyJwt(good, jwks, { nowMs: (exp + 61) * 1000 })), {
      kind: 'expired',
      reason: 'expired at 2025-01-01T01:00:00Z (1 min 1 s ago; more than 60 s ago)',
    });
    assert.ok((await verifyJwt(good, jwks, { nowMs: (IAT - 60) * 1000 })).ok);
    assert.deepEqual(failure(await verifyJwt(await s.sign(claims({ iat: undefined })), jwks, { nowMs: (IAT - 120) * 1000 })), {
      kind: 'notYetValid',
      reason: 'not valid before 2025-01-01T00:00:00Z (in 2 min; beyond the 60 s leeway)',
    });
    assert.deepEqual(failure(await verifyJwt(await s.sign(claims({ nbf: undefined })), jwks, { nowMs: (IAT - 120) * 1000 })), {
      kind: 'issuedInFuture',
      reason: 'issued in the future at 2025-01-01T00:00:00Z (in 2 min; beyond the 60 s leeway)',
    });

    // Issuer and audience.
    assert.deepEqual(failure(await verifyJwt(good, jwks, { nowMs: NOW, issuer: 'https://oidc.example' })), {
      kind: 'issuer',
      reason: `issuer "${ISSUER}" is not "https://oidc.example"`,
    });
    assert.deepEqual(failure(await verifyJwt(good, jwks, { nowMs: NOW, audience: 'sts.amazonaws.com' })), {
      kind: 'audience',
      reason: `audience ["${ISSUER}", "vault"] does not include "sts.amazonaws.com"`,
    });
    assert.deepEqual(failure(await verifyJwt(good, jwks, { nowMs: NOW, audience: ['a', 'b'] })).reason, `audience ["${ISSUER}", "vault"] does not include any of "a", "b"`);

    // Malformed input and bad key sets fail with reasons, not exceptions.
    assert.deepEqual(failure(await verifyJwt('a.b', jwks, { nowMs: NOW })), { kind: 'format', reason: 'malformed token: expected 3 dot-separated parts, got 2' });
    assert.equal(failure(await verifyJwt(good, { nope: 1 }, { nowMs: NOW })).reason, 'the JWKS is invalid: expected an object with a "keys" array');
    assert.equal(failure(await verifyJwt(good, { keys: [{ kty: 'RSA', kid: `${alg}-key` }] }, { nowMs: NOW })).kind, 'keys');
  });
}

test('no kid: every key of the right type is a candidate, as in the API server', async () => {
  const a = await signer('RS256', 'a');
  const b = await signer('RS256', 'b');
  const ec = await signer('ES256', 'c');
  const token = await a.sign(claims(), { kid: undefined });
  const ok = await verifyJwt(token, { keys: [b.jwk, ec.jwk, { ...a.jwk, kid: undefined }] }, { nowMs: NOW });
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.deepEqual(failure(await verifyJwt(token, { keys: [b.jwk, { ...b.jwk, kid: 'b2' }] }, { nowMs: NOW })), {
    kind: 'signature',
    reason: 'signature does not match any key (no kid): the token was altered or signed by a different key',
  });
  assert.deepEqual(failure(await verifyJwt(token, { keys: [ec.jwk] }, { nowMs: NOW })), {
    kind: 'keys',
    reason: 'signature does not match any key (the token has no kid and no RSA key in the JWKS can verify RS256; the JWKS has 1 key: "c")',
  });
});

test('an ES256 token against an RSA key with its kid says why', async () => {
  const ec = await signer('ES256', 'k');
  const rsa = await signer('RS256', 'k');
  const r = failure(await verifyJwt(await ec.sign(claims()), { keys: [rsa.jwk] }, { nowMs: NOW }));
  assert.equal(r.kind, 'keys');
  assert.equal(r.reason, 'signature does not match any key (the key with kid "k" cannot verify ES256: it is kty RSA, alg RS256)');
});
