// Resolving the schema of a path: $ref (with a use site's description first), properties, items,
// prefixItems, additional/pattern properties, allOf, anyOf/oneOf filtered by the value, if/then/else
// decided by a sibling const or enum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../src/sim/fieldRule';
import { propertiesOf, schemasAtPath } from '../../../src/vscode/schemaAssist/schemaAtPath';
import { factsOf } from '../../../src/vscode/schemaAssist/schemaFacts';

const SCHEMA: JsonObject = {
  type: 'object',
  properties: {
    mode: { enum: ['a', 'b'] },
    list: { type: 'array', items: { $ref: '#/$defs/item' } },
    pair: { type: 'array', prefixItems: [{ type: 'string', description: 'first' }], items: { type: 'integer', description: 'rest' } },
    labels: { type: 'object', patternProperties: { '^x-': { description: 'extension' } }, additionalProperties: { type: 'string', description: 'any label' } },
    either: { oneOf: [{ type: 'string', description: 'as text' }, { type: 'object', properties: { n: { type: 'integer' } } }] },
  },
  allOf: [{ properties: { shared: { type: 'boolean' } } }],
  if: { properties: { mode: { const: 'a' } }, required: ['mode'] },
  then: { properties: { onlyA: { type: 'string' } } },
  else: { properties: { onlyB: { type: 'string' } } },
  $defs: { item: { type: 'object', description: 'an item', properties: { name: { description: 'its name', type: 'string' } } } },
};

const described = (path: Array<string | number>, data: unknown = {}): string | undefined => factsOf(schemasAtPath(SCHEMA, path, data)).description;
const names = (data: unknown): string[] => [...propertiesOf(SCHEMA, schemasAtPath(SCHEMA, [], data), data).keys()];

test('$ref and items: a list item and its property', () => {
  assert.equal(described(['list', 0]), 'an item');
  assert.equal(described(['list', 3, 'name']), 'its name');
  assert.equal(described(['list', 0, 'nope']), undefined);
});

test('a use site\'s description wins over its $ref target\'s', () => {
  const s: JsonObject = { properties: { p: { $ref: '#/$defs/d', description: 'here' } }, $defs: { d: { description: 'there', type: 'string' } } };
  const facts = factsOf(schemasAtPath(s, ['p'], {}));
  assert.equal(facts.description, 'here');
  assert.equal(facts.type, 'string');
});

test('prefixItems, then items', () => {
  assert.equal(described(['pair', 0]), 'first');
  assert.equal(described(['pair', 1]), 'rest');
});

test('patternProperties before additionalProperties', () => {
  assert.equal(described(['labels', 'x-team']), 'extension');
  assert.equal(described(['labels', 'team']), 'any label');
});

test('allOf members add properties; if/then/else follows the sibling value', () => {
  assert.deepEqual(names({ mode: 'a' }), ['mode', 'list', 'pair', 'labels', 'either', 'shared', 'onlyA']);
  assert.deepEqual(names({ mode: 'b' }), ['mode', 'list', 'pair', 'labels', 'either', 'shared', 'onlyB']);
  assert.ok(names({}).includes('onlyB'), 'a missing discriminator takes the else branch');
});

test('oneOf alternatives the value contradicts are dropped', () => {
  assert.equal(described(['either'], { either: 'text' }), 'as text');
  const asObject = schemasAtPath(SCHEMA, ['either'], { either: { n: 1 } });
  assert.deepEqual([...propertiesOf(SCHEMA, asObject, { n: 1 }).keys()], ['n']);
});

test('a $ref cycle ends, an unknown $ref gives nothing', () => {
  const cyclic: JsonObject = { $ref: '#/$defs/a', $defs: { a: { $ref: '#/$defs/a', description: 'loop' } } };
  assert.equal(factsOf(schemasAtPath(cyclic, [], {})).description, 'loop');
  assert.deepEqual(schemasAtPath({ properties: { p: { $ref: 'https://elsewhere/x' } } }, ['p', 'q'], {}), []);
});
