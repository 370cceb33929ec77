import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPemKeyPair, decodeExecCredential, encodeExecCredentialInput } from '../../../src/sim/execAuth/execCredential';
import { goJsonSyntaxError } from '../../../src/sim/units/goJsonSyntax';
import { EXEC_API_V1, EXEC_API_V1ALPHA1, EXEC_API_V1BETA1 } from '../../../src/sim/execAuth/execConfig';

const V1 = EXEC_API_V1;
const out = (o: unknown): string => JSON.stringify(o);
const SECRET = 'sekret-token-value';

function err(stdout: string, api = V1, version: '1.22' | '1.24' = '1.24'): string {
  const r = decodeExecCredential(stdout, api, version);
  assert.equal(r.ok, false, `expected an error for ${stdout}`);
  return r.ok ? '' : r.error;
}

describe('SPEC C.5 step 6: decoding a plugin\'s stdout', () => {
  test('a token with an expiry', () => {
    const r = decodeExecCredential(out({ apiVersion: V1, kind: 'ExecCredential', status: { token: 't', expirationTimestamp: '2026-01-01T00:10:00Z' } }), V1, '1.24');
    assert.deepEqual(r, { ok: true, status: { token: 't', clientCertificateData: '', clientKeyData: '', expirationTimestamp: Date.UTC(2026, 0, 1, 0, 10) } });
  });
  test('no expirationTimestamp, or null, means none', () => {
    for (const status of [{ token: 't' }, { token: 't', expirationTimestamp: null }]) {
      const r = decodeExecCredential(out({ apiVersion: V1, kind: 'ExecCredential', status }), V1, '1.24');
      assert.ok(r.ok && r.status.expirationTimestamp === undefined);
    }
  });
  test('kind may be missing (defaulted); unknown fields are ignored', () => {
    const r = decodeExecCredential(out({ apiVersion: V1, extra: 1, status: { token: 't', other: [] } }), V1, '1.24');
    assert.ok(r.ok);
  });
  test('version mismatch, exact text', () => {
    assert.equal(
      err(out({ apiVersion: EXEC_API_V1BETA1, kind: 'ExecCredential', status: { token: 't' } })),
      'exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1',
    );
    assert.equal(
      err(out({ apiVersion: V1, kind: 'ExecCredential', status: { token: 't' } }), EXEC_API_V1BETA1),
      'exec plugin is configured to use API version client.authentication.k8s.io/v1beta1, plugin returned version client.authentication.k8s.io/v1',
    );
  });
  test('no apiVersion decodes as the internal version and fails the version check (kubernetes#127694)', () => {
    const want = 'exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/__internal';
    assert.equal(err(out({ status: { token: SECRET } })), want);
    assert.equal(err(''), want);
    assert.equal(err('  \n'), want);
    assert.equal(err('null'), want);
    assert.equal(err('Error: could not log in\n'), want);
  });
  test('v1alpha1 is not registered from 1.24; in 1.22 it is, and mismatches', () => {
    const o = out({ apiVersion: EXEC_API_V1ALPHA1, kind: 'ExecCredential', status: { token: 't' } });
    assert.equal(err(o), 'decoding stdout: no kind "ExecCredential" is registered for version "client.authentication.k8s.io/v1alpha1" in scheme "pkg/runtime/scheme.go:100"');
    assert.equal(err(o, V1, '1.22'), 'exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1alpha1');
  });
  test('a wrong kind is not registered', () => {
    assert.equal(err(out({ apiVersion: V1, kind: 'Status' })), 'decoding stdout: no kind "Status" is registered for version "client.authentication.k8s.io/v1" in scheme "pkg/runtime/scheme.go:100"');
    assert.equal(err(out({ kind: 'Foo' })), 'decoding stdout: no kind "Foo" is registered for the internal version of group "client.authentication.k8s.io" in scheme "pkg/runtime/scheme.go:100"');
  });
  test('a bad apiVersion string', () => {
    assert.equal(err(out({ apiVersion: 'a/b/c' })), 'decoding stdout: unexpected GroupVersion string: a/b/c');
  });
  test('missing status', () => {
    assert.equal(err(out({ apiVersion: V1, kind: 'ExecCredential' })), "exec plugin didn't return a status field");
    assert.equal(err(out({ apiVersion: V1, kind: 'ExecCredential', status: null })), "exec plugin didn't return a status field");
    // Field names are case-sensitive in the typed decode.
    assert.equal(err(out({ apiVersion: V1, kind: 'ExecCredential', Status: { token: 't' } })), "exec plugin didn't return a status field");
  });
  test('neither token nor certificate', () => {
    assert.equal(err(out({ apiVersion: V1, kind: 'ExecCredential', status: {} })), "exec plugin didn't return a token or cert/key pair");
    assert.equal(err(out({ apiVersion: V1, kind: 'ExecCredential', status: { token: '', expirationTimestamp: '2026-01-01T00:00:00Z' } })), "exec plugin didn't return a token or cert/key pair");
  });
  test('only one of certificate and key', () => {
    assert.equal(err(out({ apiVersion: V1, kind: 'ExecCredential', status: { clientCertificateData: 'c' } })), 'exec plugin returned only certificate or key, not both');
    assert.equal(err(out({ apiVersion: V1, kind: 'ExecCredential', status: { token: 't', clientKeyData: 'k' } })), 'exec plugin returned only certificate or key, not both');
  });
  test('JSON syntax errors in Go\'s words, without echoing stdout', () => {
    assert.equal(err('{"apiVersion": '), 'decoding stdout: couldn\'t get version/kind; json parse error: unexpected end of JSON input');
    assert.equal(err(`{"status": {"token": ${SECRET}}}`), 'decoding stdout: couldn\'t get version/kind; json parse error: invalid character at byte 21 looking for beginning of value');
    assert.equal(err(`{"a" 1}`), 'decoding stdout: couldn\'t get version/kind; json parse error: invalid character at byte 5 after object key');
    assert.equal(err(`{"a": 1 "b"}`), 'decoding stdout: couldn\'t get version/kind; json parse error: invalid character at byte 8 after object key:value pair');
    assert.equal(err(`{"a": 1} x`), 'decoding stdout: couldn\'t get version/kind; json parse error: invalid character at byte 9 after top-level value');
  });
  test('non-object JSON and plain text', () => {
    const t = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
    assert.equal(err('123456'), `decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal number into Go value of type ${t}`);
    assert.equal(err('[1]'), `decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type ${t}`);
    assert.equal(err(SECRET), `decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type ${t}`);
  });
  test('type errors', () => {
    assert.equal(err(out({ apiVersion: 1 })), "decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string");
    assert.equal(
      err(out({ apiVersion: V1, status: { token: 5 } })),
      'decoding stdout: json: cannot unmarshal number into Go struct field ExecCredentialStatus.status.token of type string',
    );
    assert.equal(err(out({ apiVersion: V1, status: 'x' })), 'decoding stdout: json: cannot unmarshal string into Go struct field ExecCredential.status of type v1.ExecCredentialStatus');
    assert.match(err(out({ apiVersion: V1, status: { token: 't', expirationTimestamp: 'tomorrow' } })), /^decoding stdout: parsing time as "2006-01-02T15:04:05Z07:00"/);
  });
  test('apiVersion and kind are found case-insensitively (encoding/json), the rest is not', () => {
    const r = decodeExecCredential(out({ APIVERSION: V1, status: { token: 't' } }), V1, '1.24');
    assert.ok(r.ok);
  });
  test('no error text ever contains stdout beyond its apiVersion/kind (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.constantFrom('{"status":{"token":', '{"x":', '', '{', '"'), (junk, prefix) => {
        const secret = `S3CR3T${junk}`;
        const r = decodeExecCredential(`${prefix}${secret}`, V1, '1.24');
        if (!r.ok) assert.ok(!r.error.includes(secret));
      }),
    );
  });
  test('decode never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ apiVersion: V1, status: v }))), (s) => {
        decodeExecCredential(s, V1, '1.24');
      }),
    );
  });
});

