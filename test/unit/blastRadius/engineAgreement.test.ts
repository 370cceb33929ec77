// The blast-radius analysis against the real engine: the same pods, the same outage, many seeds on
// each side; the expiry probability, the mean delay of the first TokenRequest after the outage and
// the requests in the 10 minutes after it must agree within 4 standard errors. Deterministic seeds,
// so a failure is a real disagreement, not bad luck.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../../src/sim/engine/run';
import { podScenario } from '../../../src/sim/scenario/podScenario';
import { API_SERVER_DEFAULTS } from '../../../src/sim/apiserver/section';
import type { Trace } from '../../../src/sim/trace';
import { createStream } from '../../../src/sim/random';
import { runBlastRadius } from '../../../src/sim/blastRadius/blastRadius';
import type { BlastPod, BlastRadiusInput } from '../../../src/sim/blastRadius/blastRadiusInput';
import { AFTER_OUTAGE_MS, historyContext, planPodHistory, sampleHistory } from '../../../src/sim/blastRadius/podHistory';

const MIN = 60_000;
const START = Date.UTC(2026, 2, 1, 6);
// Started 3 h 55 min before: the kube-api-access token's fifth refresh falls inside the outage and its
// expiry (about 11 min later) near the outage end, so whether it expires is up to the jitter.
const OUTAGE_START = START + 235 * MIN;
const OUTAGE_MS = 20 * MIN;
const OUTAGE_END = OUTAGE_START + OUTAGE_MS;
const RUNS = 400;

interface Case {
  label: string;
  pod: BlastPod;
}

const CASES: Case[] = [
  {
    label: '600 s vault token',
    pod: { namespace: 'shop', name: 'vault-0', serviceAccount: 'web', anchor: { kind: 'started', startedAtMs: START }, tokens: [{ volume: 'vault', path: 'token', audience: 'vault', expirationSeconds: 600 }] },
  },
  {
    label: '3607 s kube-api-access token',
    pod: { namespace: 'shop', name: 'web-0', serviceAccount: 'web', anchor: { kind: 'started', startedAtMs: START }, tokens: [{ volume: 'kube-api-access-abcde', path: 'token', expirationSeconds: 3607 }] },
  },
];

function input(pod: BlastPod): BlastRadiusInput {
  return {
    outage: { startMs: OUTAGE_START, durationMs: OUTAGE_MS },
    runs: RUNS,
    seed: 1000,
    kubelet: { syncFrequencyMs: MIN, version: '1.34' },
    apiServer: { audiences: [API_SERVER_DEFAULTS.issuer], maxTokenExpirationSeconds: 0, extendTokenExpiration: true },
    pods: [pod],
  };
}

/** Per run: expired?, the first successful request in [end, end + 10 min) (NaN: none), requests there. */
interface Sample {
  expired: boolean;
  firstDelay: number;
  requests: number;
}

function engineSamples(pod: BlastPod): Sample[] {
  const t = pod.tokens[0];
  assert.ok(t !== undefined);
  const out: Sample[] = [];
  for (let seed = 1; seed <= RUNS; seed++) {
    const s = podScenario({
      start: START,
      horizonMs: OUTAGE_END + 60 * MIN - START,
      seed,
      syncFrequencyMs: MIN,
      pod: { name: pod.name, namespace: pod.namespace, serviceAccount: pod.serviceAccount, uid: 'uid-1' },
      tokens: [{ path: `${t.volume}/${t.path}`, ...(t.audience === undefined ? {} : { audiences: [t.audience] }), ...(t.expirationSeconds === undefined ? {} : { expirationSeconds: t.expirationSeconds }) }],
    });
    s.apiServer.outages = [{ from: OUTAGE_START - START, to: OUTAGE_END - START }];
    const trace: Trace = runScenario(s);
    const lane = `${pod.namespace}/${pod.name}/${t.volume}/${t.path}`;
    const events = trace.events.filter((e) => e.lane === lane);
    // tokenExpired is dated at the first expired instant (apiserver/tokenFile.ts).
    const expired = events.some((e) => e.type === 'tokenExpired' && e.t >= OUTAGE_START && e.t < OUTAGE_END + AFTER_OUTAGE_MS);
    const after = events.filter((e) => e.type === 'tokenRequest' && e.ok === true && e.t >= OUTAGE_END && e.t < OUTAGE_END + AFTER_OUTAGE_MS);
    out.push({ expired, firstDelay: after.length > 0 ? (after[0]?.t ?? NaN) - OUTAGE_END : NaN, requests: after.length });
  }
  return out;
}

