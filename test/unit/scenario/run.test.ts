import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runScenario, runScenarioWithStats } from '../../../src/sim/engine/run';
import type { PodSpec } from '../../../src/sim/kubelet/kubeletSpec';
import type { Scenario } from '../../../src/sim/scenario/types';
import type { Trace, TraceEvent } from '../../../src/sim/trace';
import { scenarioArb, START } from '../sim/scenarioArb';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const ISS = 'https://kubernetes.default.svc';

function pod(i: number, tokens: PodSpec['tokens'], extra: Partial<PodSpec> = {}): PodSpec {
  return { name: `web-${i}`, namespace: 'shop', serviceAccount: 'web', uid: `uid-${i}`, tokens, ...extra };
}

const KUBE_API = { path: 'kube-api-access/token', expirationSeconds: 3607 };

function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    seed: 11,
    start: START,
    horizonMs: 6 * H,
    kubelet: { syncFrequencyMs: MIN, version: '1.34' },
    apiServer: { issuer: ISS, audiences: [ISS], maxTokenExpirationSeconds: 0, extendTokenExpiration: true, outages: [], errorRate: 0, latencyMs: 0 },
    pods: [pod(0, [KUBE_API])],
    refreshers: [],
    output: { maxDetailedLanes: 100, seriesIntervalMs: 10 * MIN },
    ...over,
  };
}

function events(trace: Trace, lane: string, type?: TraceEvent['type']): TraceEvent[] {
  return trace.events.filter((e) => e.lane === lane && (type === undefined || e.type === type));
}

function sum(trace: Trace, name: string): number {
  return (trace.series.find((s) => s.name === name)?.values ?? []).reduce((a, b) => a + b, 0);
}

const LANE = 'shop/web-0/kube-api-access/token';

