// The models' what-if modules on their own scenario slices: read → values, apply → new slice, the
// round trip, and what each value changes (and what it leaves alone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiServerWhatIf, API_SERVER_WHAT_IF_CHECKS } from '../../../src/sim/apiserver/whatIf';
import { kubeletWhatIf, primaryLifetime, type KubeletWhatIfSlice } from '../../../src/sim/kubelet/whatIf';
import { refresherWhatIf } from '../../../src/sim/refresher/whatIf';
import type { ApiServerSpec } from '../../../src/sim/apiserver/apiServerSpec';
import type { ApiServerSlice } from '../../../src/sim/apiserver/section';
import type { RefresherSpec } from '../../../src/sim/refresher/refresherSpec';
import { checkWhatIfValues, type WhatIfField, type WhatIfSection, type WhatIfValues } from '../../../src/sim/whatIf';

const MIN = 60_000;
const H = 60 * MIN;

/** Values pass their own section's fields (the composer checks them before apply). */
function checked<S>(section: WhatIfSection<S>, values: WhatIfValues, extraFields: WhatIfField[] = [], extra: WhatIfValues = {}, slice?: S): WhatIfValues {
  const fields = slice !== undefined && section.fieldsFor ? section.fieldsFor(slice) : section.fields;
  const r = checkWhatIfValues([...extraFields, ...fields], { ...extra, ...values }, section.checks);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  return r.values;
}

function roundTrip<S>(section: WhatIfSection<S>, slice: S): void {
  const values = section.read(slice);
  const fields = section.fieldsFor ? section.fieldsFor(slice) : section.fields;
  assert.deepEqual(Object.keys(values).sort(), fields.map((f) => f.id).sort(), 'read gives a value for every field');
  assert.deepEqual(section.apply(slice, values), slice, 'applying what was read changes nothing');
}

const kubelet = (tokens: KubeletWhatIfSlice['pods'][number]['tokens'][]): KubeletWhatIfSlice => ({
  kubelet: { syncFrequencyMs: MIN, version: '1.34' },
  pods: tokens.map((t, i) => ({ name: `p${i}`, namespace: 'ns', serviceAccount: 'sa', uid: `u${i}`, tokens: t })),
});

test('kubelet: one token source: sync frequency and its lifetime in one field', () => {
  const slice = kubelet([[{ path: 'kube-api-access/token', expirationSeconds: 3607 }], [{ path: 'kube-api-access/token', expirationSeconds: 3607 }]]);
  roundTrip(kubeletWhatIf, slice);
  assert.deepEqual(kubeletWhatIf.read(slice), { syncFrequency: '1m', expirationSeconds: 3607 });
  const next = kubeletWhatIf.apply(slice, checked(kubeletWhatIf, { syncFrequency: '10s', expirationSeconds: 600 }, [], {}, slice));
  assert.equal(next.kubelet.syncFrequencyMs, 10_000);
  assert.equal(next.kubelet.version, '1.34');
  assert.deepEqual(next.pods.map((p) => p.tokens.map((t) => t.expirationSeconds)), [[600], [600]]);
  assert.deepEqual(slice.pods[0]!.tokens[0]!.expirationSeconds, 3607, 'the base is not modified');
  // No explicit lifetime: the form shows the API server's default, and editing it sets it.
  assert.equal(primaryLifetime(kubelet([[{ path: 'token' }]])), 3600);
  roundTrip(kubeletWhatIf, kubelet([[{ path: 'token' }]]));
  const unset = kubelet([[{ path: 'token' }], [{ path: 'token', expirationSeconds: 3600 }]]);
  const edited = kubeletWhatIf.apply(unset, { ...kubeletWhatIf.read(unset), expirationSeconds: 7200 });
  assert.deepEqual(edited.pods.map((p) => p.tokens.map((t) => t.expirationSeconds)), [[7200], [7200]]);
  roundTrip(kubeletWhatIf, kubelet([]));
});

