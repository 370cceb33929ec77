/**
 * Hand-made outage blast-radius results for the page's tests (the analysis itself is another module's):
 * a 3-hour outage over a shop-like cluster with four token kinds (the extended kube-api-access one,
 * Vault's 10 minutes, Istio's 12 hours, STS's 24 hours), 3,000 affected tokens and a recovery herd.
 * Deterministic (a small LCG), so counts and orders can be asserted.
 */
import type { AffectedToken, BlastRadiusResult, KindSummary, RecoveryHerd } from '../../src/sim/blastRadius/blastRadiusResult';

export const OUTAGE_START = Date.UTC(2026, 2, 10, 14, 0, 0);
export const OUTAGE_MS = 3 * 3600_000;
export const OUTAGE_END = OUTAGE_START + OUTAGE_MS;
export const RUNS = 20;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const KINDS: KindSummary[] = [
  {
    kind: { key: 'api|3607|ext', audience: null, requestedSeconds: 3607, issuedSeconds: 3607, jwtLifetimeSeconds: 31_536_000, extended: true },
    pods: 2000,
    tokens: 2000,
    certain: 1500,
    possible: 300,
    never: 200,
    expiredPerRun: { min: 1580, median: 1650, max: 1720 },
    earliestExpiryMs: { min: OUTAGE_START + 62_000, median: OUTAGE_START + 95_000, max: OUTAGE_START + 140_000 },
  },
  {
    kind: { key: 'vault|600', audience: 'vault', requestedSeconds: 600, issuedSeconds: 600, jwtLifetimeSeconds: 600, extended: false },
    pods: 800,
    tokens: 800,
    certain: 800,
    possible: 0,
    never: 0,
    expiredPerRun: { min: 800, median: 800, max: 800 },
    earliestExpiryMs: { min: OUTAGE_START + 1_000, median: OUTAGE_START + 2_000, max: OUTAGE_START + 4_000 },
  },
  {
    kind: { key: 'istio-ca|43200', audience: 'istio-ca', requestedSeconds: 43_200, issuedSeconds: 43_200, jwtLifetimeSeconds: 43_200, extended: false },
    pods: 600,
    tokens: 600,
    certain: 150,
    possible: 150,
    never: 300,
    expiredPerRun: { min: 190, median: 220, max: 260 },
    earliestExpiryMs: { min: OUTAGE_START + 30_000, median: OUTAGE_START + 120_000, max: OUTAGE_START + 300_000 },
  },
  {
    kind: { key: 'sts|86400', audience: 'sts.amazonaws.com', requestedSeconds: 86_400, issuedSeconds: 86_400, jwtLifetimeSeconds: 86_400, extended: false },
    pods: 400,
    tokens: 400,
    certain: 0,
    possible: 100,
    never: 300,
    expiredPerRun: { min: 2, median: 5, max: 9 },
    earliestExpiryMs: { min: OUTAGE_START + 600_000, median: OUTAGE_START + 2_400_000, max: OUTAGE_START + 5_100_000 },
  },
];

const NAMESPACES = ['shop', 'payments', 'search', 'auth', 'checkout'];
const APPS = ['web', 'api', 'worker', 'cart', 'ledger', 'indexer', 'session'];
const VOLUMES: Record<string, [string, string]> = {
  'api|3607|ext': ['kube-api-access-', 'token'],
  'vault|600': ['vault-token', 'token'],
  'istio-ca|43200': ['istio-token', 'istio-token'],
  'sts|86400': ['aws-iam-token', 'token'],
};

