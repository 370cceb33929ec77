/**
 * Whole-process benchmark of `kube-token-lens simulate` (summary output) against the floor loop
 * (bench/floorLoop.ts), issue 15 P1 and Scale. Prints figures next to their targets, never fails on time.
 *
 * P1: 10,000 pods × one kube-api-access token (3607 s) × 7 days, 1 m sync, one 2 h outage at +3 d.
 *   `node dist/cli.js simulate <file>` and `node floorLoop.js` run in turn (A B A B …), each a fresh
 *   process; wall time from spawn to exit, peak RSS from the child's own resource usage at exit.
 *   Targets: CLI ≤ 1.4× the floor (median of the pairwise ratios), ≤ 300 MB peak RSS, and the two
 *   count the same token requests within 1 %.
 * Scale: the same shape at 1k/10k/50k/100k pods × 7 d and 10k pods × 1/7/30/90 d, one process each.
 *
 * Needs dist/cli.js (npm run bench builds it). `node sim-floor.js p1|scale|explicit` runs one part;
 * RUNS=n sets the P1 pairs (default 5); KTL_CLI=path runs another build of the CLI (a baseline).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';

const root = resolve(__dirname, '..', '..');
const cli = process.env.KTL_CLI ?? join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'ktl-sim-floor-'));

// The floor loop as its own small bundle, and a preload that reports a process's peak RSS at exit.
const floorJs = join(dir, 'floorLoop.js');
buildSync({ entryPoints: [join(root, 'bench', 'floorLoop.ts')], outfile: floorJs, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
const peakJs = join(dir, 'peakRss.cjs');
writeFileSync(peakJs, "process.on('exit', () => require('fs').writeSync(2, '\\npeak-rss-kb ' + process.resourceUsage().maxRSS + '\\n'));\n");

/**
 * The scenario as a user writes it at this scale: 50 deployments (one per namespace) of pods × 1
 * kube-api-access token; `explicit` lists every pod (as an export of a cluster would).
 */
function scenarioFile(pods: number, days: number, explicit = false): string {
  const lines = [
    `name: ${pods} pods, ${days} d`,
    'seed: 42',
    'start: 2025-01-06T00:00:00Z',
    `horizon: ${days * 24}h`,
    'kubelet: { syncFrequency: 1m, version: "1.34" }',
    'apiServer:',
    '  extendTokenExpiration: true',
    '  outages:',
    `    - { from: ${Math.min(72, (days * 24) / 2)}h, to: ${Math.min(72, (days * 24) / 2) + 2}h }`,
    'pods:',
  ];
  const token = '[{ path: kube-api-access/token, expirationSeconds: 3607 }]';
  const groups = Math.min(50, pods);
  if (explicit) {
    for (let i = 0; i < pods; i++) lines.push(`  - { name: app-${i}, namespace: ns-${i % groups}, tokens: ${token} }`);
  } else {
    for (let g = 0; g < groups; g++) {
      const replicas = Math.floor(pods / groups) + (g < pods % groups ? 1 : 0);
      lines.push(`  - { name: app, namespace: ns-${g}, replicas: ${replicas}, tokens: ${token} }`);
    }
  }
  lines.push('output: { maxDetailedLanes: 200, seriesInterval: 1m }');
  const file = join(dir, `${pods}-pods-${days}d${explicit ? '-explicit' : ''}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

interface Run {
  ms: number;
  peakMb: number;
  stdout: string;
}

function spawnTimed(args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', peakJs, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /peak-rss-kb (\d+)/.exec(r.stderr);
  return { ms, peakMb: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

/** The engine's count of token requests, from the summary's Totals line. */
function engineRequests(summary: string): number {
  const m = /Totals: .*?(\d+) TokenRequests/.exec(summary);
  if (!m) throw new Error('no Totals line in the summary');
  return Number(m[1]);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)] as number;
const spread = (xs: number[], digits = 0): string => {
  const s = sorted(xs);
  const f = (n: number): string => (digits === 0 ? fmt(n) : n.toFixed(digits));
  return `min ${f(s[0] as number)} / median ${f(median(s))} / max ${f(s[s.length - 1] as number)}`;
};

function p1(): void {
  const runs = Number(process.env.RUNS ?? 5);
  const file = scenarioFile(10_000, 7);
  // One warm-up each (file cache, CPU frequency), not counted.
  spawnTimed([cli, 'simulate', file]);
  spawnTimed([floorJs]);
  const engine: Run[] = [];
  const floor: Run[] = [];
  for (let i = 0; i < runs; i++) {
    engine.push(spawnTimed([cli, 'simulate', file]));
    floor.push(spawnTimed([floorJs]));
  }
  const ratios = engine.map((e, i) => e.ms / (floor[i] as Run).ms);
  const eReq = engineRequests((engine[0] as Run).stdout);
  const fReq = (JSON.parse((floor[0] as Run).stdout) as { requests: number }).requests;
  const diff = (100 * Math.abs(eReq - fReq)) / fReq;
  console.log(`P1: 10,000 pods × 1 token (3607 s) × 7 d, 1 m sync, 2 h outage; simulate (summary) vs floor loop, ${runs} pairs, whole processes`);
  console.log(`  simulate wall   ${spread(engine.map((r) => r.ms))} ms`);
  console.log(`  floor wall      ${spread(floor.map((r) => r.ms))} ms`);
  console.log(`  ratio           ${spread(ratios, 2)}× (target ≤ 1.40×, median of pairs)`);
  console.log(`  simulate peak   ${spread(engine.map((r) => r.peakMb))} MB RSS (target ≤ 300 MB)`);
  console.log(`  floor peak      ${spread(floor.map((r) => r.peakMb))} MB RSS`);
  console.log(`  token requests  simulate ${fmt(eReq)}, floor ${fmt(fReq)}: ${diff.toFixed(3)} % apart (target ≤ 1 %)`);
}

function explicitFile(): void {
  const file = scenarioFile(10_000, 7, true);
  const r = [spawnTimed([cli, 'simulate', file]), spawnTimed([cli, 'simulate', file]), spawnTimed([cli, 'simulate', file])];
  console.log('P1 shape with every pod written out (10,000 list items instead of 50 deployments), 3 runs');
  console.log(`  simulate wall   ${spread(r.map((x) => x.ms))} ms, peak ${spread(r.map((x) => x.peakMb))} MB RSS`);
}

function scale(): void {
  console.log('Scale (summary mode, 200 detailed lanes, one process per case, one run each)');
  const cases: [number, number][] = [
    [1_000, 7],
    [10_000, 7],
    [50_000, 7],
    [100_000, 7],
    [10_000, 1],
    [10_000, 30],
    [10_000, 90],
  ];
  for (const [pods, days] of cases) {
    const r = spawnTimed([cli, 'simulate', scenarioFile(pods, days)]);
    const pdays = (pods * days) / 1000;
    console.log(`  ${fmt(pods).padStart(7)} pods × ${String(days).padStart(2)} d   wall ${fmt(r.ms).padStart(6)} ms   peak ${fmt(r.peakMb).padStart(4)} MB RSS   (${(r.ms / pdays).toFixed(1)} ms per 1,000 pod-days, ${fmt(engineRequests(r.stdout))} token requests)`);
  }
}

const only = process.argv[2];
if (only === undefined || only === 'p1') p1();
if (only === undefined || only === 'explicit') explicitFile();
if (only === undefined || only === 'scale') scale();
