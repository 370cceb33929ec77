// SPEC B.7 (the kubelet ↔ plugin bytes) and B.3 steps 7 and 9 (what a response means for the cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CredentialProvider, CredentialProviderResponse } from '../../../src/sim/credentialProvider/config';
import { decodePluginResponse, effectiveCacheExpiry, encodePluginRequest } from '../../../src/sim/credentialProvider/pluginIO';
import { isJsonObject, parseStrictJson } from '../../../src/sim/units/goJson';

const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';
const V1ALPHA1 = 'credentialprovider.kubelet.k8s.io/v1alpha1';
const MINUTE_NS = 60_000_000_000n;

function provider(apiVersion: string, over: Partial<CredentialProvider> = {}): CredentialProvider {
  return { name: 'ecr-credential-provider', matchImages: ['*.dkr.ecr.*.amazonaws.com'], defaultCacheDuration: 12n * 60n * MINUTE_NS, apiVersion, ...over };
}

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:v1';

// ---- encodePluginRequest: the exact bytes ----

test('the request is the kubelet\'s newline-terminated JSON, kind then apiVersion then image, for every version', () => {
  for (const v of [V1ALPHA1, V1BETA1, V1]) {
    assert.equal(encodePluginRequest(provider(v), ECR), `{"kind":"CredentialProviderRequest","apiVersion":"${v}","image":"${ECR}"}\n`);
  }
});

test('v1 in service-account mode adds the token and the annotations, keys in byte order', () => {
  const sa = { token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web', 'B-key': '2', 'a-key': '1' } };
  assert.equal(
    encodePluginRequest(provider(V1), ECR, sa),
    `{"kind":"CredentialProviderRequest","apiVersion":"${V1}","image":"${ECR}","serviceAccountToken":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln",` +
      '"serviceAccountAnnotations":{"B-key":"2","a-key":"1","eks.amazonaws.com/role-arn":"arn:aws:iam::1:role/web"}}\n',
  );
});

test('empty annotations and an empty token are left out (omitempty)', () => {
  assert.equal(
    encodePluginRequest(provider(V1), ECR, { token: 'tok', annotations: {} }),
    `{"kind":"CredentialProviderRequest","apiVersion":"${V1}","image":"${ECR}","serviceAccountToken":"tok"}\n`,
  );
  assert.equal(
    encodePluginRequest(provider(V1), ECR, { token: '', annotations: { k: 'v' } }),
    `{"kind":"CredentialProviderRequest","apiVersion":"${V1}","image":"${ECR}","serviceAccountAnnotations":{"k":"v"}}\n`,
  );
  assert.equal(encodePluginRequest(provider(V1), ECR, { token: '', annotations: {} }), encodePluginRequest(provider(V1), ECR));
});

test('v1alpha1 and v1beta1 have no service-account fields: they are dropped, as the kubelet\'s conversion does', () => {
  for (const v of [V1ALPHA1, V1BETA1]) {
    assert.equal(encodePluginRequest(provider(v), ECR, { token: 'tok', annotations: { k: 'v' } }), encodePluginRequest(provider(v), ECR));
  }
});

test('strings are escaped as Go\'s json.Encoder does (HTML characters, U+2028, \\b and \\f, lone surrogates)', () => {
  const got = encodePluginRequest(provider(V1), 'a<b>&c\u2028\u2029\b\f\n\r\t\u0001"\\\ud800é😀');
  assert.equal(
    got,
    `{"kind":"CredentialProviderRequest","apiVersion":"${V1}","image":"a\\u003cb\\u003e\\u0026c\\u2028\\u2029\\b\\f\\n\\r\\t\\u0001\\"\\\\\\ufffdé😀"}\n`,
  );
});

test('property: the request parses back to what was sent, one line, annotations in byte order', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(V1ALPHA1, V1BETA1, V1),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.option(fc.record({ token: fc.string({ maxLength: 30 }), annotations: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 5 }) }), { nil: undefined }),
      (v, image, sa) => {
        const text = encodePluginRequest(provider(v), image, sa);
        assert.ok(text.endsWith('}\n') && !text.slice(0, -1).includes('\n'));
        assert.ok(!/[<>&\u2028\u2029]/.test(text));
        const back = JSON.parse(text) as Record<string, unknown>;
        const want: Record<string, unknown> = { kind: 'CredentialProviderRequest', apiVersion: v, image };
        if (sa !== undefined && v === V1) {
          if (sa.token !== '') want.serviceAccountToken = sa.token;
          if (Object.keys(sa.annotations).length > 0) want.serviceAccountAnnotations = { ...sa.annotations };
        }
        assert.deepEqual(back, want);
        // JSON.parse reorders integer-like keys: read the order of the text with the order-keeping parser.
        const parsed = parseStrictJson(text);
        assert.ok(parsed.ok && isJsonObject(parsed.value));
        const annotations = parsed.value.get('serviceAccountAnnotations');
        const keys = isJsonObject(annotations) ? [...annotations.keys()] : [];
        assert.deepEqual(keys, [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      },
    ),
    { numRuns: 300 },
  );
});

