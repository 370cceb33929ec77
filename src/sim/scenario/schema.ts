/**
 * scenario.schema.json, generated from the rule table (rules.ts: the core keys plus every section's),
 * so that completion, hover, defaults and checks in editors cannot drift from what the loader
 * accepts. Pure: `npm run schema` writes the file; test/unit/scenario/schema.test.ts fails when the
 * checked-in copy is stale.
 */
import type { JsonObject, JsonValue, ObjectRule, Rule } from '../fieldRule';
import { DURATION_PATTERN } from '../units/duration';
import { SCENARIO_RULES } from './rules';

const DURATION_REF = '#/$defs/duration';

const DURATION: JsonObject = {
  description: 'A duration: whole numbers with units d, h, m, s, ms, e.g. "90s", "48m", "6h", "30d", "1h30m", "500ms" (or "0").',
  type: 'string',
  pattern: DURATION_PATTERN,
};

/** The JSON Schema (draft 2020-12) of scenario files (of `rules`: tests pass a changed table). */
export function scenarioSchema(rules: ObjectRule = SCENARIO_RULES): JsonObject {
  const shared = new Map<string, JsonObject>();
  const { description, ...body } = schemaOf(rules, shared);
  const defs: JsonObject = { duration: DURATION };
  for (const [name, def] of shared) defs[name] = def;
  const head: JsonObject = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://kube-token-lens.invalid/schemas/scenario.schema.json',
    title: 'Kube Token Lens scenario',
  };
  if (description !== undefined) head.description = description;
  return { ...head, ...body, $defs: defs };
}

/** The file's exact text: what `npm run schema` writes and the freshness test compares. */
export function scenarioSchemaText(rules: ObjectRule = SCENARIO_RULES): string {
  return `${JSON.stringify(scenarioSchema(rules), null, 2)}\n`;
}

/** One rule → its schema: description first, then the type's keywords, then the default. */
function schemaOf(rule: Rule, shared: Map<string, JsonObject>): JsonObject {
  const out: JsonObject = {};
  if (rule.description !== undefined) out.description = rule.description;
  if (rule.shared === undefined) {
    Object.assign(out, typeOf(rule, shared));
  } else {
    // The definition holds what every use has in common; each use keeps its description and default.
    const definition = typeOf(rule, shared);
    const known = shared.get(rule.shared);
    if (known === undefined) shared.set(rule.shared, definition);
    else if (JSON.stringify(known) !== JSON.stringify(definition)) throw new Error(`two different rules are shared as $defs/${rule.shared}`);
    out.$ref = `#/$defs/${rule.shared}`;
  }
  if (rule.default !== undefined) out.default = rule.default;
  return out;
}

function typeOf(rule: Rule, shared: Map<string, JsonObject>): JsonObject {
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
      return { $ref: DURATION_REF };
    case 'durationOrZero':
      return { anyOf: [{ $ref: DURATION_REF }, { const: 0 }] };
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
      const s: JsonObject = { type: 'array', items: schemaOf(rule.items, shared) };
      if (rule.minItems !== undefined) s.minItems = rule.minItems;
      return s;
    }
    case 'map':
      return { type: 'object', additionalProperties: schemaOf(rule.values, shared) };
    case 'document':
      return rule.schema ?? { type: 'object' };
    case 'object':
      return objectOf(rule, shared);
  }
}

function objectOf(rule: ObjectRule, shared: Map<string, JsonObject>): JsonObject {
  const properties: JsonObject = {};
  for (const [name, r] of Object.entries(rule.properties)) properties[name] = schemaOf(r, shared);
  const s: JsonObject = { type: 'object', properties };
  if (rule.required !== undefined && rule.required.length > 0) s.required = [...rule.required];
  if (rule.atLeastOneOf !== undefined && rule.atLeastOneOf.keys.length > 0) {
    s.anyOf = rule.atLeastOneOf.keys.map((key): JsonValue => ({ required: [key] }));
  }
  if (rule.exclusive !== undefined) s.allOf = rule.exclusive.map(([a, b]): JsonValue => ({ not: { required: [a, b] } }));
  s.additionalProperties = false;
  return s;
}
