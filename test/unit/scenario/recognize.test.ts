import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeScenarioText } from '../../../src/sim/scenario/recognize';

test('a scenario is recognised by horizon plus any section subject (pods, refreshers)', () => {
  assert.ok(looksLikeScenarioText('horizon: 6h\npods: []\n', 'yaml'));
  assert.ok(looksLikeScenarioText('horizon: 6h\nrefreshers:\n  - kind: calico\n', 'yaml'));
  assert.ok(looksLikeScenarioText('{"horizon": "6h", "refreshers": []}', 'json'));
  assert.ok(!looksLikeScenarioText('horizon: 6h\nkubelet: {}\n', 'yaml'), 'settings alone are not a scenario');
  assert.ok(!looksLikeScenarioText('apiVersion: v1\nkind: Pod\nspec:\n  pods: 1\n', 'yaml'), 'an indented key is not top level');
  assert.ok(!looksLikeScenarioText('pods: []\n', 'yaml'));
});
