/**
 * The outage blast-radius analysis: for every pod and every run k (seed + k), one sampled history of
 * the pod's kubelet pod worker (podHistory.ts), summarised per token kind, per affected token and as
 * the recovery herd of TokenRequests at the end of the outage (blastRadiusResult.ts).
 *
 * Synchronous and pure; memory holds no per-sync data: per run the herd's bins and a few counters,
 * per token and run only its expiry and how long it lasted (for the spreads), per pod at a time.
 */
import { createStream } from '../random';
import { formatDuration } from '../units/duration';
import { DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT, type BlastRadiusInput, type PodAnchor } from './blastRadiusInput';
import type { AffectedToken, BlastRadiusResult, KindSummary, RecoveryHerd, TokenKind } from './blastRadiusResult';
import { checkBlastRadiusInput } from './inputChecks';
import { AFTER_OUTAGE_MS, HistoryState, historyContext, planPodHistory, sampleHistory, unknownStartWindowMs, UNKNOWN_START_CYCLES, UNKNOWN_START_MIN_WINDOW_MS, type HistorySink, type IssuedKind, type PodHistoryPlan } from './podHistory';
import { spreadOf, spreadOrZero } from './spread';

export interface BlastRadiusOptions {
  /** Called with the fraction of pods done (0..1) after about every 1 % of them. */
  onProgress?: (fraction: number) => void;
}

/** The herd's bins: one second each, from a minute before the outage end to the end of the histories. */
export const HERD_BIN_MS = 1000;
export const HERD_LEAD_MS = 60_000;
/** The steady state the herd is compared with: the hour before the outage. */
export const BASELINE_WINDOW_MS = 3600_000;

export function tokenKindKey(k: IssuedKind): string {
  return JSON.stringify([k.audience, k.requestedSeconds, k.issuedSeconds, k.extended]);
}

interface KindAcc {
  kind: TokenKind;
  pods: number;
  tokens: number;
  certain: number;
  possible: number;
  never: number;
  expiredPerRun: Float64Array;
  /** Per run the first expiry (Infinity: none). */
  earliest: Float64Array;
  lastPod: number;
}

/** Collects what the histories of one pod report, run by run. */
class PodCollector implements HistorySink {
  run = 0;
  plan!: PodHistoryPlan;
  /** Per token × run: expiry (NaN: did not expire in that run) and how long the file held it expired. */
  expiry = new Float64Array(0);
  expiredFor = new Float64Array(0);
  /** Tokens of each entry of the current pod. */
  tokensOf: number[][] = [];

  constructor(
    private readonly runs: number,
    private readonly herdFrom: number,
    private readonly bins: number,
    readonly herd: Int32Array,
    readonly baseline: Float64Array,
    readonly catchUp: Float64Array,
    readonly catchUpLast: Float64Array,
    private readonly baselineFrom: number,
    private readonly outageStart: number,
  ) {}

  startPod(plan: PodHistoryPlan): void {
    this.plan = plan;
    const size = plan.entryOf.length * this.runs;
    if (this.expiry.length < size) {
      this.expiry = new Float64Array(size);
      this.expiredFor = new Float64Array(size);
    }
    this.expiry.fill(NaN, 0, size);
    this.tokensOf = Array.from({ length: plan.issuedSeconds.length }, () => []);
    plan.entryOf.forEach((e, i) => this.tokensOf[e]?.push(i));
  }

  request(t: number, _entry: number, catchUp: boolean): void {
    const k = this.run;
    const bin = Math.floor((t - this.herdFrom) / HERD_BIN_MS);
    if (bin >= 0 && bin < this.bins) this.herd[k * this.bins + bin] = (this.herd[k * this.bins + bin] as number) + 1;
    if (t >= this.baselineFrom && t < this.outageStart) this.baseline[k] = (this.baseline[k] as number) + 1;
    if (catchUp) {
      this.catchUp[k] = (this.catchUp[k] as number) + 1;
      this.catchUpLast[k] = Math.max(this.catchUpLast[k] as number, t);
    }
  }

  expired(entry: number, expiry: number, replacedAt: number): void {
    for (const i of this.tokensOf[entry] ?? []) {
      const at = i * this.runs + this.run;
      // The first counted stretch of the run is the one reported.
      if (!Number.isNaN(this.expiry[at] as number)) continue;
      this.expiry[at] = expiry;
      // Expired instants expiry + 1 … replacedAt − 1 (SPEC A.4 strict).
      this.expiredFor[at] = replacedAt - expiry - 1;
    }
  }
}

