/**
 * The floor for the kubelet simulation (issue 15, P1): the least a faithful simulation of N pods × one
 * projected token × a horizon with one API-server outage has to do, written as plainly as possible,
 * so that the engine's whole-process time can be compared with it (bench/sim-floor.ts runs both).
 *
 * What it keeps of the engine's behaviour (SPEC A.3, A.5, the pod-worker addendum, D.1):
 * - one heap of pod next-decision times (ties by pod index, as the engine's ranks);
 * - every sync re-queues after wait.Jitter(syncFrequency, 0.5), a failed sync after wait.Jitter(10 s,
 *   0.5): one PRNG draw per sync;
 * - the refresh decision (a jitter draw, `now > threshold − jitter`) only near the threshold; far
 *   from it a sync only draws its re-queue;
 * - a request in the outage is refused: a token that is still valid is served stale (the sync
 *   succeeds), an expired one fails the sync; a successful request is issued for `expirationSeconds`
 *   from the request's whole second.
 * What it leaves out: per-lane detail, the trace, the series, the token contents, the cache cleanup
 * (an expired entry and a removed one both end in a request, so the counts do not change).
 *
 * It draws from one stream for all pods (not one per pod as the engine does), so its counts agree
 * with the engine's statistically, not draw for draw: the benchmark checks them within 1 %.
 *
 * Run: node floorLoop.js [pods] [days] [outageFromHours] [outageHours]; prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { statusExpiration } from '../src/sim/apiserver/tokenIssuer';
import { MAX_DRAWN_JITTER_SECONDS, MAX_JITTER_SECONDS, refreshThreshold } from '../src/sim/kubelet/tokenManager';
import { FAILED_SYNC_BASE_MS, SYNC_JITTER_FACTOR } from '../src/sim/kubelet/podWorker';
import { createStream } from '../src/sim/random';

export interface FloorCase {
  pods: number;
  horizonMs: number;
  outage: { from: number; to: number };
  syncFrequencyMs: number;
  expirationSeconds: number;
  seed: number;
}

export interface FloorCounts {
  requests: number;
  failed: number;
  stale: number;
  issued: number;
  heapPops: number;
}

export function floorLoop(c: FloorCase): FloorCounts {
  const rnd = createStream(c.seed, 'floor');
  const n = c.pods;
  const end = c.horizonMs;
  const syncBase = c.syncFrequencyMs;
  const syncHalf = SYNC_JITTER_FACTOR * syncBase;
  const failHalf = SYNC_JITTER_FACTOR * FAILED_SYNC_BASE_MS;
  const maxJitterMs = MAX_DRAWN_JITTER_SECONDS * 1000;
  const { from, to } = c.outage;
  const exp = new Float64Array(n).fill(-Infinity);
  const thr = new Float64Array(n).fill(-Infinity);
  // The heap: pod indices ordered by (time, index).
  const at = new Float64Array(n);
  const heap = new Int32Array(n);
  let size = 0;
  const before = (a: number, b: number): boolean => (at[a] as number) < (at[b] as number) || ((at[a] as number) === (at[b] as number) && a < b);
  const push = (p: number): void => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = heap[parent] as number;
      if (!before(p, q)) break;
      heap[i] = q;
      i = parent;
    }
    heap[i] = p;
  };
  const pop = (): number => {
    const top = heap[0] as number;
    const last = heap[--size] as number;
    let i = 0;
    for (;;) {
      let c2 = 2 * i + 1;
      if (c2 >= size) break;
      if (c2 + 1 < size && before(heap[c2 + 1] as number, heap[c2] as number)) c2++;
      if (!before(heap[c2] as number, last)) break;
      heap[i] = heap[c2] as number;
      i = c2;
    }
    heap[i] = last;
    return top;
  };

  let requests = 0;
  let failed = 0;
  let stale = 0;
  let issued = 0;
  let heapPops = 0;
  for (let p = 0; p < n; p++) {
    at[p] = 0;
    push(p);
  }
  while (size > 0) {
    const p = pop();
    heapPops++;
    let t = at[p] as number;
    // Decide the syncs near the threshold (in an outage: every sync), then walk the quiet syncs up to
    // the next one that needs a decision, and go back into the heap.
    for (;;) {
      let fail = false;
      const j = exp[p] === -Infinity ? 0 : Math.floor(rnd.float() * MAX_JITTER_SECONDS);
      if (t > (thr[p] as number) - j * 1000) {
        requests++;
        if (t >= from && t < to) {
          failed++;
          if (t > (exp[p] as number)) fail = true;
          else stale++;
        } else {
          issued++;
          exp[p] = statusExpiration(t, c.expirationSeconds);
          thr[p] = refreshThreshold(c.expirationSeconds, exp[p] as number) as number;
        }
      }
      t += fail ? FAILED_SYNC_BASE_MS + Math.floor(rnd.float() * failHalf) : syncBase + Math.floor(rnd.float() * syncHalf);
      const quietUntil = (thr[p] as number) - maxJitterMs;
      if (t > end || t > quietUntil) {
        if (t > end) break;
        continue;
      }
      while (t <= quietUntil && t <= end) t += syncBase + Math.floor(rnd.float() * syncHalf);
      break;
    }
    if (t <= end) {
      at[p] = t;
      push(p);
    }
  }
  return { requests, failed, stale, issued, heapPops };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The P1 case by default: 10,000 pods × kube-api-access (3607 s) × 7 days, 1 m sync, 2 h outage at +3 d. */
export function floorCase(pods = 10_000, days = 7, outageFromHours = 72, outageHours = 2): FloorCase {
  const from = outageFromHours * HOUR;
  return { pods, horizonMs: days * DAY, outage: { from, to: from + outageHours * HOUR }, syncFrequencyMs: 60_000, expirationSeconds: 3607, seed: 42 };
}

if (require.main === module) {
  const [pods, days, fromH, hours] = process.argv.slice(2).map(Number);
  const t0 = performance.now();
  const counts = floorLoop(floorCase(pods || undefined, days || undefined, fromH || undefined, hours || undefined));
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ...counts, loopMs: Math.round(ms), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}
