/**
 * Scale benchmark of the simulation core (prints figures, never fails on time):
 * 10,000 pods × one kube-api-access token (3607 s), 7 days, 1 m sync, one 2 h API-server outage,
 * skip mode; then skip vs step on 500 pods × 1 day (same shape).
 * Targets: ≤ 3 s wall, ≤ 1 GB peak RSS, skip ≥ 100× faster than stepping (median to median, issue 15).
 * The whole-process P1 figures (simulate vs a floor loop) are in bench/sim-floor.ts.
 *
 * Build and run:
 *   npx esbuild --bundle --platform=node --format=cjs bench/sim-scale.ts --outfile=/tmp/sim-scale.js && node /tmp/sim-scale.js
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { runScenarioWithStats, type RunStats } from '../src/sim/engine/run';
import type { Scenario } from '../src/sim/scenario/types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function scenario(pods: number, horizonMs: number, outage: { from: number; to: number }, maxDetailedLanes: number): Scenario {
  const issuer = 'https://kubernetes.default.svc.cluster.local';
  return {
    name: `bench ${pods} pods`,
    seed: 42,
    start: Date.UTC(2025, 0, 6),
    horizonMs,
    kubelet: { syncFrequencyMs: MIN, version: '1.34' },
    apiServer: { issuer, audiences: [issuer], maxTokenExpirationSeconds: 0, extendTokenExpiration: true, outages: [outage], errorRate: 0, latencyMs: 0 },
    pods: Array.from({ length: pods }, (_, i) => ({
      name: `app-${i}`,
      namespace: `ns-${i % 50}`,
      serviceAccount: 'default',
      uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      tokens: [{ path: 'kube-api-access/token', expirationSeconds: 3607 }],
    })),
    refreshers: [],
    output: { maxDetailedLanes, seriesIntervalMs: MIN },
  };
}

function timed(s: Scenario, mode: 'skip' | 'step'): { ms: number; stats: RunStats; json: number } {
  const t0 = performance.now();
  const { trace, stats } = runScenarioWithStats(s, { mode });
  const ms = performance.now() - t0;
  return { ms, stats, json: JSON.stringify(trace).length };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * `node sim-scale.js` runs the big run here and the ratio part in a fresh Node process: the big run
 * leaves a heap of several hundred MB behind, whose major GCs would otherwise be billed to the short
 * runs. `… big` or `… ratio` runs one part only.
 */
const only = process.argv[2];
if (only !== 'ratio') bigRun();
if (only === undefined) {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, 'ratio'], { stdio: 'inherit' });
  if (child.status !== 0) process.exitCode = 1;
}

function bigRun(): void {
  const big = scenario(10_000, 7 * DAY, { from: 3 * DAY, to: 3 * DAY + 2 * HOUR }, 200);
  const r = timed(big, 'skip');
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log('10,000 pods × 1 token (3607 s), 7 days, 1 m sync, 2 h outage, skip mode, 200 detailed lanes');
  console.log(`  wall            ${fmt(r.ms)} ms (target ≤ 3000 ms)`);
  console.log(`  scheduler       ${fmt(r.stats.schedulerEvents)} events, ${fmt((r.stats.schedulerEvents / r.ms) * 1000)} events/s`);
  console.log(`  trace           ${fmt(r.stats.traceEvents)} events, ${fmt((r.stats.traceEvents / r.ms) * 1000)} events/s, ${fmt(r.json / 1024)} KiB JSON`);
  console.log(`  pod syncs       ≈${fmt((10_000 * 7 * DAY) / (75 * 1000))} simulated (mean interval 75 s), ${fmt((10_000 * 7 * DAY) / (75 * 1000) / (r.ms / 1000))} syncs/s`);
  console.log(`  peak RSS        ${fmt(rssMb)} MB (target ≤ 1024 MB)`);
}

// Skip vs step on 500 pods × 1 day. A skip run takes ~10 ms, so JIT warm-up and this shared
// machine's noise dominate single runs: warm both paths on every configuration first, then time
// step 5× and skip 40×, and report the ratio of the best runs (the least disturbed) and of the medians.
const configs: [string, { from: number; to: number }[], number][] = [
  ['no outage, 10 detailed lanes (2 %, as above)', [], 10],
  ['2 h outage, 10 detailed lanes (2 %, as above)', [{ from: 10 * HOUR, to: 12 * HOUR }], 10],
  ['2 h outage, 200 detailed lanes (40 %)', [{ from: 10 * HOUR, to: 12 * HOUR }], 200],
];
const smalls = configs.map(([, outages, detailed]) => {
  const sc = scenario(500, DAY, { from: 0, to: 0 }, detailed);
  sc.apiServer.outages = [...outages];
  return sc;
});

function sample(sc: Scenario, mode: 'skip' | 'step', n: number): { best: number; median: number; events: number; trace: number } {
  const runs = Array.from({ length: n }, () => timed(sc, mode));
  const ms = runs.map((x) => x.ms).sort((a, b) => a - b);
  return { best: ms[0] as number, median: ms[Math.floor(n / 2)] as number, events: runs[0]?.stats.schedulerEvents ?? 0, trace: runs[0]?.stats.traceEvents ?? 0 };
}

if (only === 'ratio') {
  for (const sc of smalls) {
    sample(sc, 'step', 2);
    sample(sc, 'skip', 10);
  }
  configs.forEach(([label], i) => {
    const sc = smalls[i] as Scenario;
    const step = sample(sc, 'step', 5);
    const skip = sample(sc, 'skip', 40);
    console.log(`500 pods × 1 day, ${label}`);
    console.log(`  step ${fmt(step.best)} ms best, ${fmt(step.median)} ms median (${fmt(step.events)} scheduler events)`);
    console.log(`  skip ${(skip.best).toFixed(1)} ms best, ${skip.median.toFixed(1)} ms median (${fmt(skip.events)} scheduler events, ${fmt(skip.trace)} trace events)`);
    console.log(`  → ${(step.best / skip.best).toFixed(1)}× faster best to best, ${(step.median / skip.median).toFixed(1)}× median to median (target ≥ 100×, median to median)`);
  });
}
