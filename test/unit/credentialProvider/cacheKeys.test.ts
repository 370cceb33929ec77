import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  baseCacheKey,
  binaryOf,
  generateCacheKey,
  generateServiceAccountCacheKey,
  generateSingleFlightKey,
  globalCacheKey,
  printableKey,
  serviceAccountTokenHash,
  type KeyResult,
} from '../../../src/sim/credentialProvider/cacheKeys';
import { parseRegistry } from '../../../src/sim/credentialProvider/imageRegistry';

function key(r: KeyResult): string {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.key;
}

/** Bytes written out by hand → a binary string. */
const bytes = (...parts: Array<string | number[]>): string =>
  parts.map((p) => (typeof p === 'string' ? p : String.fromCharCode(...p))).join('');

const HASH = 'sha256:f7a41acb9633520e657fe58dedcd9e6a784e2d97e4c646492b45c61e28595c70';
const SA_PREFIX = bytes([0, 9], 'namespace', [0, 15], 'service-account', [0, 19], 'service-account-uid');
const sa = (annotations: Record<string, string>, tokenHash?: string): string =>
  key(generateServiceAccountCacheKey({ namespace: 'namespace', name: 'service-account', uid: 'service-account-uid', annotations, ...(tokenHash === undefined ? {} : { tokenHash }) }));

describe('cache key bytes (SPEC B.4)', () => {
  test('service-account key without annotations: three strings and a zero count', () => {
    assert.equal(sa({}), SA_PREFIX + bytes([0, 0, 0, 0]));
  });

  test('one annotation', () => {
    assert.equal(sa({ 'domain.io/annotation-1': 'value1' }), SA_PREFIX + bytes([0, 0, 0, 1], [0, 22], 'domain.io/annotation-1', [0, 6], 'value1'));
  });

  test('annotations are sorted by key, whatever the insertion order', () => {
    const want = SA_PREFIX + bytes([0, 0, 0, 2], [0, 22], 'domain.io/annotation-1', [0, 6], 'value1', [0, 22], 'domain.io/annotation-2', [0, 6], 'value2');
    assert.equal(sa({ 'domain.io/annotation-1': 'value1', 'domain.io/annotation-2': 'value2' }), want);
    assert.equal(sa({ 'domain.io/annotation-2': 'value2', 'domain.io/annotation-1': 'value1' }), want);
  });

  test('cacheType Token appends "token" and the hash (71 bytes = 0x47)', () => {
    const annotations = { 'domain.io/annotation-2': 'value2', 'domain.io/annotation-1': 'value1' };
    assert.equal(sa(annotations, HASH), sa(annotations) + bytes([0, 5], 'token', [0, 0x47], HASH));
  });

  test('pod name and UID are not part of the key: the params do not even carry them', () => {
    const a = key(generateServiceAccountCacheKey({ namespace: 'ns', name: 'sa', uid: 'u', annotations: {} }));
    assert.ok(!a.includes('pod'));
  });

  test('generateCacheKey: empty service-account part is two zero bytes', () => {
    assert.equal(key(generateCacheKey('registry.io/image', '')), bytes([0, 17], 'registry.io/image', [0, 0]));
  });

  test('generateCacheKey embeds the service-account key bytes as they are (117 = 0x75 bytes)', () => {
    const saKey = sa({ 'domain.io/annotation-1': 'value1', 'domain.io/annotation-2': 'value2' });
    assert.equal(saKey.length, 117);
    assert.equal(key(generateCacheKey('registry.io/image', saKey)), bytes([0, 17], 'registry.io/image', [0, 0x75]) + saKey);
  });

  test('a key with bytes ≥ 0x80 inside is not re-encoded when nested', () => {
    const saKey = key(generateServiceAccountCacheKey({ namespace: 'ns', name: 'sä', uid: 'u', annotations: {} }));
    assert.equal(saKey, bytes([0, 2], 'ns', [0, 3], 's', [0xc3, 0xa4], [0, 1], 'u', [0, 0, 0, 0]));
    const full = key(generateCacheKey('img', saKey));
    assert.equal(full, bytes([0, 3], 'img', [0, saKey.length]) + saKey);
  });

  test('generateSingleFlightKey = str(image) str(tokenHash) annotations', () => {
    assert.equal(key(generateSingleFlightKey('test.registry.io', '', {})), bytes([0, 16], 'test.registry.io', [0, 0], [0, 0, 0, 0]));
    assert.equal(
      key(generateSingleFlightKey('i', HASH, { b: '2', a: '1' })),
      bytes([0, 1], 'i', [0, 0x47], HASH, [0, 0, 0, 2], [0, 1], 'a', [0, 1], '1', [0, 1], 'b', [0, 1], '2'),
    );
  });

  test('text is UTF-8: lengths count bytes, not UTF-16 code units', () => {
    assert.equal(key(generateCacheKey('reg.io/ü', '')), bytes([0, 9], 'reg.io/', [0xc3, 0xbc], [0, 0]));
    assert.equal(binaryOf('😀'), bytes([0xf0, 0x9f, 0x98, 0x80]));
    assert.equal(binaryOf('\ud800'), bytes([0xef, 0xbf, 0xbd]), 'a lone surrogate becomes U+FFFD');
  });

  test('annotation keys sort by UTF-8 bytes (Go), not by UTF-16 code units (JS)', () => {
    // UTF-16: U+1F600 (D83D…) < U+FF61; UTF-8: EF BD A1 (U+FF61) < F0 9F 98 80 (U+1F600).
    const k = key(generateSingleFlightKey('', '', { '😀': 'x', '｡': 'y' }));
    assert.equal(k, bytes([0, 0], [0, 0], [0, 0, 0, 2], [0, 3], [0xef, 0xbd, 0xa1], [0, 1], 'y', [0, 4], [0xf0, 0x9f, 0x98, 0x80], [0, 1], 'x'));
  });

  test('a part longer than 65535 bytes fails with cryptobyte\'s error; 65535 fits', () => {
    const ok = generateCacheKey('a'.repeat(65535), '');
    assert.ok(ok.ok);
    assert.equal(ok.ok && ok.key.length, 65539);
    assert.deepEqual(generateCacheKey('a'.repeat(65536), ''), { ok: false, error: 'cryptobyte: pending child length 65536 exceeds 2-byte length prefix' });
    // Bytes, not characters: 32768 × "é" is 65536 bytes.
    assert.deepEqual(generateCacheKey('é'.repeat(32768), ''), { ok: false, error: 'cryptobyte: pending child length 65536 exceeds 2-byte length prefix' });
    const big = generateServiceAccountCacheKey({ namespace: 'ns', name: 'sa', uid: 'u', annotations: { k: 'v'.repeat(70000) } });
    assert.deepEqual(big, { ok: false, error: 'cryptobyte: pending child length 70000 exceeds 2-byte length prefix' });
  });

  test('the first overflow is the one reported (the error is sticky)', () => {
    const r = generateSingleFlightKey('a'.repeat(70000), 'b'.repeat(80000), {});
    assert.deepEqual(r, { ok: false, error: 'cryptobyte: pending child length 70000 exceeds 2-byte length prefix' });
  });

  test('property: service-account keys are equal iff their inputs are (TestGenerateServiceAccountCacheKey_Deterministic)', () => {
    const text = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', '/', '\u0000', 'é', '😀') });
    const params = fc.record({
      namespace: text,
      name: text,
      uid: text,
      annotations: fc.dictionary(text, text, { maxKeys: 3 }),
      tokenHash: fc.option(text, { nil: undefined }),
    });
    fc.assert(
      fc.property(params, params, (a, b) => {
        const clean = (p: typeof a) => ({ ...p, annotations: { ...p.annotations }, ...(p.tokenHash === undefined ? { tokenHash: undefined } : {}) });
        const ka = key(generateServiceAccountCacheKey(clean(a)));
        const kb = key(generateServiceAccountCacheKey(clean(b)));
        const same =
          a.namespace === b.namespace &&
          a.name === b.name &&
          a.uid === b.uid &&
          a.tokenHash === b.tokenHash &&
          JSON.stringify(Object.entries(a.annotations).sort()) === JSON.stringify(Object.entries(b.annotations).sort());
        assert.equal(ka === kb, same);
        assert.equal(key(generateCacheKey('registry.io/image', ka)) === key(generateCacheKey('registry.io/image', kb)), same);
      }),
      { numRuns: 500 },
    );
  });

  test('property: a key is a binary string (code units 0–255)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), (image, hash, annotations) => {
        const k = key(generateSingleFlightKey(image, hash, annotations));
        for (let i = 0; i < k.length; i++) assert.ok(k.charCodeAt(i) <= 0xff);
      }),
    );
  });
});

