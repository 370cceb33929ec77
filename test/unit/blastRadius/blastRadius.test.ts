import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runBlastRadius } from '../../../src/sim/blastRadius/blastRadius';
import { checkBlastRadiusInput } from '../../../src/sim/blastRadius/inputChecks';
import { DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT, type BlastPod, type BlastRadiusInput } from '../../../src/sim/blastRadius/blastRadiusInput';
import { blastPodScenario } from '../../../src/sim/blastRadius/blastPodScenario';
import { issuePlan, TokenIssuer, defaultServiceAccountUid } from '../../../src/sim/apiserver/tokenIssuer';
import { ManualClock } from '../../../src/sim/clock';
import { createStream } from '../../../src/sim/random';
import { runScenario } from '../../../src/sim/engine/run';
import type { TokenRequest } from '../../../src/sim/apiserver/tokenRequest';

const MIN = 60_000;
const H = 60 * MIN;
const OUT = Date.UTC(2026, 5, 1, 12);
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function input(pods: BlastPod[], over: Partial<BlastRadiusInput> = {}): BlastRadiusInput {
  return {
    outage: { startMs: OUT, durationMs: 3 * H },
    runs: 20,
    seed: 1,
    kubelet: { syncFrequencyMs: MIN, version: '1.34' },
    apiServer: { audiences: [ISSUER], maxTokenExpirationSeconds: 0, extendTokenExpiration: true },
    pods,
    ...over,
  };
}

const vault = (name: string, anchor: BlastPod['anchor']): BlastPod => ({ namespace: 'shop', name, serviceAccount: 'web', anchor, tokens: [{ volume: 'vault', path: 'token', audience: 'vault', expirationSeconds: 600 }] });
const kubeApi = (name: string, anchor: BlastPod['anchor']): BlastPod => ({ namespace: 'shop', name, serviceAccount: 'web', anchor, tokens: [{ volume: 'kube-api-access-x', path: 'token', expirationSeconds: 3607 }] });
const daily = (name: string, anchor: BlastPod['anchor']): BlastPod => ({ namespace: 'ops', name, serviceAccount: 'agent', anchor, tokens: [{ volume: 'spire', path: 'token', audience: 'spire', expirationSeconds: 86_400 }] });