test('kubelet: several token sources get one lifetime field each, labelled by the source; a change reaches that source only', () => {
  const slice = kubelet([
    [{ path: 'kube-api-access-x/token', expirationSeconds: 3607 }, { path: 'vault-token/token', audiences: ['vault'], expirationSeconds: 7200 }],
    [{ path: 'kube-api-access-x/token', expirationSeconds: 3607 }],
  ]);
  roundTrip(kubeletWhatIf, slice);
  const fields = kubeletWhatIf.fieldsFor?.(slice) ?? [];
  assert.deepEqual(fields.map((f) => [f.id, f.label]), [
    ['syncFrequency', 'Sync frequency'],
    ['expirationSeconds:kube-api-access-x/token', 'kube-api-access-x lifetime (s)'],
    ['expirationSeconds:vault-token/token', 'vault-token lifetime (s)'],
  ]);
  assert.deepEqual(kubeletWhatIf.read(slice), { syncFrequency: '1m', 'expirationSeconds:kube-api-access-x/token': 3607, 'expirationSeconds:vault-token/token': 7200 });
  // Change the Vault token only: the kube-api-access tokens keep theirs.
  const vault = kubeletWhatIf.apply(slice, checked(kubeletWhatIf, { ...kubeletWhatIf.read(slice), 'expirationSeconds:vault-token/token': 900 }, [], {}, slice));
  assert.deepEqual(vault.pods.map((p) => p.tokens.map((t) => t.expirationSeconds)), [[3607, 900], [3607]]);
  // Change the default token only: the Vault token keeps its lifetime, even when both had the same one.
  const same = kubelet([[{ path: 'a/token', expirationSeconds: 3600 }, { path: 'b/token' }]]);
  const a = kubeletWhatIf.apply(same, { ...kubeletWhatIf.read(same), 'expirationSeconds:a/token': 7200 });
  assert.deepEqual(a.pods[0]!.tokens.map((t) => t.expirationSeconds), [7200, undefined]);
  // Two sources in one volume are told apart by their whole path.
  const clash = kubeletWhatIf.fieldsFor?.(kubelet([[{ path: 'v/a' }, { path: 'v/b' }]])) ?? [];
  assert.deepEqual(clash.slice(1).map((f) => f.label), ['v/a lifetime (s)', 'v/b lifetime (s)']);
});

test("kubelet: the lifetime bounds are the API server's (600 s … 2^32 s)", () => {
  const r = checkWhatIfValues(kubeletWhatIf.fields, { syncFrequency: '500ms', expirationSeconds: 599 });
  assert.ok(!r.ok);
  assert.deepEqual(r.problems.map((p) => `${p.path}: ${p.message}`), ['syncFrequency: must be at least 1s, got "500ms"', 'expirationSeconds: must be between 600 and 4294967296, got 599']);
  assert.ok(checkWhatIfValues(kubeletWhatIf.fields, { syncFrequency: '1d', expirationSeconds: 2 ** 32 }).ok);
});

const API: ApiServerSpec = { issuer: 'https://k', audiences: ['https://k'], maxTokenExpirationSeconds: 0, extendTokenExpiration: true, outages: [{ from: 2 * H, to: 2 * H + 30 * MIN }], errorRate: 0.1, latencyMs: 5 };
const HORIZON: WhatIfField = { kind: 'duration', id: 'horizon', label: 'Horizon', help: 'h', section: 'S', minMs: MIN, maxMs: 366 * 24 * H };

const slice = (apiServer: ApiServerSpec): ApiServerSlice => ({ apiServer });

