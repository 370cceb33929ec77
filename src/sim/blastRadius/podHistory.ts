/**
 * One sampled history of one pod's kubelet pod worker around an API-server outage, with every
 * projected token source of the pod together (they share the pod's syncs), by the rules the engine's
 * kubelet model follows (SPEC A.3–A.5, A.9, D.1) and their one home: the refresh decision and
 * window (kubelet/tokenManager.ts), the re-queue delay and the request (kubelet/podWorker.ts), what
 * the API server issues (apiserver/tokenIssuer.ts).
 *
 * Simplifications that change no timing, given the analysis's API server (no latency, no random
 * errors, every request refused inside the outage and answered outside it):
 * - Every request of a sync succeeds or every one fails, so a volume is never half written and the
 *   pod's files always hold what the token manager's cache holds: one state per cache entry.
 * - Sources of a pod with the same cache key (SPEC A.2) share that entry: one request serves both.
 * - Cleanup (SPEC A.7) drops an expired entry a minute later at most; a missing entry fails the sync
 *   exactly like an expired one (SPEC A.3 step 4), and outside the outage both lead to a new token at
 *   the same sync. So it is not modelled.
 *
 * Dead time is skipped (syncRenewal.ts): between "moments" (a token's earliest refresh, the end of its
 * jitter window, its expiry inside the outage, the outage start and end, the end of the history)
 * nothing but the re-queue draw happens at a sync.
 */
import type { SeededRandom } from '../random';
import { defaultServiceAccountUid, issuePlan, statusExpiration } from '../apiserver/tokenIssuer';
import type { PodSpec, TokenSource } from '../kubelet/kubeletSpec';
import { FAILED_SYNC_BASE_MS, podTokenRequest, SYNC_JITTER_FACTOR } from '../kubelet/podWorker';
import { podUid } from '../kubelet/podUid';
import { hasJitter, keyFunc, MAX_DRAWN_JITTER_SECONDS, MAX_JITTER_SECONDS, refreshDecision, refreshWindow, type KubeletVersion } from '../kubelet/tokenManager';
import type { BlastPod, BlastRadiusInput, BlastToken } from './blastRadiusInput';
import { SyncRenewal } from './syncRenewal';

/** How long after the outage end each history runs (the recovery and the steady state after it). */
export const AFTER_OUTAGE_MS = 10 * 60 * 1000;
/** The least window before the outage in which an unknown start is drawn. */
export const UNKNOWN_START_MIN_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** … or this many refresh cycles of the pod's longest-lived token, if longer. */
export const UNKNOWN_START_CYCLES = 10;

/** What the histories of one analysis share. */
export interface HistoryContext {
  outageStart: number;
  outageEnd: number;
  /** Histories stop at the first sync at or after this instant. */
  end: number;
  version: KubeletVersion;
  jitter: boolean;
  ok: SyncRenewal;
  failed: SyncRenewal;
}

export function historyContext(input: BlastRadiusInput): HistoryContext {
  const outageStart = input.outage.startMs;
  const outageEnd = outageStart + input.outage.durationMs;
  return {
    outageStart,
    outageEnd,
    end: outageEnd + AFTER_OUTAGE_MS,
    version: input.kubelet.version,
    jitter: hasJitter(input.kubelet.version),
    // Pod workers addendum: re-queue after syncFrequency following an ok sync, after 10 s following a failed one.
    ok: new SyncRenewal(input.kubelet.syncFrequencyMs),
    failed: new SyncRenewal(FAILED_SYNC_BASE_MS),
  };
}

/** A kind of token as the API server issues it (SPEC D.1 steps 5, 7, 8). */
export interface IssuedKind {
  audience: string | null;
  requestedSeconds: number | null;
  issuedSeconds: number;
  jwtLifetimeSeconds: number;
  extended: boolean;
}

/** One pod prepared for sampling: its cache entries and what each token is. */
export interface PodHistoryPlan {
  readonly podIndex: number;
  readonly pod: BlastPod;
  readonly streamId: string;
  /** Per token: its cache entry. */
  readonly entryOf: Int32Array;
  /** Per entry: the issued lifetime (s) and the offset of its earliest refresh from the issue time (ms). */
  readonly issuedSeconds: Float64Array;
  readonly earliestOffsetMs: Float64Array;
  /** The jitter window's width: 9 s from 1.20, 0 before (SPEC A.5, A.9). */
  readonly windowMs: number;
  /** Per token. */
  readonly kinds: IssuedKind[];
  /** The longest refresh cycle (issue → jitter-0 threshold) among the pod's tokens, ms. */
  readonly longestCycleMs: number;
}