describe('Go JSON syntax scanner agrees with JSON.parse on validity (property)', () => {
  test('valid iff JSON.parse accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))), (s) => {
        let valid = true;
        try {
          JSON.parse(s);
        } catch {
          valid = false;
        }
        assert.equal(goJsonSyntaxError(s) === undefined, valid, s);
      }),
    );
  });
});

describe('SPEC C.5 step 2 / C.7: the KUBERNETES_EXEC_INFO text', () => {
  test('v1 and v1beta1 always carry interactive', () => {
    assert.equal(encodeExecCredentialInput(V1, false, '1.24'), '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}\n');
    assert.equal(encodeExecCredentialInput(EXEC_API_V1BETA1, true, '1.24'), '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":true}}\n');
  });
  test('v1beta1 before 1.22 sends an empty spec; v1alpha1 omits false and tells about a 401', () => {
    assert.equal(encodeExecCredentialInput(EXEC_API_V1BETA1, true, '1.21'), '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{}}\n');
    assert.equal(encodeExecCredentialInput(EXEC_API_V1ALPHA1, false, '1.21'), '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1alpha1","spec":{}}\n');
    assert.equal(
      encodeExecCredentialInput(EXEC_API_V1ALPHA1, true, '1.21', undefined, { code: 401 }),
      '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1alpha1","spec":{"response":{"code":401},"interactive":true}}\n',
    );
  });
  test('cluster info in field order, omitempty, HTML-safe escaping', () => {
    const text = encodeExecCredentialInput(V1, false, '1.24', { server: 'https://a&b', certificateAuthorityData: 'QUJD', insecureSkipTlsVerify: false, config: { b: 1, a: '<x>' } });
    assert.equal(
      text,
      '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://a\\u0026b","certificate-authority-data":"QUJD","config":{"a":"\\u003cx\\u003e","b":1}},"interactive":false}}\n',
    );
    assert.deepEqual(JSON.parse(text).spec.cluster.config, { a: '<x>', b: 1 });
    assert.match(encodeExecCredentialInput(V1, false, '1.24', { server: 's' }), /"cluster":\{"server":"s","config":null\}/);
  });
});

