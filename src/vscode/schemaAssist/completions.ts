/**
 * Schema completion for YAML and JSON documents: the property names a mapping does not have yet,
 * and for a value its allowed values (enum, const, booleans) and the schema's examples. Returns
 * editor-neutral items (snippet text and an offset range); schemaAssistProvider.ts makes them VS
 * Code's.
 */
import { stringify } from 'yaml';
import type { JsonObject, JsonValue } from '../../sim/fieldRule';
import { factsOf, type SchemaFacts } from './schemaFacts';
import { propertiesOf, requiredOf, schemasAtPath } from './schemaAtPath';
import { completionSiteAt, type CompletionSite, type OffsetRange, type TextFlavor } from './yamlPath';

export interface AssistCompletion {
  label: string;
  kind: 'property' | 'value';
  /** One line: the type, and whether it is required. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** A snippet (`$0` marks where the cursor ends up). */
  insertText: string;
  range: OffsetRange;
  /** What the editor filters on (the label, quoted when the range starts at a quote). */
  filterText: string;
  sortText: string;
  /** Open completion again once inserted (a key whose value has choices). */
  retrigger: boolean;
}

/** `$`, `}` and `\` are snippet syntax. */
const snippetText = (s: string): string => s.replace(/[$}\\]/g, '\\$&');

export function completionsAt(schema: JsonObject, text: string, offset: number, flavor: TextFlavor): AssistCompletion[] {
  const site = completionSiteAt(text, offset, flavor);
  if (site === undefined) return [];
  if (site.kind === 'key') {
    const keys = keyCompletions(schema, site, flavor);
    if (keys.length > 0 || flavor === 'json' || describesObject(schemasAtPath(schema, site.path, site.data))) return keys;
    // A bare word in a list of scalars: it was a value after all (`- ` then an enum value).
    const asValue = completionSiteAt(text, offset, flavor, { asValue: true });
    return asValue?.kind === 'value' ? valueCompletions(schema, asValue, flavor) : [];
  }
  return valueCompletions(schema, site, flavor);
}

function describesObject(schemas: readonly JsonObject[]): boolean {
  return schemas.some((s) => s.type === 'object' || s.properties !== undefined);
}

function keyCompletions(schema: JsonObject, site: Extract<CompletionSite, { kind: 'key' }>, flavor: TextFlavor): AssistCompletion[] {
  const schemas = schemasAtPath(schema, site.path, site.data);
  const required = requiredOf(schemas);
  const out: AssistCompletion[] = [];
  for (const [name, propertySchemas] of propertiesOf(schema, schemas, undefined)) {
    if (site.present.includes(name) || name === '$schema') continue;
    const facts = factsOf(propertySchemas);
    const isRequired = required.has(name);
    const quotedName = JSON.stringify(name);
    out.push({
      label: name,
      kind: 'property',
      detail: [facts.type, isRequired ? 'required' : undefined].filter((x) => x !== undefined).join(' · ') || undefined,
      documentation: facts.description,
      insertText: site.hasSeparator ? (flavor === 'json' ? quotedName : snippetText(name)) : keyInsertText(name, facts, flavor),
      range: site.range,
      filterText: site.quoted || flavor === 'json' ? quotedName : name,
      // Required keys first, then schema order.
      sortText: `${isRequired ? '0' : '1'}${String(out.length).padStart(4, '0')}`,
      retrigger: !site.hasSeparator && facts.values.length > 0,
    });
  }
  return out;
}

function keyInsertText(name: string, facts: SchemaFacts, flavor: TextFlavor): string {
  if (flavor === 'json') {
    const head = `${JSON.stringify(name)}: `;
    if (facts.opensObject) return `${head}{$0}`;
    if (facts.opensArray) return `${head}[$0]`;
    if (facts.type === 'string' && facts.values.length === 0) return `${head}"$0"`;
    return `${head}$0`;
  }
  const head = snippetText(name);
  // The snippet engine turns \t into the editor's indentation, relative to the key's line.
  if (facts.opensObject) return `${head}:\n\t$0`;
  if (facts.opensArray) return `${head}:\n\t- $0`;
  return `${head}: $0`;
}

function valueCompletions(schema: JsonObject, site: Extract<CompletionSite, { kind: 'value' }>, flavor: TextFlavor): AssistCompletion[] {
  const facts = factsOf(schemasAtPath(schema, site.path, site.data));
  const out: AssistCompletion[] = [];
  const add = (value: JsonValue, detail: string, documentation: string | undefined): void => {
    if (typeof value === 'object' && value !== null) return; // objects and lists are typed, not picked
    const text = valueText(value, site, flavor);
    out.push({
      label: typeof value === 'string' ? value : JSON.stringify(value),
      kind: 'value',
      detail,
      documentation,
      insertText: `${site.needsSpace ? ' ' : ''}${snippetText(text)}`,
      range: site.range,
      filterText: site.quoted ? JSON.stringify(value) : text,
      sortText: String(out.length).padStart(4, '0'),
      retrigger: false,
    });
  };
  for (const v of facts.values) {
    add(v, facts.default !== undefined && JSON.stringify(facts.default) === JSON.stringify(v) ? 'default' : (facts.type ?? 'value'), facts.valueDescriptions.get(JSON.stringify(v)));
  }
  if (facts.values.length === 0) for (const e of facts.examples) add(e, 'example', undefined);
  return out;
}

/** The value as the document should hold it: JSON text in JSON or inside quotes, else plain YAML where that reads back the same. */
function valueText(value: JsonValue, site: Extract<CompletionSite, { kind: 'value' }>, flavor: TextFlavor): string {
  if (flavor === 'json' || site.quoted || typeof value !== 'string') return JSON.stringify(value);
  // YAML reads 1.20 as a number and yes/true as booleans: quote what would not read back as this string.
  return stringify(value).trimEnd();
}