describe('runScenario: lanes, spans, events', () => {
  test('lane ids and kinds; only the first maxDetailedLanes token lanes are listed; lanesTotal counts all', () => {
    const t = runScenario(
      scenario({
        pods: [pod(0, [KUBE_API, { path: 'vault/token', audiences: ['vault'], expirationSeconds: 600 }]), pod(1, [KUBE_API]), pod(2, [KUBE_API])],
        signer: { refreshHintSeconds: 600, rotations: [], outages: [] },
        refreshers: [{ kind: 'calico', name: 'calico-node', namespace: 'calico-system', serviceAccount: 'calico-cni-plugin', expirationSeconds: 86_400 }],
        output: { maxDetailedLanes: 2, seriesIntervalMs: 10 * MIN },
      }),
    );
    assert.deepEqual(
      t.lanes.map((l) => [l.id, l.kind]),
      [
        ['apiserver', 'apiServer'],
        ['signer', 'signer'],
        ['shop/web-0/kube-api-access/token', 'token'],
        ['shop/web-0/vault/token', 'token'],
        ['refresher/calico-system/calico-node', 'refresher'],
      ],
    );
    assert.equal(t.meta.lanesTotal, 7);
    assert.equal(t.meta.eventsTotal, t.events.length);
    const ids = new Set(t.lanes.map((l) => l.id));
    assert.ok(t.events.every((e) => ids.has(e.lane)) && t.spans.every((s) => ids.has(s.lane)));
    // Series cover lanes without detail too.
    assert.ok(sum(t, 'tokenRequests') > events(t, LANE, 'tokenRequest').length + events(t, 'shop/web-0/vault/token', 'tokenRequest').length);
  });

  test('kube-api-access: issued at the start, refreshed ≈48 min later (SPEC A.5/A.8), JWT extended (D.1)', () => {
    const t = runScenario(scenario());
    const reqs = events(t, LANE, 'tokenRequest');
    assert.ok(reqs.length >= 7);
    const [first, second] = reqs;
    assert.equal(first?.t, START);
    assert.equal(first?.data?.reason, 'notCached');
    const iat = START;
    const after = (second?.t ?? 0) - iat;
    assert.ok(after > 2877 * S && after <= 2886 * S + 90 * S, `refresh ${after / S} s after issue`);
    assert.equal(second?.data?.reason, '80%');
    assert.match(second?.rule ?? '', /SPEC A\.5 step 5: inside the last 20 % \(721 s\) − jitter \d s/);
    assert.equal(Number(first?.data?.jwtExp) - iat / S, 31_536_000);
    assert.equal(first?.data?.expirationTimestamp, iat + 3607 * S);
    // Spans: validity = issue → reported expiry; refresh window = jitter 9 … jitter 0 thresholds.
    const validity = t.spans.find((s) => s.lane === LANE && s.kind === 'validity');
    const win = t.spans.find((s) => s.lane === LANE && s.kind === 'refreshWindow');
    assert.deepEqual([validity?.start, validity?.end], [iat, iat + 3607 * S]);
    assert.deepEqual([win?.start, win?.end], [iat + 2877 * S, iat + 2886 * S]);
    assert.equal(events(t, LANE, 'tokenWritten').length, reqs.length);
    assert.equal(sum(t, 'expiredTokens'), 0);
    // Events are sorted by time.
    assert.ok(t.events.every((e, i) => i === 0 || (t.events[i - 1] as TraceEvent).t <= e.t));
  });

  test('1.19: no jitter, refresh at the first sync strictly after iat + 2886 s', () => {
    const t = runScenario(scenario({ kubelet: { syncFrequencyMs: MIN, version: '1.19' } }));
    for (const e of events(t, LANE, 'tokenRequest').slice(1)) assert.match(e.rule, /jitter 0 s/);
    const win = t.spans.find((s) => s.lane === LANE && s.kind === 'refreshWindow');
    assert.equal(win?.start, win?.end);
  });

  test('an outage: stale serves, expiry, errors with upstream texts, cleanup, retries every 10–15 s, recovery', () => {
    const t = runScenario(scenario({ apiServer: { ...scenario().apiServer, outages: [{ from: 40 * MIN, to: 100 * MIN }] } }));
    const stale = events(t, LANE, 'tokenServedStale');
    assert.ok(stale.length > 0);
    const expired = events(t, LANE, 'tokenExpired');
    assert.equal(expired.length, 1);
    assert.equal(expired[0]?.t, START + 3607 * S + 1);
    const fails = events(t, LANE, 'syncFailed');
    assert.ok(fails.length > 10);
    assert.match(fails[0]?.error ?? '', /^token "web"\/"shop"\/\[\]string\(nil\)\/3607\/v1\.BoundObjectReference\{Kind:"Pod", APIVersion:"v1", Name:"web-0", UID:"uid-0"\}\/"[0-9a-f-]+" expired and refresh failed: Post "https:\/\/10\.0\.0\.1:6443\/api\/v1\/namespaces\/shop\/serviceaccounts\/web\/token": dial tcp 10\.0\.0\.1:6443: connect: connection refused$/);
    assert.match(fails.at(-1)?.error ?? '', /^failed to fetch token: Post /);
    // Cleanup drops the expired entry at the first minute boundary after expiry (runs every minute from the start).
    const cleanup = events(t, LANE, 'cacheCleanup');
    assert.deepEqual(cleanup.map((e) => e.t), [START + 61 * MIN]);
    for (const f of fails) assert.ok(Number(f.data?.retryInMs) >= 10 * S && Number(f.data?.retryInMs) < 15 * S);
    const recovered = events(t, LANE, 'tokenWritten').find((e) => e.t >= START + 100 * MIN);
    assert.ok(recovered !== undefined && recovered.t < START + 100 * MIN + 15 * S);
    assert.ok(sum(t, 'tokenRequestFailures') > 0 && sum(t, 'staleServes') === stale.length && sum(t, 'expiredTokens') > 0);
    assert.deepEqual(events(t, 'apiserver').map((e) => [e.type, e.t]), [
      ['outageStart', START + 40 * MIN],
      ['outageEnd', START + 100 * MIN],
    ]);
  });

  test('pod deletion: DeleteServiceAccountToken by UID, nothing after on that lane', () => {
    const t = runScenario(scenario({ pods: [pod(0, [KUBE_API], { deleteAt: 2 * H }), pod(1, [KUBE_API])] }));
    const del = events(t, LANE, 'podDeleted');
    assert.equal(del.length, 1);
    assert.equal(del[0]?.t, START + 2 * H);
    assert.equal(del[0]?.data?.removed, 1);
    assert.ok(events(t, LANE).every((e) => e.t <= START + 2 * H));
    assert.ok(events(t, 'shop/web-1/kube-api-access/token', 'tokenRequest').some((e) => e.t > START + 2 * H));
  });

  test('short TTLs refresh at 80 %; tokens below 600 s are rejected by the API server and never reach the file', () => {
    const t = runScenario(scenario({ pods: [pod(0, [{ path: 'a/token', expirationSeconds: 600 }, { path: 'b/token', expirationSeconds: 300 }])] }));
    const a = events(t, 'shop/web-0/a/token', 'tokenRequest');
    assert.ok(a.length >= 6 * 60 * 60 / 540);
    const b = events(t, 'shop/web-0/b/token', 'tokenRequest');
    assert.ok(b.every((e) => e.ok === false && /may not specify a duration less than 10 minutes/.test(e.error ?? '')));
    assert.equal(events(t, 'shop/web-0/b/token', 'tokenWritten').length, 0);
  });

  test('signer key rotation with the old key dropped: old-kid tokens are rejected at the next key sync', () => {
    const t = runScenario(scenario({ signer: { refreshHintSeconds: 300, rotations: [{ at: 30 * MIN, dropOldKeyAfter: 10 * MIN }], outages: [] } }));
    const rejected = events(t, LANE, 'tokenRejected');
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]?.data?.kid, 'key-1');
    assert.equal(rejected[0]?.t, START + 40 * MIN); // drop at 40 min coincides with a scheduled sync (every 5 min)
    const signer = events(t, 'signer');
    assert.ok(signer.some((e) => e.type === 'keyRotated' && e.data?.action === 'rotate'));
    assert.ok(signer.some((e) => e.type === 'keySync' && e.data?.removed === 'key-1'));
    // The next token is signed with key-2.
    assert.equal(events(t, LANE, 'tokenRequest').find((e) => e.t > START + 40 * MIN)?.data?.kid, 'key-2');
  });

  test('Calico refresher: 24 h token, next attempt 6–12 h later (SPEC D.6)', () => {
    const t = runScenario(
      scenario({
        horizonMs: 30 * H,
        pods: [],
        refreshers: [{ kind: 'calico', name: 'c', namespace: 'calico-system', serviceAccount: 'calico-cni-plugin', expirationSeconds: 86_400 }],
      }),
    );
    const reqs = events(t, 'refresher/calico-system/c', 'tokenRequest').map((e) => e.t);
    assert.ok(reqs.length >= 3);
    for (let i = 1; i < reqs.length; i++) {
      const gap = (reqs[i] as number) - (reqs[i - 1] as number);
      assert.ok(gap >= 6 * H && gap <= 12 * H, `gap ${gap / H} h`);
    }
  });

  test('onProgress reports fractions up to 1', () => {
    const seen: number[] = [];
    runScenario(scenario({ pods: Array.from({ length: 50 }, (_, i) => pod(i, [KUBE_API])), horizonMs: 24 * H }), { onProgress: (f) => seen.push(f), mode: 'step' });
    assert.ok(seen.length > 1);
    assert.equal(seen.at(-1), 1);
    assert.ok(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (seen[i - 1] as number))));
  });
});