describe('runBlastRadius', () => {
  test('a 3 h outage: 600 s and kube-api-access tokens certainly expire, a 24 h token issued an hour before never does', () => {
    const r = runBlastRadius(input([vault('a', { kind: 'started', startedAtMs: OUT - 5 * H }), kubeApi('b', { kind: 'unknown' }), daily('c', { kind: 'issued', issuedAtMs: [OUT - H] })]));
    assert.equal(r.pods, 3);
    assert.equal(r.tokens, 3);
    assert.deepEqual(r.anchors, { issued: 1, started: 1, unknown: 1 });
    const byAudience = new Map(r.kinds.map((k) => [k.kind.audience, k]));
    const v = byAudience.get('vault');
    const k = byAudience.get(null);
    const d = byAudience.get('spire');
    assert.ok(v && k && d);
    assert.deepEqual([v.certain, v.possible, v.never], [1, 0, 0]);
    assert.deepEqual([k.certain, k.possible, k.never], [1, 0, 0]);
    assert.deepEqual([d.certain, d.possible, d.never], [0, 0, 1]);
    assert.equal(d.earliestExpiryMs, null);
    assert.deepEqual(v.expiredPerRun, { min: 1, median: 1, max: 1 });
    // The kube-api-access token: the kubelet's expiry is 3607 s, the JWT a year (SPEC D.1 step 8).
    assert.equal(k.kind.extended, true);
    assert.equal(k.kind.issuedSeconds, 3607);
    assert.equal(k.kind.jwtLifetimeSeconds, 31_536_000);
    assert.equal(k.kind.requestedSeconds, 3607);
    assert.equal(v.kind.extended, false);
    assert.ok(r.assumptions.some((a) => a.includes('one-year JWT')));
    assert.ok(r.assumptions.some((a) => a.includes('7d')), r.assumptions.join('\n'));
    assert.ok(r.assumptions.some((a) => a.includes('20 simulated runs, not a forecast')));
    // Affected: sorted by earliest expiry; each expired inside the outage and stayed expired until after it.
    assert.equal(r.affected.length, 2);
    assert.ok((r.affected[0]?.expiryMs.min ?? 0) <= (r.affected[1]?.expiryMs.min ?? 0));
    for (const a of r.affected) {
      assert.equal(a.verdict, 'certain');
      assert.equal(a.runsExpired, 20);
      assert.ok(a.expiryMs.min >= OUT && a.expiryMs.max < OUT + 3 * H);
      // Replaced at the first sync after the outage end (failed syncs retry every 10–15 s).
      // (Per run: expiry + expiredFor + 1 = the replacement, in [end, end + 15 s).)
      assert.ok(a.expiredForMs.max < OUT + 3 * H + 15_000 - a.expiryMs.min, JSON.stringify(a));
      assert.ok(a.expiredForMs.min >= OUT + 3 * H - a.expiryMs.max - 1, JSON.stringify(a));
    }
    assert.equal(r.affected.find((a) => a.pod === 'a')?.anchor, 'started');
  });

  test('the herd: every pod whose refresh failed catches up within 15 s of the outage end; the baseline is the hour before', () => {
    const pods = Array.from({ length: 50 }, (_, i) => vault(`v${i}`, { kind: 'unknown' }));
    const r = runBlastRadius(input(pods, { runs: 5 }));
    const h = r.herd;
    assert.equal(h.binMs, 1000);
    assert.equal(h.fromMs, OUT + 3 * H - MIN);
    assert.equal(h.mean.length, 660);
    assert.equal(h.inFlightLimit, DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT);
    assert.deepEqual(h.catchUpRequests, { min: 50, median: 50, max: 50 });
    assert.ok(h.durationMs.max < 15_000 && h.durationMs.min >= 0);
    // Nothing in the minute before the end (the outage), and 50 requests in the first 15 s after it.
    assert.equal(h.max.slice(0, 60).reduce((a, b) => a + b, 0), 0);
    assert.ok(Math.abs(h.mean.slice(60, 75).reduce((a, b) => a + b, 0) - 50) < 1e-9);
    assert.ok(h.peakPerSecond.min >= 4, JSON.stringify(h.peakPerSecond));
    // 600 s tokens refresh every ~8 min: 50 pods ≈ 0.1 requests/s.
    assert.ok(h.baselinePerSecond > 0.08 && h.baselinePerSecond < 0.13, String(h.baselinePerSecond));
    for (let b = 0; b < h.mean.length; b++) assert.ok((h.min[b] as number) <= (h.mean[b] as number) + 1e-12 && (h.mean[b] as number) <= (h.max[b] as number) + 1e-12);
  });

  test('a short outage gives a possible verdict for kube-api-access tokens with an unknown phase; the counts add up', () => {
    const pods = Array.from({ length: 40 }, (_, i) => kubeApi(`k${i}`, { kind: 'unknown' }));
    const r = runBlastRadius(input(pods, { outage: { startMs: OUT, durationMs: 20 * MIN }, runs: 10 }));
    const k = r.kinds[0];
    assert.ok(k !== undefined);
    assert.equal(k.certain + k.possible + k.never, 40);
    assert.ok(k.possible > 0, JSON.stringify(k));
    assert.ok(k.never > 0, JSON.stringify(k));
    for (const a of r.affected) assert.ok(a.runsExpired >= 1 && a.runsExpired <= 10);
    const sorted = [...r.affected].sort((a, b) => a.expiryMs.min - b.expiryMs.min);
    assert.deepEqual(r.affected.map((a) => a.pod), sorted.map((a) => a.pod));
  });

  test('deterministic: same input, same result; progress climbs to 1 in about 1 % steps', () => {
    const pods = Array.from({ length: 300 }, (_, i) => (i % 2 ? vault(`v${i}`, { kind: 'unknown' }) : kubeApi(`k${i}`, { kind: 'started', startedAtMs: OUT - i * MIN })));
    const seen: number[] = [];
    const a = runBlastRadius(input(pods, { runs: 3 }), { onProgress: (f) => seen.push(f) });
    const b = runBlastRadius(input(pods, { runs: 3 }));
    assert.deepEqual(a, b);
    assert.ok(seen.length >= 90 && seen.length <= 101, String(seen.length));
    assert.equal(seen[seen.length - 1], 1);
    for (let i = 1; i < seen.length; i++) assert.ok((seen[i] as number) > (seen[i - 1] as number));
    assert.ok(JSON.parse(JSON.stringify(a)) !== undefined);
  });

  test('a pod started during the outage has no token until it ends, and catches up then', () => {
    const r = runBlastRadius(input([vault('late', { kind: 'started', startedAtMs: OUT + H })], { runs: 4 }));
    assert.equal(r.affected.length, 0);
    assert.deepEqual(r.herd.catchUpRequests, { min: 1, median: 1, max: 1 });
  });

  test('kubelet 1.19 (no jitter) and sources sharing a cache key (one request serves both)', () => {
    const pod: BlastPod = {
      namespace: 'shop',
      name: 'twin',
      serviceAccount: 'web',
      anchor: { kind: 'unknown' },
      tokens: [
        { volume: 'a', path: 'token', audience: 'vault', expirationSeconds: 600 },
        { volume: 'b', path: 'token', audience: 'vault', expirationSeconds: 600 },
      ],
    };
    const r = runBlastRadius(input([pod], { runs: 3, kubelet: { syncFrequencyMs: MIN, version: '1.19' } }));
    assert.equal(r.kinds.length, 1);
    assert.equal(r.kinds[0]?.tokens, 2);
    assert.equal(r.kinds[0]?.pods, 1);
    assert.equal(r.affected.length, 2);
    assert.deepEqual(r.herd.catchUpRequests, { min: 1, median: 1, max: 1 });
    assert.deepEqual(r.affected[0]?.expiryMs, r.affected[1]?.expiryMs);
  });

  test('the max-expiration clamp turns a 3607 request into a non-extended 1 h token', () => {
    const r = runBlastRadius(input([kubeApi('k', { kind: 'unknown' })], { runs: 2, apiServer: { audiences: [ISSUER], maxTokenExpirationSeconds: 3600, extendTokenExpiration: true } }));
    assert.equal(r.kinds[0]?.kind.issuedSeconds, 3600);
    assert.equal(r.kinds[0]?.kind.extended, false);
  });
});

