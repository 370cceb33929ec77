// The model seam: the engine core composes models from a registry, series exist only when a model
// registers them, and a model that asks the kubelet's token manager for a token through the
// SERVICE_ACCOUNT_TOKENS service shares the pod projection's cache entry (SPEC A.2 / B.3) with skip
// mode still equal to step mode.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MODELS } from '../../../src/sim/engine/models';
import { runModels, runScenario } from '../../../src/sim/engine/run';
import { defaultServiceAccountUid } from '../../../src/sim/apiserver/tokenIssuer';
import { SERVICE_ACCOUNT_TOKENS } from '../../../src/sim/kubelet/model';
import { podTokenRequest } from '../../../src/sim/kubelet/podWorker';
import type { Model } from '../../../src/sim/model';
import type { Scenario } from '../../../src/sim/scenario/types';
import { START } from '../sim/scenarioArb';

const MIN = 60_000;
const H = 60 * MIN;
const ISS = 'https://kubernetes.default.svc';

function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    seed: 5,
    start: START,
    horizonMs: 12 * H,
    kubelet: { syncFrequencyMs: MIN, version: '1.34' },
    apiServer: { issuer: ISS, audiences: [ISS], maxTokenExpirationSeconds: 0, extendTokenExpiration: true, outages: [{ from: 3 * H, to: 4 * H }], errorRate: 0, latencyMs: 0 },
    pods: [
      { name: 'web-0', namespace: 'shop', serviceAccount: 'web', uid: 'uid-0', tokens: [{ path: 'registry/token', audiences: ['registry.example'] }] },
      { name: 'web-1', namespace: 'shop', serviceAccount: 'web', uid: 'uid-1', tokens: [{ path: 'registry/token', audiences: ['registry.example'] }] },
    ],
    refreshers: [],
    output: { maxDetailedLanes: 2, seriesIntervalMs: 10 * MIN },
    ...over,
  };
}

/** A stand-in for a credential provider in service-account-token mode: pulls every 7 minutes with web-1's token. */
const puller: Model<Scenario> = {
  id: 'test-puller',
  build: (s, core) => {
    const tokens = core.use(SERVICE_ACCOUNT_TOKENS);
    assert.ok(tokens, 'the kubelet provides service-account tokens');
    const pod = s.pods[1];
    assert.ok(pod);
    const request = podTokenRequest(pod, { path: 'n/a', audiences: ['registry.example'] }, s.kubelet.version, defaultServiceAccountUid(pod.namespace, pod.serviceAccount));
    const handle = tokens.register({ namespace: pod.namespace, serviceAccount: pod.serviceAccount, request });
    const actor = core.actor(core.stream('test-puller'));
    const server = core.stream('apiserver/test-puller');
    const lane = 'pull/web-1';
    core.trace.lanes.push({ id: lane, kind: 'refresher', label: 'pull', detailed: true });
    return {
      describes: ['test puller'],
      lanesTotal: 1,
      detailedLanes: 1,
      start: () => {
        const task = core.task(actor, (t) => {
          const r = tokens.get(handle, server);
          core.trace.event({ t, lane, type: 'tokenRequest', rule: 'test pull', ok: r.ok, data: r.ok ? { expirationTimestamp: r.expirationTimestamp } : { error: r.error } });
          core.scheduleAt(task, t + 7 * MIN);
        });
        core.scheduleAt(task, core.start + 30_000);
      },
    };
  },
};

describe('the model seam', () => {
  test('a model sharing a pod projection cache key through the kubelet service: skip equals step', () => {
    const models = [...MODELS, puller];
    const skip = runModels(models, scenario(), { mode: 'skip' }).trace;
    const step = runModels(models, scenario(), { mode: 'step' }).trace;
    assert.equal(JSON.stringify(skip), JSON.stringify(step));
    // The pulls read web-1's own cache entry: the first one gets the token web-1's first sync fetched,
    // and the pulls add at most the refreshes they happen to make first, not a request each.
    const pulls = skip.events.filter((e) => e.lane === 'pull/web-1');
    assert.ok(pulls.length > 90);
    const web1 = skip.events.filter((e) => e.lane === 'shop/web-1/registry/token' && e.type === 'tokenRequest' && e.ok === true);
    assert.equal(pulls[0]?.data?.expirationTimestamp, web1[0]?.data?.expirationTimestamp);
    const sum = (t: typeof skip, name: string): number => (t.series.find((x) => x.name === name)?.values ?? []).reduce((a, b) => a + b, 0);
    const podOnly = sum(runScenario(scenario()), 'tokenRequests');
    assert.ok(sum(skip, 'tokenRequests') < podOnly + pulls.length / 5, `${sum(skip, 'tokenRequests')} requests with pulls, ${podOnly} without`);
    // At the start of the outage the shared entry is still valid: pulls are served from it.
    assert.equal(pulls.find((e) => e.t >= START + 3 * H)?.ok, true);
  });

  test('series exist only for the models a run has: no pods, no kubelet series', () => {
    const refresherOnly = runScenario(
      scenario({ pods: [], refreshers: [{ kind: 'calico', name: 'calico-node', namespace: 'calico-system', serviceAccount: 'calico-cni-plugin', expirationSeconds: 86_400 }] }),
    );
    assert.deepEqual(refresherOnly.series.map((x) => x.name), ['tokenRequests', 'tokenRequestFailures', 'expiredTokens']);
    assert.deepEqual(refresherOnly.meta.models, ['kube-apiserver TokenRequest, newest (SPEC D.1, D.2)', 'Calico CNI TokenRefresher v3.30+ (SPEC D.6)']);
    const nothing = runScenario(scenario({ pods: [] }));
    assert.deepEqual(nothing.series, []);
    assert.deepEqual(nothing.lanes.map((l) => l.id), ['apiserver']);
    assert.deepEqual(runScenario(scenario()).series.map((x) => x.name), ['tokenRequests', 'tokenRequestFailures', 'staleServes', 'expiredTokens']);
  });

  test('two models may not provide one service', () => {
    assert.throws(() => runModels([...MODELS, MODELS[1] as Model<Scenario>], scenario()), /two models provide kubelet\/serviceAccountTokens/);
  });
});
