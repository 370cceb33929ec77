import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from '../../../src/token/decode';
import { tokenReportMarkdown } from '../../../src/token/report';
import { encodeBase64UrlText } from '../../../src/token/base64url';

const iat = Date.UTC(2026, 0, 1) / 1000;
const payload = {
  iss: 'https://kubernetes.default.svc.cluster.local',
  sub: 'system:serviceaccount:shop:web',
  aud: ['https://kubernetes.default.svc.cluster.local'],
  iat,
  nbf: iat,
  exp: iat + 31_536_000,
  'kubernetes.io': {
    namespace: 'shop',
    pod: { name: 'web-0', uid: 'p-uid' },
    serviceaccount: { name: 'web', uid: 'sa-uid' },
    warnafter: iat + 3607,
  },
};
const token = `${encodeBase64UrlText(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }))}.${encodeBase64UrlText(JSON.stringify(payload))}.c2lnbmF0dXJlLWJ5dGVz`;

test('the token report shows the claims and lifetime but never the token or its signature', () => {
  const decoded = decodeJwt(token);
  assert.ok(decoded.ok);
  const md = tokenReportMarkdown({ title: 'web-0 token', decoded }, (iat + 600) * 1000, 'UTC');
  assert.ok(!md.includes(token), 'the whole token');
  for (const part of token.split('.')) assert.ok(!md.includes(part), `a part of the token: ${part.slice(0, 12)}…`);
  assert.match(md, /system:serviceaccount:shop:web/);
  assert.match(md, /kubernetes\.io\/warnafter/);
  assert.match(md, /requested lifetime: 1 h 7 s; the JWT is valid for 365 d/);
  // Both expiries of a kube-api-access token, each named, in the reader's zone.
  assert.match(md, /- Kubelet expiry in 50 min 7 s \(2026-01-01 01:00:07 UTC\): /);
  assert.match(md, /- JWT expiry in ≈364 d 23 h \(2027-01-01 00:00:00 UTC\): /);
  assert.match(md, /- Kubelet refresh at 2026-01-01 00:48:06 UTC \(in 37 min 57 s\): the kubelet refreshes it once 80 %/);
  assert.match(md, /kubernetes\.io\/docs/);
});

test('a failed verification says why', () => {
  const decoded = decodeJwt(token);
  assert.ok(decoded.ok);
  const md = tokenReportMarkdown(
    { title: 't', decoded, verification: { against: 'jwks.json', result: { ok: false, kind: 'signature', reason: 'signature does not match any key (kid k1)' } } },
    iat * 1000,
  );
  assert.match(md, /Not verified\*\* against jwks\.json: signature does not match any key/);
});
