/** Typed-in namespace names: DNS-1123 labels, comma- or space-separated. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceNameProblem, parseNamespaceList } from '../../../src/cluster/namespaceNames';

test('a list of valid names is split on commas and spaces, sorted and de-duplicated', () => {
  assert.deepEqual(parseNamespaceList(' shop, payments  shop,,kube-system '), { ok: true, names: ['kube-system', 'payments', 'shop'] });
});

test('invalid names are refused with the name and the rule', () => {
  assert.equal(parseNamespaceList('').ok, false);
  assert.equal(parseNamespaceList(' , ').ok, false);
  for (const bad of ['Shop', '-shop', 'shop-', 'shop_1', 'shop.prod', 'a'.repeat(64)]) {
    const r = parseNamespaceList(`ok, ${bad}`);
    assert.equal(r.ok, false, bad);
    assert.ok(!r.ok && r.error.includes(bad.slice(0, 10)), r.ok ? '' : r.error);
  }
  assert.equal(namespaceNameProblem('a'.repeat(63)), undefined);
  assert.equal(namespaceNameProblem('9'), undefined);
});
