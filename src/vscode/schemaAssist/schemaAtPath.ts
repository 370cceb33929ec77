/**
 * Which parts of a JSON Schema (2020-12) describe the value at a JSON path of a document: follows
 * `$ref` (within the schema), `properties` / `patternProperties` / `additionalProperties`,
 * `prefixItems` / `items`, `allOf` / `anyOf` / `oneOf`, and `if` / `then` / `else`, deciding the `if`
 * with the document's own values (so a branch on a sibling `const` or `enum` picks the right fields).
 * It is not a validator: only the keywords a branch condition needs are evaluated.
 */
import type { JsonObject, JsonValue } from '../../sim/fieldRule';
import type { PathSegment } from './yamlPath';

/** Deeper than any sane schema; stops a `$ref` cycle. */
const MAX_DEPTH = 32;

function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `#/$defs/a/b` inside `root`; external references are not followed. */
function dereference(root: JsonObject, ref: string): JsonObject | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: JsonValue = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    const next: JsonValue | undefined = node[part];
    if (next === undefined) return undefined;
    node = next;
  }
  return isObject(node) ? node : undefined;
}

/**
 * Every schema object that applies to `value`: `schema` itself first (so a use site's description
 * wins over its `$ref` target's), then what it refers to and the branches it selects.
 */
export function applicableSchemas(root: JsonObject, schema: JsonValue | undefined, value: unknown, depth = 0): JsonObject[] {
  if (!isObject(schema) || depth > MAX_DEPTH) return [];
  const out: JsonObject[] = [schema];
  const more = (s: JsonValue | undefined): void => {
    out.push(...applicableSchemas(root, s, value, depth + 1));
  };
  if (typeof schema.$ref === 'string') more(dereference(root, schema.$ref));
  if (Array.isArray(schema.allOf)) schema.allOf.forEach(more);
  for (const alternatives of [schema.anyOf, schema.oneOf]) {
    if (!Array.isArray(alternatives)) continue;
    // Alternatives the value already contradicts (by type, const or enum) say nothing about it.
    const fitting = alternatives.filter((a) => value === undefined || matches(root, a, value, depth + 1, true));
    fitting.forEach(more);
  }
  if (schema.if !== undefined) more(matches(root, schema.if, value, depth + 1) ? schema.then : schema.else);
  return out;
}

/** The schemas (not yet expanded) of `segment` inside a value that `schemas` describe. */
export function childSchemas(schemas: readonly JsonObject[], segment: PathSegment): JsonObject[] {
  const out: JsonObject[] = [];
  for (const s of schemas) {
    if (typeof segment === 'number') {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems[segment] : undefined;
      if (isObject(prefix)) out.push(prefix);
      else if (isObject(s.items)) out.push(s.items);
      continue;
    }
    const named = isObject(s.properties) ? s.properties[segment] : undefined;
    if (isObject(named)) {
      out.push(named);
      continue;
    }
    let patterned = false;
    if (isObject(s.patternProperties)) {
      for (const [pattern, sub] of Object.entries(s.patternProperties)) {
        if (isObject(sub) && safeTest(pattern, segment)) {
          out.push(sub);
          patterned = true;
        }
      }
    }
    if (!patterned && isObject(s.additionalProperties)) out.push(s.additionalProperties);
  }
  return out;
}

/** The expanded schemas of the value at `path` of `data` (the document's root value). */
export function schemasAtPath(root: JsonObject, path: readonly PathSegment[], data: unknown): JsonObject[] {
  let value: unknown = data;
  let schemas = applicableSchemas(root, root, value);
  for (const segment of path) {
    value = childValue(value, segment);
    schemas = childSchemas(schemas, segment).flatMap((s) => applicableSchemas(root, s, value));
    if (schemas.length === 0) break;
  }
  return schemas;
}

/** The properties the schemas name, each with its expanded schemas (for `value`, the object that has them). */
export function propertiesOf(root: JsonObject, schemas: readonly JsonObject[], value: unknown): Map<string, JsonObject[]> {
  const names: string[] = [];
  for (const s of schemas) if (isObject(s.properties)) for (const k of Object.keys(s.properties)) if (!names.includes(k)) names.push(k);
  const out = new Map<string, JsonObject[]>();
  for (const name of names) {
    out.set(name, childSchemas(schemas, name).flatMap((s) => applicableSchemas(root, s, childValue(value, name))));
  }
  return out;
}

export function childValue(value: unknown, segment: PathSegment): unknown {
  if (typeof segment === 'number') return Array.isArray(value) ? (value[segment] as unknown) : undefined;
  return isRecord(value) ? value[segment] : undefined;
}

/** The names `required` lists across the schemas. */
export function requiredOf(schemas: readonly JsonObject[]): Set<string> {
  const out = new Set<string>();
  for (const s of schemas) if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') out.add(r);
  return out;
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(type: JsonValue, value: unknown): boolean {
  const actual = typeOf(value);
  const ok = (t: JsonValue): boolean => t === actual || (t === 'number' && actual === 'integer');
  return Array.isArray(type) ? type.some(ok) : ok(type);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether `value` satisfies the condition `schema` as far as branch conditions go: type, const, enum,
 * required, properties, $ref and the combinators. `shallow` checks only the value's own kind (for
 * filtering anyOf/oneOf alternatives while a document is half-typed).
 */
function matches(root: JsonObject, schema: JsonValue | undefined, value: unknown, depth: number, shallow = false): boolean {
  if (schema === true || schema === undefined) return true;
  if (schema === false) return false;
  if (!isObject(schema) || depth > MAX_DEPTH) return true;
  if (typeof schema.$ref === 'string' && !matches(root, dereference(root, schema.$ref), value, depth + 1, shallow)) return false;
  // Nothing there (an empty document): only a condition that asks for nothing holds.
  if (value === undefined) return !(Array.isArray(schema.required) && schema.required.length > 0) && schema.const === undefined && schema.enum === undefined && schema.type === undefined;
  if (schema.type !== undefined && !typeMatches(schema.type, value)) return false;
  if (schema.const !== undefined && !sameJson(schema.const, value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => sameJson(e, value))) return false;
  if (shallow) return true;
  if (Array.isArray(schema.required)) {
    if (!isRecord(value)) return false;
    if (!schema.required.every((k) => typeof k === 'string' && k in value)) return false;
  }
  if (isObject(schema.properties) && isRecord(value)) {
    for (const [k, sub] of Object.entries(schema.properties)) {
      if (k in value && !matches(root, sub, value[k], depth + 1)) return false;
    }
  }
  if (Array.isArray(schema.allOf) && !schema.allOf.every((s) => matches(root, s, value, depth + 1))) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => matches(root, s, value, depth + 1))) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => matches(root, s, value, depth + 1)).length !== 1) return false;
  if (schema.not !== undefined && matches(root, schema.not, value, depth + 1)) return false;
  return true;
}