function assumptions(input: BlastRadiusInput, unknownWindows: Set<number>, extended: boolean): string[] {
  const sync = formatDuration(input.kubelet.syncFrequencyMs);
  const out = [
    `Each pod's kubelet runs without restarts for the whole history; the pod syncs every ${sync} plus the kubelet's random delay of up to half that (10–15 s after a failed sync), with no other triggers.`,
    `The kubelet's token manager follows its ${input.kubelet.version} rules: it refreshes a token after 80 % of its lifetime (or after 24 h), ${input.kubelet.version === '1.19' ? 'without jitter' : 'minus a random 0–9 s at every check'}.`,
    'Before the outage the API server answers every TokenRequest at once; during the outage it refuses every connection; after it, no TokenRequest is throttled or fails.',
    "A token counts as expired when the pod's file still holds it after the expiry the kubelet was given by the TokenRequest (status.expirationTimestamp), during the outage or after it before the kubelet's next sync.",
  ];
  if (unknownWindows.size > 0) {
    const windows = [...unknownWindows].sort((a, b) => a - b).map(formatDuration);
    out.push(
      `For pods whose start and token issue times are unknown, each run draws the pod's start at random in the ${windows.join(' / ')} before the outage ` +
        `(at least ${formatDuration(UNKNOWN_START_MIN_WINDOW_MS)}, or ${UNKNOWN_START_CYCLES} refresh cycles of the pod's longest-lived token), so where each token is in its refresh cycle is left to chance.`,
    );
  }
  if (extended) {
    out.push(
      'kube-api-access tokens get a one-year JWT from the API server (--service-account-extend-token-expiration): the kubelet sees them expire after about an hour and pod syncs fail, but the API server still accepts the JWT.',
    );
  }
  out.push(`Every figure is a range over ${input.runs} simulated run${input.runs === 1 ? '' : 's'}, not a forecast.`);
  return out;
}