test('apiserver: outages, max token expiration ("" = no cap), extension; the rest kept', () => {
  roundTrip(apiServerWhatIf, slice(API));
  roundTrip(apiServerWhatIf, slice({ ...API, maxTokenExpirationSeconds: 86_400, outages: [] }));
  assert.deepEqual(apiServerWhatIf.read(slice(API)), { maxTokenExpiration: '', extendTokenExpiration: true, outages: [{ from: '2h', to: '2h30m' }] });
  assert.equal(apiServerWhatIf.read(slice({ ...API, maxTokenExpirationSeconds: 86_400 })).maxTokenExpiration, '1d');
  const values = checked(apiServerWhatIf, { maxTokenExpiration: '2h', extendTokenExpiration: false, outages: [{ from: '0', to: '1h' }, { from: '3h', to: '4h' }] }, [HORIZON], { horizon: '6h' });
  const signer = { refreshHintSeconds: 600, rotations: [], outages: [] };
  const next = apiServerWhatIf.apply({ apiServer: API, signer }, values);
  assert.deepEqual(next, { apiServer: { ...API, maxTokenExpirationSeconds: 7200, extendTokenExpiration: false, outages: [{ from: 0, to: H }, { from: 3 * H, to: 4 * H }] }, signer });
  assert.equal(apiServerWhatIf.apply(slice(API), checked(apiServerWhatIf, { ...values, maxTokenExpiration: '0' }, [HORIZON], { horizon: '6h' })).apiServer.maxTokenExpirationSeconds, 0);
});

test('apiserver: an outage must start before the horizon (a check across models), and the 1 h … 2^32 s cap', () => {
  assert.deepEqual(API_SERVER_WHAT_IF_CHECKS.map((c) => [c.windows, c.limit]), [['outages', 'horizon']]);
  const fields = [HORIZON, ...apiServerWhatIf.fields];
  const base = { horizon: '6h', maxTokenExpiration: '', extendTokenExpiration: true };
  const r = checkWhatIfValues(fields, { ...base, outages: [{ from: '1h', to: '2h' }, { from: '6h', to: '7h' }] }, API_SERVER_WHAT_IF_CHECKS);
  assert.ok(!r.ok);
  assert.deepEqual(r.problems, [{ path: 'outages[1].from', message: 'starts at or after the horizon (6h)' }]);
  const cap = (v: string): string[] => {
    const c = checkWhatIfValues(fields, { ...base, outages: [], maxTokenExpiration: v }, API_SERVER_WHAT_IF_CHECKS);
    return c.ok ? [] : c.problems.map((p) => p.message);
  };
  assert.deepEqual(cap('59m'), ['must be at least 1h, got "59m"']);
  assert.deepEqual(cap('1h'), []);
  assert.deepEqual(cap('49711d'), ['must be at most 49710d6h28m16s, got "49711d"']);
  const many = checkWhatIfValues(fields, { ...base, outages: Array.from({ length: 51 }, () => ({ from: '1h', to: '2h' })) });
  assert.ok(!many.ok && many.problems[0]!.message === 'at most 50 outages, got 51');
});

const CALICO: RefresherSpec = { kind: 'calico', name: 'calico-cni', namespace: 'calico-system', serviceAccount: 'calico-cni-plugin', expirationSeconds: 86_400 };

test('refresher: Calico on adds the default refresher, keeps a configured one; off removes it', () => {
  const section = refresherWhatIf;
  const custom: RefresherSpec = { ...CALICO, name: 'mine', refreshIntervalMs: 10 * MIN };
  const on = (refreshers: RefresherSpec[], refresher: string): RefresherSpec[] => section.apply({ refreshers }, { refresher }).refreshers;
  roundTrip(section, { refreshers: [] });
  roundTrip(section, { refreshers: [custom] });
  assert.deepEqual(section.read({ refreshers: [] }), { refresher: 'none' });
  assert.deepEqual(on([], 'calico'), [CALICO]);
  assert.notEqual(on([], 'calico')[0], on([], 'calico')[0], 'a copy each time, not a shared default');
  assert.deepEqual(on([custom], 'calico'), [custom]);
  assert.deepEqual(on([custom], 'none'), []);
  const bad = checkWhatIfValues(section.fields, { refresher: 'istio' });
  assert.ok(!bad.ok && bad.problems[0]!.message === 'must be one of "none", "calico", got "istio"');
});