function analysisSamples(pod: BlastPod): Sample[] {
  const inp = input(pod);
  const ctx = historyContext(inp);
  const plan = planPodHistory(inp, 0);
  const out: Sample[] = [];
  for (let k = 0; k < RUNS; k++) {
    const s: Sample = { expired: false, firstDelay: NaN, requests: 0 };
    sampleHistory(plan, ctx, createStream(inp.seed + k, plan.streamId), {
      request(t) {
        if (t < OUTAGE_END || t >= OUTAGE_END + AFTER_OUTAGE_MS) return;
        if (Number.isNaN(s.firstDelay)) s.firstDelay = t - OUTAGE_END;
        s.requests++;
      },
      expired() {
        s.expired = true;
      },
    });
    out.push(s);
  }
  return out;
}

function meanAndVar(xs: number[]): { mean: number; variance: number; n: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1);
  return { mean, variance, n };
}

function assertClose(label: string, a: number[], b: number[]): void {
  assert.ok(a.length > 0 && b.length > 0, `${label}: no samples (engine ${a.length}, analysis ${b.length})`);
  const x = meanAndVar(a);
  const y = meanAndVar(b);
  const se = Math.sqrt(x.variance / x.n + y.variance / y.n);
  const diff = Math.abs(x.mean - y.mean);
  if (se === 0) assert.equal(x.mean, y.mean, `${label}: engine ${x.mean} vs analysis ${y.mean}`);
  else assert.ok(diff <= 4 * se, `${label}: engine ${x.mean.toFixed(4)} vs analysis ${y.mean.toFixed(4)}, |diff| ${diff.toFixed(4)} > 4 SE ${(4 * se).toFixed(4)}`);
}

describe('blast radius vs the engine (kubelet model) over 400 seeds each', () => {
  for (const c of CASES) {
    test(c.label, () => {
      const engine = engineSamples(c.pod);
      const analysis = analysisSamples(c.pod);
      const result = runBlastRadius(input(c.pod));
      // The result's verdict is the histories' count.
      const runsExpired = result.affected[0]?.runsExpired ?? 0;
      assert.equal(runsExpired, analysis.filter((s) => s.expired).length);
      // Expiry probability (binomial standard errors).
      assertClose(
        'expiry probability',
        engine.map((s) => (s.expired ? 1 : 0)),
        analysis.map((s) => (s.expired ? 1 : 0)),
      );
      // Mean delay of the first request after the outage (among runs with one within 10 min), and how often there is one.
      assertClose(
        'a request within 10 min after the outage',
        engine.map((s) => (Number.isNaN(s.firstDelay) ? 0 : 1)),
        analysis.map((s) => (Number.isNaN(s.firstDelay) ? 0 : 1)),
      );
      assertClose(
        'first-request delay (ms)',
        engine.filter((s) => !Number.isNaN(s.firstDelay)).map((s) => s.firstDelay),
        analysis.filter((s) => !Number.isNaN(s.firstDelay)).map((s) => s.firstDelay),
      );
      // The herd: requests in the 10 minutes after the outage, engine vs the result's mean bins.
      const herdAfter = result.herd.mean.slice(Math.round((OUTAGE_END - result.herd.fromMs) / 1000)).reduce((a, b) => a + b, 0);
      const analysisRequests = analysis.map((s) => s.requests);
      assert.ok(Math.abs(herdAfter - meanAndVar(analysisRequests).mean) < 1e-9);
      assertClose(
        'requests in the 10 minutes after the outage',
        engine.map((s) => s.requests),
        analysisRequests,
      );
      if (c.pod.tokens[0]?.expirationSeconds === 600) assert.equal(result.affected[0]?.verdict, 'certain');
    });
  }
});