// ---- decodePluginResponse: what the kubelet accepts ----

const ok = (v: string, body: Record<string, unknown>): string => JSON.stringify({ kind: 'CredentialProviderResponse', apiVersion: v, ...body });

test('a full response decodes: cacheKeyType, cacheDuration in nanoseconds, auth entries kept verbatim', () => {
  const out = decodePluginResponse(
    V1,
    ok(V1, { cacheKeyType: 'Registry', cacheDuration: '6h0m0s', auth: { '*.dkr.ecr.*.amazonaws.com': { username: 'AWS', password: 'pw' }, 'x.io/a': { username: 'u' } } }),
  );
  assert.ok(out.ok, out.ok ? '' : out.error);
  assert.deepEqual(out.response, {
    apiVersion: V1,
    kind: 'CredentialProviderResponse',
    cacheKeyType: 'Registry',
    cacheDuration: 6n * 60n * MINUTE_NS,
    auth: { '*.dkr.ecr.*.amazonaws.com': { username: 'AWS', password: 'pw' }, 'x.io/a': { username: 'u', password: '' } },
  });
  assert.deepEqual(out.warnings, []);
});

test('an absent or null cacheDuration is "absent"; null auth and null entries are empty, as Go decodes them', () => {
  const a = decodePluginResponse(V1BETA1, ok(V1BETA1, { cacheKeyType: 'Image', auth: { r: { username: 'u', password: 'p' } } }));
  assert.ok(a.ok && a.response.cacheDuration === undefined);
  const b = decodePluginResponse(V1BETA1, ok(V1BETA1, { cacheKeyType: 'Image', cacheDuration: null, auth: { r: null, s: { username: null, password: 'p' } } }));
  assert.ok(b.ok && b.response.cacheDuration === undefined);
  assert.deepEqual(b.ok && b.response.auth, { r: { username: '', password: '' }, s: { username: '', password: 'p' } });
  const c = decodePluginResponse(V1BETA1, ok(V1BETA1, { cacheKeyType: 'Image', auth: null }));
  assert.ok(c.ok);
  assert.deepEqual(c.response.auth, {});
});

test('a registry key named __proto__ stays an ordinary entry', () => {
  const out = decodePluginResponse(V1, `{"kind":"CredentialProviderResponse","apiVersion":"${V1}","cacheKeyType":"Image","auth":{"__proto__":{"username":"u","password":"p"}}}`);
  assert.ok(out.ok);
  assert.deepEqual(Object.keys(out.response.auth), ['__proto__']);
  assert.equal(Object.getPrototypeOf(out.response.auth), Object.prototype);
});

// ---- decodePluginResponse: every error ----

test('apiVersion must equal the provider\'s exactly, with the kubelet\'s message', () => {
  assert.deepEqual(decodePluginResponse(V1, ok(V1BETA1, { cacheKeyType: 'Image', auth: {} })), {
    ok: false,
    error: `apiVersion from credential plugin response did not match expected apiVersion:${V1}, actual apiVersion:${V1BETA1}`,
  });
  // Missing, null and "/" all read as the empty group-version; "/v1" reads as "v1".
  for (const [doc, actual] of [
    ['{"kind":"CredentialProviderResponse"}', ''],
    ['null', ''],
    ['{"apiVersion":"/"}', ''],
    ['{"apiVersion":"/v1"}', 'v1'],
    ['{"apiVersion":"v1"}', 'v1'],
  ] as const) {
    const out = decodePluginResponse(V1, doc);
    assert.deepEqual(out, { ok: false, error: `apiVersion from credential plugin response did not match expected apiVersion:${V1}, actual apiVersion:${actual}` }, doc);
  }
});

