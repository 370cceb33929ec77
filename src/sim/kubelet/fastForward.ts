/**
 * Dead-time skipping for pod workers (DESIGN.md: "a simulation of a month must not step every
 * second", yet skipping must give the same trace as evaluating every check).
 *
 * fastForward() evaluates a pod's syncs in a tight loop instead of one scheduler event + one full
 * manager/issuer round per sync, for as long as it can predict every effect exactly, and stops
 * ("bails") just before the first sync it cannot, leaving every piece of state exactly as the
 * step-by-step run would have it at that instant. The engine then schedules that sync as a normal
 * event.
 *
 * Why the result is identical to stepping:
 * - Each pod draws from its own streams (kubelet side and server side), so the loop only has to use
 *   the same draws in the same order as PodWorker.sync + TokenManager + TokenIssuer would: per sync,
 *   for each source in order: one jitter draw if the entry is cached (1.20+), then, if the API is
 *   called and reachable, the error-rate draw (if any) and 4 jti draws on success; finally one
 *   re-queue draw. Streams are counter-based, so draws whose values are not needed are skipped in
 *   O(1) and a half-evaluated sync is undone by resetting two counters.
 * - Everything else the loop reads is either fixed for the run (issuer config, outage windows, the
 *   cleanup schedule) or cannot change before the loop's limits (the signing key: the loop stops
 *   before the next rotation; the key cache keeps the current key once it has it, because every
 *   successful FetchKeys returns it and a failed one keeps the old set).
 * - Nothing else reads this pod's state in between: the pod has its own cache keys and UID (the
 *   engine only fast-forwards such pods), cleanup only removes entries that are past expiry (the loop
 *   predicts exactly when cleanup drops an entry: at the first run strictly after the expiry), and
 *   deletion is a limit of the loop.
 * - Observable output is the same: for pods without detail the only output is the aggregate series
 *   (sums, so the order of increments does not matter); pods with detail stop at every sync that
 *   calls the API (every event-producing sync), so the loop only swallows syncs that emit nothing.
 * - The tokens issued inside the loop are never observed except the last one per source; that one
 *   is issued for real afterwards (same time, same stream position), so its jti, claims and expiry
 *   are the ones stepping would have produced, and stored in the manager and the pod's file.
 */
import type { IssuePlan, TokenIssuer } from '../apiserver/tokenIssuer';
import { statusExpiration } from '../apiserver/tokenIssuer';
import { UUID_DRAWS } from '../random';
import type { IssuedTokenRequest } from '../apiserver/tokenRequest';
import type { KubeletVersion, RefreshCheck, TokenManager } from './tokenManager';
import { hasJitter, MAX_DRAWN_JITTER_SECONDS, MAX_JITTER_SECONDS, refreshDecision, refreshThreshold } from './tokenManager';
import type { PodSlot, PodWorker } from './podWorker';
import { FAILED_SYNC_BASE_MS, SYNC_JITTER_FACTOR } from './podWorker';

/**
 * Flat encoding of the loop's series increments, in triples: `code, t, count` for `count` requests or
 * stale answers in the series interval of t; `SERIES_EXPIRED, expiration, replacedAt` for a token
 * that sat in its file past its expiry. A time passed to a method V8 does not inline is boxed, one
 * allocation per increment: the loop writes numbers into one buffer instead.
 */
export const SERIES_REQUEST_OK = 0;
export const SERIES_REQUEST_FAILED = 1;
export const SERIES_STALE = 2;
export const SERIES_EXPIRED = 3;
const REQ_OK = SERIES_REQUEST_OK;
const REQ_FAIL = SERIES_REQUEST_FAILED;
const STALE = SERIES_STALE;
const EXPIRED = SERIES_EXPIRED;

