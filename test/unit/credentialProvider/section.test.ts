// The credentialProvider scenario section: the embedded config judged with the kubelet's own rules at
// the scenario's lines, configFile read through the loader's include reader, the rest of the section's
// checks, and the way back (serialize → load gives an equal slice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { credentialProviderSection } from '../../../src/sim/credentialProvider/section';
import { loadScenario } from '../../../src/sim/scenario/load';
import type { IncludeReader } from '../../../src/sim/section';

const HEAD = 'seed: 1\nstart: 2026-03-01T00:00:00Z\nhorizon: 2h\n';
const CONFIG = `apiVersion: kubelet.config.k8s.io/v1
kind: CredentialProviderConfig
providers:
  - name: ecr
    matchImages: ["*.dkr.ecr.*.amazonaws.com"]
    defaultCacheDuration: 12h
    apiVersion: credentialprovider.kubelet.k8s.io/v1
`;

const errors = (text: string, include?: IncludeReader): string[] => {
  const r = loadScenario(text, 's.yaml', include);
  return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
};

const files = (map: Record<string, string | string[]>): IncludeReader => (path) => {
  const entry = map[path];
  if (entry === undefined) return { ok: false, error: `cannot read the credential provider config ${path}: no such file or directory` };
  const list = Array.isArray(entry) ? entry : [entry];
  return { ok: true, included: { directory: Array.isArray(entry), files: list.map((text, i) => ({ path: Array.isArray(entry) ? `${path}/${i}.yaml` : path, text })) } };
};

test("the embedded config's kubelet errors point at the scenario's own lines", () => {
  const text = `${HEAD}credentialProvider:
  config:
    apiVersion: kubelet.config.k8s.io/v1
    kind: CredentialProviderConfig
    providers:
      - name: ecr/bad
        matchImages: []
        apiVersion: credentialprovider.kubelet.k8s.io/v2
        colour: blue
  pulls: [{ image: a.io/x }]
`;
  const found = errors(text);
  assert.ok(found.some((e) => e.startsWith('12:9 ') && e.includes('strict decoding error: unknown field "providers[0].colour"')), found.join('\n'));
});

test('a config that decodes but breaks the rules: every kubelet message, each at its field', () => {
  const text = `${HEAD}credentialProvider:
  config:
    apiVersion: kubelet.config.k8s.io/v1
    kind: CredentialProviderConfig
    providers:
      - name: ecr/bad
        matchImages: []
        apiVersion: credentialprovider.kubelet.k8s.io/v2
  pulls: [{ image: a.io/x }]
`;
  const found = errors(text);
  assert.ok(found.some((e) => e.startsWith('9:15 ') && e.includes("provider name cannot contain '/'")), found.join('\n'));
  assert.ok(found.some((e) => e.includes('at least 1 item in matchImages is required')), found.join('\n'));
  assert.ok(found.some((e) => e.includes('providers.defaultCacheDuration: Required value')), found.join('\n'));
  assert.ok(found.some((e) => e.includes('providers.apiVersion: Unsupported value: "credentialprovider.kubelet.k8s.io/v2"')), found.join('\n'));
});

test('configFile is read through the include reader; its findings say which file, line and column', () => {
  const text = `${HEAD}credentialProvider:\n  configFile: node/ecr.yaml\n  pulls: [{ image: 1.dkr.ecr.us-east-1.amazonaws.com/a:1 }]\n`;
  const ok = loadScenario(text, 's.yaml', files({ 'node/ecr.yaml': CONFIG }));
  assert.ok(ok.ok);
  assert.equal(ok.scenario.credentialProvider?.config.providers[0]?.name, 'ecr');
  assert.equal(ok.scenario.credentialProvider?.configFile, 'node/ecr.yaml');
  const broken = errors(text, files({ 'node/ecr.yaml': CONFIG.replace('defaultCacheDuration: 12h', 'defaultCacheDuration: 12d') }));
  assert.deepEqual(broken, ['5:15 node/ecr.yaml:6:27: time: unknown unit "d" in duration "12d"']);
  assert.deepEqual(errors(text, files({})), ['5:15 cannot read the credential provider config node/ecr.yaml: no such file or directory']);
  assert.deepEqual(errors(text), ['5:15 configFile can only be read when the scenario is opened from a file; embed the config under config instead']);
});

