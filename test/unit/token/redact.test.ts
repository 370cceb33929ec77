import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { REDACTED, redactKnown, redactSecrets } from '../../../src/token/redact';
import { encodeBase64UrlText } from '../../../src/token/base64url';

const header = encodeBase64UrlText(JSON.stringify({ alg: 'RS256', kid: 'k1' }));
const payload = encodeBase64UrlText(JSON.stringify({ sub: 'system:serviceaccount:shop:web', exp: 1767225600 }));
const JWT = `${header}.${payload}.c2lnbmF0dXJlLWJ5dGVzLWhlcmU`;
const SECRET_PARTS = [header, payload, 'c2lnbmF0dXJlLWJ5dGVzLWhlcmU'];

function assertNoSecret(text: string): void {
  for (const part of SECRET_PARTS) assert.ok(!text.includes(part), `leaked ${part.slice(0, 12)}… in: ${text}`);
}

test('a JWT anywhere in a message is replaced, the rest of the message stays', () => {
  const out = redactSecrets(`cat failed: unexpected output ${JWT} (exit 1)`);
  assert.equal(out, `cat failed: unexpected output ${REDACTED} (exit 1)`);
  // Unsigned (alg none: empty signature) and JWE (5 parts) forms too.
  assertNoSecret(redactSecrets(`x ${header}.${payload}. y`));
  assertNoSecret(redactSecrets(`${header}.${payload}.a.b.c`));
});

test('Authorization headers, JSON and YAML credential fields are redacted', () => {
  assert.equal(redactSecrets('Authorization: Bearer abc123def456ghi789'), `Authorization: Bearer ${REDACTED}`);
  assert.equal(redactSecrets('Authorization: Basic dXNlcjpwYXNzd29yZA=='), `Authorization: Basic ${REDACTED}`);
  // An ExecCredential an exec plugin printed (client-go would quote it on a parse error).
  const exec = '{"kind":"ExecCredential","status":{"token":"k8s-aws-v1.aHR0cHM6Ly9zdHMu","expirationTimestamp":"2026-01-01T00:00:00Z"}}';
  assert.equal(
    redactSecrets(exec),
    `{"kind":"ExecCredential","status":{"token":"${REDACTED}","expirationTimestamp":"2026-01-01T00:00:00Z"}}`,
  );
  assert.equal(redactSecrets('{"token": "short"}'), `{"token": "${REDACTED}"}`);
  assert.equal(redactSecrets('    token: 0123456789abcdef0123456789'), `    token: ${REDACTED}`);
  assert.equal(redactSecrets("id-token: 'abcdefghijklmnopqrstuvwxyz'"), `id-token: '${REDACTED}'`);
  assert.equal(redactSecrets('client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVkt'), `client-key-data: ${REDACTED}`);
  assert.equal(redactSecrets('password: hunter2'), `password: ${REDACTED}`);
  assert.equal(redactSecrets(`token=${JWT}`), `token=${REDACTED}`);
});

test('prose about tokens is left readable', () => {
  for (const text of [
    'failed to fetch token: connection refused',
    'read 2 token(s) of shop/web-0 from Demo cluster (built-in)',
    'minted a 600 s token for shop/web bound to pod web-0',
    'the Bearer token was rejected (401 Unauthorized)',
    'request token: forbidden: user "alice" may not create serviceaccounts/token',
    'kubeconfig /home/u/.kube/config could not be loaded: bad indentation of a mapping entry (12:10)',
  ]) {
    assert.equal(redactSecrets(text), text);
  }
});

test('property: a JWT embedded in any text never survives, and redacting twice changes nothing more', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (before, after) => {
      const once = redactSecrets(`${before} ${JWT} ${after}`);
      assertNoSecret(once);
      assert.equal(redactSecrets(once), once);
    }),
  );
});

test('redactKnown masks secrets this code holds whatever their shape, longest first, then by shape too', () => {
  const opaque = 'k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbQ';
  const password = 'hunter2';
  assert.equal(redactKnown(`write failed: ${opaque} / ${password}`, [password, opaque]), 'write failed: [redacted] / [redacted]');
  assert.equal(redactKnown(`pw ${password}${password}x`, [password, `${password}${password}`]), 'pw [redacted]x');
  assert.equal(redactKnown('Bearer abcdefghijklmnopqrstuvwxyz', ['']), 'Bearer [redacted]');
});