test('the lenient first read matches apiVersion case-insensitively, the strict decode then rejects the spelling', () => {
  const out = decodePluginResponse(V1, `{"kind":"CredentialProviderResponse","APIVersion":"${V1}","cacheKeyType":"Image","auth":{}}`);
  assert.ok(!out.ok);
  assert.match(out.error, /^error decoding credential provider plugin response from stdout: .*does not know/);
});

test('a plugin apiVersion that does not look like one is not quoted back', () => {
  const out = decodePluginResponse(V1, '{"apiVersion":"AKIAIOSFODNN7EXAMPLE"}');
  assert.ok(!out.ok);
  assert.ok(!out.error.includes('AKIAIOSFODNN7EXAMPLE'));
  assert.match(out.error, /^apiVersion from credential plugin response did not match expected apiVersion:credentialprovider\.kubelet\.k8s\.io\/v1, actual apiVersion:\(not shown/);
});

test('output the kubelet cannot even read apiVersion from: "error reading GVK from response"', () => {
  for (const doc of ['', 'not json', '{"apiVersion":', '[]', '"text"', '42', `{"apiVersion":1}`, `{"apiVersion":"a/b/c"}`, `{"apiVersion":"${V1}","kind":7}`, `{"apiVersion":"${V1}"} trailing`, '\ufeff{}']) {
    const out = decodePluginResponse(V1, doc);
    assert.ok(!out.ok, doc);
    assert.match(out.error, /^error reading GVK from response: /, doc);
  }
});

test('every strict decode failure is the kubelet\'s one message with our reason after it', () => {
  const cases: Array<[string, RegExp]> = [
    [ok(V1, { cacheKeyType: 'Image', auth: {}, extra: 1 }), /does not know .*allowed: kind, apiVersion, cacheKeyType, cacheDuration, auth/],
    [ok(V1, { CacheKeyType: 'Image', auth: {} }), /does not know/],
    [ok(V1, { cacheKeyType: 'Image', auth: { r: { username: 'u', password: 'p', email: 'e' } } }), /auth entry 1 has a field .*allowed: username, password/],
    [`{"kind":"CredentialProviderResponse","apiVersion":"${V1}","cacheKeyType":"Image","cacheKeyType":"Image","auth":{}}`, /given twice/],
    [`{"kind":"CredentialProviderResponse","apiVersion":"${V1}","cacheKeyType":"Image","auth":{"r":{"username":"a","username":"b"}}}`, /given twice/],
    [ok(V1, { kind: 'CredentialProviderRequest', cacheKeyType: 'Image', auth: {} }), /kind must be CredentialProviderResponse/],
    [JSON.stringify({ apiVersion: V1, cacheKeyType: 'Image', auth: {} }), /kind must be CredentialProviderResponse/],
    [ok(V1, { cacheKeyType: 1, auth: {} }), /cacheKeyType must be a string/],
    [ok(V1, { cacheKeyType: 'Image', cacheDuration: 300, auth: {} }), /cacheDuration must be a duration string/],
    [ok(V1, { cacheKeyType: 'Image', cacheDuration: '5 minutes', auth: {} }), /cacheDuration is not a valid duration/],
    [ok(V1, { cacheKeyType: 'Image', cacheDuration: '', auth: {} }), /cacheDuration is not a valid duration/],
    [ok(V1, { cacheKeyType: 'Image', cacheDuration: '1d', auth: {} }), /cacheDuration is not a valid duration/],
    [ok(V1, { cacheKeyType: 'Image', auth: [] }), /auth must be an object/],
    [ok(V1, { cacheKeyType: 'Image', auth: { r: 'user:pass' } }), /auth entry 1 must be an object/],
    [ok(V1, { cacheKeyType: 'Image', auth: { r: { username: 'u' }, s: { password: 5 } } }), /the password of auth entry 2 must be a string/],
  ];
  for (const [doc, reason] of cases) {
    const out = decodePluginResponse(V1, doc);
    assert.ok(!out.ok, doc);
    assert.ok(out.error.startsWith('error decoding credential provider plugin response from stdout: '), out.error);
    assert.match(out.error, reason, doc);
  }
});

test('a group or version the kubelet has no decoder for fails even when it equals the provider\'s', () => {
  for (const v of ['credentialprovider.kubelet.k8s.io/v2', 'example.com/v1', 'v1']) {
    const out = decodePluginResponse(v, ok(v, { cacheKeyType: 'Image', auth: {} }));
    assert.ok(!out.ok);
    assert.match(out.error, /^error decoding credential provider plugin response from stdout: /);
  }
});

// ---- warnings ----

function warningsFor(body: Record<string, unknown>): string[] {
  const out = decodePluginResponse(V1, ok(V1, body));
  assert.ok(out.ok, out.ok ? '' : out.error);
  return out.warnings;
}

test('warnings: zero, sub-second and negative durations, a missing or invalid cacheKeyType, empty auth', () => {
  const auth = { r: { username: 'u', password: 'p' } };
  assert.deepEqual(warningsFor({ cacheKeyType: 'Global', cacheDuration: '1s', auth }), []);
  assert.deepEqual(warningsFor({ cacheKeyType: 'Global', auth }), []);
  assert.match(warningsFor({ cacheKeyType: 'Image', cacheDuration: '0s', auth }).join('\n'), /cacheDuration is 0s: .*does not cache/);
  assert.match(warningsFor({ cacheKeyType: 'Image', cacheDuration: '0', auth }).join('\n'), /cacheDuration is 0s/);
  assert.match(warningsFor({ cacheKeyType: 'Image', cacheDuration: '999ms', auth }).join('\n'), /999ms, under one second/);
  assert.match(warningsFor({ cacheKeyType: 'Image', cacheDuration: '-1m', auth }).join('\n'), /negative \(-1m0s\)/);
  assert.match(warningsFor({ auth }).join('\n'), /no cacheKeyType: the kubelet drops the whole answer/);
  assert.match(warningsFor({ cacheKeyType: 'registry', auth }).join('\n'), /not Image, Registry or Global \(it is case-sensitive\)/);
  assert.match(warningsFor({ cacheKeyType: 'Image', auth: {} }).join('\n'), /auth is empty/);
  assert.match(warningsFor({ cacheKeyType: 'Image' }).join('\n'), /auth is empty/);
  assert.equal(warningsFor({ cacheKeyType: 'Image', cacheDuration: '0s', auth: {} }).length, 2);
});

test('warnings do not quote the response either', () => {
  const warnings = warningsFor({ cacheKeyType: 'Hunter2Secret', cacheDuration: '-1ns', auth: {} });
  assert.ok(!warnings.join('\n').includes('Hunter2Secret'));
});

// ---- no stdout echo (property) ----

/** A secret with an upper-case letter, so it can never pass for an apiVersion (those are lower-case and quoted back). */
const secretArb = fc
  .tuple(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')), minLength: 1, maxLength: 2 }), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789+/=_-.'.split('')), minLength: 12, maxLength: 30 }))
  .map(([a, b]) => `S${a}${b}`);