test('a configFile directory: files concatenated in order, a provider name in two files is the kubelet\'s error', () => {
  const text = `${HEAD}credentialProvider:\n  configFile: conf.d\n  pulls: [{ image: 1.dkr.ecr.us-east-1.amazonaws.com/a:1 }]\n`;
  const second = CONFIG.replace('name: ecr', 'name: gcr').replace('"*.dkr.ecr.*.amazonaws.com"', '"*.gcr.io"');
  const ok = loadScenario(text, 's.yaml', files({ 'conf.d': [CONFIG, second] }));
  assert.ok(ok.ok);
  assert.deepEqual(ok.scenario.credentialProvider?.config.providers.map((p) => p.name), ['ecr', 'gcr']);
  const dup = errors(text, files({ 'conf.d': [CONFIG, CONFIG] }));
  assert.ok(dup.some((e) => e.includes('duplicate provider name "ecr" found in configuration file(s)')), dup.join('\n'));
});

test('config and configFile are exclusive, one is required; plugins must name a provider; pods must exist', () => {
  assert.ok(errors(`${HEAD}credentialProvider:\n  pulls: [{ image: a.io/x }]\n`).some((e) => e.includes('missing required property "config"')));
  const both = `${HEAD}credentialProvider:\n  configFile: x.yaml\n  config: {}\n  pulls: [{ image: a.io/x }]\n`;
  assert.ok(errors(both, files({ 'x.yaml': CONFIG })).some((e) => e.includes('cannot be used together')));
  const embedded = (extra: string): string => `${HEAD}credentialProvider:\n  config: ${JSON.stringify(JSON.parse(JSON.stringify(requireYaml(CONFIG))))}\n${extra}`;
  assert.ok(errors(embedded('  plugins: { ecs: {} }\n  pulls: [{ image: a.io/x }]\n')).some((e) => e.includes('no provider named "ecs" in the config (its providers: "ecr")')));
  assert.ok(errors(embedded('  pulls: [{ image: a.io/x, pod: shop/web-0 }]\n')).some((e) => e.includes('no pod shop/web-0 in pods')));
  assert.ok(errors(embedded('  plugins: { ecr: { responses: [{ cacheDuration: 5d }] } }\n  pulls: [{ image: a.io/x }]\n')).some((e) => e.includes('time: unknown unit "d" in duration "5d"')));
  assert.ok(errors(embedded('  pulls: [{ image: a.io/x, every: 1ms, burst: 10000 }]\n')).some((e) => e.includes('too many pulls in this run')));
});

test('serialize then load gives an equal slice, embedded or from a file', () => {
  const embedded = loadScenario(`${HEAD}credentialProvider:\n  config: ${JSON.stringify(requireYaml(CONFIG))}\n  plugins: { ecr: { latency: 2s, responses: [{ cacheKeyType: Image, cacheDuration: 90m }, { exitCode: 3, stderr: no }] } }\n  serviceAccounts: [{ namespace: shop, name: web, annotations: { a.io/role: x } }]\n  pulls: [{ images: [1.dkr.ecr.us-east-1.amazonaws.com/a:1, 1.dkr.ecr.us-east-1.amazonaws.com/b:1], at: 1m, every: 5m, count: 3, burst: 2 }]\n`, 's.yaml');
  assert.ok(embedded.ok);
  const again = (include?: IncludeReader) => {
    const slice = { credentialProvider: embedded.scenario.credentialProvider };
    const text = `${HEAD}${stringify(credentialProviderSection.serialize(slice))}`;
    const r = loadScenario(text, 's.yaml', include);
    assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('\n'));
    return r.scenario.credentialProvider;
  };
  assert.deepEqual(again(), embedded.scenario.credentialProvider);
});

function requireYaml(text: string): unknown {
  // The test's config as a JSON value (JSON is YAML, so it embeds on one line).
  const r = loadScenario(`${HEAD}credentialProvider:\n  config:\n${text.replace(/^/gm, '    ')}\n  pulls: [{ image: a.io/x }]\n`, 'x.yaml');
  assert.ok(r.ok);
  return JSON.parse(JSON.stringify(r.scenario.credentialProvider?.config, (_k, v: unknown) => (typeof v === 'bigint' ? `${Number(v) / 3.6e12}h` : v)));
}