describe('checkBlastRadiusInput', () => {
  test('each problem names its field', () => {
    const bad = input([
      { namespace: 'shop', name: 'p', serviceAccount: 'web', anchor: { kind: 'issued', issuedAtMs: [OUT + MIN] }, tokens: [{ volume: 'v', path: 't', expirationSeconds: 300 }, { volume: 'v', path: 't' }] },
    ], { runs: 0, outage: { startMs: OUT, durationMs: 0 }, kubelet: { syncFrequencyMs: 0, version: '1.34' } });
    const problems = checkBlastRadiusInput(bad);
    assert.ok(problems.includes('runs: must be a whole number from 1 to 1000'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('outage.durationMs:')));
    assert.ok(problems.some((p) => p.startsWith('kubelet.syncFrequencyMs:')));
    const good = { ...bad, runs: 5, outage: { startMs: OUT, durationMs: H }, kubelet: { syncFrequencyMs: MIN, version: '1.34' as const } };
    const more = checkBlastRadiusInput(good);
    assert.deepEqual(more, [
      'pods[0].tokens[0].expirationSeconds: the API server rejects lifetimes under 10 minutes (600 s)',
      'pods[0].tokens[1]: the pod already has a token at v/t',
      'pods[0].anchor.issuedAtMs: has 1 issue time(s) for 2 token(s); give one per token, in token order',
      'pods[0].anchor.issuedAtMs[0]: falls inside the outage, when the API server issues no token',
    ]);
    assert.throws(() => runBlastRadius(good), /pods\[0\]\.tokens\[0\]\.expirationSeconds: the API server rejects lifetimes under 10 minutes/);
    assert.deepEqual(checkBlastRadiusInput(input([vault('ok', { kind: 'unknown' })])), []);
    assert.ok(checkBlastRadiusInput(input([], { apiServer: { audiences: [ISSUER], maxTokenExpirationSeconds: 60, extendTokenExpiration: true } }))[0]?.startsWith('apiServer.maxTokenExpirationSeconds:'));
    const many = input(Array.from({ length: 100_001 }, () => vault('x', { kind: 'unknown' })));
    assert.ok(checkBlastRadiusInput(many)[0]?.startsWith('pods: 100,001 pods'));
  });
});

