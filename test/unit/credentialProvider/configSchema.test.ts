// The CredentialProviderConfig JSON Schema: its duration pattern accepts exactly the non-negative
// texts Go's ParseDuration accepts (SPEC B.2), its enums are the contract's constants, it is strict
// (SPEC B.1), tokenAttributes appears only for kubelet.config.k8s.io/v1 files, and every property
// an editor offers has a description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../../src/sim/fieldRule';
import { CONFIG_VERSIONS, PROVIDER_API_VERSIONS } from '../../../src/sim/credentialProvider/config';
import { credentialProviderConfigSchema, GO_DURATION_PATTERN, QUALIFIED_NAME_PATTERN } from '../../../src/sim/credentialProvider/configSchema';
import { parseGoDuration } from '../../../src/sim/credentialProvider/goDuration';

const schema = credentialProviderConfigSchema();
const isObject = (x: JsonValue | undefined): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);
const at = (x: JsonValue | undefined, ...keys: string[]): JsonObject => {
  let node = x;
  for (const k of keys) {
    assert.ok(isObject(node), `no object before ${k}`);
    node = node[k];
  }
  assert.ok(isObject(node), `no object at ${keys.join('.')}`);
  return node;
};
const durationOk = (text: string): boolean => new RegExp(GO_DURATION_PATTERN, 'u').test(text);
const goAccepts = (text: string): boolean => {
  const r = parseGoDuration(text);
  return r.ok && r.ns >= 0n;
};

test('the duration pattern: the forms the kubelet reads, and none it rejects', () => {
  for (const t of ['0', '12h', '1h30m', '1.5h', '500ms', '1µs', '1μs', '3ns', '.5s', '1.s', '+1m', '2h45m0.5s']) assert.ok(durationOk(t), t);
  for (const t of ['', '1d', '1', '-1m', 'h', '.s', '1h ', ' 1h', '1H', '1.5.5s']) assert.ok(!durationOk(t), t);
});

test('property: the duration pattern agrees with parseGoDuration on non-negative texts', () => {
  const part = fc.tuple(fc.constantFrom('', '0', '1', '12', '.', '.5', '1.', '1.25'), fc.constantFrom('', 'h', 'm', 's', 'ms', 'us', 'µs', 'ns', 'd', 'x'));
  const text = fc.tuple(fc.constantFrom('', '+', '-'), fc.array(part, { maxLength: 4 })).map(([sign, parts]) => sign + parts.map(([n, u]) => n + u).join(''));
  fc.assert(
    fc.property(text, (t) => {
      // ParseDuration accepts sums that overflow int64 only up to the limit: the short texts here never reach it.
      if (t.startsWith('-')) assert.equal(durationOk(t), false, t);
      else assert.equal(durationOk(t), goAccepts(t), t);
    }),
    { numRuns: 2000 },
  );
});

test('annotation keys: qualified names, upper case allowed (the kubelet lower-cases first)', () => {
  const ok = (k: string): boolean => new RegExp(QUALIFIED_NAME_PATTERN, 'u').test(k);
  for (const k of ['eks.amazonaws.com/role-arn', 'Role', 'a_b.c', 'example.com/A-b']) assert.ok(ok(k), k);
  for (const k of ['cantendwithadash-', '-x', 'a/b/c', '/x', 'a b', '']) assert.ok(!ok(k), k);
});

test('enums are the contract\'s versions', () => {
  assert.deepEqual(at(schema, 'properties', 'apiVersion').enum, CONFIG_VERSIONS.map((v) => `kubelet.config.k8s.io/${v}`));
  assert.deepEqual(at(schema, '$defs', 'provider', 'properties', 'apiVersion').enum, [...PROVIDER_API_VERSIONS]);
  assert.deepEqual(at(schema, '$defs', 'providerV1', 'properties', 'tokenAttributes', 'properties', 'cacheType').enum, ['ServiceAccount', 'Token']);
});

