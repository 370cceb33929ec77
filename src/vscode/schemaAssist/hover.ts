/**
 * Schema hover for YAML and JSON documents: over a key (or its value), what the schema says about
 * it: the description, type, whether it is required, the allowed values and the default. Markdown.
 */
import type { JsonObject, JsonValue } from '../../sim/fieldRule';
import { factsOf } from './schemaFacts';
import { requiredOf, schemasAtPath } from './schemaAtPath';
import { nodeAtOffset, type OffsetRange } from './yamlPath';

export interface AssistHover {
  markdown: string;
  range: OffsetRange;
}

const code = (v: JsonValue): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

export function hoverAt(schema: JsonObject, text: string, offset: number): AssistHover | undefined {
  const node = nodeAtOffset(text, offset);
  if (node === undefined) return undefined;
  const facts = factsOf(schemasAtPath(schema, node.path, node.data));
  if (facts.description === undefined && facts.type === undefined && facts.values.length === 0) return undefined;
  const name = node.path[node.path.length - 1];
  const parentRequired = typeof name === 'string' ? requiredOf(schemasAtPath(schema, node.path.slice(0, -1), node.data)).has(name) : false;
  const head = [typeof name === 'string' ? `**${name}**` : name === undefined ? undefined : `item ${name}`, facts.type && `\`${facts.type}\``, parentRequired ? 'required' : undefined]
    .filter((x) => x !== undefined && x !== '')
    .join(' · ');
  const parts: string[] = [];
  if (head !== '') parts.push(head);
  if (facts.description !== undefined) parts.push(facts.description);
  const choices = facts.type === 'boolean' ? [] : facts.values;
  if (choices.length === 1 && facts.values.length === 1) parts.push(`Must be ${code(choices[0] as JsonValue)}.`);
  else if (choices.length > 1) {
    parts.push(['Allowed values:', ...choices.map((v) => {
      const why = facts.valueDescriptions.get(JSON.stringify(v));
      return `- ${code(v)}${why === undefined ? '' : `: ${why}`}`;
    })].join('\n'));
  }
  if (facts.default !== undefined) parts.push(`Default: ${code(facts.default)}.`);
  return { markdown: parts.join('\n\n'), range: node.range };
}
