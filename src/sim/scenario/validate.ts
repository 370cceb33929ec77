/**
 * Structural validation: walks a parsed YAML document alongside a rule table (sim/fieldRule.ts), reporting
 * every violation (not only the first) at the offending node, and producing a plain value tree in
 * which durations are already milliseconds and date-times epoch milliseconds. Invalid values are
 * left out (array items become undefined so that later paths keep their indices), so semantic
 * checks can still run over the rest and the user sees all problems in one go.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Pair } from 'yaml';
import type { ObjectRule, Rule } from '../fieldRule';
import { childPath, itemPath, parentPath } from '../section';
import { parseDateTime } from '../units/datetime';
import { parseDuration } from '../units/duration';
import type { SourceText, Span } from '../units/sourcePosition';

export interface Problem {
  path: string;
  at: Span;
  message: string;
  severity: 'error' | 'warning';
}

/** Where each path's value (and, for object properties, its key) is written. */
export class SourceMap {
  readonly values = new Map<string, Span>();
  readonly keys = new Map<string, Span>();

  /** The value at `path`, else its nearest recorded ancestor, else the document start. */
  valueOf(path: string): Span {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      const span = this.values.get(p);
      if (span) return span;
    }
    return { start: 0, end: 0 };
  }

  /** The key of property `path` if it has one, else where its value is. */
  keyOf(path: string): Span {
    return this.keys.get(path) ?? this.valueOf(path);
  }
}

export interface WalkResult {
  value: unknown;
  problems: Problem[];
  where: SourceMap;
}

/**
 * Validates the document's root against `rules`. The document must have no YAML errors; `empty` is
 * the message for a document with no content at all.
 */
export function validateDocument(doc: Document, source: SourceText, rules: ObjectRule, empty: string): WalkResult {
  const walker = new Walker(doc, source);
  const root = doc.contents;
  let value: unknown;
  if (root === null) {
    walker.problem('', { start: 0, end: 0 }, empty);
  } else {
    value = walker.walk(root, rules, '');
  }
  return { value, problems: walker.problems, where: walker.where };
}

class Walker {
  readonly problems: Problem[] = [];
  readonly where = new SourceMap();

  constructor(
    private readonly doc: Document,
    private readonly input: SourceText,
  ) {}

  problem(path: string, at: Span, message: string, severity: Problem['severity'] = 'error'): void {
    this.problems.push({ path, at, message, severity });
  }

  /** Returns the converted value, or undefined when the node violates its rule. */
  walk(node: YamlNode, rule: Rule, path: string): unknown {
    const at = spanOf(node);
    this.where.values.set(path, at);
    const target = this.resolve(node);
    if (target === undefined) {
      this.problem(path, at, 'alias to an unknown anchor');
      return undefined;
    }
    const fail = (message: string): undefined => {
      this.problem(path, at, rule.hint === undefined ? message : `${message}; ${rule.hint}`);
      return undefined;
    };

    switch (rule.kind) {
      case 'object':
        return isMap(target) ? this.walkObject(target.items, rule, path, at) : fail(`expected an object, got ${this.describe(target)}`);
      case 'map':
        return isMap(target) ? this.walkMap(target.items, rule.values, path) : fail(`expected an object, got ${this.describe(target)}`);
      case 'document':
        return isMap(target) ? this.plain(target, path) : fail(`expected an object, got ${this.describe(target)}`);
      case 'array': {
        if (!isSeq(target)) return fail(`expected a list, got ${this.describe(target)}`);
        if (rule.minItems !== undefined && target.items.length < rule.minItems) {
          return fail(`must have at least ${rule.minItems} item${rule.minItems === 1 ? '' : 's'}`);
        }
        return target.items.map((item, i) =>
          isNode(item) ? this.walk(item, rule.items, itemPath(path, i)) : this.nullItem(itemPath(path, i), at),
        );
      }
      default:
        break;
    }

    // Scalars from here on.
    if (!isScalar(target)) return fail(`expected ${expected(rule)}, got ${this.describe(target)}`);
    const v: unknown = target.value;
    switch (rule.kind) {
      case 'string': {
        if (typeof v !== 'string') return fail(`expected ${expected(rule)}, got ${this.describe(target)}`);
        if (rule.enum !== undefined && !rule.enum.includes(v)) return fail(`must be one of ${quoteList(rule.enum)}, got "${v}"`);
        if (rule.minLength !== undefined && v.length < rule.minLength) return fail('must not be empty');
        return v;
      }
      case 'dateTime': {
        if (typeof v !== 'string') return fail(`expected ${expected(rule)}, got ${this.describe(target)}`);
        const r = parseDateTime(v);
        return r.ok ? r.ms : fail(r.error);
      }
      case 'duration':
      case 'durationOrZero': {
        if (rule.kind === 'durationOrZero' && v === 0) return 0;
        if (typeof v !== 'string') {
          const asNumber = typeof v === 'number' ? ` (add a unit, e.g. "${this.source(target)}s")` : '';
          return fail(`expected ${expected(rule)}, got ${this.describe(target)}${asNumber}`);
        }
        const r = parseDuration(v);
        return r.ok ? r.ms : fail(r.error);
      }
      case 'integer':
      case 'number': {
        if (typeof v !== 'number' || Number.isNaN(v) || (rule.kind === 'integer' && !Number.isInteger(v))) {
          return fail(`expected ${expected(rule)}, got ${this.describe(target)}`);
        }
        if (rule.minimum !== undefined && v < rule.minimum) return fail(`must be ≥ ${rule.minimum}, got ${this.source(target)}`);
        if (rule.maximum !== undefined && v > rule.maximum) return fail(`must be ≤ ${rule.maximum}, got ${this.source(target)}`);
        return v;
      }
      case 'boolean':
        return typeof v === 'boolean' ? v : fail(`expected true or false, got ${this.describe(target)}`);
    }
  }