describe('determinism and dead-time skipping', () => {
  test('same seed → identical JSON; another seed → a different trace', () => {
    const s = scenario({ apiServer: { ...scenario().apiServer, errorRate: 0.2 } });
    const a = JSON.stringify(runScenario(s));
    assert.equal(a, JSON.stringify(runScenario(s)));
    assert.notEqual(a, JSON.stringify(runScenario({ ...s, seed: 12 })));
  });

  const fixed: [string, Scenario][] = [
    ['outage + error rate + latency, 1.34', scenario({ apiServer: { ...scenario().apiServer, outages: [{ from: 1 * H, to: 3 * H }], errorRate: 0.1, latencyMs: 40 }, pods: [0, 1, 2, 3].map((i) => pod(i, [KUBE_API, { path: 'vault/token', audiences: ['vault'], expirationSeconds: 900 }])), output: { maxDetailedLanes: 3, seriesIntervalMs: 5 * MIN } })],
    ['deletions and short TTLs, 1.20', scenario({ kubelet: { syncFrequencyMs: MIN, version: '1.20' }, pods: [0, 1, 2].map((i) => pod(i, [{ path: 't/token', expirationSeconds: 600 + i }], { deleteAt: (i + 1) * H })), output: { maxDetailedLanes: 1, seriesIntervalMs: MIN } })],
    ['1.19, long tokens (24 h rule), clamp', scenario({ kubelet: { syncFrequencyMs: 5 * MIN, version: '1.19' }, horizonMs: 60 * H, apiServer: { ...scenario().apiServer, maxTokenExpirationSeconds: 0 }, pods: [pod(0, [{ path: 'x/token', expirationSeconds: 144_000 }]), pod(1, [{ path: 'y/token' }])], output: { maxDetailedLanes: 0, seriesIntervalMs: H } })],
    ['signer rotations, outages and a refresher', scenario({ signer: { refreshHintSeconds: 60, rotations: [{ at: 20 * MIN, dropOldKeyAfter: 30 * MIN }, { at: 4 * H }], outages: [{ from: 2 * H, to: 2 * H + 5 * MIN }] }, apiServer: { ...scenario().apiServer, outages: [{ from: 3 * H, to: 3 * H + 20 * MIN }] }, pods: [0, 1, 2, 3, 4].map((i) => pod(i, [KUBE_API])), refreshers: [{ kind: 'calico', name: 'c', namespace: 'kube-system', serviceAccount: 'calico-cni-plugin', expirationSeconds: 3600 }], output: { maxDetailedLanes: 2, seriesIntervalMs: 10 * MIN } })],
    ['pods sharing a UID', scenario({ pods: [pod(0, [KUBE_API], { deleteAt: 2 * H }), { ...pod(1, [KUBE_API]), uid: 'uid-0' }], output: { maxDetailedLanes: 0, seriesIntervalMs: MIN } })],
  ];
  for (const [name, s] of fixed) {
    test(`skip mode produces exactly the step-mode trace: ${name}`, () => {
      const step = runScenarioWithStats(s, { mode: 'step' });
      const skip = runScenarioWithStats(s, { mode: 'skip' });
      assert.equal(JSON.stringify(skip.trace), JSON.stringify(step.trace));
      assert.ok(skip.stats.schedulerEvents <= step.stats.schedulerEvents);
    });
  }

  test('skip mode does far fewer scheduler events on a quiet fleet', () => {
    const s = scenario({ horizonMs: 24 * H, pods: Array.from({ length: 40 }, (_, i) => pod(i, [KUBE_API])), output: { maxDetailedLanes: 0, seriesIntervalMs: H } });
    const step = runScenarioWithStats(s, { mode: 'step' });
    const skip = runScenarioWithStats(s, { mode: 'skip' });
    assert.equal(JSON.stringify(skip.trace), JSON.stringify(step.trace));
    assert.ok(skip.stats.schedulerEvents * 20 < step.stats.schedulerEvents, `${skip.stats.schedulerEvents} vs ${step.stats.schedulerEvents}`);
  });

  test('property: skip === step, byte for byte, on random small scenarios', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        assert.equal(JSON.stringify(runScenario(s, { mode: 'skip' })), JSON.stringify(runScenario(s, { mode: 'step' })));
      }),
      { numRuns: 60 },
    );
  });

  test('property: same seed → identical JSON.stringify(trace)', () => {
    fc.assert(
      fc.property(scenarioArb({ maxPods: 3, maxHorizonMs: 8 * H }), (s) => {
        assert.equal(JSON.stringify(runScenario(s)), JSON.stringify(runScenario(structuredClone(s))));
      }),
      { numRuns: 20 },
    );
  });

  test('property: with a healthy API server no token in a pod’s file is ever expired', () => {
    fc.assert(
      fc.property(scenarioArb({ maxPods: 4, maxHorizonMs: 40 * H }), (raw) => {
        // Healthy: no outages (of the API server or of the signer, which signs every token), no errors,
        // default 1 m sync, no latency; lifetimes ≥ 600 s (shorter ones never reach a file).
        const s: Scenario = {
          ...raw,
          ...(raw.signer === undefined ? {} : { signer: { ...raw.signer, outages: [] } }),
          kubelet: { ...raw.kubelet, syncFrequencyMs: MIN },
          apiServer: { ...raw.apiServer, outages: [], errorRate: 0, latencyMs: 0 },
          // The property is about pods' files (a Calico interval longer than its token's life does let it expire).
          refreshers: [],
          output: { ...raw.output, maxDetailedLanes: 20 },
        };
        const t = runScenario(s);
        assert.equal(sum(t, 'expiredTokens'), 0);
        assert.equal(t.events.filter((e) => e.type === 'tokenExpired').length, 0);
      }),
      { numRuns: 40 },
    );
  });
});

