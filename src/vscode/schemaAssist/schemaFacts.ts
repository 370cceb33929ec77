/**
 * What completion and hover say about a value, read off its expanded schemas (schemaAtPath.ts): the
 * first description found (use site before $ref target), the type, the allowed values, the default.
 */
import type { JsonObject, JsonValue } from '../../sim/fieldRule';

export interface SchemaFacts {
  /** Markdown (markdownDescription, else the plain description). */
  description?: string;
  /** 'string', 'object', 'array of object', 'string | number'…; undefined when no schema says. */
  type?: string;
  /** The values a `const` or `enum` allows, in schema order, without repeats. */
  values: JsonValue[];
  /** Per value, its markdownEnumDescriptions / enumDescriptions text when the schema has one. */
  valueDescriptions: Map<string, string>;
  default?: JsonValue;
  examples: JsonValue[];
  /** The value is an object (or an array of them): completion opens a new indented line. */
  opensObject: boolean;
  opensArray: boolean;
}

function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const key = (v: JsonValue): string => JSON.stringify(v);

function typesOf(s: JsonObject): string[] {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  return [];
}

export function factsOf(schemas: readonly JsonObject[]): SchemaFacts {
  const facts: SchemaFacts = { values: [], valueDescriptions: new Map(), examples: [], opensObject: false, opensArray: false };
  const types: string[] = [];
  const add = (v: JsonValue, description?: JsonValue): void => {
    if (!facts.values.some((x) => key(x) === key(v))) facts.values.push(v);
    if (typeof description === 'string' && !facts.valueDescriptions.has(key(v))) facts.valueDescriptions.set(key(v), description);
  };
  for (const s of schemas) {
    if (facts.description === undefined) {
      if (typeof s.markdownDescription === 'string') facts.description = s.markdownDescription;
      else if (typeof s.description === 'string') facts.description = s.description;
    }
    for (const t of typesOf(s)) if (!types.includes(t)) types.push(t);
    if (s.const !== undefined) add(s.const);
    if (Array.isArray(s.enum)) {
      const texts = Array.isArray(s.markdownEnumDescriptions) ? s.markdownEnumDescriptions : Array.isArray(s.enumDescriptions) ? s.enumDescriptions : [];
      s.enum.forEach((v, i) => add(v, texts[i]));
    }
    if (facts.default === undefined && s.default !== undefined) facts.default = s.default;
    if (Array.isArray(s.examples)) for (const e of s.examples) if (!facts.examples.some((x) => key(x) === key(e))) facts.examples.push(e);
  }
  if (types.length === 0 && facts.values.length > 0) {
    for (const v of facts.values) {
      const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
      if (!types.includes(t)) types.push(t);
    }
  }
  if (types.includes('array')) {
    const itemTypes = schemas.flatMap((s) => (isObject(s.items) ? typesOf(s.items) : []));
    facts.opensArray = true;
    facts.type = types.map((t) => (t === 'array' && itemTypes.length > 0 ? `array of ${[...new Set(itemTypes)].join(' | ')}` : t)).join(' | ');
  } else if (types.length > 0) {
    facts.type = types.join(' | ');
  }
  facts.opensObject = types.length === 1 && types[0] === 'object';
  if (types.includes('boolean')) {
    add(true);
    add(false);
  }
  return facts;
}
