/**
 * The engine: builds the actors of a Scenario (types.ts) on the virtual clock, runs them to
 * start + horizon and returns the Trace (trace.ts).
 *
 * Actors and their scheduling ranks (ties at the same millisecond run in rank order, see clock.ts):
 *   1 signer key rotations and drops · 2 the API server's scheduled key-cache sync · 3 the kubelet
 *   token manager's cleanup (every minute from the start, SPEC A.1) · 10 + 2i pod i's deletion ·
 *   11 + 2i pod i's syncs · after the pods, the client-side refreshers.
 *
 * Lanes: one 'token' lane per pod × projected token source, id `<namespace>/<pod>/<path>` (e.g.
 * `shop/web-0/vault/token`); 'apiserver'; 'signer' when the scenario has one; `refresher/<ns>/<name>`.
 * Only the first output.maxDetailedLanes token lanes (scenario order) carry events and spans; the
 * others are simulated in full but only feed the aggregate series, and are omitted from trace.lanes
 * (meta.lanesTotal counts every lane).
 *
 * Events: each carries the SPEC rule that caused it; types as in trace.ts. tokenExpired is dated at
 * expiry + 1 ms (the first instant with now > exp). cacheCleanup is per lane (count = entries of
 * that lane removed). Events are ordered by (t, emitting actor's rank, emission order).
 *
 * Modes: 'step' evaluates every pod sync as a scheduler event. 'skip' (default) lets each pod run
 * ahead through the syncs whose effects it can predict exactly (kubelet/fastForward.ts) and produces
 * the same trace, byte for byte.
 */
import { Scheduler } from '../clock';
import type { Clock, Task } from '../clock';
import { createStream, type RandomSource, type SeededRandom } from '../random';
import { KeyCache, SimulatedSigner, type KeySyncOutcome } from '../apiserver/keyCache';
import { TokenIssuer, defaultServiceAccountUid, type IssuePlan, type IssueResult } from '../apiserver/tokenIssuer';
import {
  GC_PERIOD_MS,
  TokenManager,
  refreshWindow,
  type KubeletVersion,
  type RefreshCheck,
} from '../kubelet/tokenManager';
import type { IssuedTokenRequest, TokenRequest } from '../apiserver/tokenRequest';
import { PodWorker, type ManagerCall, type PodSlot, type PodSyncEnv, type SyncOutcome } from '../kubelet/podWorker';
import { fastForward, type FastForwardEnv } from '../kubelet/fastForward';
import { CalicoRefresher } from '../refresher/calicoRefresher';
import { TraceBuilder } from '../traceBuilder';
import type { Trace, TraceEvent } from '../trace';
import type { RefresherSpec, Scenario } from './types';

export interface RunOptions {
  mode?: 'skip' | 'step';
  /** Called with the fraction of virtual time done (0..1), a few hundred times at most. */
  onProgress?: (fraction: number) => void;
}

export interface RunStats {
  mode: 'skip' | 'step';
  /** Events the scheduler ran. */
  schedulerEvents: number;
  /** Events in the trace. */
  traceEvents: number;
  lanesTotal: number;
  detailedTokenLanes: number;
}

export function runScenario(s: Scenario, opts?: RunOptions): Trace {
  return runScenarioWithStats(s, opts).trace;
}

export function runScenarioWithStats(s: Scenario, opts: RunOptions = {}): { trace: Trace; stats: RunStats } {
  const engine = new Engine(s, opts.mode ?? 'skip');
  return engine.run(opts.onProgress);
}

const RANK_ROTATION = 1;
const RANK_KEY_SYNC = 2;
const RANK_CLEANUP = 3;
const RANK_PODS = 10;

const APISERVER_LANE = 'apiserver';
const SIGNER_LANE = 'signer';

function modelsFor(s: Scenario): string[] {
  const v: Record<KubeletVersion, string> = {
    '1.19': 'kubelet token manager ≤1.19, no jitter (SPEC A)',
    '1.20': 'kubelet token manager 1.20–1.33 (SPEC A)',
    '1.34': 'kubelet token manager 1.34+ (SPEC A)',
  };
  const models = [v[s.kubelet.version], 'kubelet pod workers (re-sync wait.Jitter(syncFrequency, 0.5))', 'kube-apiserver TokenRequest, newest (SPEC D.1, D.2)'];
  if (s.signer !== undefined) models.push('ExternalJWTSigner key cache, 1.34 (SPEC D.5)');
  if (s.refreshers.length > 0) models.push('Calico CNI TokenRefresher v3.30+ (SPEC D.6)');
  return models;
}

function seconds(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}

interface Reason {
  reason: string;
  jitter?: number;
  rule: string;
}

const NOT_CACHED: Reason = {
  reason: 'notCached',
  rule: 'SPEC A.3 step 3: no cached token for this key (first sync, or dropped by cleanup after expiry, SPEC A.7) → TokenRequest',
};

/** Rule texts repeat a lot (jitter 0–9 × a few lifetimes): build each once so the trace shares them. */
const reasonCache = new Map<number, Reason>();