test('an extended token past its status expiry is marked as still accepted by the API server (SPEC D.1 step 8)', () => {
  const s = scenario({
    pods: [pod(0, [KUBE_API, { path: 'vault/token', audiences: ['vault'], expirationSeconds: 600 }])],
    apiServer: { ...scenario().apiServer, outages: [{ from: 2 * H, to: 4 * H }] },
  });
  for (const mode of ['skip', 'step'] as const) {
    const expired = runScenario(s, { mode }).events.filter((e) => e.type === 'tokenExpired');
    const kube = expired.find((e) => e.lane.endsWith('kube-api-access/token'));
    const vault = expired.find((e) => e.lane.endsWith('vault/token'));
    assert.ok(kube && vault, `${mode}: both tokens expire in a 2 h outage`);
    assert.equal(Number(kube.data?.jwtExpiresAt) - Number(kube.data?.expirationTimestamp), (31_536_000 - 3607) * S, `${mode}: one-year JWT`);
    assert.match(kube.rule, /still accepts it/);
    assert.equal(vault.data?.jwtExpiresAt, undefined, `${mode}: a vault-audience token is not extended`);
  }
});

describe('runScenario: expiry across a slow failed refresh (SPEC A.3 step 4)', () => {
  test('with latency, a stale serve never has negative validity, and a refresh failing past the expiry fails the sync; skip equals step', () => {
    const slow = scenario({
      seed: 3,
      horizonMs: 12 * H,
      kubelet: { syncFrequencyMs: 10 * S, version: '1.34' },
      apiServer: { issuer: ISS, audiences: [ISS], maxTokenExpirationSeconds: 0, extendTokenExpiration: false, outages: [], errorRate: 0.6, latencyMs: 20 * S },
      pods: [pod(0, [{ path: 'token', expirationSeconds: 600 }]), pod(1, [{ path: 'token', expirationSeconds: 600 }])],
    });
    const skip = runScenario(slow, { mode: 'skip' });
    assert.equal(JSON.stringify(skip), JSON.stringify(runScenario(slow, { mode: 'step' })));
    const stale = skip.events.filter((e) => e.type === 'tokenServedStale');
    assert.ok(stale.length > 0, 'some refreshes fail while the token is still valid');
    for (const e of stale) assert.ok((e.data?.validForMs as number) >= 0, `stale serve with ${e.data?.validForMs} ms left at ${e.t}`);
    assert.ok(
      skip.events.some((e) => e.type === 'syncFailed' && e.rule.includes('expired')),
      'a refresh whose 503 came back after the expiry is "expired and refresh failed"',
    );
  });
});

