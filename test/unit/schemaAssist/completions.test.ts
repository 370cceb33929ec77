// Completion with the CredentialProviderConfig schema (the real one) and the scenario schema:
// property names not present yet, required first, snippets per flavor, enum values and booleans,
// tokenAttributes only where the file's apiVersion allows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialProviderConfigSchema } from '../../../src/sim/credentialProvider/configSchema';
import { scenarioSchema } from '../../../src/sim/scenario/schema';
import { completionsAt } from '../../../src/vscode/schemaAssist/completions';
import type { TextFlavor } from '../../../src/vscode/schemaAssist/yamlPath';
import { cursor } from './cursor';

const SCHEMA = credentialProviderConfigSchema();
const complete = (marked: string, flavor: TextFlavor = 'yaml', schema = SCHEMA) => {
  const { text, offset } = cursor(marked);
  return completionsAt(schema, text, offset, flavor);
};
const labels = (marked: string, flavor: TextFlavor = 'yaml') => complete(marked, flavor).map((c) => c.label);

const v1 = 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: ecr\n';
const v1beta1 = v1.replace('/v1\n', '/v1beta1\n');

test('a provider\'s missing fields, required first; tokenAttributes only in a v1 file', () => {
  assert.deepEqual(labels(`${v1}    |\n`), ['matchImages', 'defaultCacheDuration', 'apiVersion', 'args', 'env', 'tokenAttributes']);
  assert.deepEqual(labels(`${v1beta1}    |\n`), ['matchImages', 'defaultCacheDuration', 'apiVersion', 'args', 'env']);
  const [first] = complete(`${v1}    |\n`);
  assert.equal(first?.detail, 'array of string · required');
  assert.match(first?.documentation ?? '', /never a dot/);
});

test('YAML snippets: a scalar key gets `: `, a list a new `- ` line, an object a new indented line', () => {
  const byLabel = new Map(complete(`${v1}    |\n`).map((c) => [c.label, c]));
  assert.equal(byLabel.get('defaultCacheDuration')?.insertText, 'defaultCacheDuration: $0');
  assert.equal(byLabel.get('matchImages')?.insertText, 'matchImages:\n\t- $0');
  assert.equal(byLabel.get('tokenAttributes')?.insertText, 'tokenAttributes:\n\t$0');
  assert.equal(byLabel.get('apiVersion')?.retrigger, true, 'a key with choices opens them next');
});

test('a half-typed key with its colon already there is replaced by the name alone', () => {
  const [c] = complete(`${v1}    defaultCache|: 12h\n`).filter((x) => x.label === 'defaultCacheDuration');
  assert.equal(c?.insertText, 'defaultCacheDuration');
});

test('enum values, the default marked; after `key:` a space is inserted', () => {
  const values = complete(`${v1}    apiVersion: |\n`);
  assert.deepEqual(values.map((c) => c.label), ['credentialprovider.kubelet.k8s.io/v1', 'credentialprovider.kubelet.k8s.io/v1alpha1', 'credentialprovider.kubelet.k8s.io/v1beta1']);
  assert.equal(values[0]?.detail, 'default');
  assert.deepEqual(complete('kind:|\n').map((c) => c.insertText), [' CredentialProviderConfig']);
});

test('booleans and cacheType in tokenAttributes, with their own descriptions', () => {
  const base = `${v1}    tokenAttributes:\n`;
  assert.deepEqual(labels(`${base}      requireServiceAccount: |\n`), ['true', 'false']);
  const cache = complete(`${base}      cacheType: |\n`);
  assert.deepEqual(cache.map((c) => c.label), ['ServiceAccount', 'Token']);
  assert.match(cache[1]?.documentation ?? '', /per token/);
  assert.deepEqual(labels(`${base}      |\n`).slice(0, 3), ['serviceAccountTokenAudience', 'cacheType', 'requireServiceAccount']);
});

test('a list of scalars: `- ` then the item\'s examples or values, not keys', () => {
  assert.deepEqual(labels(`${v1}    defaultCacheDuration: |\n`), ['12h', '1h', '0']);
  assert.deepEqual(labels(`${v1}    matchImages:\n      - |\n`), []);
});

test('JSON: quoted keys with JSON snippets, quoted values replacing the quotes', () => {
  const doc = '{"apiVersion": "kubelet.config.k8s.io/v1", "kind": "CredentialProviderConfig", "providers": [{"name": "x", ';
  const keys = complete(`${doc}"|"}]}`, 'json');
  const byLabel = new Map(keys.map((c) => [c.label, c]));
  assert.equal(byLabel.get('matchImages')?.insertText, '"matchImages": [$0]');
  assert.equal(byLabel.get('tokenAttributes')?.insertText, '"tokenAttributes": {$0}');
  assert.equal(byLabel.get('defaultCacheDuration')?.insertText, '"defaultCacheDuration": "$0"');
  assert.equal(byLabel.get('matchImages')?.filterText, '"matchImages"');
  const { text, offset } = cursor(`${doc}"apiVersion": "|"}]}`);
  const [value] = completionsAt(SCHEMA, text, offset, 'json');
  assert.equal(value?.insertText, '"credentialprovider.kubelet.k8s.io/v1"');
  assert.equal(text.slice(value.range.start, value.range.end), '""');
});

test('the scenario schema: root keys, and a YAML value that must be quoted to stay a string', () => {
  const scenario = scenarioSchema();
  const root = complete('seed: 1\n|\n', 'yaml', scenario)
    .sort((a, b) => a.sortText.localeCompare(b.sortText))
    .map((c) => c.label);
  assert.ok(root.includes('horizon') && root.includes('pods') && !root.includes('seed') && !root.includes('$schema'));
  assert.deepEqual(root.slice(0, 2), ['start', 'horizon'], 'required keys sort first');
  const versions = complete('kubelet:\n  version: |\n', 'yaml', scenario);
  assert.deepEqual(versions.map((c) => c.insertText), ['"1.19"', '"1.20"', '"1.34"']);
});

test('snippet syntax in a name or value is escaped', () => {
  const [c] = completionsAt({ properties: { 'a$b': { enum: ['x}y'] } } }, '', 0, 'yaml');
  assert.equal(c?.insertText, 'a\\$b: $0');
  const [v] = completionsAt({ properties: { k: { enum: ['x}y'] } } }, 'k: ', 3, 'yaml');
  assert.equal(v?.insertText, 'x\\}y');
});