/** The affected tokens of KINDS (certain + possible of each), sorted as the result says: earliest expiry, namespace, pod, volume. */
function affectedTokens(rand: () => number, scale = 1): AffectedToken[] {
  const out: AffectedToken[] = [];
  let podIndex = 0;
  for (const k of KINDS) {
    const [volumePrefix, path] = VOLUMES[k.kind.key] as [string, string];
    const earliest = k.earliestExpiryMs as NonNullable<KindSummary['earliestExpiryMs']>;
    for (let v = 0; v < (k.certain + k.possible) * scale; v++) {
      const certain = v < k.certain * scale;
      const ns = NAMESPACES[Math.floor(rand() * NAMESPACES.length)] as string;
      const app = APPS[Math.floor(rand() * APPS.length)] as string;
      const suffix = Math.floor(rand() * 36 ** 5).toString(36).padStart(5, '0');
      const min = earliest.min + Math.floor(rand() * (OUTAGE_MS - (earliest.min - OUTAGE_START) - 600_000) / 1000) * 1000;
      const spread = Math.floor(rand() * 400) * 1000;
      const held = Math.min(OUTAGE_END - min, OUTAGE_END - min + 12_000);
      out.push({
        podIndex: podIndex++,
        tokenIndex: k.kind.key === 'vault|600' ? 1 : 0,
        namespace: ns,
        pod: `${app}-7d9f8c-${suffix}`,
        volume: volumePrefix.endsWith('-') ? `${volumePrefix}${suffix}` : volumePrefix,
        path,
        kindKey: k.kind.key,
        verdict: certain ? 'certain' : 'possible',
        runsExpired: certain ? RUNS : 1 + Math.floor(rand() * (RUNS - 1)),
        expiryMs: { min, median: min + Math.floor(spread / 2000) * 1000, max: min + spread },
        expiredForMs: { min: Math.max(10_000, held - spread - 3_000), median: Math.max(10_000, held - spread / 2), max: held + 3_000 },
        anchor: rand() < 0.7 ? 'started' : rand() < 0.5 ? 'issued' : 'unknown',
      });
    }
  }
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => a.expiryMs.min - b.expiryMs.min || byText(a.namespace, b.namespace) || byText(a.pod, b.pod) || byText(a.volume, b.volume));
}

/** Requests per second around the end of the outage: nothing while it lasts, every held-back refresh 10–15 s after it, then the baseline. */
function herd(rand: () => number, heldBack: boolean): RecoveryHerd {
  const fromMs = OUTAGE_END - 60_000;
  const mean: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  for (let i = 0; i < 240; i++) {
    const rel = i - 60;
    if (rel < 0) {
      mean.push(0);
      min.push(0);
      max.push(0);
    } else if (heldBack && rel >= 10 && rel < 15) {
      const m = 560 + Math.round(rand() * 40);
      mean.push(m);
      min.push(m - 40);
      max.push(m + 45);
    } else {
      const m = Math.round((1.5 + rand() * 2) * 10) / 10;
      mean.push(m);
      min.push(Math.max(0, m - 1.5));
      max.push(m + 2);
    }
  }
  return {
    binMs: 1000,
    fromMs,
    mean,
    min,
    max,
    peakPerSecond: heldBack ? { min: 540, median: 580, max: 620 } : { min: 3, median: 4, max: 6 },
    durationMs: heldBack ? { min: 14_000, median: 15_000, max: 16_500 } : { min: 0, median: 0, max: 0 },
    catchUpRequests: heldBack ? { min: 2890, median: 2950, max: 3000 } : { min: 0, median: 0, max: 0 },
    baselinePerSecond: 2.6,
    inFlightLimit: 200,
  };
}

export const ASSUMPTIONS = [
  'The API server refuses every TokenRequest during the outage and answers every one at once after it.',
  'A pod whose refresh failed retries at its next sync, 10 to 15 seconds later (the kubelet backs off on errors).',
  'Pods keep running through the outage: none is deleted, restarted or scheduled.',
  "Where only a pod's start time is known, the phase of its token in the refresh cycle is sampled from the kubelet's jitter.",
];

/** The realistic result: 4 kinds, 3,000 affected tokens, a herd of ≈3,000 catch-up requests. */
export function handResult(): BlastRadiusResult {
  const rand = lcg(12);
  return {
    outage: { startMs: OUTAGE_START, durationMs: OUTAGE_MS },
    runs: RUNS,
    seed: 1,
    pods: 3800,
    tokens: 3800,
    anchors: { issued: 900, started: 2600, unknown: 300 },
    kinds: KINDS,
    affected: affectedTokens(rand),
    herd: herd(rand, true),
    assumptions: ASSUMPTIONS,
  };
}

/** A large result: `scale` × the affected tokens (scale 10 → 30,000 rows). */
export function largeResult(scale: number): BlastRadiusResult {
  const rand = lcg(99);
  return { ...handResult(), affected: affectedTokens(rand, scale) };
}

/** A short outage nothing waits for: no refresh held back. */
export function quietResult(): BlastRadiusResult {
  const rand = lcg(5);
  return {
    outage: { startMs: OUTAGE_START, durationMs: 5 * 60_000 },
    runs: RUNS,
    seed: 1,
    pods: 10,
    tokens: 10,
    anchors: { issued: 10, started: 0, unknown: 0 },
    kinds: [{ ...(KINDS[0] as KindSummary), pods: 10, tokens: 10, certain: 0, possible: 0, never: 10, expiredPerRun: { min: 0, median: 0, max: 0 }, earliestExpiryMs: null }],
    affected: [],
    herd: herd(rand, false),
    assumptions: [],
  };
}