/** Responses with the secret somewhere in them, most of them wrong in some way. */
function carriers(secret: string): string[] {
  const auth = { 'r.io': { username: 'AWS', password: secret } };
  return [
    ok(V1, { cacheKeyType: 'Image', auth, extra: secret }),
    ok(V1, { cacheKeyType: 'Image', auth, [secret]: 1 }),
    ok(V1, { cacheKeyType: 'Image', auth: { 'r.io': { username: 'AWS', password: secret, [secret]: secret } } }),
    ok(V1, { kind: secret, cacheKeyType: 'Image', auth }),
    ok(V1, { cacheKeyType: secret, cacheDuration: secret, auth }),
    ok(V1, { cacheKeyType: 7, auth }),
    ok(V1, { cacheKeyType: 'Image', auth: { 'r.io': secret } }),
    ok(V1, { cacheKeyType: 'Image', auth: { 'r.io': { username: secret, password: 1 } } }),
    ok(V1BETA1, { cacheKeyType: 'Image', auth }),
    JSON.stringify({ apiVersion: secret, kind: secret }),
    JSON.stringify({ apiVersion: V1, kind: 'CredentialProviderResponse', auth }) + secret,
    `${secret} is not JSON`,
    `{"apiVersion":"${V1}","kind":"CredentialProviderResponse","auth":{"r.io":{"password":"${secret}"},"r.io":{"password":"${secret}"}}}`,
  ];
}