export interface FastForwardEnv {
  readonly manager: TokenManager;
  readonly issuer: TokenIssuer;
  readonly version: KubeletVersion;
  /** Last instant of the run (events at end still run). */
  readonly end: number;
  /** The manager's cleanup runs at cleanupStart + k·cleanupPeriodMs. */
  readonly cleanupStart: number;
  readonly cleanupPeriodMs: number;
  /** First instant strictly after t at which signing changes (a rotation, a signer outage edge; Infinity if never). */
  nextSigningChange(t: number): number;
  /** False while the signer cannot sign: the loop leaves such syncs to the normal path. */
  canSign(t: number): boolean;
  /** True when a token signed now verifies without an on-demand key sync (always, without a signer). */
  signingKeyCached(): boolean;
  /** The issuer's time-invariant answer for a source (cached by the engine). */
  plan(slot: PodSlot, worker: PodWorker): IssuePlan;
  /** The aggregate series the normal path counts into, fed in bulk (triples, see SERIES_REQUEST_OK). */
  countEncoded(buf: Float64Array, length: number): void;
  /** Their grid: interval k covers [seriesStart + k·seriesIntervalMs, + seriesIntervalMs). */
  readonly seriesStart: number;
  readonly seriesIntervalMs: number;
  /** Trace hooks for pods with detail: the normal path records through the same functions. */
  requestFailed(slot: PodSlot, at: number, check: RefreshCheck | undefined, error: string, code: number): void;
  servedStale(slot: PodSlot, at: number, expirationTimestamp: number, apiError: string): void;
  syncFailed(slot: PodSlot, end: number, error: string, via: 'fetchFailed' | 'expiredRefreshFailed', retryInMs: number): void;
  /** Issue for real, at `at`, from issuer-stream position `position`, the token the loop predicted. */
  materialize(worker: PodWorker, slot: PodSlot, at: number, position: number): IssuedTokenRequest;
}

/** The first cleanup run strictly after `expiration` (SPEC A.7: cleanup drops entries with now > exp). */
export function cleanupAfter(expiration: number, start: number, period: number): number {
  if (expiration < start) return start;
  return start + (Math.floor((expiration - start) / period) + 1) * period;
}

class Scratch {
  readonly has: Uint8Array;
  readonly hasFile: Uint8Array;
  readonly issuedNow: Uint8Array;
  readonly exp: Float64Array;
  readonly es: Float64Array;
  readonly thr: Float64Array;
  readonly cst: Float64Array;
  readonly fileExp: Float64Array;
  readonly lastAt: Float64Array;
  readonly lastPos: Float64Array;
  readonly predictedExp: Float64Array;
  readonly newExp: Float64Array;
  readonly newEs: Float64Array;
  readonly newPos: Float64Array;
  readonly newAt: Float64Array;
  readonly volumeEnd: Float64Array;
  readonly volumeFailed: Uint8Array;
  /**
   * Series increments of one sync (SERIES_REQUEST_OK triples), buffered while it is evaluated and
   * counted only if it is committed: at most three per source.
   */
  readonly effects: Float64Array;

  constructor(
    readonly sources: number,
    readonly volumes: number,
  ) {
    this.has = new Uint8Array(sources);
    this.hasFile = new Uint8Array(sources);
    this.issuedNow = new Uint8Array(sources);
    this.exp = new Float64Array(sources);
    this.es = new Float64Array(sources);
    this.thr = new Float64Array(sources);
    this.cst = new Float64Array(sources);
    this.fileExp = new Float64Array(sources);
    this.lastAt = new Float64Array(sources);
    this.lastPos = new Float64Array(sources);
    this.predictedExp = new Float64Array(sources);
    this.newExp = new Float64Array(sources);
    this.newEs = new Float64Array(sources);
    this.newPos = new Float64Array(sources);
    this.newAt = new Float64Array(sources);
    this.volumeEnd = new Float64Array(volumes);
    this.volumeFailed = new Uint8Array(volumes);
    this.effects = new Float64Array(9 * sources + 9);
  }
}

let shared = new Scratch(4, 4);

// The failed requests and stale answers of one outage stretch, counted in bulk at its end (the
// series are sums, so only how many fall in each interval matters). SERIES_REQUEST_OK triples; written
// inline in the loops (a helper taking `t` would box it unless V8 inlines it).
let outage = new Float64Array(2048);
let outageLength = 0;