describe('base keys (SPEC B.3 step 7)', () => {
  test('Image is the image, Registry the text before the first slash, Global by version', () => {
    assert.equal(baseCacheKey('Image', 'reg.io:5000/a/b:tag', '1.34'), 'reg.io:5000/a/b:tag');
    assert.equal(baseCacheKey('Registry', 'reg.io:5000/a/b:tag', '1.34'), 'reg.io:5000');
    assert.equal(baseCacheKey('Global', 'reg.io/a', '1.34'), '<global>');
    assert.equal(baseCacheKey('Global', 'reg.io/a', '1.33'), 'global');
    assert.equal(globalCacheKey('1.33'), 'global');
  });

  test('parseRegistry does not normalise', () => {
    assert.equal(parseRegistry('nginx'), 'nginx');
    assert.equal(parseRegistry('nginx:1.27'), 'nginx:1.27');
    assert.equal(parseRegistry('library/nginx'), 'library');
    assert.equal(parseRegistry(''), '');
    assert.equal(parseRegistry('/x'), '');
  });
});

describe('token hash (SPEC B.3 e)', () => {
  test('"sha256:" + hex of the token; empty token → empty hash', () => {
    assert.equal(serviceAccountTokenHash(''), '');
    assert.equal(serviceAccountTokenHash('token'), `sha256:${createHash('sha256').update('token').digest('hex')}`);
  });

  test('property: agrees with node:crypto on the UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'binary' }), (t) => {
        assert.equal(serviceAccountTokenHash(t), `sha256:${createHash('sha256').update(Buffer.from(t, 'utf8')).digest('hex')}`);
      }),
    );
  });
});

describe('printableKey', () => {
  test('escapes non-printable bytes like Go %q does for ASCII', () => {
    assert.equal(printableKey(bytes([0, 6], 'image1', [0, 0])), '"\\x00\\x06image1\\x00\\x00"');
    assert.equal(printableKey(bytes([0, 9], 'a"b\\', [0xc3])), '"\\x00\\ta\\"b\\\\\\xc3"');
  });
});
