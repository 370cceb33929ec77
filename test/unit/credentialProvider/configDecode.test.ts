import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadCredentialProviderConfig, looksLikeCredentialProviderConfigText, type ConfigFinding } from '../../../src/sim/credentialProvider/configDecode';

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\n';
const PROVIDER = (name: string) => `  - name: ${name}\n    matchImages: ["*.io"]\n    defaultCacheDuration: 10m\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n`;
const load = (text: string, version: '1.33' | '1.34' = '1.34', path = 'c.yaml') => loadCredentialProviderConfig([{ path, text }], { kubeletVersion: version });
const at = (f: ConfigFinding | undefined) => (f === undefined ? 'none' : `${f.range.line}:${f.range.column}-${f.range.endLine}:${f.range.endColumn} ${f.path} | ${f.message}`);

test('a valid file decodes, with where each provider is written', () => {
  const r = load(`${HEAD}providers:\n${PROVIDER('ecr')}${PROVIDER('gcr')}`);
  assert.deepEqual(r.findings, []);
  assert.ok(r.valid);
  assert.equal(r.config?.apiVersion, 'kubelet.config.k8s.io/v1');
  assert.deepEqual(r.config?.providers.map((p) => [p.name, p.defaultCacheDuration]), [
    ['ecr', 600_000_000_000n],
    ['gcr', 600_000_000_000n],
  ]);
  assert.deepEqual(r.providerSources.map((s) => [s.file, s.range.line, s.range.column]), [
    ['c.yaml', 4, 5],
    ['c.yaml', 8, 5],
  ]);
});

test('JSON files decode the same', () => {
  const json = JSON.stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'CredentialProviderConfig',
    providers: [{ name: 'p', matchImages: ['r.io'], defaultCacheDuration: '1h', apiVersion: 'credentialprovider.kubelet.k8s.io/v1beta1', args: ['get'], env: [{ name: 'A', value: 'b' }] }],
  });
  const r = load(json, '1.34', 'c.json');
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.config?.providers[0]?.env, [{ name: 'A', value: 'b' }]);
});

test('unknown fields: strict decoding with the indexed path, at the key', () => {
  const r = load(`${HEAD}providers:\n${PROVIDER('a')}${PROVIDER('b')}    unknownField: 1\n`);
  assert.equal(r.config, undefined);
  assert.equal(r.findings.length, 1);
  assert.equal(at(r.findings[0]), '12:5-12:17 providers[1].unknownField | strict decoding error: unknown field "providers[1].unknownField"');
  assert.equal(r.findings[0]?.field, 'providers.unknownField');
});

test('tokenAttributes is an unknown field outside v1; cacheType unknown in 1.33', () => {
  const ta = '    tokenAttributes:\n      serviceAccountTokenAudience: aud\n      requireServiceAccount: true\n      cacheType: Token\n';
  const beta = load(`${HEAD.replace('/v1\n', '/v1beta1\n')}providers:\n${PROVIDER('a')}${ta}`);
  assert.deepEqual(beta.findings.map((f) => f.message), ['strict decoding error: unknown field "providers[0].tokenAttributes"']);
  const v1 = load(`${HEAD}providers:\n${PROVIDER('a')}${ta}`);
  assert.deepEqual(v1.findings, []);
  const old = load(`${HEAD}providers:\n${PROVIDER('a')}${ta}`, '1.33');
  assert.deepEqual(old.findings.map((f) => f.message), ['strict decoding error: unknown field "providers[0].tokenAttributes.cacheType"']);
});

test('wrong JSON types: Go texts at the value, every one', () => {
  const r = load(`${HEAD}providers:\n  - name: 5\n    matchImages: "r.io"\n    defaultCacheDuration: 0\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n    env: [{name: A, value: [1]}]\n  - oops\n`);
  assert.deepEqual(r.findings.map(at), [
    '4:11-4:12 providers[0].name | json: cannot unmarshal number into Go struct field CredentialProvider.providers.name of type string',
    '5:18-5:24 providers[0].matchImages | json: cannot unmarshal string into Go struct field CredentialProvider.providers.matchImages of type []string',
    '6:27-6:28 providers[0].defaultCacheDuration | json: cannot unmarshal number into Go struct field CredentialProvider.providers.defaultCacheDuration of type string',
    '8:28-8:31 providers[0].env[0].value | json: cannot unmarshal array into Go struct field ExecEnvVar.providers.env.value of type string',
    '9:5-9:9 providers[1] | json: cannot unmarshal string into Go struct field CredentialProviderConfig.providers of type v1.CredentialProvider',
  ]);
});

test('a bad duration string gives time.ParseDuration text', () => {
  const r = load(`${HEAD}providers:\n${PROVIDER('a').replace('10m', '1d')}`);
  assert.equal(at(r.findings[0]), '6:27-6:29 providers[0].defaultCacheDuration | time: unknown unit "d" in duration "1d"');
});

