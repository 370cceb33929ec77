import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../../../src/sim/clock';
import { createStream } from '../../../src/sim/random';
import { PodWorker, jitteredInterval, podTokenRequest, volumeOf, type ManagerCall, type PodSyncEnv } from '../../../src/sim/kubelet/podWorker';
import type { TokenRequest } from '../../../src/sim/apiserver/tokenRequest';
import { TokenManager } from '../../../src/sim/kubelet/tokenManager';
import { TokenIssuer, defaultServiceAccountUid, type IssueResult } from '../../../src/sim/apiserver/tokenIssuer';
import type { PodSpec } from '../../../src/sim/kubelet/kubeletSpec';

const S = 1000;
const T0 = Date.UTC(2025, 0, 1);

const pod: PodSpec = {
  name: 'web-0',
  namespace: 'shop',
  serviceAccount: 'web',
  uid: 'pod-uid',
  tokens: [
    { path: 'kube-api-access/token', expirationSeconds: 3607 },
    { path: 'vault/token', audiences: ['vault'], expirationSeconds: 600 },
    { path: 'vault/token-b', audiences: [], expirationSeconds: 900 },
  ],
};

describe('pod re-sync jitter (pod workers addendum)', () => {
  test('wait.Jitter(d, 0.5) = d + trunc(U·0.5·d) in whole ms: 60–90 s after success, 10–15 s after failure', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => {
        const ok = jitteredInterval(60 * S, u);
        const failed = jitteredInterval(10 * S, u);
        assert.ok(Number.isInteger(ok) && ok >= 60 * S && ok < 90 * S);
        assert.ok(Number.isInteger(failed) && failed >= 10 * S && failed < 15 * S);
      }),
    );
    assert.equal(jitteredInterval(60 * S, 0.5), 75 * S);
    assert.equal(jitteredInterval(1001, 0.999), 1001 + 499); // 499.9995 truncated
  });
});

describe('the TokenRequest the kubelet sends (SPEC D.3, A.2)', () => {
  test('bound to the pod; audiences and expirationSeconds as given (nil stays nil, [] stays [])', () => {
    const a = podTokenRequest(pod, { path: 'kube-api-access/token', expirationSeconds: 3607 }, '1.20', 'sa-uid');
    assert.equal('audiences' in a.spec, false);
    assert.deepEqual(a, { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web-0', uid: 'pod-uid' } } });
    assert.deepEqual(podTokenRequest(pod, { path: 'x/t', audiences: [] }, '1.20', 'sa-uid').spec.audiences, []);
    assert.equal(podTokenRequest(pod, { path: 'x/t' }, '1.20', 'sa-uid').spec.expirationSeconds, undefined);
  });

  test('1.34 puts the service-account UID in metadata.uid', () => {
    assert.deepEqual(podTokenRequest(pod, { path: 'x/t' }, '1.34', 'sa-uid').metadata, { uid: 'sa-uid' });
    assert.equal(podTokenRequest(pod, { path: 'x/t' }, '1.20', 'sa-uid').metadata, undefined);
  });

  test('the projected volume is the first path segment', () => {
    assert.deepEqual([volumeOf('vault/token'), volumeOf('token'), volumeOf('a/b/c')], ['vault', 'token', 'a']);
  });
});

/** A real manager + issuer behind a PodSyncEnv, with a switch to make chosen audiences fail. */
function env(failing: (tr: TokenRequest) => boolean, latencyMs = 0) {
  const clock = new ManualClock(T0);
  const issuer = new TokenIssuer({ issuer: 'i', audiences: ['i'], maxTokenExpirationSeconds: 0, extendTokenExpiration: true, latencyMs }, clock, createStream(1, 'i'));
  let last: IssueResult | undefined;
  let current = createStream(1, 'k');
  const manager = new TokenManager({
    clock,
    random: { float: () => current.float() },
    getToken: (name, ns, tr) => {
      if (failing(tr)) {
        last = { ok: false, error: 'boom', code: 500, reason: 'x', latencyMs };
        return { ok: false, error: 'boom' };
      }
      last = issuer.createToken(ns, name, tr);
      return last.ok ? { ok: true, response: last.response } : { ok: false, error: last.error };
    },
  });
  const e: PodSyncEnv = {
    call(worker, slot, at): ManagerCall {
      clock.set(at);
      current = worker.stream;
      last = undefined;
      const outcome = manager.getServiceAccountTokenForKey(slot.key, worker.pod.namespace, worker.pod.serviceAccount, slot.request);
      const issue = last as IssueResult | undefined;
      return issue === undefined ? { outcome, latencyMs: 0 } : { outcome, latencyMs: issue.latencyMs, issue };
    },
  };
  return { e, manager };
}

function worker(): PodWorker {
  return new PodWorker(pod, 0, createStream(5, 'w'), createStream(5, 'wi'), 60 * S, Infinity, '1.34', defaultServiceAccountUid('shop', 'web'), pod.tokens.map((t, i) => ({ id: `shop/web-0/${t.path}`, lane: i })));
}

describe('PodWorker.sync', () => {
  test('asks the manager for every source; writes changed files; next sync 60–90 s after the end', () => {
    const w = worker();
    const { e } = env(() => false, 20);
    const o = w.sync(T0, e);
    assert.equal(o.failed, false);
    assert.deepEqual(o.results.map((r) => r.at - T0), [0, 20, 40]);
    assert.equal(o.end, T0 + 60);
    assert.deepEqual(o.writes.map((x) => [x.slot.laneId, x.at - T0]), [
      ['shop/web-0/kube-api-access/token', 20],
      ['shop/web-0/vault/token', 60],
      ['shop/web-0/vault/token-b', 60],
    ]);
    assert.ok(o.nextAt - o.end >= 60 * S && o.nextAt - o.end < 90 * S);
    // A second sync a minute later only reads the cache: nothing to write.
    const o2 = w.sync(o.nextAt, e);
    assert.deepEqual([o2.writes.length, o2.results.every((r) => r.call.issue === undefined)], [0, true]);
  });

  test('a failing source fails the sync (10–15 s retry) and keeps its whole volume from being written', () => {
    const w = worker();
    const { e, manager } = env((tr) => tr.spec.audiences?.[0] === 'vault');
    const o = w.sync(T0, e);
    assert.equal(o.failed, true);
    assert.deepEqual(o.writes.map((x) => x.slot.laneId), ['shop/web-0/kube-api-access/token']);
    assert.ok(o.nextAt - o.end >= 10 * S && o.nextAt - o.end < 15 * S);
    // vault/token-b was fetched (cached) but not written: it reaches the file at a later good sync.
    assert.equal(manager.size, 2);
    assert.equal(w.slots[2]?.file, undefined);
  });
});