describe('runScenario: an external-signer outage (SPEC D.5)', () => {
  test('TokenRequests fail with 500 while the signer is down, the kubelet serves its old token, keys stay cached; skip equals step', () => {
    const s = scenario({
      horizonMs: 6 * H,
      signer: { refreshHintSeconds: 600, rotations: [], outages: [{ from: 2 * H, to: 3 * H }] },
      pods: [pod(0, [{ path: 'token', expirationSeconds: 3600 }]), pod(1, [{ path: 'token', expirationSeconds: 3600 }])],
      output: { maxDetailedLanes: 1, seriesIntervalMs: 10 * MIN },
    });
    const skip = runScenario(s, { mode: 'skip' });
    assert.equal(JSON.stringify(skip), JSON.stringify(runScenario(s, { mode: 'step' })));
    const lane = 'shop/web-0/token';
    const inOutage = (e: TraceEvent): boolean => e.t >= START + 2 * H && e.t < START + 3 * H;
    const failed = events(skip, lane, 'tokenRequest').filter((e) => e.ok === false);
    assert.ok(failed.length > 0 && failed.every(inOutage), 'requests fail, and only while the signer is down');
    assert.ok(failed.every((e) => e.data?.code === 500 && /^Internal error occurred: failed to sign token: rpc error: code = Unavailable/.test(e.error ?? '')), failed[0]?.error);
    assert.ok(events(skip, lane, 'tokenServedStale').some(inOutage), 'the kubelet keeps serving the still-valid token');
    assert.ok(events(skip, lane, 'tokenRequest').some((e) => e.ok === true && e.t >= START + 3 * H), 'refreshes succeed again after the outage');
    // Both pods count in the series, including the one without detail.
    assert.ok(sum(skip, 'tokenRequestFailures') > failed.length);
  });

  test("a sync whose round trips carry a later source's request into a signer outage: skip equals step (found by the property)", () => {
    // The first source is asked just before the outage, the second 1.5 s later, inside it.
    const s = scenario({
      horizonMs: 10 * MIN,
      kubelet: { syncFrequencyMs: 10_000, version: '1.19' },
      apiServer: { ...scenario().apiServer, latencyMs: 1500 },
      signer: { refreshHintSeconds: 10, rotations: [], outages: [{ from: 1, to: 1501 }] },
      pods: [pod(0, [{ path: 'a/token' }, { path: 'b/token', expirationSeconds: 600 }])],
      output: { maxDetailedLanes: 0, seriesIntervalMs: MIN },
    });
    assert.equal(JSON.stringify(runScenario(s, { mode: 'skip' })), JSON.stringify(runScenario(s, { mode: 'step' })));
  });
});