/** The "why" of a manager call that went to the API (SPEC A.3 / A.5): no cached entry, or which refresh rule. */
function requestReason(check: RefreshCheck | undefined): Reason {
  if (check === undefined) return NOT_CACHED;
  const key = (check.lastFifthSeconds * 10 + check.jitterSeconds) * 2 + (check.rule === '24h' ? 1 : 0);
  let r = reasonCache.get(key);
  if (r === undefined) {
    r =
      check.rule === '24h'
        ? { reason: '24h', jitter: check.jitterSeconds, rule: `SPEC A.5 step 4: token older than 24 h − jitter ${check.jitterSeconds} s → TokenRequest` }
        : {
            reason: '80%',
            jitter: check.jitterSeconds,
            rule: `SPEC A.5 step 5: inside the last 20 % (${check.lastFifthSeconds} s) − jitter ${check.jitterSeconds} s → TokenRequest`,
          };
    reasonCache.set(key, r);
  }
  return r;
}

const RULE_STALE = 'SPEC A.3 step 4: refresh failed but the cached token is still valid → old token returned, no error';
const RULE_FETCH_FAILED =
  'SPEC A.3 step 4: not cached and the fetch failed → error; pod workers addendum: sync failed, re-queued after 10 s × (1 + 0.5·U)';
const RULE_EXPIRED_FAILED =
  'SPEC A.3 step 4: cached token expired (SPEC A.4) and the refresh failed → error; pod workers addendum: sync failed, re-queued after 10 s × (1 + 0.5·U)';
const RULE_WRITTEN = 'Pod workers addendum: the sync set up the projected volume again and wrote the new token (SPEC A.3 step 5)';
const RULE_EXPIRED = 'SPEC A.4: now > status.expirationTimestamp (strict) and no newer token has reached the file';
const RULE_EXPIRED_EXTENDED =
  'SPEC A.4: now > status.expirationTimestamp (strict) and no newer token has reached the file; the JWT itself was extended ' +
  '(SPEC D.1 step 8), so the API server still accepts it until jwtExpiresAt, auditing it as stale after warnafter (SPEC D.2)';
const RULE_CLEANUP = 'SPEC A.7: cleanup (every 1 min) dropped the cached token: now > status.expirationTimestamp';
const RULE_VALIDITY = 'SPEC D.1 step 9: status.expirationTimestamp = request time + expirationSeconds';
const RULE_VALIDITY_EXTENDED = 'SPEC D.1 step 9: status.expirationTimestamp = request time + 3607 s, while the JWT exp is extended to 1 year (step 8)';

/** refreshWindow()'s text depends only on (ES, version): keep one copy per lifetime. */
const whyCache = new Map<string, string>();

interface SlotRef {
  worker: PodWorker;
  slot: PodSlot;
}

interface RefresherActor {
  spec: RefresherSpec;
  laneId: string;
  /** Kid-index number (after the token lanes). */
  lane: number;
  refresher: CalicoRefresher;
  stream: SeededRandom;
  issuerStream: SeededRandom;
  rank: number;
  file: IssuedTokenRequest | undefined;
  /** The sleep that led to the next attempt (for the next attempt's rule). */
  lastSleep: string | undefined;
}

class Engine {
  private readonly start: number;
  private readonly end: number;
  private readonly version: KubeletVersion;
  private readonly scheduler: Scheduler;
  private readonly builder: TraceBuilder;
  /** The time and streams the shared models see: set by the engine before each call. */
  private readonly ctx: { t: number; stream: SeededRandom; issuerStream: SeededRandom };
  private readonly issuer: TokenIssuer;
  private readonly manager: TokenManager;
  private readonly signer: SimulatedSigner | undefined;
  private readonly keyCache: KeyCache | undefined;
  private readonly rotationTimes: number[];
  private lastIssue: IssueResult | undefined;
  /** kid of every issued token (the JWT header the API server verifies, SPEC D.5). */
  private readonly kidByToken = new WeakMap<IssuedTokenRequest, string>();

  private readonly workers: PodWorker[] = [];
  private readonly laneDetailed: boolean[] = [];
  private readonly podDetailed: boolean[] = [];
  private readonly podEligible: boolean[] = [];
  private readonly plans: IssuePlan[] = [];
  private readonly slotsByKey = new Map<string, SlotRef[]>();
  private readonly refreshers: RefresherActor[] = [];
  private tokenLanes = 0;

  /** Kid of the token in each detailed file (token lanes, then refresher lanes), and the reverse index. */
  private readonly laneKid = new Map<number, string>();
  private readonly kidLanes = new Map<string, Set<number>>();
  private readonly laneIds = new Map<number, string>();

