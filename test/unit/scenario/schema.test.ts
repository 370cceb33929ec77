// The published JSON Schema and the loader's rule table must describe the same format: we derive a
// schema skeleton from rules.ts and require it to equal scenario.schema.json with its annotations
// (descriptions, titles) removed and its $refs inlined. Any field, type, bound, enum or default added
// to one side only fails here. Then: every file in examples/ must load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import schemaJson from '../../../src/sim/scenario/scenario.schema.json';
import { DURATION_PATTERN } from '../../../src/sim/units/duration';
import { formatDiagnostic, loadScenario } from '../../../src/sim/scenario/load';
import { SCENARIO_RULES, type JsonValue, type Rule } from '../../../src/sim/scenario/rules';

type Json = JsonValue;
type JsonObject = { [key: string]: Json };

function isObject(x: Json | undefined): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The JSON Schema that a rule stands for, without annotations. */
function skeleton(rule: Rule): JsonObject {
  const out: JsonObject = (() => {
    switch (rule.kind) {
      case 'string': {
        const s: JsonObject = { type: 'string' };
        if (rule.minLength !== undefined) s.minLength = rule.minLength;
        if (rule.enum !== undefined) s.enum = [...rule.enum];
        return s;
      }
      case 'dateTime':
        return { type: 'string', format: 'date-time' };
      case 'duration':
        return { type: 'string', pattern: DURATION_PATTERN };
      case 'durationOrZero': {
        const options: Json[] = [{ type: 'string', pattern: DURATION_PATTERN }, { const: 0 }];
        return { anyOf: options };
      }
      case 'integer':
      case 'number': {
        const s: JsonObject = { type: rule.kind };
        if (rule.minimum !== undefined) s.minimum = rule.minimum;
        if (rule.maximum !== undefined) s.maximum = rule.maximum;
        return s;
      }
      case 'boolean':
        return { type: 'boolean' };
      case 'array': {
        const s: JsonObject = { type: 'array', items: skeleton(rule.items) };
        if (rule.minItems !== undefined) s.minItems = rule.minItems;
        return s;
      }
      case 'object': {
        const properties: JsonObject = {};
        for (const [name, r] of Object.entries(rule.properties)) properties[name] = skeleton(r);
        const s: JsonObject = { type: 'object', properties, additionalProperties: false };
        if (rule.required !== undefined) s.required = [...rule.required].sort();
        if (rule.exclusive !== undefined) s.allOf = rule.exclusive.map(([a, b]) => ({ not: { required: [a, b].sort() } }));
        return s;
      }
    }
  })();
  if (rule.default !== undefined) out.default = rule.default;
  return out;
}

const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', '$id', '$schema', '$defs']);
const KEYWORDS = new Set([
  'type', 'properties', 'items', 'anyOf', 'allOf', 'not', 'required', 'additionalProperties', 'enum', 'const',
  'minimum', 'maximum', 'minLength', 'minItems', 'pattern', 'format', 'default', '$ref',
]);

/** The schema with $refs inlined and annotations dropped; fails on keywords the skeleton cannot express. */
function strip(schema: JsonObject, root: JsonObject, at: string): JsonObject {
  let out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    assert.ok(KEYWORDS.has(key), `${at}: keyword "${key}" is not modelled by rules.ts`);
    if (key === '$ref') {
      assert.ok(typeof value === 'string' && value.startsWith('#/$defs/'), `${at}: only local $defs refs`);
      const defs = root.$defs;
      const target = isObject(defs) ? defs[value.slice('#/$defs/'.length)] : undefined;
      assert.ok(isObject(target), `${at}: unresolved ${value}`);
      out = { ...strip(target, root, value), ...out };
    } else if (key === 'properties') {
      assert.ok(isObject(value));
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(value)) {
        assert.ok(isObject(sub));
        props[name] = strip(sub, root, `${at}.${name}`);
      }
      out.properties = props;
    } else if (key === 'items' || key === 'not') {
      assert.ok(isObject(value));
      out[key] = strip(value, root, `${at}.${key}`);
    } else if (key === 'anyOf' || key === 'allOf') {
      assert.ok(Array.isArray(value));
      out[key] = value.map((v, i) => {
        assert.ok(isObject(v));
        return strip(v, root, `${at}.${key}[${i}]`);
      });
    } else if (key === 'required' && Array.isArray(value)) {
      out.required = [...value].sort();
    } else {
      out[key] = value;
    }
  }
  return out;
}

const schema = schemaJson as unknown as JsonObject;

test('scenario.schema.json is draft 2020-12 and names its duration pattern', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  const defs = schema.$defs;
  assert.ok(isObject(defs) && isObject(defs.duration));
  assert.equal(defs.duration.pattern, DURATION_PATTERN);
});

test('scenario.schema.json and the validator rules (rules.ts) describe the same format', () => {
  assert.deepStrictEqual(strip(schema, schema, '#'), skeleton(SCENARIO_RULES));
});

test('the agreement check is not vacuous: a drifted rule table differs', () => {
  const drifted: Rule = {
    ...SCENARIO_RULES,
    properties: { ...SCENARIO_RULES.properties, extra: { kind: 'boolean' } },
  };
  assert.notDeepStrictEqual(strip(schema, schema, '#'), skeleton(drifted));
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
