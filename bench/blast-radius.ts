// How fast the outage blast-radius analysis (src/sim/blastRadius) answers for a cluster-sized scope:
// 5,000 pods × 1 token with a realistic mix of lifetimes and ages (minutes to 30 days), with 1 run and
// with 20 runs side by side, and 50,000 pods × 20 runs as a scaling line. Prints figures only; the
// target (issue 12) is printed next to them.
import { runBlastRadius } from '../src/sim/blastRadius/blastRadius';
import type { BlastPod, BlastRadiusInput, BlastToken } from '../src/sim/blastRadius/blastRadiusInput';
import { createStream } from '../src/sim/random';

const DAY = 86_400_000;
const OUTAGE_START = Date.UTC(2026, 5, 1, 12);

/** The token mix: kube-api-access (3607, extended), a 600 s Vault token, 1 h, 12 h and 24 h audiences. */
const MIX: Array<[number, BlastToken]> = [
  [0.5, { volume: 'kube-api-access-x7k2p', path: 'token', expirationSeconds: 3607 }],
  [0.15, { volume: 'vault-token', path: 'token', audience: 'vault', expirationSeconds: 600 }],
  [0.15, { volume: 'aws-iam-token', path: 'token', audience: 'sts.amazonaws.com', expirationSeconds: 3600 }],
  [0.1, { volume: 'istio-token', path: 'istio-token', audience: 'istio-ca', expirationSeconds: 43_200 }],
  [0.1, { volume: 'spire-token', path: 'token', audience: 'spire-server', expirationSeconds: 86_400 }],
];

function pods(count: number): BlastPod[] {
  const r = createStream(7, 'bench/blast-radius');
  const out: BlastPod[] = [];
  for (let i = 0; i < count; i++) {
    let u = r.float();
    let token = MIX[0]?.[1] as BlastToken;
    for (const [p, t] of MIX) {
      if (u < p) {
        token = t;
        break;
      }
      u -= p;
    }
    // Ages log-uniform from 5 minutes to 30 days (most pods are young, some are old).
    const age = Math.exp(Math.log(5 * 60_000) + r.float() * (Math.log(30 * DAY) - Math.log(5 * 60_000)));
    out.push({ namespace: `ns-${i % 40}`, name: `pod-${i}`, serviceAccount: 'default', anchor: { kind: 'started', startedAtMs: Math.round(OUTAGE_START - age) }, tokens: [token] });
  }
  return out;
}

function input(podList: BlastPod[], runs: number): BlastRadiusInput {
  return {
    outage: { startMs: OUTAGE_START, durationMs: 3 * 3600_000 },
    runs,
    seed: 1,
    kubelet: { syncFrequencyMs: 60_000, version: '1.34' },
    apiServer: { audiences: ['https://kubernetes.default.svc.cluster.local'], maxTokenExpirationSeconds: 0, extendTokenExpiration: true },
    pods: podList,
  };
}

const mib = (b: number): string => `${(b / 1048576).toFixed(0)} MiB`;

function measure(label: string, podCount: number, runs: number, target: string): void {
  const list = pods(podCount);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  let peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const result = runBlastRadius(input(list, runs), {
    onProgress: () => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    },
  });
  const ms = performance.now() - t0;
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
  const perRun = ms / runs;
  console.log(
    `${label.padEnd(26)} ${ms.toFixed(0).padStart(7)} ms (target ${target})  ${perRun.toFixed(0).padStart(6)} ms/run  ` +
      `${((ms * 1e6) / (podCount * runs)).toFixed(0).padStart(6)} ns/pod-run  peak RSS ${mib(peakRss)}  heap +${mib(peakHeap - heapBefore)}  ` +
      `${result.affected.length} affected, herd peak ${result.herd.peakPerSecond.max}/s`,
  );
}

measure('5,000 pods × 1 run', 5000, 1, 'none; for comparison');
measure('5,000 pods × 20 runs', 5000, 20, '≤ 10 s, aim ≤ 2 s');
measure('50,000 pods × 20 runs', 50_000, 20, 'none; scaling line');