/** The kubelet's view of a blast-radius token source (kubeletSpec.ts): the path carries the volume first. */
export function tokenSource(t: BlastToken): TokenSource {
  return {
    path: `${t.volume}/${t.path}`,
    ...(t.audience === undefined ? {} : { audiences: [t.audience] }),
    ...(t.expirationSeconds === undefined ? {} : { expirationSeconds: t.expirationSeconds }),
  };
}

/** The pod as the kubelet model sees it (a stable UID when the input has none). */
export function podSpecOf(pod: BlastPod): PodSpec {
  return {
    name: pod.name,
    namespace: pod.namespace,
    serviceAccount: pod.serviceAccount,
    uid: pod.uid ?? podUid(pod.namespace, pod.name),
    tokens: pod.tokens.map(tokenSource),
  };
}

export function planPodHistory(input: BlastRadiusInput, podIndex: number): PodHistoryPlan {
  const pod = input.pods[podIndex] as BlastPod;
  const version = input.kubelet.version;
  const spec = podSpecOf(pod);
  const saUid = defaultServiceAccountUid(pod.namespace, pod.serviceAccount);
  const entryByKey = new Map<string, number>();
  const entryOf = new Int32Array(pod.tokens.length);
  const issued: number[] = [];
  const offsets: number[] = [];
  const kinds: IssuedKind[] = [];
  let longestCycleMs = 0;
  spec.tokens.forEach((source, i) => {
    // The request as the kubelet builds it (SPEC D.3) and what the API server makes of it (SPEC D.1).
    const tr = podTokenRequest(spec, source, version, saUid);
    const plan = issuePlan(input.apiServer, pod.namespace, pod.serviceAccount, tr, saUid);
    if (!plan.ok) throw new Error(`pods[${podIndex}].tokens[${i}]: the API server would refuse this token: ${plan.error}`);
    const t = pod.tokens[i] as BlastToken;
    kinds.push({
      audience: t.audience ?? null,
      requestedSeconds: t.expirationSeconds ?? null,
      issuedSeconds: plan.expirationSeconds,
      jwtLifetimeSeconds: plan.jwtLifetimeSeconds,
      extended: plan.extended,
    });
    // SPEC A.5 on the stored response (its expirationSeconds is the issued one): refresh offsets are
    // the same for every issue time, since the expiry is the issue second + ES.
    const win = refreshWindow(plan.expirationSeconds, plan.expirationSeconds * 1000, version);
    if (win.thresholdRule === 'never') throw new Error('unreachable: an issued token always has expirationSeconds');
    longestCycleMs = Math.max(longestCycleMs, win.latest - win.issuedAt);
    // SPEC A.2: sources with one cache key share one entry.
    const key = keyFunc(pod.serviceAccount, pod.namespace, tr, version);
    let e = entryByKey.get(key);
    if (e === undefined) {
      entryByKey.set(key, (e = issued.length));
      issued.push(plan.expirationSeconds);
      offsets.push(win.earliest - win.issuedAt);
    }
    entryOf[i] = e;
  });
  return {
    podIndex,
    pod,
    streamId: `blast/${pod.namespace}/${pod.name}#${podIndex}`,
    entryOf,
    issuedSeconds: Float64Array.from(issued),
    earliestOffsetMs: Float64Array.from(offsets),
    windowMs: hasJitter(version) ? MAX_DRAWN_JITTER_SECONDS * 1000 : 0,
    kinds,
    longestCycleMs,
  };
}

/** The window before the outage in which an unknown start is drawn. */
export function unknownStartWindowMs(plan: Pick<PodHistoryPlan, 'longestCycleMs'>): number {
  return Math.max(UNKNOWN_START_MIN_WINDOW_MS, UNKNOWN_START_CYCLES * plan.longestCycleMs);
}

/** What a history reports, as it happens. */
export interface HistorySink {
  /** A successful TokenRequest of cache entry `entry` at `t`; `catchUp`: its refresh failed during the outage. */
  request(t: number, entry: number, catchUp: boolean): void;
  /**
   * The entry's token sat in the pod's file past its status expiry `expiry` (SPEC A.4: from expiry + 1 ms)
   * until `replacedAt` (a new token, or the end of the history), and that stretch touched the outage or
   * the moments after it before the first sync after it.
   */
  expired(entry: number, expiry: number, replacedAt: number): void;
}

/** Per-entry state of a history, reused across runs of a pod. */
export class HistoryState {
  /** Status expiry of the cached token (NaN: nothing cached). */
  readonly exp: Float64Array;
  readonly earliest: Float64Array;
  /** A refresh attempt failed during the outage and no token was issued since. */
  readonly failedInOutage: Uint8Array;
  constructor(entries: number) {
    this.exp = new Float64Array(entries);
    this.earliest = new Float64Array(entries);
    this.failedInOutage = new Uint8Array(entries);
  }
}

