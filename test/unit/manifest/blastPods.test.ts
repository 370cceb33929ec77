// Workloads → the pods of the outage blast-radius analysis (src/sim/blastRadius/blastRadiusInput.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blastPodOf, blastPodsOf } from '../../../src/manifest/blastPods';
import { tokenSourcesOf } from '../../../src/manifest/podTokenSources';
import { podTokensOf } from '../../../src/manifest/tokenRows';
import { readManifest } from '../../../src/manifest/workloads';
import { manifest } from './fixtures';

function blastPods(file: string) {
  const r = readManifest(manifest(file));
  assert.ok(r.ok);
  return blastPodsOf(podTokensOf(r));
}

test('a template expands to its replicas, named <name>-i, with an unknown anchor', () => {
  assert.deepEqual(blastPods('kube-api-access-deployment.yaml'), [0, 1, 2].map((i) => ({
    namespace: 'shop',
    name: `web-${i}`,
    serviceAccount: 'default',
    anchor: { kind: 'unknown' },
    tokens: [{ volume: 'kube-api-access-xxxxx', path: 'token', expirationSeconds: 3607 }],
    origin: `Deployment shop/web (pod template, replica ${i + 1} of 3)`,
  })));
});

test('pods of a List keep their uid and are anchored at status.startTime; absent expirationSeconds stays absent', () => {
  assert.deepEqual(blastPods('kubectl-get-pods.yaml'), [
    {
      namespace: 'shop',
      name: 'cart-7d9c6b5f4-k2x8p',
      serviceAccount: 'default',
      anchor: { kind: 'started', startedAtMs: Date.UTC(2026, 0, 1, 8) },
      tokens: [{ volume: 'kube-api-access-r4t9z', path: 'token', expirationSeconds: 3607 }],
      origin: 'Pod shop/cart-7d9c6b5f4-k2x8p',
      uid: '9b2f7c1e-5a4d-4e8b-8c3f-1d2e3f4a5b01',
    },
    {
      namespace: 'shop',
      name: 'pricing-0',
      serviceAccount: 'pricing',
      anchor: { kind: 'started', startedAtMs: Date.UTC(2026, 0, 2, 9, 30, 5) },
      tokens: [
        { volume: 'pricing-api-token', path: 'token', audience: 'pricing-api', expirationSeconds: 600 },
        { volume: 'kube-api-access-m8w2q', path: 'token', expirationSeconds: 3607 },
      ],
      origin: 'Pod shop/pricing-0',
      uid: '3e8d1f2a-6b7c-4d9e-8f01-a2b3c4d5e602',
    },
  ]);
  const [ledger] = blastPods('no-expiration-seconds.yaml');
  assert.deepEqual(ledger?.tokens[0], { volume: 'ledger-token', path: 'token', audience: 'ledger.example.com' });
});

test('pods without a projected token are left out (mirror pods, automount off, legacy Secrets only)', () => {
  assert.deepEqual(blastPods('mirror-pod.yaml'), []);
  assert.deepEqual(blastPods('legacy-secret-pod.yaml'), []);
  assert.deepEqual(blastPods('automount-disabled.yaml').map((p) => p.name), ['pod-overrides-sa']);
  assert.deepEqual(blastPods('cronjob.yaml').map((p) => [p.name, p.origin]), [['nightly-export-0', 'CronJob analytics/nightly-export (pod template, replica 1 of 1)']]);
});

test('blastPodOf: a live pod (a PodSummary) is anchored at its start time when it has a valid one', () => {
  const tokenSources = tokenSourcesOf({ spec: { volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't', audience: 'a' } }] } }] } });
  const live = { namespace: 'n', name: 'p', uid: 'u-1', serviceAccountName: 'sa', tokenSources };
  assert.deepEqual(blastPodOf({ ...live, startTime: '2026-03-01T00:00:00Z' }), {
    namespace: 'n',
    name: 'p',
    serviceAccount: 'sa',
    anchor: { kind: 'started', startedAtMs: Date.UTC(2026, 2, 1) },
    tokens: [{ volume: 'v', path: 't', audience: 'a' }],
    origin: 'Pod n/p',
    uid: 'u-1',
  });
  assert.deepEqual(blastPodOf(live).anchor, { kind: 'unknown' });
  assert.deepEqual(blastPodOf({ ...live, startTime: 'garbage' }).anchor, { kind: 'unknown' });
});