/** Runs the analysis; throws with the problems of checkBlastRadiusInput on invalid input. */
export function runBlastRadius(input: BlastRadiusInput, opts: BlastRadiusOptions = {}): BlastRadiusResult {
  const problems = checkBlastRadiusInput(input);
  if (problems.length > 0) throw new Error(`invalid blast-radius input:\n${problems.join('\n')}`);
  const runs = input.runs;
  const ctx = historyContext(input);
  const herdFrom = ctx.outageEnd - HERD_LEAD_MS;
  const bins = Math.ceil((HERD_LEAD_MS + AFTER_OUTAGE_MS) / HERD_BIN_MS);
  const collector = new PodCollector(
    runs,
    herdFrom,
    bins,
    new Int32Array(runs * bins),
    new Float64Array(runs),
    new Float64Array(runs),
    new Float64Array(runs).fill(-Infinity),
    ctx.outageStart - BASELINE_WINDOW_MS,
    ctx.outageStart,
  );
  const kinds = new Map<string, KindAcc>();
  const affected: AffectedToken[] = [];
  const anchors: Record<PodAnchor['kind'], number> = { issued: 0, started: 0, unknown: 0 };
  const unknownWindows = new Set<number>();
  let tokens = 0;
  let anyExtended = false;
  const pods = input.pods.length;
  const progressEvery = Math.max(1, Math.ceil(pods / 100));
  let state = new HistoryState(0);

  for (let p = 0; p < pods; p++) {
    const plan = planPodHistory(input, p);
    const pod = plan.pod;
    anchors[pod.anchor.kind]++;
    if (pod.anchor.kind === 'unknown' && pod.tokens.length > 0) unknownWindows.add(unknownStartWindowMs(plan));
    if (state.exp.length < plan.issuedSeconds.length) state = new HistoryState(plan.issuedSeconds.length);
    collector.startPod(plan);
    for (let k = 0; k < runs; k++) {
      collector.run = k;
      sampleHistory(plan, ctx, createStream(input.seed + k, plan.streamId), collector, state);
    }
    // Per token: the verdict over runs, its kind's counts, and the affected list.
    plan.kinds.forEach((ik, i) => {
      tokens++;
      const key = tokenKindKey(ik);
      let acc = kinds.get(key);
      if (acc === undefined) {
        acc = {
          kind: { key, ...ik },
          pods: 0,
          tokens: 0,
          certain: 0,
          possible: 0,
          never: 0,
          expiredPerRun: new Float64Array(runs),
          earliest: new Float64Array(runs).fill(Infinity),
          lastPod: -1,
        };
        kinds.set(key, acc);
      }
      anyExtended ||= ik.extended;
      if (acc.lastPod !== p) {
        acc.pods++;
        acc.lastPod = p;
      }
      acc.tokens++;
      const when: number[] = [];
      const howLong: number[] = [];
      for (let k = 0; k < runs; k++) {
        const x = collector.expiry[i * runs + k] as number;
        if (Number.isNaN(x)) continue;
        when.push(x);
        howLong.push(collector.expiredFor[i * runs + k] as number);
        acc.expiredPerRun[k] = (acc.expiredPerRun[k] as number) + 1;
        acc.earliest[k] = Math.min(acc.earliest[k] as number, x);
      }
      if (when.length === 0) {
        acc.never++;
        return;
      }
      const verdict = when.length === runs ? 'certain' : 'possible';
      acc[verdict]++;
      const t = pod.tokens[i];
      affected.push({
        podIndex: p,
        tokenIndex: i,
        namespace: pod.namespace,
        pod: pod.name,
        volume: t?.volume ?? '',
        path: t?.path ?? '',
        kindKey: key,
        verdict,
        runsExpired: when.length,
        expiryMs: spreadOrZero(when),
        expiredForMs: spreadOrZero(howLong),
        anchor: pod.anchor.kind,
      });
    });
    if ((p + 1) % progressEvery === 0 || p + 1 === pods) opts.onProgress?.((p + 1) / pods);
  }

  affected.sort(
    (a, b) =>
      a.expiryMs.min - b.expiryMs.min ||
      a.namespace.localeCompare(b.namespace) ||
      a.pod.localeCompare(b.pod) ||
      a.volume.localeCompare(b.volume) ||
      a.podIndex - b.podIndex ||
      a.tokenIndex - b.tokenIndex,
  );
  const kindSummaries: KindSummary[] = [...kinds.values()]
    .sort((a, b) => a.kind.issuedSeconds - b.kind.issuedSeconds || a.kind.key.localeCompare(b.kind.key))
    .map((acc) => {
      const firsts = [...acc.earliest].filter((x) => x !== Infinity);
      return {
        kind: acc.kind,
        pods: acc.pods,
        tokens: acc.tokens,
        certain: acc.certain,
        possible: acc.possible,
        never: acc.never,
        expiredPerRun: spreadOrZero(acc.expiredPerRun),
        earliestExpiryMs: spreadOf(firsts) ?? null,
      };
    });
  return {
    outage: { ...input.outage },
    runs,
    seed: input.seed,
    pods,
    tokens,
    anchors,
    kinds: kindSummaries,
    affected,
    herd: recoveryHerd(collector, runs, bins, herdFrom, ctx.outageEnd),
    assumptions: assumptions(input, unknownWindows, anyExtended),
  };
}

function recoveryHerd(c: PodCollector, runs: number, bins: number, herdFrom: number, outageEnd: number): RecoveryHerd {
  const mean: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  for (let b = 0; b < bins; b++) {
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < runs; k++) {
      const v = c.herd[k * bins + b] as number;
      sum += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    mean.push(sum / runs);
    min.push(lo);
    max.push(hi);
  }
  const firstAfterEnd = Math.max(0, Math.floor((outageEnd - herdFrom) / HERD_BIN_MS));
  const peaks = new Float64Array(runs);
  const durations = new Float64Array(runs);
  let baseline = 0;
  for (let k = 0; k < runs; k++) {
    let peak = 0;
    for (let b = firstAfterEnd; b < bins; b++) peak = Math.max(peak, c.herd[k * bins + b] as number);
    peaks[k] = peak;
    const last = c.catchUpLast[k] as number;
    durations[k] = last === -Infinity ? 0 : last - outageEnd;
    baseline += (c.baseline[k] as number) / (BASELINE_WINDOW_MS / 1000);
  }
  return {
    binMs: HERD_BIN_MS,
    fromMs: herdFrom,
    mean,
    min,
    max,
    peakPerSecond: spreadOrZero(peaks),
    durationMs: spreadOrZero(durations),
    catchUpRequests: spreadOrZero(c.catchUp),
    baselinePerSecond: baseline / runs,
    inFlightLimit: DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT,
  };
}