test('kind, group and version errors stop the file', () => {
  const msg = (text: string) => load(text).findings.map(at);
  assert.deepEqual(msg('kind: Foo\napiVersion: kubelet.config.k8s.io/v1\nproviders: 5\n'), [
    '1:7-1:10 kind | no kind "Foo" is registered for version "kubelet.config.k8s.io/v1" in scheme "pkg/credentialprovider/plugin/plugin.go"',
  ]);
  assert.deepEqual(msg('kind: CredentialProviderConfig\napiVersion: kubelet.config.k8s.io/v2\n'), [
    '2:13-2:37 apiVersion | no kind "CredentialProviderConfig" is registered for version "kubelet.config.k8s.io/v2" in scheme "pkg/credentialprovider/plugin/plugin.go"',
  ]);
  assert.deepEqual(msg('kind: CredentialProviderConfig\napiVersion: example.com/v1\n'), [
    '2:13-2:27 apiVersion | no kind "CredentialProviderConfig" is registered for version "example.com/v1" in scheme "pkg/credentialprovider/plugin/plugin.go"',
  ]);
  assert.deepEqual(msg('apiVersion: kubelet.config.k8s.io/v1\nproviders: []\n'), ["1:1-1:37 kind | Object 'Kind' is missing in '<file content>'"]);
  assert.deepEqual(msg('kind: CredentialProviderConfig\n'), ["1:1-1:31 apiVersion | Object 'apiVersion' is missing in '<file content>'"]);
  assert.deepEqual(msg('kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\n'), ['1:7-1:27 kind | failed to decode "KubeletConfiguration" (wrong Kind)']);
  assert.deepEqual(msg('kind: 5\napiVersion: a/b/c\n'), [
    "1:7-1:8 kind | couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string",
  ]);
  assert.deepEqual(msg('kind: CredentialProviderConfig\napiVersion: a/b/c\n'), ['2:13-2:18 apiVersion | unexpected GroupVersion string: a/b/c']);
  assert.deepEqual(msg(''), ["1:1-1:1 kind | Object 'Kind' is missing in '<file content>'"]);
  assert.match(msg('- a\n')[0] ?? '', /^1:1-1:4 {2}\| couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value of type struct/);
});

test('syntax errors and duplicate keys are positioned', () => {
  const syntax = load(`${HEAD}providers:\n  - name: [a\n`);
  assert.equal(syntax.config, undefined);
  assert.ok(syntax.findings.length > 0);
  assert.match(syntax.findings[0]?.message ?? '', /^YAML syntax: /);
  assert.ok((syntax.findings[0]?.range.line ?? 0) >= 4);

  const dup = load(`${HEAD}providers:\n${PROVIDER('a')}    name: b\n`);
  assert.deepEqual(dup.findings.map(at), ['8:5-8:9 providers[0].name | strict decoding error: yaml: unmarshal errors:\n  line 8: key "name" already set in map']);
  const dupJson = load('{"kind":"CredentialProviderConfig","kind":"CredentialProviderConfig","apiVersion":"kubelet.config.k8s.io/v1","providers":[]}', '1.34', 'c.json');
  assert.equal(dupJson.findings[0]?.message, 'strict decoding error: duplicate field "kind"');
});

test('only the first YAML document is read', () => {
  const r = load(`${HEAD}providers:\n${PROVIDER('a')}---\nkind: Other\n`);
  assert.equal(r.valid, true);
  assert.deepEqual(r.findings.map((f) => [f.severity, f.range.line]), [['warning', 8]]);
});

test('validation findings point at the node, decode-clean files only', () => {
  const r = load(`${HEAD}providers:\n${PROVIDER('a b')}    matchImages: ["ok.io", "%invalid%"]\n`);
  // The duplicate matchImages key is a decode error, so validation does not run.
  assert.equal(r.findings.length, 1);
  const v = load(`${HEAD}providers:\n${PROVIDER('a b').replace('["*.io"]', '["ok.io", "%invalid%"]')}`);
  assert.deepEqual(v.findings.map(at), [
    '4:11-4:14 providers[0].name | providers.name: Invalid value: "a b": provider name cannot contain spaces',
    '5:28-5:39 providers[0].matchImages[1] | providers.matchImages: Invalid value: "%invalid%": match image is invalid: parse "https://%invalid%": invalid URL escape "%in"',
  ]);
  const empty = load(`${HEAD}providers: []\n`);
  assert.deepEqual(empty.findings.map(at), ['3:12-3:14 providers | providers: Required value: at least 1 item in plugins is required']);
  const none = load(HEAD);
  assert.equal(none.findings[0]?.message, 'providers: Required value: at least 1 item in plugins is required');
});

test('cacheType missing points at tokenAttributes; gate override', () => {
  const text = `${HEAD}providers:\n${PROVIDER('a')}    tokenAttributes:\n      serviceAccountTokenAudience: aud\n      requireServiceAccount: true\n`;
  assert.deepEqual(load(text).findings.map(at), [
    '8:5-8:20 providers[0].tokenAttributes.cacheType | providers.tokenAttributes.cacheType: Required value: cacheType is required to be set when tokenAttributes is specified. Supported values are: ServiceAccount, Token',
  ]);
  const off = loadCredentialProviderConfig([{ path: 'c.yaml', text }], { kubeletVersion: '1.33' });
  assert.deepEqual(off.findings.map((f) => f.severity), ['error', 'warning']);
  const on = loadCredentialProviderConfig([{ path: 'c.yaml', text }], { kubeletVersion: '1.33', serviceAccountTokenGate: true });
  assert.deepEqual(on.findings, []);
});

