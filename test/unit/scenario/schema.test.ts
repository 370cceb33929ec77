// scenario.schema.json is generated from the rule table (src/sim/scenario/schema.ts): the checked-in
// file must be exactly what the generator writes (`npm run schema` regenerates it), so editors'
// completion, hover, defaults and checks match the loader for every section. Then: every file in
// examples/ must load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsonObject, JsonValue, ObjectRule, Rule } from '../../../src/sim/fieldRule';
import { DURATION_PATTERN } from '../../../src/sim/units/duration';
import { formatDiagnostic, loadScenario } from '../../../src/sim/scenario/load';
import { SCENARIO_RULES } from '../../../src/sim/scenario/rules';
import { scenarioSchema, scenarioSchemaText } from '../../../src/sim/scenario/schema';

const SCHEMA_FILE = 'src/sim/scenario/scenario.schema.json';

function isObject(x: JsonValue | undefined): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const checkedIn = (): string => readFileSync(join(repoRoot(), SCHEMA_FILE), 'utf8');
const schema = JSON.parse(checkedIn()) as JsonObject;

test('scenario.schema.json is draft 2020-12 and names its duration pattern', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  const defs = schema.$defs;
  assert.ok(isObject(defs) && isObject(defs.duration));
  assert.equal(defs.duration.pattern, DURATION_PATTERN);
});

test('scenario.schema.json is what the generator writes from the rules (else run `npm run schema`)', () => {
  assert.equal(checkedIn(), scenarioSchemaText(), `${SCHEMA_FILE} is stale: run \`npm run schema\` and commit the result`);
});

test('the freshness check is not vacuous: a drifted rule table gives another file', () => {
  const drifted: ObjectRule = { ...SCENARIO_RULES, properties: { ...SCENARIO_RULES.properties, extra: { kind: 'boolean' } } };
  assert.notEqual(scenarioSchemaText(drifted), checkedIn());
});

test('every property editors complete has a description (hover)', () => {
  const missing: string[] = [];
  const visit = (rule: Rule, path: string): void => {
    if (rule.kind === 'array') visit(rule.items, `${path}[]`);
    if (rule.kind !== 'object') return;
    for (const [name, r] of Object.entries(rule.properties)) {
      if (r.description === undefined) missing.push(`${path}${name}`);
      visit(r, `${path}${name}.`);
    }
  };
  visit(SCENARIO_RULES, '');
  assert.deepEqual(missing, []);
});

test('what editors got from the hand-kept schema is still there: enums, patterns, exclusive pairs, shared outages', () => {
  const s = scenarioSchema();
  const props = s.properties;
  assert.ok(isObject(props));
  const kubelet = props.kubelet;
  assert.ok(isObject(kubelet) && isObject(kubelet.properties) && isObject(kubelet.properties.version));
  assert.deepEqual(kubelet.properties.version.enum, ['1.19', '1.20', '1.34']);
  assert.equal(kubelet.properties.version.default, '1.34');
  const api = props.apiServer;
  assert.ok(isObject(api) && isObject(api.properties) && isObject(api.properties.outages));
  assert.deepEqual(api.properties.outages, { description: 'Periods when every TokenRequest fails.', $ref: '#/$defs/outages', default: [] });
  const pods = props.pods;
  assert.ok(isObject(pods) && isObject(pods.items) && isObject(pods.items.properties));
  const tokens = pods.items.properties.tokens;
  assert.ok(isObject(tokens) && isObject(tokens.items));
  assert.deepEqual(tokens.items.allOf, [{ not: { required: ['audience', 'audiences'] } }]);
  assert.deepEqual(s.required, ['start', 'horizon']);
  assert.deepEqual(s.anyOf, [{ required: ['pods'] }, { required: ['refreshers'] }, { required: ['credentialProvider'] }, { required: ['execAuth'] }]);
  const defs = s.$defs;
  assert.ok(isObject(defs) && isObject(defs.outages));
});

function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'examples')) && existsSync(join(dir, 'package.json'))) return dir;
    assert.notEqual(dirname(dir), dir, 'repository root (with examples/) not found above the working directory');
  }
}

test('every example in examples/ loads without errors', () => {
  const dir = join(repoRoot(), 'examples');
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  for (const required of ['shop-outage.yaml', 'issue-example.yaml', 'scale-1000-pods.yaml', 'key-rotation.yaml', 'kubelet-vs-calico.yaml']) {
    assert.ok(files.includes(required), `examples/${required} is missing`);
  }
  for (const file of files) {
    const r = loadScenario(readFileSync(join(dir, file), 'utf8'), file);
    assert.ok(r.ok, r.ok ? '' : r.errors.map((d) => formatDiagnostic(`examples/${file}`, d)).join('\n'));
    assert.deepEqual(r.warnings.map((d) => formatDiagnostic(file, d)), [], `examples/${file} has warnings`);
  }
});

test('scale-1000-pods.yaml expands to 1,000 pods', () => {
  const r = loadScenario(readFileSync(join(repoRoot(), 'examples', 'scale-1000-pods.yaml'), 'utf8'), 'scale-1000-pods.yaml');
  assert.ok(r.ok);
  assert.equal(r.scenario.pods.length, 1000);
  assert.equal(new Set(r.scenario.pods.map((p) => p.uid)).size, 1000);
});
