// The composed what-if form of the timeline (src/sim/scenario/whatIf.ts): the same fields, limits and
// messages as the form had before it was generic, the read/apply round trip on every example, and
// applyWhatIf refusing values that do not pass (the host never applies unchecked values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { loadScenario } from '../../../src/sim/scenario/load';
import type { Scenario } from '../../../src/sim/scenario/types';
import { applyWhatIf, checkWhatIf, whatIfFromScenario, WHAT_IF_CONTRACT } from '../../../src/sim/scenario/whatIf';
import type { WhatIfValues } from '../../../src/sim/whatIf';
import { scenarioArb } from '../sim/scenarioArb';
import { HAND_VALUES } from '../../browser/traces';

/** The values of the browser tests' hand-made trace: one set of form values for every tier. */
const HAND: WhatIfValues = HAND_VALUES;

function examples(): Array<[string, Scenario]> {
  return readdirSync('examples')
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => {
      const r = loadScenario(readFileSync(`examples/${f}`, 'utf8'), f);
      assert.ok(r.ok, f);
      return [f, r.scenario];
    });
}

test('the form: core fields first, then one section per model, with today’s labels', () => {
  assert.deepEqual(
    WHAT_IF_CONTRACT.fields.map((f) => [f.section, f.id, f.kind, f.label]),
    [
      ['Simulation', 'horizon', 'duration', 'Horizon'],
      ['Simulation', 'seed', 'integer', 'Seed'],
      ['Kubelet', 'syncFrequency', 'duration', 'Sync frequency'],
      ['Kubelet', 'expirationSeconds', 'integer', 'Token lifetime (s)'],
      ['API server', 'maxTokenExpiration', 'optionalDuration', 'Max token expiration'],
      ['API server', 'extendTokenExpiration', 'boolean', 'Extend token expiration (3607 s → 1 year)'],
      ['API server', 'outages', 'windows', 'API-server outages (offsets from start)'],
      ['Token refreshers', 'refresher', 'choice', 'Refresher policy'],
      ['Credential provider', 'pluginLatency', 'duration', 'Plugin run time'],
      ['Credential provider', 'pluginFailurePercent', 'integer', 'Plugin failures (%)'],
      ['Credential provider', 'pluginCacheDuration', 'optionalDuration', 'Plugin cacheDuration'],
      ['Exec credential plugins', 'execCredentialLifetime', 'optionalDuration', 'Exec credential lifetime'],
      ['Exec credential plugins', 'execInvocationEvery', 'duration', 'New kubectl process every'],
      ['Exec credential plugins', 'execDiskCache', 'boolean', 'Plugin caches credentials on disk'],
    ],
  );
  for (const f of WHAT_IF_CONTRACT.fields) assert.ok(f.help.length > 10 && !/SPEC/.test(f.help + f.label), `${f.id}: plain-language help`);
  // The contract survives JSON (it travels to the webview).
  assert.deepEqual(JSON.parse(JSON.stringify(WHAT_IF_CONTRACT)), WHAT_IF_CONTRACT);
});

