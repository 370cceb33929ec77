// What the Cluster view and the palette simulate for a pod or a fresh token (src/vscode/simulationRequests.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshTokenSimulation, podSimulation } from '../../../src/vscode/simulationRequests';
import type { PodSummary, ProjectedTokenSource } from '../../../src/cluster/clusterClient';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 1, 12);
const defaults = { horizonMs: 6 * HOUR, seed: 3 };

function source(volume: string, expirationSeconds: number, audience?: string): ProjectedTokenSource {
  return { volume, sourceIndex: 0, path: 'token', expirationSeconds, expirationSecondsDefaulted: false, isKubeApiAccess: false, mounts: [], ...(audience ? { audience } : {}) };
}

const pod: PodSummary = {
  name: 'web-0',
  namespace: 'shop',
  uid: 'u-1',
  serviceAccountName: 'web',
  containers: [],
  automountDisabled: false,
  tokenSources: [source('kube-api-access-x', 3607), source('vault', 600, 'vault')],
  labels: {},
  annotations: {},
};

test('a pod with no known token starts now, one token per projected source', () => {
  const r = podSimulation({ contextLabel: 'Demo cluster (built-in)', pod, issuedAtMs: [], now: NOW, defaults });
  assert.equal(r.title, 'shop/web-0');
  assert.deepEqual(r.source, { kind: 'token', description: 'Demo cluster (built-in): shop/web-0' });
  assert.equal(r.anchorNow, NOW);
  assert.equal(r.scenario.start, NOW);
  assert.equal(r.scenario.horizonMs, 6 * HOUR);
  assert.equal(r.scenario.seed, 3);
  assert.deepEqual(
    r.scenario.pods?.[0]?.tokens.map((t) => [t.path, t.expirationSeconds, t.audiences]),
    [['kube-api-access-x/token', 3607, undefined], ['vault/token', 600, ['vault']]],
  );
});

test('known tokens anchor the start at the earliest real issue time, and the run reaches past now', () => {
  const r = podSimulation({ contextLabel: 'prod', pod, issuedAtMs: [NOW - 10 * HOUR, NOW - 2 * HOUR, NOW + HOUR], now: NOW, defaults });
  assert.equal(r.scenario.start, NOW - 10 * HOUR, 'issue times in the future (clock skew) are ignored');
  assert.equal(r.scenario.horizonMs, 11 * HOUR, 'ten hours to now, and one more');
  assert.equal(r.anchorNow, NOW);
});

test('one token of a pod', () => {
  const r = podSimulation({ contextLabel: 'prod', pod, only: pod.tokenSources[1]!, issuedAtMs: [], now: NOW, defaults });
  assert.equal(r.title, 'shop/web-0 vault/token');
  assert.equal(r.scenario.pods?.[0]?.tokens.length, 1);
});

test('a fresh token of the chosen lifetime', () => {
  const r = freshTokenSimulation(3607, NOW, defaults);
  assert.equal(r.title, 'One token of 3607 s');
  assert.deepEqual(r.source, { kind: 'token', description: 'fresh 3607 s token' });
  assert.equal(r.scenario.start, NOW);
  assert.equal(r.scenario.pods?.[0]?.tokens[0]?.expirationSeconds, 3607);
});
