// The settings table (src/vscode/settings.ts) against package.json's contributes.configuration: the
// same keys, types, defaults and bounds, so a setting cannot be read with another default than the
// Settings UI shows. And the rule for hand-edited wrong values: the default is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import manifest from '../../../package.json';
import { SETTINGS, SETTINGS_SECTION, settingId, settingValue, type SettingKey } from '../../../src/vscode/settings';

interface ContributedSetting {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

const contributed = manifest.contributes.configuration.properties as Record<string, ContributedSetting>;
const keys = Object.keys(SETTINGS) as SettingKey[];

test('every kubeTokenLens.* setting in package.json is in the table, and no other', () => {
  assert.deepEqual(keys.map(settingId).sort(), Object.keys(contributed).sort());
  for (const id of Object.keys(contributed)) assert.ok(id.startsWith(`${SETTINGS_SECTION}.`), id);
});

test('types, defaults and bounds equal package.json', () => {
  for (const key of keys) {
    const ours: { type: string; default: unknown; minimum?: number; maximum?: number } = SETTINGS[key];
    const theirs = contributed[settingId(key)]!;
    assert.equal(ours.type, theirs.type, `${key} type`);
    assert.deepEqual(ours.default, theirs.default, `${key} default`);
    assert.equal(ours.minimum, theirs.minimum, `${key} minimum`);
    assert.equal(ours.maximum, theirs.maximum, `${key} maximum`);
    // The default must pass our own check, else a user without the setting would get it "fixed".
    assert.deepEqual(settingValue(key, theirs.default), theirs.default, `${key} default is valid`);
  }
});

test("a value matching package.json's pattern is accepted; the table's check is not looser than it", () => {
  const horizon = contributed['kubeTokenLens.simulation.defaultHorizon']!;
  const pattern = new RegExp(horizon.pattern!);
  for (const v of ['90s', '48m', '6h', '30d', '1h30m', '500ms']) {
    assert.ok(pattern.test(v), v);
    assert.equal(settingValue('simulation.defaultHorizon', v), v);
  }
  for (const v of ['6 hours', '', 'h', '-1h']) {
    assert.ok(!pattern.test(v), v);
    assert.equal(settingValue('simulation.defaultHorizon', v), '6h', `${JSON.stringify(v)} falls back to the default`);
  }
});

test('wrong types and out-of-range numbers fall back to the default', () => {
  assert.equal(settingValue('kubeconfigPath', '~/k.yaml'), '~/k.yaml');
  assert.equal(settingValue('kubeconfigPath', 42), '');
  assert.equal(settingValue('kubeconfigPath', undefined), '');
  assert.equal(settingValue('cluster.pageSize', 500), 500);
  assert.equal(settingValue('cluster.pageSize', 5), 200);
  assert.equal(settingValue('cluster.pageSize', 5001), 200);
  assert.equal(settingValue('cluster.pageSize', 20.5), 200);
  assert.equal(settingValue('cluster.pageSize', '300'), 200);
  assert.equal(settingValue('demoCluster.extraPods', 5000), 5000);
  assert.equal(settingValue('demoCluster.extraPods', -1), 0);
  assert.equal(settingValue('simulation.defaultSeed', 0), 0);
  assert.equal(settingValue('simulation.defaultSeed', 7), 7);
  assert.equal(settingValue('simulation.defaultSeed', -3), 1);
  assert.equal(settingValue('simulation.defaultSeed', null), 1);
});