test('ranges from the API server (600 s … 2^32 s, cap 1 h … 2^32 s), durations, outages, unknown fields: the same messages as before', () => {
  assert.deepEqual(checkWhatIf(HAND), { ok: true, values: HAND });
  assert.deepEqual(checkWhatIf({ ...HAND, maxTokenExpiration: '0' }), { ok: true, values: { ...HAND, maxTokenExpiration: '' } });
  assert.equal(checkWhatIf({ ...HAND, maxTokenExpiration: '1h' }).ok, true);
  const problems = (raw: unknown): string[] => {
    const r = checkWhatIf(raw);
    assert.equal(r.ok, false);
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };
  assert.deepEqual(problems({ ...HAND, expirationSeconds: 599 }), ['expirationSeconds: must be between 600 and 4294967296, got 599']);
  assert.deepEqual(problems({ ...HAND, expirationSeconds: 4_294_967_297 }), ['expirationSeconds: must be between 600 and 4294967296, got 4294967297']);
  assert.deepEqual(problems({ ...HAND, maxTokenExpiration: '30m' }), ['maxTokenExpiration: must be at least 1h, got "30m"']);
  assert.deepEqual(problems({ ...HAND, horizon: '10s' }), ['horizon: must be at least 1m, got "10s"']);
  assert.deepEqual(problems({ ...HAND, horizon: '400d' }), ['horizon: must be at most 366d, got "400d"']);
  assert.deepEqual(problems({ ...HAND, seed: 1.5 }), ['seed: must be an integer, got number 1.5']);
  assert.match(problems({ ...HAND, syncFrequency: '1.5m' })[0]!, /^syncFrequency: fractions are not supported/);
  assert.deepEqual(problems({ ...HAND, refresher: 'istio' }), ['refresher: must be one of "none", "calico", got "istio"']);
  assert.deepEqual(problems({ ...HAND, outages: [{ from: '3h', to: '2h' }] }), ['outages[0].to: must be after from (3h), got "2h"']);
  assert.deepEqual(problems({ ...HAND, outages: [{ from: '7h', to: '8h' }] }), ['outages[0].from: starts at or after the horizon (6h)']);
  assert.deepEqual(problems({ ...HAND, outages: [{ from: '1h', to: '2h', why: 'x' }] }), ['outages[0].why: unknown field "why"']);
  assert.deepEqual(problems({ ...HAND, extra: 1 }), ['extra: unknown field "extra"']);
  assert.deepEqual(problems({ ...HAND, extendTokenExpiration: 'yes' }), ['extendTokenExpiration: must be true or false, got "yes"']);
  assert.deepEqual(problems({ ...HAND, outages: Array.from({ length: 51 }, () => ({ from: '1h', to: '2h' })) }), ['outages: at most 50 outages, got 51']);
  assert.deepEqual(problems({ ...HAND, maxTokenExpiration: 5 }), ['maxTokenExpiration: must be a duration string, or "" for no cap, got number 5']);
  // Every problem at once, each with its field.
  assert.equal(problems({ horizon: 1, seed: -1, syncFrequency: '', expirationSeconds: 'x', outages: 3, maxTokenExpiration: 5, extendTokenExpiration: 0, refresher: null }).length, 14);
});

test('every example: read → apply gives the same scenario, and the values pass the form', () => {
  for (const [name, s] of examples()) {
    const values = whatIfFromScenario(s);
    assert.deepEqual(checkWhatIf(values, s), { ok: true, values }, name);
    const applied = applyWhatIf(s, values);
    assert.ok(applied.ok, name);
    assert.deepEqual(applied.scenario, s, name);
  }
});

test('generated scenarios: whenever the read values pass, applying them changes nothing', () => {
  fc.assert(
    fc.property(scenarioArb({ maxPods: 4 }), (s) => {
      const applied = applyWhatIf(s, whatIfFromScenario(s));
      if (applied.ok) assert.deepEqual(applied.scenario, s);
    }),
    { numRuns: 200 },
  );
});

test('apply changes what the form says, in every model section, and leaves the base alone', () => {
  const [, base] = examples().find(([n]) => n === 'shop-outage.yaml')!;
  const before = structuredClone(base);
  const values = { ...whatIfFromScenario(base), horizon: '12h', seed: 99, syncFrequency: '30s', outages: [{ from: '1h', to: '3h' }], maxTokenExpiration: '2h', extendTokenExpiration: false, refresher: 'calico' };
  const applied = applyWhatIf(base, values);
  assert.ok(applied.ok);
  const s = applied.scenario;
  assert.deepEqual([s.horizonMs, s.seed, s.kubelet.syncFrequencyMs], [12 * 3_600_000, 99, 30_000]);
  assert.deepEqual([s.apiServer.outages, s.apiServer.maxTokenExpirationSeconds, s.apiServer.extendTokenExpiration], [[{ from: 3_600_000, to: 3 * 3_600_000 }], 7200, false]);
  assert.deepEqual(s.refreshers.map((r) => r.kind), ['calico']);
  assert.deepEqual(whatIfFromScenario(s), checkWhatIf(values, base).ok ? (checkWhatIf(values, base) as { values: WhatIfValues }).values : undefined);
  assert.deepEqual(base, before, 'the base scenario is not modified');
});

test('applyWhatIf refuses values that do not pass, with every problem', () => {
  const [, base] = examples()[0]!;
  const r = applyWhatIf(base, { ...whatIfFromScenario(base), expirationSeconds: 60, outages: [{ from: '2h', to: '1h' }] });
  assert.ok(!r.ok);
  assert.deepEqual(r.problems.map((p) => p.path), ['expirationSeconds', 'outages[0].to']);
  assert.equal(applyWhatIf(base, 'values').ok, false);
});