test('directory: providers concatenated in file order, duplicate names across files', () => {
  const a = { path: '/etc/cp/a.yaml', text: `${HEAD}providers:\n${PROVIDER('ecr')}` };
  const b = { path: '/etc/cp/b.yaml', text: `${HEAD}providers:\n${PROVIDER('gcr')}${PROVIDER('ecr')}` };
  const r = loadCredentialProviderConfig([a, b], { kubeletVersion: '1.34', directory: true });
  assert.deepEqual(r.config?.providers.map((p) => p.name), ['ecr', 'gcr', 'ecr']);
  assert.deepEqual(r.findings.map((f) => [f.file, f.path, f.range.line, f.message]), [['/etc/cp/b.yaml', 'providers[1].name', 8, 'duplicate provider name "ecr" found in configuration file(s)']]);
  assert.equal(r.valid, false);
  assert.deepEqual(r.providerSources.map((s) => [s.file, s.range.line]), [
    ['/etc/cp/a.yaml', 4],
    ['/etc/cp/b.yaml', 4],
    ['/etc/cp/b.yaml', 8],
  ]);
  // 1.33 reads one file and leaves duplicates to validation.
  const old = load(`${HEAD}providers:\n${PROVIDER('x')}${PROVIDER('x')}`, '1.33');
  assert.deepEqual(old.findings.map((f) => f.message), ['providers.name: Duplicate value: "x"']);
  // A file that fails to decode fails the whole config, and its findings come in file order.
  const broken = loadCredentialProviderConfig([a, { path: '/etc/cp/c.yaml', text: 'kind: X\n' }], { kubeletVersion: '1.34', directory: true });
  assert.equal(broken.config, undefined);
  assert.deepEqual(broken.findings.map((f) => f.file), ['/etc/cp/c.yaml']);
  const none = loadCredentialProviderConfig([], { kubeletVersion: '1.34', directory: true });
  assert.deepEqual(none.findings.map((f) => f.message), ['no configuration files found in directory']);
});

test('looksLikeCredentialProviderConfigText', () => {
  assert.ok(looksLikeCredentialProviderConfigText(HEAD));
  assert.ok(looksLikeCredentialProviderConfigText('providers: []\nkind: "CredentialProviderConfig" # x\n'));
  assert.ok(looksLikeCredentialProviderConfigText('{ "apiVersion": "x", "kind": "CredentialProviderConfig" }'));
  assert.ok(!looksLikeCredentialProviderConfigText('kind: Pod\n'));
  assert.ok(!looksLikeCredentialProviderConfigText('  kind: CredentialProviderConfig\n'));
});

function inside(text: string, f: ConfigFinding): boolean {
  const lines = text.split('\n');
  const ok = (line: number, column: number) => line >= 1 && line <= lines.length && column >= 1 && column <= (lines[line - 1]?.length ?? 0) + 1;
  return ok(f.range.line, f.range.column) && ok(f.range.endLine, f.range.endColumn) && (f.range.endLine > f.range.line || f.range.endColumn >= f.range.column);
}

const scalar = fc.oneof(fc.constantFrom('', '0', '10m', '-1ns', 'yes', 'null', '"%zz"', '[a', 'r.io', '"a b"', '5', '{}', '[]', 'credentialprovider.kubelet.k8s.io/v1', 'Token'), fc.string({ maxLength: 8 }));
const providerText = fc
  .array(fc.tuple(fc.constantFrom('name', 'matchImages', 'defaultCacheDuration', 'apiVersion', 'args', 'env', 'tokenAttributes', 'other'), scalar), { maxLength: 6 })
  .map((fields) => (fields.length === 0 ? '  - {}\n' : fields.map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}\n`).join('')));

test('property: random configs never throw and every finding is inside its text', () => {
  fc.assert(
    fc.property(fc.constantFrom('v1', 'v1beta1', 'v9'), fc.array(providerText, { maxLength: 3 }), fc.constantFrom('1.33', '1.34'), (v, providers, version) => {
      const text = `apiVersion: kubelet.config.k8s.io/${v}\nkind: CredentialProviderConfig\nproviders:\n${providers.join('')}`;
      const r = load(text, version as '1.33' | '1.34');
      for (const f of r.findings) assert.ok(inside(text, f), `${at(f)} outside\n${text}`);
      assert.equal(r.valid, !r.findings.some((f) => f.severity === 'error'));
    }),
    { numRuns: 400 },
  );
});

test('property: arbitrary texts never throw and every finding is inside its text', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ maxLength: 30 }).map((s) => `${HEAD}providers:\n  - ${s}`)), (text) => {
      const r = load(text);
      for (const f of r.findings) assert.ok(inside(text, f), `${at(f)} outside ${JSON.stringify(text)}`);
    }),
    { numRuns: 400 },
  );
});
