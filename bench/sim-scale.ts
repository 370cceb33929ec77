/**
 * Scale benchmark of the simulation core (prints figures, never fails on time):
 * 10,000 pods × one kube-api-access token (3607 s), 7 days, 1 m sync, one 2 h API-server outage,
 * skip mode; then skip vs step on 500 pods × 1 day (same shape).
 * Targets: ≤ 3 s wall, ≤ 1 GB peak RSS, skip ≥ 50× faster than stepping.
 *
 * Build and run:
 *   npx esbuild --bundle --platform=node --format=cjs bench/sim-scale.ts --outfile=/tmp/sim-scale.js && node /tmp/sim-scale.js
 */
import { performance } from 'node:perf_hooks';
import { runScenarioWithStats, type RunStats } from '../src/sim/scenario/run';
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

const only = process.argv[2]; // "big" or "ratio" to run one part
if (only !== 'ratio') bigRun();

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

// Skip vs step: warm the JIT on both paths first, then take the median of three runs each.
function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
}
for (const [label, outages, detailed] of only === 'big' ? [] : ([
  ['2 h outage, 200 detailed lanes', [{ from: 10 * HOUR, to: 12 * HOUR }], 200],
  ['2 h outage, 20 detailed lanes', [{ from: 10 * HOUR, to: 12 * HOUR }], 20],
  ['no outage, 20 detailed lanes', [], 20],
] as const)) {
  const small = scenario(500, DAY, outages[0] ?? { from: 0, to: 0 }, detailed);
  if (outages.length === 0) small.apiServer.outages = [];
  timed(small, 'step');
  timed(small, 'skip');
  const step = [0, 1, 2].map(() => timed(small, 'step'));
  const skip = [0, 1, 2].map(() => timed(small, 'skip'));
  const stepMs = median(step.map((x) => x.ms));
  const skipMs = median(skip.map((x) => x.ms));
  console.log(
    `500 pods × 1 day, ${label}: step ${fmt(stepMs)} ms (${fmt(step[0]?.stats.schedulerEvents ?? 0)} events), ` +
      `skip ${fmt(skipMs)} ms (${fmt(skip[0]?.stats.schedulerEvents ?? 0)} events) → ${(stepMs / skipMs).toFixed(1)}× faster (target ≥ 50×)`,
  );
}