describe('issuePlan (TokenIssuer.plan as a pure function)', () => {
  test('the method and the function agree', () => {
    const cfg = { issuer: ISSUER, audiences: [ISSUER, 'api'], maxTokenExpirationSeconds: 0, extendTokenExpiration: true };
    const issuer = new TokenIssuer(cfg, new ManualClock(0), createStream(1, 'x'));
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom<string[]>(['vault'], [ISSUER], ['api', ISSUER], []), { nil: undefined }),
        fc.option(fc.constantFrom(300, 600, 3600, 3607, 86_400, 2 ** 33), { nil: undefined }),
        fc.constantFrom('Pod', 'Secret', 'ConfigMap'),
        (audiences, expirationSeconds, kind) => {
          const tr: TokenRequest = { spec: { ...(audiences === undefined ? {} : { audiences }), ...(expirationSeconds === undefined ? {} : { expirationSeconds }), boundObjectRef: { kind, apiVersion: 'v1', name: 'p', uid: 'u' } } };
          assert.deepEqual(issuer.plan('ns', 'sa', tr), issuePlan(cfg, 'ns', 'sa', tr, defaultServiceAccountUid('ns', 'sa')));
        },
      ),
    );
  });
});

describe('blastPodScenario', () => {
  test("this pod's timeline: the engine runs it and shows the outage and the token expiring in it", () => {
    const inp = input([vault('a', { kind: 'started', startedAtMs: OUT - 2 * H }), kubeApi('b', { kind: 'unknown' }), daily('c', { kind: 'issued', issuedAtMs: [OUT - 3 * H, OUT - H] })]);
    inp.pods[2]?.tokens.push({ volume: 'spire', path: 'token2', audience: 'other', expirationSeconds: 86_400 });
    const s = blastPodScenario(inp, 0);
    assert.equal(s.start, OUT - 2 * H);
    assert.equal(s.start + s.horizonMs, OUT + 4 * H);
    assert.equal(s.seed, 1);
    assert.deepEqual(s.apiServer.outages, [{ from: 2 * H, to: 5 * H }]);
    const trace = runScenario(s);
    assert.ok(trace.events.some((e) => e.type === 'outageStart' && e.t === OUT));
    assert.ok(trace.events.some((e) => e.type === 'tokenExpired' && e.t > OUT && e.t < OUT + 3 * H));
    assert.ok(trace.lanes.some((l) => l.id === 'shop/a/vault/token'));
    // Unknown: one refresh cycle (48 min 6 s) before the outage; issued: the earliest issue time.
    assert.equal(blastPodScenario(inp, 1).start, OUT - 2886_000);
    assert.equal(blastPodScenario(inp, 2).start, OUT - 3 * H);
    assert.throws(() => blastPodScenario(inp, 9), /pods\[9\]/);
  });
});
