/**
 * The rule vocabulary of our file formats, as data: what each field may hold, with the words an
 * editor shows for it. One rule table drives three things: the validator that walks a parsed file
 * (scenario/validate.ts), the JSON Schema published to editors (scenario/schema.ts) and the
 * defaults the normalizers apply. Model folders write their scenario sections in it, so it lives
 * here, outside the scenario format package. Cross-field rules are code, not data (Section.check).
 */
import { parseDuration } from './units/duration';

/** JSON values a default can take (what a JSON Schema "default" can hold). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

interface Common {
  /** Shown by editors on hover and completion (the schema's "description"). */
  description?: string;
  /** Published as the schema's "default"; the normalizer applies the same constant. */
  default?: JsonValue;
  /** Appended to this value's type/enum/range errors, to say why or how to fix it. Not part of the schema. */
  hint?: string;
  /**
   * Publish this rule once, under the schema's $defs/<shared>, and refer to it from every use
   * (each use keeps its own description and default). Every rule with the same name must be the same.
   */
  shared?: string;
}

export type Rule = Common &
  (
    | { kind: 'string'; minLength?: number; enum?: readonly string[] }
    /** RFC 3339 date-time string (schema: type string, format date-time). */
    | { kind: 'dateTime' }
    /** A duration string (schema: $ref #/$defs/duration); the walker turns it into ms. */
    | { kind: 'duration' }
    /** A duration string or the number 0 (schema: anyOf [duration, const 0]). */
    | { kind: 'durationOrZero' }
    | { kind: 'integer'; minimum?: number; maximum?: number }
    | { kind: 'number'; minimum?: number; maximum?: number }
    | { kind: 'boolean' }
    | { kind: 'array'; items: Rule; minItems?: number }
    /** An object whose keys are data (registry patterns, annotation keys): each value follows `values`. */
    | { kind: 'map'; values: Rule }
    /**
     * A document of another format embedded as written (e.g. a kubelet CredentialProviderConfig):
     * kept as plain JSON, with every nested value's and key's position recorded, and judged by the
     * section's check with that format's own rules. `schema` is what editors are given for it.
     */
    | { kind: 'document'; schema?: JsonObject }
    | ObjectRule
  );

export interface ObjectRule extends Common {
  kind: 'object';
  properties: Readonly<Record<string, Rule>>;
  required?: readonly string[];
  /**
   * At least one of `keys` must be present (schema: anyOf [{ required: [a] }, …]). A file with none
   * gets the error "missing required property" for the first key and, when there are others,
   * `message` as a warning at the same place saying which would do.
   */
  atLeastOneOf?: { keys: readonly string[]; message: string };
  /** Pairs of properties that may not both be present (schema: allOf [{ not: { required: [a, b] } }]). */
  exclusive?: readonly (readonly [string, string])[];
}

/**
 * A default written as a duration string (so the schema can publish it as the user would write
 * it), in ms for the normalizer.
 */
export function durationDefault(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(`bad built-in default duration ${text}`);
  return r.ms;
}