/** Sample one history of the pod; every draw comes from `random` (the run's stream for this pod). */
export function sampleHistory(plan: PodHistoryPlan, ctx: HistoryContext, random: SeededRandom, sink: HistorySink, state = new HistoryState(plan.issuedSeconds.length)): void {
  const n = plan.issuedSeconds.length;
  if (n === 0) return;
  const { outageStart: S, outageEnd: Eo, end } = ctx;
  const { exp, earliest, failedInOutage } = state;
  exp.fill(NaN);
  failedInOutage.fill(0);
  // The first sync at or after the outage end (Infinity until it happens).
  let firstAfter = Infinity;

  const closeStretch = (e: number, w: number): void => {
    const x = exp[e] as number;
    // Expired instants are x + 1 … w − 1 (SPEC A.4 strict); count the stretch when it touches
    // [outage start, first sync after the outage).
    if (x + 1 < w && w > S && x + 1 < firstAfter) sink.expired(e, x, w);
  };
  const issue = (e: number, t: number): void => {
    if (!Number.isNaN(exp[e] as number)) closeStretch(e, t);
    sink.request(t, e, failedInOutage[e] === 1);
    failedInOutage[e] = 0;
    // SPEC D.1 step 9: the status expiry the kubelet stores, whole seconds.
    const x = statusExpiration(t, plan.issuedSeconds[e] as number);
    exp[e] = x;
    earliest[e] = x - (plan.issuedSeconds[e] as number) * 1000 + (plan.earliestOffsetMs[e] as number);
  };

  // Where the history starts.
  const anchor = plan.pod.anchor;
  let t: number;
  if (anchor.kind === 'issued') {
    let latest = -Infinity;
    plan.entryOf.forEach((e, i) => {
      const at = anchor.issuedAtMs[i] as number;
      const x = statusExpiration(at, plan.issuedSeconds[e] as number);
      if (Number.isNaN(exp[e] as number) || x > (exp[e] as number)) {
        exp[e] = x;
        earliest[e] = x - (plan.issuedSeconds[e] as number) * 1000 + (plan.earliestOffsetMs[e] as number);
      }
      latest = Math.max(latest, at);
    });
    t = latest + ctx.ok.interval(random.float());
  } else if (anchor.kind === 'started') {
    t = anchor.startedAtMs;
  } else {
    const w = unknownStartWindowMs(plan);
    t = S - w + Math.floor(random.float() * w);
  }

  const windowMs = plan.windowMs;
  while (t < end) {
    if (firstAfter === Infinity && t >= Eo) firstAfter = t;
    const inOutage = t >= S && t < Eo;
    let failed = false;
    // One sync: the token manager is asked for every entry (SPEC A.3).
    for (let e = 0; e < n; e++) {
      const x = exp[e] as number;
      if (Number.isNaN(x)) {
        // Nothing cached: fetch; inside the outage that fails the sync (SPEC A.3 step 4).
        if (inOutage) {
          failed = true;
          failedInOutage[e] = 1;
        } else issue(e, t);
        continue;
      }
      // SPEC A.5 step 3: a fresh jitter draw at every check (none before 1.20, SPEC A.9).
      const jitter = ctx.jitter ? Math.trunc(random.float() * MAX_JITTER_SECONDS) : 0;
      if (!refreshDecision(plan.issuedSeconds[e], x, t, jitter).refresh) continue;
      if (!inOutage) {
        issue(e, t);
        continue;
      }
      // The outage refuses the connection (no latency): SPEC A.3 step 4, judged at t.
      failedInOutage[e] = 1;
      // SPEC A.4: expired ⇔ now > expiry (strict) → the sync fails; otherwise the stale token is served.
      if (t > x) failed = true;
    }

    // The next moment: the last instant L such that every sync in (t, L] does nothing but re-queue.
    let L = end - 1;
    if (t < S) L = Math.min(L, S - 1);
    else if (t < Eo) L = Math.min(L, Eo - 1);
    for (let e = 0; e < n && L > t; e++) {
      const x = exp[e] as number;
      if (Number.isNaN(x)) continue; // only inside the outage: fails at every sync until its end
      const from = earliest[e] as number;
      if (t < from) L = Math.min(L, from);
      else if (!inOutage || t < from + windowMs) L = t; // inside the jitter window: step
      else if (t <= x) L = Math.min(L, x); // attempts fail; from x + 1 on they fail the sync
    }
    const r = failed ? ctx.failed : ctx.ok;
    if (L - t >= r.skipDistance) t = r.firstSyncAfter(L, random);
    else t = random.jitteredWalk(t, L, Infinity, 0, r.base, SYNC_JITTER_FACTOR * r.base);
  }
  if (firstAfter === Infinity) firstAfter = end;
  for (let e = 0; e < n; e++) if (!Number.isNaN(exp[e] as number)) closeStretch(e, end);
}
