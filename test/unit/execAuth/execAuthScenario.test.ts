// The scenario "Simulate Exec Auth…" builds from a kubeconfig exec user: it loads, runs, keeps no
// argument or env value, and carries the real run's lifetime (or none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../../src/sim/engine/run';
import { execAuthScenario } from '../../../src/sim/execAuth/execAuthScenario';
import { loadScenario } from '../../../src/sim/scenario/load';

const START = Date.parse('2026-03-02T09:00:00Z');
const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', argCount: 6, envNames: ['AWS_PROFILE'], interactiveMode: 'IfAvailable' };

test('the built scenario loads and runs: kubectl runs the plugin per invocation, the IDE per credential', () => {
  const built = execAuthScenario({ user: 'shop-admin', exec, start: START, credentialLifetimeMs: 15 * 60_000, horizonMs: 2 * 3_600_000, source: '~/.kube/config' });
  assert.match(built.text, /^# exec auth: shop-admin \(from ~\/\.kube\/config\)/);
  assert.ok(!built.text.includes('--cluster-name') && built.text.includes('not-copied'));
  const loaded = loadScenario(built.text, 'built.yaml');
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map((e) => e.message).join('\n'));
  const trace = runScenario(loaded.scenario);
  const runsOn = (client: string): number => trace.events.filter((e) => e.type === 'pluginRun' && e.lane.endsWith(`/${client}`)).length;
  // 2 h: kubectl every 2 min is ~61 processes, each running the plugin; the IDE needs one run per 15 min.
  assert.ok(runsOn('kubectl') >= 60, `kubectl ran the plugin ${runsOn('kubectl')} times`);
  assert.ok(runsOn('ide') >= 8 && runsOn('ide') <= 10, `the IDE ran it ${runsOn('ide')} times`);
});

test('a run that gave no expirationTimestamp builds credentials that never expire by time', () => {
  const built = execAuthScenario({ user: 'u', exec: { ...exec, argCount: 0, envNames: [] }, start: START, credentialLifetimeMs: null });
  assert.match(built.text, /gave no expirationTimestamp/);
  const loaded = loadScenario(built.text, 'built.yaml');
  assert.ok(loaded.ok);
  assert.equal(loaded.scenario.execAuth?.users[0]?.plugin.credentialLifetimeMs, undefined);
  const trace = runScenario(loaded.scenario);
  assert.equal(trace.events.filter((e) => e.type === 'pluginRun' && e.lane.endsWith('/ide')).length, 1);
});

test('a v1 user without interactiveMode is written as it is: the run shows client-go refusing it', () => {
  const built = execAuthScenario({ user: 'v1', exec: { ...exec, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: undefined }, start: START, horizonMs: 600_000 });
  const loaded = loadScenario(built.text, 'built.yaml');
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map((e) => e.message).join('\n'));
  const failed = runScenario(loaded.scenario).events.filter((e) => e.type === 'request' && e.ok === false);
  assert.ok(failed.length > 0);
});
