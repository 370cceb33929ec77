// What the Cluster view and the palette simulate for a pod or a fresh token (src/vscode/simulationRequests.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fittedHorizon, freshTokenSimulation, MAX_FITTED_HORIZON_MS, podSimulation } from '../../../src/vscode/simulationRequests';
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

// ---- the horizon fits what is simulated (issue 14) ----

test('a 24 h token gets two refresh cycles, not the 6 h default that shows nothing', () => {
  const day = source('vault', 86_400);
  const r = podSimulation({ contextLabel: 'prod', pod: { ...pod, tokenSources: [day] }, issuedAtMs: [], now: NOW, defaults });
  // The kubelet refreshes a 24 h token at 80 % of its lifetime: 19 h 12 min (SPEC A.5).
  const cycle = 0.8 * 24 * HOUR;
  assert.ok(r.scenario.horizonMs >= 2 * cycle, `horizon ${r.scenario.horizonMs / HOUR} h holds two refreshes`);
  assert.ok(r.scenario.horizonMs < 2 * cycle + HOUR, 'and not much more');
  assert.equal(r.notice, undefined, 'nothing was capped');
});

test('the longest-cycling source decides; a fresh token gets the same rule', () => {
  const h = fittedHorizon({ defaultMs: 6 * HOUR, start: NOW, now: NOW, tokens: [{ name: 'a', expirationSeconds: 3607 }, { name: 'b', expirationSeconds: 7 * 86_400 }] });
  // A week-long token is refreshed by the 24 h rule: two cycles are 48 h.
  assert.ok(h.horizonMs >= 48 * HOUR && h.horizonMs < 49 * HOUR, `${h.horizonMs / HOUR} h`);
  assert.equal(fittedHorizon({ defaultMs: 6 * HOUR, start: NOW, now: NOW, tokens: [{ name: 'a', expirationSeconds: 3607 }] }).horizonMs, 6 * HOUR, 'a 1 h token fits the default');
  const fresh = freshTokenSimulation(86_400, NOW, defaults);
  assert.ok(fresh.scenario.horizonMs >= 2 * 0.8 * 24 * HOUR);
  assert.equal(fittedHorizon({ defaultMs: 10 * 24 * HOUR, start: NOW, now: NOW, tokens: [] }).horizonMs, 10 * 24 * HOUR, 'a longer default is kept');
});

test('a start far in the past is capped, and the notice says why in plain words', () => {
  const h = fittedHorizon({ defaultMs: 6 * HOUR, start: NOW - 30 * 24 * HOUR, now: NOW, tokens: [{ name: 'vault-token', expirationSeconds: 86_400 }] });
  assert.equal(h.horizonMs, MAX_FITTED_HORIZON_MS);
  assert.ok(h.notice);
  assert.match(h.notice, /capped at 7 d/);
  assert.match(h.notice, /vault-token\) refreshes every 19 h 12 min/);
  assert.match(h.notice, /30 d before now/);
  assert.doesNotMatch(h.notice, /SPEC|\d{10,}/, 'no spec references or epoch numbers');
  const r = podSimulation({ contextLabel: 'prod', pod, issuedAtMs: [NOW - 30 * 24 * HOUR], now: NOW, defaults });
  assert.equal(r.scenario.horizonMs, MAX_FITTED_HORIZON_MS);
  assert.equal(r.notice, fittedHorizon({ defaultMs: 6 * HOUR, start: NOW - 30 * 24 * HOUR, now: NOW, tokens: pod.tokenSources.map((s) => ({ name: s.volume, expirationSeconds: s.expirationSeconds })) }).notice);
});