function grown(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

function scratch(sources: number, volumes: number): Scratch {
  if (shared.sources < sources || shared.volumes < volumes) shared = new Scratch(Math.max(sources, shared.sources), Math.max(volumes, shared.volumes));
  return shared;
}

/**
 * The outage stretch of a pod without detail (see fastForward): from t, while t < stop and t ≤ end,
 * one sync per iteration with the same draws as the general loop; the failed requests and stale
 * answers go to the outage buffer, one triple per series interval and kind. Returns the first time
 * that fails the test.
 */
function outageWalk(
  env: FastForwardEnv,
  stream: PodWorker['stream'],
  n: number,
  b: Scratch,
  jitter: boolean,
  t: number,
  stop: number,
  end: number,
  syncBase: number,
  syncHalf: number,
  failHalf: number,
): number {
  const { has, cst, thr, exp } = b;
  const s0 = env.seriesStart;
  const iv = env.seriesIntervalMs;
  let buf = outage;
  let len = outageLength;
  let tt = +t;
  // Counts of the current series interval [bucketStart, bucketEnd), flushed when tt leaves it.
  let bucketStart = tt;
  let bucketEnd = s0 + (Math.floor((tt - s0) / iv) + 1) * iv;
  let nFailed = 0;
  let nStale = 0;
  while (tt < stop && tt <= end) {
    if (tt >= bucketEnd) {
      if (len + 6 > buf.length) buf = grown(buf);
      len = putCounts(buf, len, bucketStart, nFailed, nStale);
      nFailed = 0;
      nStale = 0;
      bucketStart = tt;
      bucketEnd = s0 + (Math.floor((tt - s0) / iv) + 1) * iv;
    }
    let fail = false;
    for (let i = 0; i < n; i++) {
      const present = has[i] === 1 && tt < (cst[i] as number);
      if (present) {
        const j = jitter ? stream.int(MAX_JITTER_SECONDS) : 0;
        if (!(tt > (thr[i] as number) - j * 1000)) continue;
      }
      nFailed++;
      if (present && !(tt > (exp[i] as number))) nStale++;
      else fail = true;
    }
    tt = fail ? tt + FAILED_SYNC_BASE_MS + stream.int(failHalf) : tt + syncBase + stream.int(syncHalf);
  }
  if (len + 6 > buf.length) buf = grown(buf);
  outage = buf;
  outageLength = putCounts(buf, len, bucketStart, nFailed, nStale);
  return tt;
}

/** Appends the (failed request, stale answer) counts of the interval of `at`; returns the new length. */
function putCounts(buf: Float64Array, len: number, at: number, failed: number, stale: number): number {
  if (failed > 0) {
    buf[len++] = REQ_FAIL;
    buf[len++] = at;
    buf[len++] = failed;
  }
  if (stale > 0) {
    buf[len++] = STALE;
    buf[len++] = at;
    buf[len++] = stale;
  }
  return len;
}

/**
 * Evaluate the syncs of `w` from `t` on while they are predictable. Returns the time of the first
 * sync that must run as a normal event (possibly > end), or undefined if the sync at `t` itself must.
 * `detailed` pods stop at any sync that would call the API.
 */
export function fastForward(w: PodWorker, t: number, env: FastForwardEnv, detailed: boolean): number | undefined {
  const slots = w.slots;
  const n = slots.length;
  const m = env.manager;
  const issuer = env.issuer;
  const stream = w.stream;
  const istream = w.issuerStream;
  const jitter = hasJitter(env.version);
  const maxJitterMs = jitter ? MAX_DRAWN_JITTER_SECONDS * 1000 : 0;
  const latency = issuer.latencyMs;
  const errorDraw = issuer.hasErrorRate;
  const errorRate = issuer.config.errorRate ?? 0;
  const cStart = env.cleanupStart;
  const cPeriod = env.cleanupPeriodMs;

  // Per-source state of the cache entry (has/exp/es/threshold/cleanup instant) and of the file.
  // Buffers are reused across calls (the function is not re-entrant): large runs call it a lot.
  const b = scratch(n, w.volumeCount);
  const { has, exp, es, thr, cst, fileExp, hasFile, lastAt, lastPos, predictedExp } = b;
  for (let i = 0; i < n; i++) {
    has[i] = 0;
    hasFile[i] = 0;
    lastAt[i] = NaN;
  }
  for (let i = 0; i < n; i++) {
    const slot = slots[i] as PodSlot;
    const e = m.peek(slot.key);
    if (e !== undefined) {
      // Invariant the loop relies on: a cached entry is the token in the file.
      if (e !== slot.file) return undefined;
      const s = e.spec.expirationSeconds;
      // Nil expirationSeconds never comes from the issuer; leave such entries to the normal path.
      if (s === undefined) return undefined;
      has[i] = 1;
      exp[i] = e.status.expirationTimestamp;
      es[i] = s;
      thr[i] = refreshThreshold(s, exp[i] as number) as number;
      cst[i] = cleanupAfter(exp[i] as number, cStart, cPeriod);
    }
    if (slot.file !== undefined) {
      hasFile[i] = 1;
      fileExp[i] = slot.file.status.expirationTimestamp;
    }
  }

  const end = env.end;
  const deleteAt = w.deleteAt;
  // A signer outage fails requests after validation: not predicted here, so never entered.
  if (!env.canSign(t)) return undefined;
  const limit = Math.min(env.nextSigningChange(t), deleteAt);
  const kidOk = env.signingKeyCached();
  const syncBase = w.syncFrequencyMs;
  const syncHalf = SYNC_JITTER_FACTOR * syncBase;
  const failHalf = SYNC_JITTER_FACTOR * FAILED_SYNC_BASE_MS;

  const volumes = w.volumeCount;
  const { volumeEnd, volumeFailed, issuedNow, newExp, newEs, newPos, newAt, effects } = b;
  let ne = 0;

  // `+t`: a float64 from the start, so V8 keeps the loop's time unboxed (no allocation per sync).
  let tt = +t;
  let committed = false;
  for (;;) {
    if (tt > end || tt >= limit) break;

    // Quiet stretch: every source cached, not yet removable by cleanup, and below its earliest
    // refresh instant (threshold − 9 s) → the sync only draws (one jitter per source, one re-queue).
    let quiet = Infinity;
    for (let i = 0; i < n; i++) {
      if (has[i] === 0) {
        quiet = -Infinity;
        break;
      }
      const q = Math.min((thr[i] as number) - maxJitterMs, (cst[i] as number) - 1);
      if (q < quiet) quiet = q;
    }
    if (tt <= quiet) {
      const stop = Math.min(quiet, end);
      tt = stream.jitteredWalk(tt, stop, limit, jitter ? n : 0, syncBase, syncHalf);
      committed = true;
      continue;
    }

    // Outage stretch: every request is refused at once, with no server draws and no round trip,
    // so a sync only draws jitter for cached sources, counts failures and (pods with detail) emits
    // the same events the normal path would, in the same order (see PodWorker.sync and kubelet/model.ts).
    if (issuer.inOutage(tt) && n <= 15) {
      const stop = Math.min(issuer.reachableFrom(tt), limit);
      const apiError = detailed ? issuer.outageError(w.pod.namespace, w.pod.serviceAccount) : '';
      outageLength = 0;
      // The same loop minus the events, in its own small function so V8 keeps it allocation-free.
      if (!detailed) tt = outageWalk(env, stream, n, b, jitter, tt, stop, end, syncBase, syncHalf, failHalf);
      while (tt < stop && tt <= end) {
        let fail = false;
        let failedMask = 0;
        for (let i = 0; i < n; i++) {
          const present = has[i] === 1 && tt < (cst[i] as number);
          let j = 0;
          if (present) {
            j = jitter ? stream.int(MAX_JITTER_SECONDS) : 0;
            if (!(tt > (thr[i] as number) - j * 1000)) continue;
          }
          if (outageLength + 6 > outage.length) outage = grown(outage);
          outage[outageLength++] = REQ_FAIL;
          outage[outageLength++] = tt;
          outage[outageLength++] = 1;
          const stale = present && !(tt > (exp[i] as number));
          if (stale) {
            outage[outageLength++] = STALE;
            outage[outageLength++] = tt;
            outage[outageLength++] = 1;
          } else fail = true;
          if (detailed) {
            const slot = slots[i] as PodSlot;
            env.requestFailed(slot, tt, present ? refreshDecision(es[i] as number, exp[i] as number, tt, j) : undefined, apiError, 0);
            if (stale) env.servedStale(slot, tt, exp[i] as number, apiError);
            else failedMask |= (present ? 2 : 1) << (2 * i);
          }
        }
        // stream.int(h) = floor(float() · h): the same draw, returned as a small integer (unboxed).
        const next = fail ? tt + FAILED_SYNC_BASE_MS + stream.int(failHalf) : tt + syncBase + stream.int(syncHalf);
        if (failedMask !== 0) {
          for (let i = 0; i < n; i++) {
            const kind = (failedMask >>> (2 * i)) & 3;
            if (kind === 0) continue;
            const slot = slots[i] as PodSlot;
            const expired = kind === 2;
            env.syncFailed(slot, tt, m.failureText(slot.key, apiError, expired), expired ? 'expiredRefreshFailed' : 'fetchFailed', next - tt);
          }
        }
        tt = next;
      }
      env.countEncoded(outage, outageLength);
      committed = true;
      continue;
    }

    // General sync: evaluate speculatively, commit at the end, or undo and bail.
    const p0 = stream.position;
    const ip0 = istream.position;
    let local = tt;
    let failed = false;
    let bail = false;
    ne = 0;
    for (let v = 0; v < volumes; v++) {
      volumeFailed[v] = 0;
      volumeEnd[v] = tt;
    }
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as PodSlot;
      issuedNow[i] = 0;
      // Cached as of this sync's event time (cleanup runs before pods at equal times).
      const present = has[i] === 1 && tt < (cst[i] as number);
      if (present) {
        const j = jitter ? stream.int(MAX_JITTER_SECONDS) : 0;
        // SPEC A.5: refresh iff now > min(iat + 24h, exp − 20 %) − jitter (strict).
        if (!(local > (thr[i] as number) - j * 1000)) {
          volumeEnd[slot.volume] = local;
          continue;
        }
      }
      // SPEC A.3 step 3: the manager calls the API. A request that a round trip of an earlier source
      // pushed to or past the next signing change (a signer outage edge, a rotation) is not predicted.
      if (detailed || local >= limit) {
        bail = true;
        break;
      }
      if (issuer.inOutage(local)) {
        // Connection refused: no server draws, no round trip, so the answer is back at once.
        const expiredNow = !present || local > (exp[i] as number);
        effects[ne++] = REQ_FAIL;
        effects[ne++] = local;
        effects[ne++] = 1;
        if (expiredNow) {
          failed = true;
          volumeFailed[slot.volume] = 1;
        } else {
          effects[ne++] = STALE;
          effects[ne++] = local;
          effects[ne++] = 1;
        }
        volumeEnd[slot.volume] = local;
        continue;
      }
      const plan = env.plan(slot, w);
      const errored = errorDraw && istream.float() < errorRate;
      if (errored || !plan.ok) {
        effects[ne++] = REQ_FAIL;
        effects[ne++] = local;
        effects[ne++] = 1;
        local += latency;
        // SPEC A.3 step 4: expired() is judged when the failed answer is back (as the manager does).
        if (!present || local > (exp[i] as number)) {
          failed = true;
          volumeFailed[slot.volume] = 1;
        } else {
          effects[ne++] = STALE;
          effects[ne++] = local;
          effects[ne++] = 1;
        }
        volumeEnd[slot.volume] = local;
        continue;
      }
      // Success: the jti draws are not needed here (the last token is issued for real later).
      newPos[i] = istream.position - (errorDraw ? 1 : 0);
      istream.skip(UUID_DRAWS);
      effects[ne++] = REQ_OK;
      effects[ne++] = local;
      effects[ne++] = 1;
      issuedNow[i] = 1;
      newAt[i] = local;
      newEs[i] = plan.expirationSeconds;
      newExp[i] = statusExpiration(local, plan.expirationSeconds);
      local += latency;
      volumeEnd[slot.volume] = local;
    }
    if (!bail) {
      for (let i = 0; i < n; i++) {
        if (!issuedNow[i]) continue;
        const slot = slots[i] as PodSlot;
        // A new token in a failed volume would leave cache ≠ file; a token with an unknown kid would
        // trigger an on-demand key sync (a shared side effect). Both are left to the normal path.
        if (volumeFailed[slot.volume] === 1 || !kidOk) {
          bail = true;
          break;
        }
        if (hasFile[i] === 1) {
          effects[ne++] = EXPIRED;
          effects[ne++] = fileExp[i] as number;
          effects[ne++] = volumeEnd[slot.volume] as number;
        }
      }
    }
    if (bail) {
      stream.position = p0;
      istream.position = ip0;
      break;
    }

    // Commit.
    if (ne > 0) env.countEncoded(effects, ne);
    for (let i = 0; i < n; i++) {
      if (issuedNow[i] === 0) continue;
      has[i] = 1;
      exp[i] = newExp[i] as number;
      es[i] = newEs[i] as number;
      thr[i] = refreshThreshold(es[i] as number, exp[i] as number) as number;
      cst[i] = cleanupAfter(exp[i] as number, cStart, cPeriod);
      hasFile[i] = 1;
      fileExp[i] = exp[i] as number;
      lastAt[i] = newAt[i] as number;
      lastPos[i] = newPos[i] as number;
      predictedExp[i] = exp[i] as number;
    }
    committed = true;
    // Pod workers addendum: re-queue from the end of the sync.
    tt = failed ? local + FAILED_SYNC_BASE_MS + stream.int(failHalf) : local + syncBase + stream.int(syncHalf);
  }

  // Issue the last predicted token of each source for real and put it where stepping would have.
  const finalPos = istream.position;
  for (let i = 0; i < n; i++) {
    const at = lastAt[i] as number;
    if (Number.isNaN(at)) continue;
    const slot = slots[i] as PodSlot;
    const token = env.materialize(w, slot, at, lastPos[i] as number);
    if (token.status.expirationTimestamp !== predictedExp[i]) {
      throw new Error(`fastForward: predicted expiry ${predictedExp[i]} but the issuer gave ${token.status.expirationTimestamp}`);
    }
    m.set(slot.key, token);
    slot.file = token;
  }
  istream.position = finalPos;
  return committed ? tt : undefined;
}
