/** The cluster's token settings inferred from discovery and from tokens already read (SPEC D.1 steps 4, 7, 8). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterTokenSettings } from '../../../src/cluster/clusterTokenSettings';

const iat = 1_750_000_000;

test('issuer and JWKS URI come from discovery; the API audiences from a token that named no audience', () => {
  const s = clusterTokenSettings({ issuer: 'https://k8s.example', jwksUri: 'https://k8s.example/openid/v1/jwks' }, [
    { payload: { aud: ['vault'], iat, exp: iat + 600 }, requestedSeconds: 600, audienceRequested: true },
    { payload: { aud: ['https://k8s.example', 'api'], iat, exp: iat + 3600 }, requestedSeconds: 3600, audienceRequested: false },
  ]);
  assert.equal(s.issuer, 'https://k8s.example');
  assert.equal(s.jwksUri, 'https://k8s.example/openid/v1/jwks');
  assert.deepEqual(s.apiAudiences, ['https://k8s.example', 'api']);
  assert.deepEqual(s.maxExpiration && { kind: s.maxExpiration.kind, seconds: s.maxExpiration.seconds }, { kind: 'atLeast', seconds: 3600 });
});

test('a shortened request reveals the exact maximum; an extended 3607 s token shows the extension is on', () => {
  const capped = clusterTokenSettings(undefined, [
    { payload: { aud: ['x'], iat, exp: iat + 86_400 }, requestedSeconds: 86_400, audienceRequested: true },
    { payload: { aud: ['y'], iat, exp: iat + 7200 }, requestedSeconds: 172_800, audienceRequested: true },
  ]);
  assert.deepEqual(capped.maxExpiration && { kind: capped.maxExpiration.kind, seconds: capped.maxExpiration.seconds }, { kind: 'exactly', seconds: 7200 });
  const extended = clusterTokenSettings(undefined, [
    { payload: { aud: ['api'], iat, exp: iat + 31_536_000, 'kubernetes.io': { warnafter: iat + 3607 } }, requestedSeconds: 3607, audienceRequested: false },
  ]);
  assert.equal(extended.extendTokenExpiration, true);
  assert.equal(extended.maxExpiration?.kind, 'atLeast');
  assert.equal(extended.maxExpiration?.seconds, 3607, 'the extension says nothing about the cap beyond 3607 s');
  const plain = clusterTokenSettings(undefined, [{ payload: { aud: ['api'], iat, exp: iat + 3607, 'kubernetes.io': {} }, requestedSeconds: 3607, audienceRequested: false }]);
  assert.equal(plain.extendTokenExpiration, false);
});