describe('SPEC C.5 step 6: the PEM stage of the key pair', () => {
  const pem = (type: string, body = 'QUJD'): string => `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
  test('a certificate and a key', () => {
    const r = checkPemKeyPair(pem('CERTIFICATE'), pem('EC PRIVATE KEY'));
    assert.ok(r.ok);
  });
  test('Go\'s texts for missing or switched blocks', () => {
    assert.deepEqual(checkPemKeyPair('junk', pem('PRIVATE KEY')), { ok: false, error: 'tls: failed to find any PEM data in certificate input' });
    assert.deepEqual(checkPemKeyPair(pem('RSA PRIVATE KEY'), pem('CERTIFICATE')), {
      ok: false,
      error: 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    });
    assert.deepEqual(checkPemKeyPair(pem('FOO') + pem('BAR'), pem('PRIVATE KEY')), {
      ok: false,
      error: 'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [FOO BAR]',
    });
    assert.deepEqual(checkPemKeyPair(pem('CERTIFICATE'), 'junk'), { ok: false, error: 'tls: failed to find any PEM data in key input' });
    assert.deepEqual(checkPemKeyPair(pem('CERTIFICATE'), pem('CERTIFICATE')), { ok: false, error: 'tls: found a certificate rather than a key in the PEM for the private key' });
    assert.deepEqual(checkPemKeyPair(pem('CERTIFICATE'), pem('FOO')), {
      ok: false,
      error: 'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [FOO]',
    });
  });
  test('identity follows the content, not the formatting', () => {
    const a = checkPemKeyPair(pem('CERTIFICATE', 'QUJD\nREVG'), pem('PRIVATE KEY'));
    const b = checkPemKeyPair(pem('CERTIFICATE', 'QUJDREVG'), pem('PRIVATE KEY'));
    const c = checkPemKeyPair(pem('CERTIFICATE', 'QUJDREVH'), pem('PRIVATE KEY'));
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.identity, b.identity);
    assert.notEqual(a.identity, c.identity);
  });
});