  constructor(
    private readonly s: Scenario,
    private readonly mode: 'skip' | 'step',
  ) {
    if (!(s.horizonMs >= 0) || !(s.kubelet.syncFrequencyMs > 0) || !(s.output.seriesIntervalMs > 0)) {
      throw new Error('runScenario: horizon must be ≥ 0, syncFrequency and seriesInterval > 0');
    }
    this.start = s.start;
    this.end = s.start + s.horizonMs;
    this.version = s.kubelet.version;
    this.scheduler = new Scheduler(this.start);
    this.builder = new TraceBuilder(this.start, this.end, s.output.seriesIntervalMs);
    const base = createStream(s.seed, 'engine');
    this.ctx = { t: this.start, stream: base, issuerStream: base };
    const clock: Clock = { now: () => this.ctx.t };
    const random: RandomSource = { float: () => this.ctx.stream.float() };

    if (s.signer !== undefined) {
      const signerOutages = s.signer.outages.map((o) => ({ from: this.start + o.from, to: this.start + o.to }));
      this.signer = new SimulatedSigner(clock, s.signer.refreshHintSeconds, signerOutages);
      const signer = this.signer;
      this.keyCache = new KeyCache(() => signer.fetchKeys(), clock, (o) => this.onKeySync(o));
    }
    this.rotationTimes = (s.signer?.rotations ?? []).map((r) => this.start + r.at).sort((a, b) => a - b);

    const signer = this.signer;
    this.issuer = new TokenIssuer(
      {
        issuer: s.apiServer.issuer,
        audiences: s.apiServer.audiences,
        maxTokenExpirationSeconds: s.apiServer.maxTokenExpirationSeconds,
        extendTokenExpiration: s.apiServer.extendTokenExpiration,
        outages: s.apiServer.outages.map((o) => ({ from: this.start + o.from, to: this.start + o.to })),
        errorRate: s.apiServer.errorRate,
        latencyMs: s.apiServer.latencyMs,
        ...(signer === undefined ? {} : { signingKeyId: () => signer.currentKeyId }),
      },
      clock,
      base,
    );
    this.manager = new TokenManager({
      clock,
      random,
      version: this.version,
      getToken: (name, namespace, tr) => {
        const r = this.createToken(namespace, name, tr, this.ctx.issuerStream);
        return r.ok ? { ok: true, response: r.response } : { ok: false, error: r.error };
      },
    });
    this.podEnv = { call: (worker, slot, at) => this.managerCall(worker, slot, at) };
    this.ffEnv = this.fastForwardEnv();
    this.buildPods();
    this.buildRefreshers();
  }

  /** Every TokenRequest goes through here: remember the answer and the kid of the issued token. */
  private createToken(namespace: string, name: string, tr: TokenRequest, stream: SeededRandom): IssueResult {
    const r = this.issuer.createToken(namespace, name, tr, stream);
    this.lastIssue = r;
    if (r.ok && r.kid !== undefined) this.kidByToken.set(r.response, r.kid);
    return r;
  }

  // ---------------------------------------------------------------- setup

  private buildPods(): void {
    const s = this.s;
    let lane = 0;
    const uidCount = new Map<string, number>();
    for (const p of s.pods) uidCount.set(p.uid, (uidCount.get(p.uid) ?? 0) + 1);
    const seenIds = new Map<string, number>();
    const saUids = new Map<string, string>();
    s.pods.forEach((pod, i) => {
      const lanes = pod.tokens.map((t) => {
        let id = `${pod.namespace}/${pod.name}/${t.path}`;
        const n = (seenIds.get(id) ?? 0) + 1;
        seenIds.set(id, n);
        if (n > 1) id = `${id}#${n}`;
        const detailed = lane < s.output.maxDetailedLanes;
        this.laneDetailed.push(detailed);
        if (detailed) this.laneIds.set(lane, id);
        if (detailed) this.builder.lanes.push({ id, kind: 'token', label: t.path, group: `${pod.namespace}/${pod.name}`, detailed: true });
        return { id, lane: lane++ };
      });
      const saKey = `${pod.namespace}/${pod.serviceAccount}`;
      let saUid = saUids.get(saKey);
      if (saUid === undefined) saUids.set(saKey, (saUid = defaultServiceAccountUid(pod.namespace, pod.serviceAccount)));
      const podKey = `${pod.namespace}/${pod.name}#${i}`;
      const w = new PodWorker(
        pod,
        i,
        createStream(s.seed, `kubelet/${podKey}`),
        createStream(s.seed, `apiserver/${podKey}`),
        s.kubelet.syncFrequencyMs,
        pod.deleteAt === undefined ? Infinity : this.start + pod.deleteAt,
        this.version,
        saUid,
        lanes,
      );
      this.workers.push(w);
      this.podDetailed.push(lanes.some((l) => this.laneDetailed[l.lane] === true));
      this.podEligible.push((uidCount.get(pod.uid) ?? 0) === 1);
      for (const slot of w.slots) {
        this.plans[slot.lane] = this.issuer.plan(pod.namespace, pod.serviceAccount, slot.request);
        const refs = this.slotsByKey.get(slot.key) ?? [];
        refs.push({ worker: w, slot });
        this.slotsByKey.set(slot.key, refs);
      }
    });
    this.tokenLanes = lane;
    // Pods sharing a cache key with another source (or a UID with another pod) read each other's
    // entries: they always take the normal path.
    for (const refs of this.slotsByKey.values()) {
      if (refs.length > 1) for (const r of refs) this.podEligible[r.worker.index] = false;
    }
  }

