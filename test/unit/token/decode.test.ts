import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeJwt } from '../../../src/token/decode';
import { decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from '../../../src/token/base64url';

const b64 = (v: unknown): string => encodeBase64UrlText(typeof v === 'string' ? v : JSON.stringify(v));
const token = (header: unknown, payload: unknown, sig = 'c2ln'): string => `${b64(header)}.${b64(payload)}.${sig}`;

const HEADER = { alg: 'RS256', kid: 'k1' };
const PAYLOAD = {
  aud: ['https://kubernetes.default.svc.cluster.local'],
  exp: 1_767_225_600,
  iat: 1_735_689_600,
  nbf: 1_735_689_600,
  iss: 'https://kubernetes.default.svc.cluster.local',
  sub: 'system:serviceaccount:shop:web',
  'kubernetes.io': { namespace: 'shop', serviceaccount: { name: 'web', uid: 'u1' } },
};
const VALID = token(HEADER, PAYLOAD);

function errorOf(input: unknown): { error: string; where: string } {
  const r = decodeJwt(input);
  assert.equal(r.ok, false, `expected a failure for ${String(input)}`);
  if (r.ok) throw new Error('unreachable');
  return { error: r.error, where: r.where };
}

test('decodes a valid token, with whitespace and a Bearer prefix', () => {
  for (const input of [VALID, `  ${VALID}\n`, `Bearer ${VALID}`, `bearer   ${VALID} `, `Authorization: Bearer ${VALID}`]) {
    const r = decodeJwt(input);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.header, HEADER);
    assert.deepEqual(r.payload, PAYLOAD);
    assert.equal(r.token, VALID);
    assert.equal(r.signingInput, VALID.slice(0, VALID.lastIndexOf('.')));
    assert.deepEqual([...r.signature], [...new TextEncoder().encode('sig')]);
  }
});

test('precise format errors', () => {
  assert.deepEqual(errorOf('a.b'), { error: 'expected 3 dot-separated parts, got 2', where: 'format' });
  assert.deepEqual(errorOf(''), { error: 'the token is empty', where: 'format' });
  assert.deepEqual(errorOf('Bearer '), { error: 'the token is empty', where: 'format' });
  assert.match(errorOf('a.b.c.d.e').error, /got 5 \(5 parts is an encrypted JWE/);
  assert.deepEqual(errorOf(`${VALID.slice(0, 10)} ${VALID.slice(10)}`), {
    error: 'the token contains whitespace at character 11: a JWT is one line with no spaces',
    where: 'format',
  });
  assert.equal(errorOf(42).error, 'expected the token as text, got number');
  assert.equal(errorOf(undefined).error, 'expected the token as text, got undefined');
});

test('base64url errors name the part and the character', () => {
  const [h, p, s] = VALID.split('.') as [string, string, string];
  const badPayload = `${p.slice(0, 16)}+${p.slice(17)}`;
  assert.deepEqual(errorOf(`${h}.${badPayload}.${s}`), {
    error: "payload is not valid base64url at character 17 ('+': standard base64, not base64url (which uses - and _))",
    where: 'payload',
  });
  assert.deepEqual(errorOf(`${h}=.${p}.${s}`).where, 'header');
  assert.match(errorOf(`${h}=.${p}.${s}`).error, new RegExp(`^header is not valid base64url at character ${h.length + 1} \\('=': padding`));
  assert.deepEqual(errorOf(`${h}.${p}.ab$c`), { error: "signature is not valid base64url at character 3 ('$')", where: 'signature' });
  assert.match(errorOf(`${h}.${p.slice(0, 5)}.${s}`).error, /^payload is not valid base64url: 5 characters is an impossible length/);
  assert.match(errorOf(`${h}.${p}.é`).error, /signature is not valid base64url at character 1 \(U\+00E9\)/);
});

test('JSON and claim-type errors', () => {
  assert.match(errorOf(`${b64('{"alg":')}.${b64(PAYLOAD)}.x`).error, /^header is not JSON: /);
  assert.deepEqual(errorOf(`${b64('[1]')}.${b64(PAYLOAD)}.x`), { error: 'header is not a JSON object (got array)', where: 'header' });
  assert.deepEqual(errorOf(token({ typ: 'JWT' }, PAYLOAD)), { error: 'header has no "alg"', where: 'header' });
  assert.deepEqual(errorOf(token({ alg: 1 }, PAYLOAD)), { error: 'header "alg" must be a string (got number 1)', where: 'header' });
  assert.deepEqual(errorOf(token(HEADER, { ...PAYLOAD, exp: '1767225600' })), {
    error: 'payload claim exp must be a number (got string "1767225600")',
    where: 'payload',
  });
  assert.equal(errorOf(token(HEADER, { ...PAYLOAD, iat: null })).error, 'payload claim iat must be a number (got null)');
  assert.equal(errorOf(token(HEADER, { ...PAYLOAD, aud: ['a', 3] })).error, 'payload claim aud must be a string or an array of strings (element 1 is number 3)');
  assert.equal(errorOf(token(HEADER, { ...PAYLOAD, sub: {} })).error, 'payload claim sub must be a string (got object)');
  assert.equal(errorOf(token(HEADER, 'null')).error, 'payload is not a JSON object (got null)');
  assert.equal(errorOf(`${b64(HEADER)}.${encodeBase64Url(new Uint8Array([0xff, 0xfe, 0x7b]))}.x`).error, 'payload is not valid UTF-8 after base64url decoding');
  assert.equal(errorOf(token(HEADER, PAYLOAD).replace(/^[^.]*/, '')).error, 'header is empty');
});

test('base64url round-trips any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const r = decodeBase64Url(encodeBase64Url(bytes));
      assert.ok(r.ok);
      assert.deepEqual([...r.bytes], [...bytes]);
    }),
  );
});

function assertTotal(input: unknown): void {
  const r = decodeJwt(input);
  if (r.ok) {
    assert.equal(typeof r.header.alg, 'string');
    assert.equal(typeof r.payload, 'object');
    return;
  }
  assert.ok(['header', 'payload', 'signature', 'format'].includes(r.where), r.where);
  assert.ok(r.error.length > 10, `vague error: ${r.error}`);
  // Precise: every error names the part or the shape that is wrong.
  assert.match(r.error, /^(header|payload|signature|the token|expected|could not)/);
}

test('property: random strings never throw and give ok or a precise error', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), assertTotal), { numRuns: 2000 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), assertTotal), { numRuns: 500 });
  fc.assert(fc.property(fc.anything(), assertTotal), { numRuns: 300 });
  // Dot-separated random parts from the base64url alphabet reach the JSON stage.
  const part = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_='.split('')), maxLength: 40 });
  fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => assertTotal(parts.join('.'))), { numRuns: 1000 });
  // Random JSON values in valid base64url reach the claim checks.
  fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (h, p) => assertTotal(token(h, p))), { numRuns: 500 });
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom('exp', 'iat', 'nbf', 'aud', 'iss', 'sub', 'jti', 'kubernetes.io', 'x'), fc.jsonValue()), (claims) =>
      assertTotal(token(HEADER, claims)),
    ),
    { numRuns: 500 },
  );
});

test('property: random mutations of a valid token never throw', () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 4, unit: 'binary' }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
      let t = VALID;
      for (const m of mutations) {
        const at = m.at % (t.length + 1);
        if (m.kind === 'replace') t = t.slice(0, at) + m.ch + t.slice(at + 1);
        else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.n);
        else if (m.kind === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
        else t = t.slice(0, at);
      }
      assertTotal(t);
    }),
    { numRuns: 3000 },
  );
});
