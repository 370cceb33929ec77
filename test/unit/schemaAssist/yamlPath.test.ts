// Where an offset sits in YAML and JSON: completed values, keys, half-typed keys on a new line,
// a missing value after `key:`, quoted JSON keys, list items, multi-document streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { completionSiteAt, nodeAtOffset, type TextFlavor } from '../../../src/vscode/schemaAssist/yamlPath';
import { cursor } from './cursor';

const site = (marked: string, flavor: TextFlavor = 'yaml') => {
  const { text, offset } = cursor(marked);
  return completionSiteAt(text, offset, flavor);
};
const node = (marked: string) => {
  const { text, offset } = cursor(marked);
  return nodeAtOffset(text, offset);
};

const CONFIG = 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: ecr\n';

test('a blank line is a new key of the mapping its indentation puts it in', () => {
  const inItem = site(`${CONFIG}    |\n`);
  assert.equal(inItem?.kind, 'key');
  assert.deepEqual(inItem.path, ['providers', 0]);
  assert.deepEqual(inItem.kind === 'key' && inItem.present, ['name']);
  const atRoot = site(`${CONFIG}|\n`);
  assert.deepEqual(atRoot?.path, []);
  assert.deepEqual(atRoot?.kind === 'key' && atRoot.present, ['apiVersion', 'kind', 'providers']);
});

test('a half-typed key is replaced whole, and one that has its colon keeps it', () => {
  const { text, offset } = cursor(`${CONFIG}    matc|\n`);
  const s = completionSiteAt(text, offset, 'yaml');
  assert.ok(s?.kind === 'key');
  assert.equal(text.slice(s.range.start, s.range.end), 'matc');
  assert.equal(s.hasSeparator, false);
  const inside = cursor(`${CONFIG}    matc|hImages: []\n`);
  const t = completionSiteAt(inside.text, inside.offset, 'yaml');
  assert.ok(t?.kind === 'key');
  assert.equal(inside.text.slice(t.range.start, t.range.end), 'matchImages');
  assert.equal(t.hasSeparator, true);
});

test('a value: after `key: `, inside a half-typed value, and right after the colon (needs a space)', () => {
  const after = site(`${CONFIG}    apiVersion: |\n`);
  assert.equal(after?.kind, 'value');
  assert.deepEqual(after.path, ['providers', 0, 'apiVersion']);
  const { text, offset } = cursor(`${CONFIG}    apiVersion: cred|\n`);
  const partial = completionSiteAt(text, offset, 'yaml');
  assert.ok(partial?.kind === 'value');
  assert.equal(text.slice(partial.range.start, partial.range.end), 'cred');
  const glued = site('apiVersion:|\n');
  assert.ok(glued?.kind === 'value');
  assert.equal(glued.needsSpace, true);
  assert.deepEqual(glued.path, ['apiVersion']);
});

test('a new list item is a key of a new mapping; read as a value it is the item', () => {
  const s = site(`${CONFIG}  - |\n`);
  assert.deepEqual(s?.path, ['providers', 1]);
  assert.equal(s?.kind, 'key');
  const { text, offset } = cursor('matchImages:\n  - |\n');
  const v = completionSiteAt(text, offset, 'yaml', { asValue: true });
  assert.equal(v?.kind, 'value');
  assert.deepEqual(v.path, ['matchImages', 0]);
});

test('JSON: an empty slot, a quoted half-typed key, a missing and a quoted value', () => {
  const doc = '{"apiVersion": "kubelet.config.k8s.io/v1", "providers": [{"name": "x", ';
  const slot = site(`${doc}|}]}`, 'json');
  assert.ok(slot?.kind === 'key');
  assert.deepEqual(slot.path, ['providers', 0]);
  assert.deepEqual(slot.present, ['name']);
  const { text, offset } = cursor(`${doc}"ma|"}]}`);
  const quoted = completionSiteAt(text, offset, 'json');
  assert.ok(quoted?.kind === 'key' && quoted.quoted);
  assert.equal(text.slice(quoted.range.start, quoted.range.end), '"ma"');
  const missing = site(`${doc}"apiVersion": |}]}`, 'json');
  assert.ok(missing?.kind === 'value' && !missing.quoted);
  const inQuotes = site(`${doc}"apiVersion": "|"}]}`, 'json');
  assert.ok(inQuotes?.kind === 'value' && inQuotes.quoted);
  assert.deepEqual(inQuotes.path, ['providers', 0, 'apiVersion']);
});

test('nothing to complete in a comment', () => {
  assert.equal(site(`${CONFIG}# a no|te\n`), undefined);
});

test('the document data comes along, for schemas that branch on sibling values', () => {
  const s = site(`${CONFIG}    |\n`);
  assert.equal((s?.data as { apiVersion?: string }).apiVersion, 'kubelet.config.k8s.io/v1');
});

test('hover: the key under the cursor, its value, a list item, a key of the second document', () => {
  assert.deepEqual(node(`${CONFIG}    matchIm|ages: ["*.io"]\n`)?.path, ['providers', 0, 'matchImages']);
  const value = node('kind: Credential|ProviderConfig\n');
  assert.equal(value?.on, 'value');
  assert.deepEqual(value.path, ['kind']);
  assert.deepEqual(node('matchImages: ["a.io", "b|.io"]\n')?.path, ['matchImages', 1]);
  assert.deepEqual(node('a: 1\n---\nki|nd: X\n')?.path, ['kind']);
  assert.deepEqual(node('{"providers": [{"na|me": "x"}]}')?.path, ['providers', 0, 'name']);
  assert.equal(node('a: 1\n\n|\n'), undefined);
});

test('property: any text and any offset gives a site or nothing, never a throw, and ranges stay in the text', () => {
  const piece = fc.constantFrom('a', ':', ' ', '\n', '-', '"', "'", '{', '}', '[', ']', ',', '#', '  ', 'key: v\n', '&x ', '*x', '|\n');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), fc.nat(), fc.constantFrom<TextFlavor>('yaml', 'json'), (pieces, n, flavor) => {
      const text = pieces.join('');
      const offset = text.length === 0 ? 0 : n % (text.length + 1);
      const s = completionSiteAt(text, offset, flavor);
      if (s !== undefined) assert.ok(s.range.start >= 0 && s.range.start <= s.range.end && s.range.end <= text.length, JSON.stringify({ text, offset, s }));
      const h = nodeAtOffset(text, offset);
      if (h !== undefined) assert.ok(h.range.start <= offset && offset <= h.range.end);
    }),
    { numRuns: 300 },
  );
});