test('property: a secret in a malformed response never appears in the error', () => {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('none' as const) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 3, unit: 'binary' }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
  );
  fc.assert(
    fc.property(secretArb, fc.nat(), edit, fc.constantFrom(V1, V1BETA1, V1ALPHA1), (secret, which, e, expected) => {
      const all = carriers(secret);
      let doc = all[which % all.length] ?? '';
      if (e.kind === 'truncate') doc = doc.slice(0, e.at % (doc.length + 1));
      if (e.kind === 'insert') doc = doc.slice(0, e.at % (doc.length + 1)) + e.text + doc.slice(e.at % (doc.length + 1));
      if (e.kind === 'delete') doc = doc.slice(0, e.at % (doc.length + 1)) + doc.slice((e.at % (doc.length + 1)) + e.n);
      const out = decodePluginResponse(expected, doc);
      const text = out.ok ? out.warnings.join('\n') : out.error;
      assert.ok(!text.includes(secret), `leaked the secret in: ${text}`);
    }),
    { numRuns: 3000 },
  );
});

test('property: decoding never throws on any text', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), fc.json({ maxDepth: 4 })), (text) => {
      decodePluginResponse(V1, text);
    }),
    { numRuns: 2000 },
  );
});

// ---- effectiveCacheExpiry (SPEC B.3 steps 7 and 9, B.5) ----

const NOW = 1_767_225_600_000;
function response(cacheKeyType: string, cacheDuration?: bigint): CredentialProviderResponse {
  const r: CredentialProviderResponse = { apiVersion: V1, kind: 'CredentialProviderResponse', cacheKeyType, auth: {} };
  if (cacheDuration !== undefined) r.cacheDuration = cacheDuration;
  return r;
}

test('cacheDuration present and 0 is "do not cache", even with a default', () => {
  const e = effectiveCacheExpiry(provider(V1), response('Image', 0n), NOW);
  assert.equal(e.cached, false);
  assert.match(!e.cached ? e.why : '', /cacheDuration to 0s/);
});

test('cacheDuration absent uses defaultCacheDuration; a default of 0 (or none) is "do not cache"', () => {
  assert.deepEqual(effectiveCacheExpiry(provider(V1, { defaultCacheDuration: 5n * MINUTE_NS }), response('Registry'), NOW), { cached: true, expiresAt: NOW + 300_000 });
  const zero = effectiveCacheExpiry(provider(V1, { defaultCacheDuration: 0n }), response('Registry'), NOW);
  assert.ok(!zero.cached && /defaultCacheDuration is 0s/.test(zero.why));
  const none = effectiveCacheExpiry(provider(V1, { defaultCacheDuration: undefined }), response('Registry'), NOW);
  assert.ok(!none.cached && /no defaultCacheDuration/.test(none.why));
});

test('a present duration overrides the default; sub-millisecond parts round down, negative ones are already expired', () => {
  const p = provider(V1, { defaultCacheDuration: 0n });
  assert.deepEqual(effectiveCacheExpiry(p, response('Global', 1n), NOW), { cached: true, expiresAt: NOW });
  assert.deepEqual(effectiveCacheExpiry(p, response('Global', 1_999_999n), NOW), { cached: true, expiresAt: NOW + 1 });
  assert.deepEqual(effectiveCacheExpiry(p, response('Global', 2_000_000n), NOW), { cached: true, expiresAt: NOW + 2 });
  assert.deepEqual(effectiveCacheExpiry(p, response('Global', -MINUTE_NS), NOW), { cached: true, expiresAt: NOW - 60_000 });
  assert.deepEqual(effectiveCacheExpiry(p, response('Global', -1n), NOW), { cached: true, expiresAt: NOW - 1 });
});

test('an invalid cacheKeyType is dropped before anything is cached', () => {
  for (const t of ['', 'image', 'Repository']) {
    const e = effectiveCacheExpiry(provider(V1), response(t, MINUTE_NS), NOW);
    assert.ok(!e.cached && /cacheKeyType/.test(e.why), t);
  }
});

test('property: for a whole number of milliseconds the entry lives exactly that long', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10 * 365 * 86_400_000 }), fc.constantFrom('Image', 'Registry', 'Global'), (ms, t) => {
      assert.deepEqual(effectiveCacheExpiry(provider(V1), response(t, BigInt(ms) * 1_000_000n), NOW), { cached: true, expiresAt: NOW + ms });
    }),
  );
});