  private walkObject(pairs: Pair[], rule: ObjectRule, path: string, at: Span): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, Span>();
    for (const pair of pairs) {
      const keyNode = pair.key;
      const keyAt = isNode(keyNode) ? spanOf(keyNode) : at;
      const key = isScalar(keyNode) && typeof keyNode.value === 'string' ? keyNode.value : undefined;
      if (key === undefined) {
        const shown = isScalar(keyNode) ? this.source(keyNode) : this.describe(keyNode);
        this.problem(path, keyAt, `property names must be strings, got ${shown === '' ? 'an empty key' : shown}`);
        continue;
      }
      const propPath = childPath(path, key);
      const propRule = Object.hasOwn(rule.properties, key) ? rule.properties[key] : undefined;
      if (propRule === undefined) {
        this.problem(propPath, keyAt, `unknown property "${key}"${suggest(key, Object.keys(rule.properties))}`);
        continue;
      }
      seen.set(key, keyAt);
      this.where.keys.set(propPath, keyAt);
      const valueNode = pair.value;
      const value = isNode(valueNode)
        ? this.walk(valueNode, propRule, propPath)
        : this.nullItem(propPath, { start: keyAt.end, end: keyAt.end }, propRule);
      if (value !== undefined) out[key] = value;
    }
    for (const name of rule.required ?? []) {
      if (!seen.has(name)) this.problem(childPath(path, name), this.headOf(path, at), `missing required property "${name}"`);
    }
    const oneOf = rule.atLeastOneOf;
    const firstOfOne = oneOf?.keys[0];
    if (oneOf !== undefined && firstOfOne !== undefined && !oneOf.keys.some((name) => seen.has(name))) {
      // Worded like a missing required property (files written before the others existed got exactly
      // this); the warning beside it says which others would do.
      const head = this.headOf(path, at);
      this.problem(childPath(path, firstOfOne), head, `missing required property "${firstOfOne}"`);
      if (oneOf.keys.length > 1) this.problem(path, head, oneOf.message, 'warning');
    }
    for (const [a, b] of rule.exclusive ?? []) {
      const atA = seen.get(a);
      const atB = seen.get(b);
      if (atA !== undefined && atB !== undefined) {
        // Report at whichever of the two is written second: the first one was fine on its own.
        const [first, second, secondAt] = atA.start <= atB.start ? [a, b, atB] : [b, a, atA];
        this.problem(childPath(path, second), secondAt, `"${second}" cannot be used together with "${first}": use one of them`);
      }
    }
    return out;
  }

  /** An object keyed by data: every string key allowed, every value walked with `values`. */
  private walkMap(pairs: Pair[], values: Rule, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of pairs) {
      const keyNode = pair.key;
      const keyAt = isNode(keyNode) ? spanOf(keyNode) : { start: 0, end: 0 };
      if (!(isScalar(keyNode) && typeof keyNode.value === 'string')) {
        this.problem(path, keyAt, 'keys here must be strings');
        continue;
      }
      const propPath = childPath(path, keyNode.value);
      this.where.keys.set(propPath, keyAt);
      const value = isNode(pair.value) ? this.walk(pair.value, values, propPath) : this.nullItem(propPath, { start: keyAt.end, end: keyAt.end }, values);
      if (value !== undefined) out[keyNode.value] = value;
    }
    return out;
  }

  /**
   * An embedded document as plain JSON (YAML scalars as the core schema reads them), recording where
   * every nested key and value is, so that the section judging it can point at any of them.
   */
  private plain(node: YamlNode, path: string): unknown {
    this.where.values.set(path, spanOf(node));
    const target = this.resolve(node);
    if (target === undefined) return null;
    if (isMap(target)) {
      const out: Record<string, unknown> = {};
      for (const pair of target.items) {
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : this.source(keyNode as YamlNode);
        const propPath = childPath(path, key);
        if (isNode(keyNode)) this.where.keys.set(propPath, spanOf(keyNode));
        out[key] = isNode(pair.value) ? this.plain(pair.value, propPath) : null;
      }
      return out;
    }
    if (isSeq(target)) return target.items.map((item, i) => (isNode(item) ? this.plain(item, itemPath(path, i)) : null));
    return isScalar(target) ? (target.value as unknown) : null;
  }

  /** A missing value (e.g. `key:` in a flow map with no value): null. */
  private nullItem(path: string, at: Span, rule?: Rule): undefined {
    this.where.values.set(path, at);
    this.problem(path, at, rule === undefined ? 'empty list item' : `expected ${expected(rule)}, got nothing`);
    return undefined;
  }

  /** Where to report a problem about an object as a whole: its key if it has one, else its first line. */
  private headOf(path: string, at: Span): Span {
    return this.where.keys.get(path) ?? this.input.firstLineOf(at);
  }

  private resolve(node: YamlNode): YamlNode | undefined {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** The node's text as written (so a message shows "1.20", not the parsed 1.2). */
  source(node: YamlNode): string {
    const at = spanOf(node);
    return this.input.text.slice(at.start, at.end).trim();
  }

  describe(node: unknown): string {
    if (isMap(node)) return 'an object';
    if (isSeq(node)) return 'a list';
    if (isScalar(node)) {
      const v: unknown = node.value;
      if (v === null) return 'an empty value (null)';
      if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
      if (typeof v === 'number') return `number ${this.source(node) || String(v)}`;
      if (typeof v === 'boolean') return `boolean ${String(v)}`;
      return `a ${typeof v} value`;
    }
    return 'nothing';
  }
}

function isNode(x: unknown): x is YamlNode {
  return isMap(x) || isSeq(x) || isScalar(x) || isAlias(x);
}

function spanOf(node: YamlNode): Span {
  const r = node.range;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

function expected(rule: Rule): string {
  switch (rule.kind) {
    case 'string':
      return rule.enum === undefined ? 'a string' : `one of ${quoteList(rule.enum)}`;
    case 'dateTime':
      return 'an RFC 3339 date-time such as "2026-01-01T00:00:00Z"';
    case 'duration':
      return 'a duration such as "90s", "48m" or "1h30m"';
    case 'durationOrZero':
      return 'a duration such as "1h" or "24h", or 0';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'map':
    case 'document':
    case 'object':
      return 'an object';
  }
}

function quoteList(items: readonly string[]): string {
  return items.map((s) => `"${s}"`).join(', ');
}

/** " (did you mean "x"?)" for a near miss, else the list of allowed names. */
function suggest(key: string, allowed: string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of allowed) {
    const d = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 4))) return ` (did you mean "${best}"?)`;
  return allowed.length === 0 ? '' : `; allowed here: ${allowed.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