test('strict like the kubelet: every object has additionalProperties false (SPEC B.1)', () => {
  const loose: string[] = [];
  const visit = (node: JsonValue, path: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${path}[${i}]`));
    if (!isObject(node)) return;
    if (node.type === 'object' && node.additionalProperties !== false) loose.push(path);
    for (const [k, v] of Object.entries(node)) visit(v, `${path}/${k}`);
  };
  visit(schema, '#');
  assert.deepEqual(loose, []);
});

test('tokenAttributes only in v1 files and only with the v1 plugin API (SPEC B.1, B.2)', () => {
  assert.equal(at(schema, '$defs', 'provider', 'properties').tokenAttributes, undefined);
  assert.deepEqual(at(schema, 'if'), { properties: { apiVersion: { const: 'kubelet.config.k8s.io/v1' } }, required: ['apiVersion'] });
  assert.equal(at(schema, 'then', 'properties', 'providers', 'items').$ref, '#/$defs/providerV1');
  assert.equal(at(schema, 'else', 'properties', 'providers', 'items').$ref, '#/$defs/provider');
  assert.deepEqual(at(schema, '$defs', 'providerV1', 'then'), { properties: { apiVersion: { const: 'credentialprovider.kubelet.k8s.io/v1' } } });
  assert.deepEqual(at(schema, '$defs', 'providerV1', 'properties', 'tokenAttributes').required, ['serviceAccountTokenAudience', 'cacheType', 'requireServiceAccount']);
});

test('every property has a plain description and a markdown one', () => {
  const missing: string[] = [];
  const visit = (node: JsonValue, path: string): void => {
    if (!isObject(node)) return;
    if (isObject(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) {
        if (!isObject(sub) || typeof sub.description !== 'string' || typeof sub.markdownDescription !== 'string') missing.push(`${path}.${name}`);
        else assert.ok(!sub.description.includes('`'), `${path}.${name}: backticks belong in markdownDescription only`);
        visit(sub, `${path}.${name}`);
      }
    }
    for (const k of ['items', 'then', 'else']) if (isObject(node[k])) visit(node[k], `${path}.${k}`);
    if (isObject(node.$defs)) for (const [k, d] of Object.entries(node.$defs)) visit(d, `$defs.${k}`);
  };
  visit(schema, '');
  // if/then/else branches only narrow properties declared (and described) beside them.
  assert.deepEqual(missing.filter((m) => !/\.(then|else)\./.test(m)), []);
});

test('each call is a fresh object', () => {
  assert.notEqual(credentialProviderConfigSchema(), credentialProviderConfigSchema());
  assert.deepEqual(credentialProviderConfigSchema(), schema);
});

test('the scenario file embeds the config schema with its definitions written in place', async () => {
  const { embeddedCredentialProviderConfigSchema, credentialProviderConfigSchema } = await import('../../../src/sim/credentialProvider/configSchema');
  const embedded = embeddedCredentialProviderConfigSchema();
  const text = JSON.stringify(embedded);
  assert.ok(!text.includes('#/$defs/') && embedded.$id === undefined && embedded.$schema === undefined);
  const full = credentialProviderConfigSchema();
  const defs = full.$defs as Record<string, unknown>;
  assert.deepEqual((embedded.then as { properties: { providers: { items: unknown } } }).properties.providers.items, defs.providerV1);
  assert.deepEqual((embedded.else as { properties: { providers: { items: unknown } } }).properties.providers.items, defs.provider);
  const { SCENARIO_RULES } = await import('../../../src/sim/scenario/rules');
  const { scenarioSchema } = await import('../../../src/sim/scenario/schema');
  const cp = ((scenarioSchema(SCENARIO_RULES).properties as Record<string, { properties: Record<string, unknown> }>).credentialProvider?.properties.config) as Record<string, unknown>;
  assert.equal(cp.title, 'Kubelet CredentialProviderConfig');
});