  private buildRefreshers(): void {
    const s = this.s;
    const clock: Clock = { now: () => this.ctx.t };
    s.refreshers.forEach((spec, j) => {
      const laneId = `refresher/${spec.namespace}/${spec.name}`;
      const stream = createStream(s.seed, `refresher/${laneId}#${j}`);
      const issuerStream = createStream(s.seed, `apiserver/${laneId}#${j}`);
      const refresher = new CalicoRefresher(
        { namespace: spec.namespace, serviceAccount: spec.serviceAccount, expirationSeconds: spec.expirationSeconds, ...(spec.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: spec.refreshIntervalMs }) },
        clock,
        stream,
        (namespace, name, tr) => {
          const r = this.createToken(namespace, name, tr, this.ctx.issuerStream);
          return r.ok ? { ok: true, response: r.response, latencyMs: r.latencyMs } : { ok: false, error: r.error, latencyMs: r.latencyMs };
        },
      );
      const lane = this.tokenLanes + j;
      this.laneIds.set(lane, laneId);
      this.refreshers.push({ spec, laneId, lane, refresher, stream, issuerStream, rank: RANK_PODS + 2 * s.pods.length + j, file: undefined, lastSleep: undefined });
    });
  }

  // ---------------------------------------------------------------- run

  run(onProgress?: (fraction: number) => void): { trace: Trace; stats: RunStats } {
    const s = this.s;
    const b = this.builder;
    b.lanes.unshift({ id: APISERVER_LANE, kind: 'apiServer', label: 'kube-apiserver TokenRequest', detailed: true });
    if (this.signer !== undefined) b.lanes.splice(1, 0, { id: SIGNER_LANE, kind: 'signer', label: 'external signer public keys', detailed: true });
    for (const r of this.refreshers) b.lanes.push({ id: r.laneId, kind: 'refresher', label: `calico ${r.spec.name}`, group: r.spec.namespace, detailed: true });

    this.emitOutages(APISERVER_LANE, s.apiServer.outages, 'SPEC D.1: the TokenRequest endpoint is unreachable (connection refused)');
    if (s.signer !== undefined) this.emitOutages(SIGNER_LANE, s.signer.outages, 'SPEC D.5: the signer\'s FetchKeys fails; the key cache keeps its old keys and retries every 10 s');

    // Startup fill of the key cache, then its timer; then rotations.
    if (this.keyCache !== undefined && this.signer !== undefined) {
      const kc = this.keyCache;
      this.ctx.t = this.start;
      kc.initialFill();
      const syncTask = this.task(RANK_KEY_SYNC, (t) => {
        this.ctx.t = t;
        kc.runScheduledSync();
        this.scheduleIf(kc.nextScheduledSync, RANK_KEY_SYNC, syncTask);
      });
      this.scheduleIf(kc.nextScheduledSync, RANK_KEY_SYNC, syncTask);
      for (const rot of s.signer?.rotations ?? []) this.scheduleRotation(this.start + rot.at, rot.dropOldKeyAfter);
    }

    // SPEC A.1: cleanup at construction, then every minute.
    const cleanupTask = this.task(RANK_CLEANUP, (t) => {
      this.cleanup(t);
      this.scheduleIf(t + GC_PERIOD_MS, RANK_CLEANUP, cleanupTask);
    });
    this.scheduleIf(this.start, RANK_CLEANUP, cleanupTask);

    for (const w of this.workers) {
      const deleteRank = RANK_PODS + 2 * w.index;
      if (w.deleteAt !== Infinity) this.scheduleIf(Math.max(w.deleteAt, this.start), deleteRank, this.task(deleteRank, (t) => this.deletePod(w, t)));
      const task: Task = this.task(deleteRank + 1, (t) => this.podSync(w, t, task));
      this.scheduleIf(this.start, deleteRank + 1, task);
    }
    for (const r of this.refreshers) {
      const task: Task = this.task(r.rank, (t) => this.refresherAttempt(r, t, task));
      this.scheduleIf(this.start, r.rank, task);
    }

    const horizon = Math.max(1, this.end - this.start);
    let reported = 0;
    const tick = (t: number): void => {
      const f = Math.min(1, (t - this.start) / horizon);
      // Only report visible progress (every 0.5 %).
      if (onProgress !== undefined && f - reported >= 0.005) {
        reported = f;
        onProgress(f);
      }
    };
    this.scheduler.runUntil(this.end, onProgress === undefined ? undefined : tick, 1024);

    // Tokens still in their files at the end: count/record expiry up to the end (inclusive).
    this.builder.rank = RANK_PODS + 2 * s.pods.length + this.refreshers.length; // after every actor
    for (const w of this.workers) {
      if (w.deleted) continue;
      for (const slot of w.slots) this.fileReplaced(slot.lane, slot.laneId, this.laneDetailed[slot.lane] === true, slot.file, this.end + 1);
    }
    for (const r of this.refreshers) this.fileReplaced(r.lane, r.laneId, true, r.file, this.end + 1);
    onProgress?.(1);

    const lanesTotal = 1 + (this.signer === undefined ? 0 : 1) + this.tokenLanes + this.refreshers.length;
    const trace = b.build({
      ...(s.name === undefined ? {} : { name: s.name }),
      seed: s.seed,
      start: this.start,
      end: this.end,
      models: modelsFor(s),
      lanesTotal,
    });
    return {
      trace,
      stats: {
        mode: this.mode,
        schedulerEvents: this.scheduler.processed,
        traceEvents: trace.events.length,
        lanesTotal,
        detailedTokenLanes: this.laneDetailed.filter((d) => d).length,
      },
    };
  }

  /** An actor's task: events it emits are ordered by its rank (see TraceBuilder). */
  private task(rank: number, run: (t: number) => void): Task {
    const b = this.builder;
    return {
      run: (t) => {
        b.rank = rank;
        run(t);
      },
    };
  }

  private scheduleIf(time: number, rank: number, task: Task): void {
    if (time <= this.end) this.scheduler.schedule(time, rank, task);
  }

  private event(e: TraceEvent): void {
    this.builder.event(e);
  }

  private emitOutages(lane: string, outages: { from: number; to: number }[], rule: string): void {
    for (const o of outages) {
      const from = this.start + o.from;
      const to = this.start + o.to;
      if (from > this.end || to <= from) continue;
      this.builder.span({ lane, kind: 'outage', start: from, end: Math.min(to, this.end), label: 'outage', rule });
      this.event({ t: from, lane, type: 'outageStart', rule, data: { until: to } });
      if (to <= this.end) this.event({ t: to, lane, type: 'outageEnd', rule: `${rule}: [from, to) ends`, data: { from } });
    }
  }

  // ---------------------------------------------------------------- signer

  private scheduleRotation(at: number, dropAfter: number | undefined): void {
    const signer = this.signer;
    if (signer === undefined) return;
    this.scheduleIf(
      at,
      RANK_ROTATION,
      this.task(RANK_ROTATION, (t) => {
        const { oldKeyId, newKeyId } = signer.rotate();
        this.event({
          t,
          lane: SIGNER_LANE,
          type: 'keyRotated',
          rule: 'SPEC D.5: the signer signs new tokens with a new key and publishes it; tokens signed earlier keep their old kid',
          data: { action: 'rotate', oldKid: oldKeyId, newKid: newKeyId },
        });
        if (dropAfter !== undefined) {
          this.scheduleIf(
            t + dropAfter,
            RANK_ROTATION,
            this.task(RANK_ROTATION, (t2) => {
              if (!signer.drop(oldKeyId)) return;
              this.event({
                t: t2,
                lane: SIGNER_LANE,
                type: 'keyRotated',
                rule: `SPEC D.5: the signer stops publishing ${oldKeyId}; tokens signed with it fail verification after the API server's next key sync`,
                data: { action: 'dropOldKey', kid: oldKeyId },
              });
            }),
          );
        }
      }),
    );
  }

  private onKeySync(o: KeySyncOutcome): void {
    const why: Record<KeySyncOutcome['reason'], string> = {
      startup: 'SPEC D.5: startup FetchKeys (upstream aborts the API server if it fails; the simulation retries every 10 s)',
      scheduled: 'SPEC D.5: scheduled sync at fetch time + refreshHintSeconds (10 s after a failed sync)',
      onDemand: 'SPEC D.5: on-demand sync for a kid that is not cached',
    };
    const data: Record<string, string | number | boolean> = { reason: o.reason, keys: o.keyIds.join(','), changed: o.changed };
    if (o.added.length > 0) data.added = o.added.join(',');
    if (o.removed.length > 0) data.removed = o.removed.join(',');
    const e: TraceEvent = { t: o.at, lane: SIGNER_LANE, type: 'keySync', rule: o.ok ? why[o.reason] : `${why[o.reason]}; failed, old keys kept`, ok: o.ok, data };
    if (o.error !== undefined) e.error = o.error;
    this.event(e);
    // Tokens whose kid just left the cache stop authenticating (exp notwithstanding).
    for (const kid of o.removed) {
      const lanes = this.kidLanes.get(kid);
      if (lanes === undefined) continue;
      for (const lane of [...lanes].sort((a, b) => a - b)) {
        this.event({
          t: o.at,
          lane: this.laneIds.get(lane) ?? '',
          type: 'tokenRejected',
          rule: `SPEC D.5: signing key ${kid} is no longer published; the token fails verification although its exp is in the future`,
          data: { kid },
        });
        this.laneKid.delete(lane);
      }
      this.kidLanes.delete(kid);
    }
  }

  /** A consumer starts using a freshly written token: the API server verifies its kid (SPEC D.5). */
  private verifyWritten(lane: number, laneId: string, detailed: boolean, kid: string | undefined, at: number): void {
    const kc = this.keyCache;
    if (kc === undefined || kid === undefined) return;
    if (detailed) {
      const old = this.laneKid.get(lane);
      if (old !== undefined) this.kidLanes.get(old)?.delete(lane);
      this.laneKid.delete(lane);
    }
    this.ctx.t = at;
    const r = kc.getPublicKeys(kid);
    if (r.keys.length === 0) {
      if (detailed) {
        this.event({ t: at, lane: laneId, type: 'tokenRejected', rule: `SPEC D.5: kid ${kid} not in the key cache even after an on-demand sync → no keys → rejected`, data: { kid } });
      }
      return;
    }
    if (detailed) {
      this.laneKid.set(lane, kid);
      let set = this.kidLanes.get(kid);
      if (set === undefined) this.kidLanes.set(kid, (set = new Set()));
      set.add(lane);
    }
  }

  // ---------------------------------------------------------------- kubelet

  private cleanup(t: number): void {
    this.ctx.t = t;
    const removed = this.manager.cleanup();
    const lanes: SlotRef[] = [];
    for (const key of removed) for (const ref of this.slotsByKey.get(key) ?? []) if (this.laneDetailed[ref.slot.lane] === true) lanes.push(ref);
    lanes.sort((a, b) => a.slot.lane - b.slot.lane);
    for (const ref of lanes) {
      this.event({ t, lane: ref.slot.laneId, type: 'cacheCleanup', rule: RULE_CLEANUP, data: { count: 1 } });
    }
  }

  private deletePod(w: PodWorker, t: number): void {
    w.deleted = true;
    this.ctx.t = t;
    const removed = this.manager.deleteServiceAccountToken(w.pod.uid);
    for (const slot of w.slots) {
      const detailed = this.laneDetailed[slot.lane] === true;
      this.fileReplaced(slot.lane, slot.laneId, detailed, slot.file, t);
      if (detailed) {
        const old = this.laneKid.get(slot.lane);
        if (old !== undefined) this.kidLanes.get(old)?.delete(slot.lane);
        this.laneKid.delete(slot.lane);
        this.event({
          t,
          lane: slot.laneId,
          type: 'podDeleted',
          rule: `SPEC A.6: DeleteServiceAccountToken(${w.pod.uid}) dropped ${removed.length} cached token(s) bound to the pod`,
          data: { removed: removed.length },
        });
      }
      slot.file = undefined;
    }
  }

  /** A file's token is replaced (or the file goes away) at `at`: account for any time it spent expired. */
  private fileReplaced(lane: number, laneId: string, detailed: boolean, previous: IssuedTokenRequest | undefined, at: number): void {
    if (previous === undefined) return;
    const exp = previous.status.expirationTimestamp;
    this.builder.countExpired(exp, at);
    if (detailed && exp + 1 < at && exp + 1 <= this.end) {
      // An extended token (SPEC D.1 step 8) is past the expiry the kubelet was told, yet its JWT is
      // still accepted by the API server: say so, or the chart would overstate the damage.
      const plan = this.plans[lane];
      if (plan?.ok && plan.extended) {
        const jwtExp = exp + (plan.jwtLifetimeSeconds - plan.expirationSeconds) * 1000;
        this.event({ t: exp + 1, lane: laneId, type: 'tokenExpired', rule: RULE_EXPIRED_EXTENDED, data: { expirationTimestamp: exp, jwtExpiresAt: jwtExp } });
      } else {
        this.event({ t: exp + 1, lane: laneId, type: 'tokenExpired', rule: RULE_EXPIRED, data: { expirationTimestamp: exp } });
      }
    }
  }

  private readonly podEnv: PodSyncEnv;
  private readonly ffEnv: FastForwardEnv;

  private managerCall(worker: PodWorker, slot: PodSlot, at: number): ManagerCall {
    this.ctx.t = at;
    this.ctx.stream = worker.stream;
    this.ctx.issuerStream = worker.issuerStream;
    this.lastIssue = undefined;
    const outcome = this.manager.getServiceAccountTokenForKey(slot.key, worker.pod.namespace, worker.pod.serviceAccount, slot.request);
    const issue = this.lastIssue as IssueResult | undefined;
    return issue === undefined ? { outcome, latencyMs: 0 } : { outcome, latencyMs: issue.latencyMs, issue };
  }

  private fastForwardEnv(): FastForwardEnv {
    return {
      manager: this.manager,
      issuer: this.issuer,
      version: this.version,
      end: this.end,
      cleanupStart: this.start,
      cleanupPeriodMs: GC_PERIOD_MS,
      nextSigningChange: (t) => {
        for (const r of this.rotationTimes) if (r > t) return r;
        return Infinity;
      },
      signingKeyCached: () => this.signer === undefined || this.keyCache === undefined || this.keyCache.has(this.signer.currentKeyId),
      plan: (slot) => this.plans[slot.lane] as IssuePlan,
      countEncoded: (buf, length) => this.builder.countEncoded(buf, length),
      seriesStart: this.builder.start,
      seriesIntervalMs: this.builder.intervalMs,
      // A pod with detail may have sources past the detail limit: those only count in the series.
      requestFailed: (slot, at, check, error, code) => {
        if (this.laneDetailed[slot.lane] === true) this.emitRequestFailed(slot, at, check, error, code);
      },
      servedStale: (slot, at, exp, apiError) => {
        if (this.laneDetailed[slot.lane] === true) this.emitStale(slot, at, exp, apiError);
      },
      syncFailed: (slot, end, error, via, retryInMs) => {
        if (this.laneDetailed[slot.lane] === true) this.emitSyncFailed(slot, end, error, via, retryInMs);
      },
      materialize: (worker, slot, at, position) => {
        this.ctx.t = at;
        worker.issuerStream.position = position;
        const r = this.createToken(worker.pod.namespace, worker.pod.serviceAccount, slot.request, worker.issuerStream);
        if (!r.ok) throw new Error(`fastForward: the issuer refused a token the fast path predicted (${r.error})`);
        return r.response;
      },
    };
  }

  private podSync(w: PodWorker, t: number, task: Task): void {
    if (w.deleted) return;
    const rank = RANK_PODS + 2 * w.index + 1;
    if (this.mode === 'skip' && this.podEligible[w.index] === true) {
      const next = fastForward(w, t, this.ffEnv, this.podDetailed[w.index] === true);
      if (next !== undefined) {
        this.scheduleIf(next, rank, task);
        return;
      }
    }
    const o = w.sync(t, this.podEnv);
    this.recordSync(o);
    this.scheduleIf(o.nextAt, rank, task);
  }

  private recordSync(o: SyncOutcome): void {
    const b = this.builder;
    for (const r of o.results) {
      const slot = r.slot;
      const detailed = this.laneDetailed[slot.lane] === true;
      const out = r.call.outcome;
      const issue = r.call.issue;
      if (issue !== undefined) {
        b.countRequest(r.at, issue.ok);
        if (detailed) {
          if (issue.ok) this.recordIssued(slot, r.at, 'check' in out ? out.check : undefined, issue);
          else this.emitRequestFailed(slot, r.at, 'check' in out ? out.check : undefined, issue.error, issue.code);
        }
      }
      if (out.via === 'stale') {
        b.countStale(r.done);
        if (detailed) this.emitStale(slot, r.done, out.token.status.expirationTimestamp, out.apiError);
      }
    }
    // Failures last: the fast path can only know the re-queue delay once every source was asked.
    for (const r of o.results) {
      const out = r.call.outcome;
      if (!out.ok && this.laneDetailed[r.slot.lane] === true) this.emitSyncFailed(r.slot, o.end, out.error, out.via, o.nextAt - o.end);
    }
    for (const wr of o.writes) {
      const slot = wr.slot;
      const detailed = this.laneDetailed[slot.lane] === true;
      this.fileReplaced(slot.lane, slot.laneId, detailed, wr.previous, wr.at);
      if (detailed) {
        this.event({
          t: wr.at,
          lane: slot.laneId,
          type: 'tokenWritten',
          rule: RULE_WRITTEN,
          data: { expirationTimestamp: wr.token.status.expirationTimestamp, expirationSeconds: wr.token.spec.expirationSeconds ?? 0 },
        });
      }
      this.verifyWritten(slot.lane, slot.laneId, detailed, this.kidByToken.get(wr.token), wr.at);
    }
  }


  /** A failed TokenRequest on a lane with detail (normal path and fast path alike). */
  private emitRequestFailed(slot: PodSlot, at: number, check: RefreshCheck | undefined, error: string, code: number): void {
    const why = requestReason(check);
    const data: Record<string, string | number | boolean> = { reason: why.reason };
    if (why.jitter !== undefined) data.jitterSeconds = why.jitter;
    data.code = code;
    this.event({ t: at, lane: slot.laneId, type: 'tokenRequest', rule: why.rule, ok: false, error, data });
  }

  private emitStale(slot: PodSlot, at: number, expirationTimestamp: number, apiError: string): void {
    this.event({ t: at, lane: slot.laneId, type: 'tokenServedStale', rule: RULE_STALE, error: apiError, data: { expirationTimestamp, validForMs: expirationTimestamp - at } });
  }

  private emitSyncFailed(slot: PodSlot, end: number, error: string, via: 'fetchFailed' | 'expiredRefreshFailed', retryInMs: number): void {
    const rule = via === 'fetchFailed' ? RULE_FETCH_FAILED : RULE_EXPIRED_FAILED;
    this.event({ t: end, lane: slot.laneId, type: 'syncFailed', rule, ok: false, error, data: { retryInMs } });
  }

  private recordIssued(slot: PodSlot, at: number, check: RefreshCheck | undefined, issue: Extract<IssueResult, { ok: true }>): void {
    const why = requestReason(check);
    const data: Record<string, string | number | boolean> = { reason: why.reason };
    if (why.jitter !== undefined) data.jitterSeconds = why.jitter;
    const resp = issue.response;
    const es = resp.spec.expirationSeconds ?? 0;
    const exp = resp.status.expirationTimestamp;
    data.expirationSeconds = es;
    data.expirationTimestamp = exp;
    data.jwtExp = issue.claims.exp;
    data.jti = issue.claims.jti;
    data.extended = issue.extended;
    if (issue.claims['kubernetes.io'].warnafter !== undefined) data.warnafter = issue.claims['kubernetes.io'].warnafter;
    if (issue.kid !== undefined) data.kid = issue.kid;
    if (issue.warnings.length > 0) data.warning = issue.warnings.join('; ');
    this.event({ t: at, lane: slot.laneId, type: 'tokenRequest', rule: why.rule, ok: true, data });
    this.builder.span({
      lane: slot.laneId,
      kind: 'validity',
      start: exp - es * 1000,
      end: exp,
      label: `token ${issue.claims.jti.slice(0, 8)}`,
      rule: issue.extended ? RULE_VALIDITY_EXTENDED : RULE_VALIDITY,
    });
    const win = refreshWindow(resp.spec.expirationSeconds, exp, this.version);
    if (win.thresholdRule !== 'never') {
      const whyKey = `${es}/${this.version}`;
      let why = whyCache.get(whyKey);
      if (why === undefined) whyCache.set(whyKey, (why = win.why));
      this.builder.span({ lane: slot.laneId, kind: 'refreshWindow', start: win.earliest, end: win.latest, label: win.thresholdRule === '80%' ? 'refresh (80% rule)' : 'refresh (24h rule)', rule: why });
    }
  }

  // ---------------------------------------------------------------- refreshers

  private refresherAttempt(r: RefresherActor, t: number, task: Task): void {
    this.ctx.t = t;
    this.ctx.issuerStream = r.issuerStream;
    this.lastIssue = undefined;
    const a = r.refresher.attempt();
    const issue = this.lastIssue as IssueResult | undefined;
    const rule = r.lastSleep === undefined ? 'SPEC D.6: first TokenRequest when the refresher starts' : `SPEC D.6: woke up after ${r.lastSleep}`;
    this.builder.countRequest(t, a.ok);
    const data: Record<string, string | number | boolean> = {};
    if (a.ok && a.response !== undefined) {
      const resp = a.response;
      const es = resp.spec.expirationSeconds ?? 0;
      const exp = resp.status.expirationTimestamp;
      data.expirationSeconds = es;
      data.expirationTimestamp = exp;
      if (issue?.ok === true) {
        data.jwtExp = issue.claims.exp;
        data.jti = issue.claims.jti;
        if (issue.kid !== undefined) data.kid = issue.kid;
      }
      this.event({ t, lane: r.laneId, type: 'tokenRequest', rule, ok: true, data });
      const at = a.nextAt - a.sleep.sleepMs;
      this.fileReplaced(r.lane, r.laneId, true, r.file, at);
      r.file = resp;
      this.event({
        t: at,
        lane: r.laneId,
        type: 'tokenWritten',
        rule: 'SPEC D.6: the token is handed to the consumer, which rewrites /host/etc/cni/net.d/calico-kubeconfig',
        data: { expirationTimestamp: exp, expirationSeconds: es },
      });
      this.builder.span({ lane: r.laneId, kind: 'validity', start: exp - es * 1000, end: exp, label: 'calico-kubeconfig token', rule: 'SPEC D.6: 24 h token, not pod-bound, never extended' });
      this.verifyWritten(r.lane, r.laneId, true, this.kidByToken.get(resp), at);
    } else {
      this.event({ t, lane: r.laneId, type: 'tokenRequest', rule, ok: false, error: a.error ?? '', data: { code: issue?.ok === false ? issue.code : 0 } });
    }
    const after = a.nextAt - a.sleep.sleepMs;
    const u = Math.round(a.u * 1e6) / 1e6;
    const baseText = seconds(a.sleep.baseMs);
    r.lastSleep =
      a.sleep.rule === 'retry'
        ? `sleep = 5 s + U·5 s = ${seconds(a.sleep.sleepMs)} (U=${u}; expiration < now + 20 s or the attempt failed)`
        : a.sleep.rule === 'interval'
          ? `sleep = CNI_TOKEN_REFRESH_INTERVAL ${baseText} + U·base = ${seconds(a.sleep.sleepMs)} (U=${u})`
          : `sleep = (exp − now)/4 = ${baseText} + U·base = ${seconds(a.sleep.sleepMs)} (U=${u})`;
    if (a.sleep.rule !== 'retry') {
      this.builder.span({
        lane: r.laneId,
        kind: 'refreshWindow',
        start: after + Math.floor(a.sleep.baseMs),
        end: after + Math.floor(2 * a.sleep.baseMs),
        label: 'next refresh',
        rule: 'SPEC D.6: next attempt after base + U·base, U float32 in [0, 1)',
      });
    }
    this.scheduleIf(a.nextAt, r.rank, task);
  }
}
