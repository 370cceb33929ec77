/**
 * The kubelet as the engine composes it: the token manager (tokenManager.ts) shared by every pod
 * worker (podWorker.ts), its cleanup every minute from the start (SPEC A.1, A.7), pod deletion
 * (SPEC A.6), and dead-time skipping (fastForward.ts) for pods whose cache keys nobody else reads.
 *
 * Actors, in rank order: the cleanup loop, then per pod i its deletion and its syncs.
 * Lanes: one 'token' lane per pod × projected token source, id `<namespace>/<pod>/<path>` (e.g.
 * `shop/web-0/vault/token`; a repeated id gets `#2`, `#3`). Only the first output.maxDetailedLanes
 * token lanes (scenario order) carry events and spans; the others only feed the aggregate series.
 *
 * It uses the API server's TokenRequest and verifier services and provides SERVICE_ACCOUNT_TOKENS:
 * another model (a credential provider in service-account-token mode) asks the same token manager for
 * a token; a request whose cache key equals a pod projection's (SPEC A.2) takes that pod off the fast
 * path, since the two then read and write one cache entry.
 */
import type { Actor, ActorTask, Model, ModelCore, ModelRun } from '../model';
import { serviceKey } from '../model';
import type { SeededRandom } from '../random';
import type { Counter } from '../series';
import type { KubeletSpec, PodSpec } from './kubeletSpec';
import { TOKEN_REQUESTS, TOKEN_VERIFIER, type TokenRequestService, type TokenVerifier, type VerifiedLane } from '../apiserver/model';
import { TokenFileExpiry } from '../apiserver/tokenFile';
import { defaultServiceAccountUid, type IssuePlan, type IssueResult } from '../apiserver/tokenIssuer';
import type { TokenRequest } from '../apiserver/tokenRequest';
import { fastForward, SERIES_EXPIRED, SERIES_REQUEST_FAILED, SERIES_STALE, type FastForwardEnv } from './fastForward';
import { PodWorker, type ManagerCall, type PodSlot, type PodSyncEnv, type SyncOutcome } from './podWorker';
import { RULE_CLEANUP, RULE_WRITTEN } from './refreshReasons';
import { TokenLaneRecorder } from './tokenLaneRecorder';
import { GC_PERIOD_MS, TokenManager, keyFunc, type KubeletVersion } from './tokenManager';

export interface KubeletScenario {
  seed: number;
  kubelet: KubeletSpec;
  pods: PodSpec[];
  output: { maxDetailedLanes: number };
}

/** A token another model asks the kubelet's token manager for (registered while building). */
export interface ServiceAccountTokenRequest {
  namespace: string;
  serviceAccount: string;
  request: TokenRequest;
}

export type ServiceAccountToken = { ok: true; token: string; expirationTimestamp: number } | { ok: false; error: string };

export interface ServiceAccountTokenService {
  /** Call while building; returns the handle to ask with at run time. */
  register(r: ServiceAccountTokenRequest): SharedTokenRequest;
  /** The token manager's answer at the clock's time, drawing server-side from `stream`. */
  get(handle: SharedTokenRequest, stream: SeededRandom): ServiceAccountToken;
}

export interface SharedTokenRequest {
  readonly key: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly request: TokenRequest;
}

export const SERVICE_ACCOUNT_TOKENS = serviceKey<ServiceAccountTokenService>('kubelet/serviceAccountTokens');

export const kubeletModel: Model<KubeletScenario> = {
  id: 'kubelet',
  build: (s, core) => (s.pods.length === 0 ? undefined : new KubeletRun(s, core)),
};

const DESCRIBE: Record<KubeletVersion, string> = {
  '1.19': 'kubelet token manager ≤1.19, no jitter (SPEC A)',
  '1.20': 'kubelet token manager 1.20–1.33 (SPEC A)',
  '1.34': 'kubelet token manager 1.34+ (SPEC A)',
};

interface SlotRef {
  worker: PodWorker;
  slot: PodSlot;
}

class KubeletRun implements ModelRun, ServiceAccountTokenService {
  readonly describes: string[];
  readonly lanesTotal: number;
  readonly detailedLanes: number;
  private readonly version: KubeletVersion;
  private readonly tokens: TokenRequestService;
  private readonly verifier: TokenVerifier | undefined;
  private readonly manager: TokenManager;
  private readonly files: TokenFileExpiry;
  private readonly recorder: TokenLaneRecorder;
  private readonly requests: Counter;
  private readonly failures: Counter;
  private readonly stale: Counter;
  private readonly cleanupActor: Actor;
  private readonly workers: PodWorker[] = [];
  private readonly syncActors: Actor[] = [];
  private readonly deleteActors: Actor[] = [];
  private readonly laneDetailed: boolean[] = [];
  private readonly verified: (VerifiedLane | undefined)[] = [];
  private readonly podDetailed: boolean[] = [];
  private readonly podEligible: boolean[] = [];
  private readonly plans: IssuePlan[] = [];
  private readonly slotsByKey = new Map<string, SlotRef[]>();
  /** Server-side stream of the request being made now (the manager's getToken has no stream argument). */
  private issuerStream: SeededRandom;
  private lastIssue: IssueResult | undefined;
  private readonly podEnv: PodSyncEnv;
  private readonly ffEnv: FastForwardEnv;

  constructor(
    private readonly s: KubeletScenario,
    private readonly core: ModelCore,
  ) {
    const tokens = core.use(TOKEN_REQUESTS);
    if (tokens === undefined) throw new Error('the kubelet model needs the API server model (TokenRequest)');
    if (!(s.kubelet.syncFrequencyMs > 0)) throw new Error('runScenario: syncFrequency must be > 0');
    this.tokens = tokens;
    this.verifier = core.use(TOKEN_VERIFIER);
    this.version = s.kubelet.version;
    this.describes = [DESCRIBE[this.version], 'kubelet pod workers (re-sync wait.Jitter(syncFrequency, 0.5))'];
    ({ requests: this.requests, failures: this.failures } = tokens.requestCounters());
    this.stale = core.trace.series.counter('staleServes');
    this.files = new TokenFileExpiry(core.trace, core.end);
    this.recorder = new TokenLaneRecorder(core.trace, this.version);
    this.issuerStream = core.stream('engine');
    this.manager = new TokenManager({
      clock: core.clock,
      random: core.random,
      version: this.version,
      getToken: (name, namespace, tr) => {
        const r = (this.lastIssue = tokens.createToken(namespace, name, tr, this.issuerStream));
        return r.ok ? { ok: true, response: r.response } : { ok: false, error: r.error, latencyMs: r.latencyMs };
      },
    });
    this.cleanupActor = core.actor(core.stream('engine'));
    this.lanesTotal = this.buildPods();
    this.detailedLanes = this.laneDetailed.filter((d) => d).length;
    this.podEnv = { call: (worker, slot, at) => this.managerCall(worker, slot, at) };
    this.ffEnv = this.fastForwardEnv();
    core.provide(SERVICE_ACCOUNT_TOKENS, this);
  }

  private buildPods(): number {
    const { s, core } = this;
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
        this.verified.push(detailed ? this.verifier?.lane(id) : undefined);
        if (detailed) core.trace.lanes.push({ id, kind: 'token', label: t.path, group: `${pod.namespace}/${pod.name}`, detailed: true });
        return { id, lane: lane++ };
      });
      const saKey = `${pod.namespace}/${pod.serviceAccount}`;
      let saUid = saUids.get(saKey);
      if (saUid === undefined) saUids.set(saKey, (saUid = defaultServiceAccountUid(pod.namespace, pod.serviceAccount)));
      const podKey = `${pod.namespace}/${pod.name}#${i}`;
      const stream = core.stream(`kubelet/${podKey}`);
      const w = new PodWorker(
        pod,
        i,
        stream,
        core.stream(`apiserver/${podKey}`),
        s.kubelet.syncFrequencyMs,
        pod.deleteAt === undefined ? Infinity : core.start + pod.deleteAt,
        this.version,
        saUid,
        lanes,
      );
      this.workers.push(w);
      this.deleteActors.push(core.actor(stream));
      this.syncActors.push(core.actor(stream));
      this.podDetailed.push(lanes.some((l) => this.laneDetailed[l.lane] === true));
      this.podEligible.push((uidCount.get(pod.uid) ?? 0) === 1);
      for (const slot of w.slots) {
        this.plans[slot.lane] = this.tokens.plan(pod.namespace, pod.serviceAccount, slot.request);
        const refs = this.slotsByKey.get(slot.key) ?? [];
        refs.push({ worker: w, slot });
        this.slotsByKey.set(slot.key, refs);
      }
    });
    // Pods sharing a cache key with another source (or a UID with another pod) read each other's
    // entries: they always take the normal path.
    for (const refs of this.slotsByKey.values()) {
      if (refs.length > 1) for (const r of refs) this.podEligible[r.worker.index] = false;
    }
    return lane;
  }

  start(): void {
    const { core } = this;
    // SPEC A.1: cleanup at construction, then every minute.
    const cleanupTask: ActorTask = core.task(this.cleanupActor, (t) => {
      this.cleanup(t);
      core.scheduleAt(cleanupTask, t + GC_PERIOD_MS);
    });
    core.scheduleAt(cleanupTask, core.start);
    this.workers.forEach((w, i) => {
      const deleteActor = this.deleteActors[i] as Actor;
      if (w.deleteAt !== Infinity) core.scheduleAt(core.task(deleteActor, (t) => this.deletePod(w, t)), Math.max(w.deleteAt, core.start));
      const task: ActorTask = core.task(this.syncActors[i] as Actor, (t) => this.podSync(w, t, task));
      core.scheduleAt(task, core.start);
    });
  }

  /** Tokens still in their files at the end: count/record expiry up to the end (inclusive). */
  finish(): void {
    for (const w of this.workers) {
      if (w.deleted) continue;
      for (const slot of w.slots) this.files.replaced(slot.laneId, this.laneDetailed[slot.lane] === true, slot.file, this.core.end + 1, this.plans[slot.lane]);
    }
  }

  // ------------------------------------------------------------ ServiceAccountTokenService

  register(r: ServiceAccountTokenRequest): SharedTokenRequest {
    // SPEC A.2: the same key function the pod projections use.
    const key = keyFunc(r.serviceAccount, r.namespace, r.request, this.version);
    for (const ref of this.slotsByKey.get(key) ?? []) this.podEligible[ref.worker.index] = false;
    return { key, namespace: r.namespace, serviceAccount: r.serviceAccount, request: r.request };
  }

  get(handle: SharedTokenRequest, stream: SeededRandom): ServiceAccountToken {
    this.issuerStream = stream;
    this.lastIssue = undefined;
    const out = this.manager.getServiceAccountTokenForKey(handle.key, handle.namespace, handle.serviceAccount, handle.request);
    const issue = this.lastIssue as IssueResult | undefined;
    if (issue !== undefined) this.countRequest(this.core.clock.now(), issue.ok);
    if (!out.ok) return { ok: false, error: out.error };
    return { ok: true, token: out.token.status.token, expirationTimestamp: out.token.status.expirationTimestamp };
  }

  // ------------------------------------------------------------ actors

  private countRequest(at: number, ok: boolean): void {
    this.requests.add(at, 1);
    if (!ok) this.failures.add(at, 1);
  }

  private cleanup(t: number): void {
    const removed = this.manager.cleanup();
    const lanes: SlotRef[] = [];
    for (const key of removed) for (const ref of this.slotsByKey.get(key) ?? []) if (this.laneDetailed[ref.slot.lane] === true) lanes.push(ref);
    lanes.sort((a, b) => a.slot.lane - b.slot.lane);
    for (const ref of lanes) this.core.trace.event({ t, lane: ref.slot.laneId, type: 'cacheCleanup', rule: RULE_CLEANUP, data: { count: 1 } });
  }

  private deletePod(w: PodWorker, t: number): void {
    w.deleted = true;
    const removed = this.manager.deleteServiceAccountToken(w.pod.uid);
    for (const slot of w.slots) {
      const detailed = this.laneDetailed[slot.lane] === true;
      this.files.replaced(slot.laneId, detailed, slot.file, t, this.plans[slot.lane]);
      const verified = this.verified[slot.lane];
      if (verified !== undefined) this.verifier?.forget(verified);
      if (detailed) {
        this.core.trace.event({
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

  private managerCall(worker: PodWorker, slot: PodSlot, at: number): ManagerCall {
    this.core.actAs(this.syncActors[worker.index] as Actor, at);
    this.issuerStream = worker.issuerStream;
    this.lastIssue = undefined;
    const outcome = this.manager.getServiceAccountTokenForKey(slot.key, worker.pod.namespace, worker.pod.serviceAccount, slot.request);
    const issue = this.lastIssue as IssueResult | undefined;
    return issue === undefined ? { outcome, latencyMs: 0 } : { outcome, latencyMs: issue.latencyMs, issue };
  }

  private podSync(w: PodWorker, t: number, task: ActorTask): void {
    if (w.deleted) return;
    if (this.core.mode === 'skip' && this.podEligible[w.index] === true) {
      const next = fastForward(w, t, this.ffEnv, this.podDetailed[w.index] === true);
      if (next !== undefined) {
        this.core.scheduleAt(task, next);
        return;
      }
    }
    const o = w.sync(t, this.podEnv);
    this.recordSync(w, o);
    this.core.scheduleAt(task, o.nextAt);
  }

  private fastForwardEnv(): FastForwardEnv {
    const { core, tokens } = this;
    return {
      manager: this.manager,
      issuer: tokens.issuer,
      version: this.version,
      end: core.end,
      cleanupStart: core.start,
      cleanupPeriodMs: GC_PERIOD_MS,
      nextSigningChange: (t) => tokens.nextSigningChange(t),
      signingKeyCached: () => tokens.signingKeyCached(),
      canSign: (t) => tokens.canSign(t),
      plan: (slot) => this.plans[slot.lane] as IssuePlan,
      countEncoded: (buf, length) => this.countEncoded(buf, length),
      seriesStart: core.trace.series.start,
      seriesIntervalMs: core.trace.series.intervalMs,
      // A pod with detail may have sources past the detail limit: those only count in the series.
      requestFailed: (slot, at, check, error, code) => {
        if (this.laneDetailed[slot.lane] === true) this.recorder.requestFailed(slot, at, check, error, code);
      },
      servedStale: (slot, at, exp, apiError) => {
        if (this.laneDetailed[slot.lane] === true) this.recorder.servedStale(slot, at, exp, apiError);
      },
      syncFailed: (slot, end, error, via, retryInMs) => {
        if (this.laneDetailed[slot.lane] === true) this.recorder.syncFailed(slot, end, error, via, retryInMs);
      },
      materialize: (worker, slot, at, position) => {
        core.actAs(this.syncActors[worker.index] as Actor, at);
        worker.issuerStream.position = position;
        const r = tokens.createToken(worker.pod.namespace, worker.pod.serviceAccount, slot.request, worker.issuerStream);
        if (!r.ok) throw new Error(`fastForward: the issuer refused a token the fast path predicted (${r.error})`);
        return r.response;
      },
    };
  }

  /** The fast path's series increments (triples, see fastForward.ts), counted as the normal path would. */
  private countEncoded(buf: Float64Array, length: number): void {
    for (let k = 0; k < length; k += 3) {
      const code = buf[k] as number;
      const a = buf[k + 1] as number;
      const b = buf[k + 2] as number;
      if (code === SERIES_EXPIRED) this.files.countStretch(a, b);
      else if (code === SERIES_STALE) this.stale.add(a, b);
      else {
        this.requests.add(a, b);
        if (code === SERIES_REQUEST_FAILED) this.failures.add(a, b);
      }
    }
  }

  private recordSync(w: PodWorker, o: SyncOutcome): void {
    for (const r of o.results) {
      const slot = r.slot;
      const detailed = this.laneDetailed[slot.lane] === true;
      const out = r.call.outcome;
      const issue = r.call.issue;
      if (issue !== undefined) {
        this.countRequest(r.at, issue.ok);
        if (detailed) {
          if (issue.ok) this.recorder.issued(slot, r.at, 'check' in out ? out.check : undefined, issue);
          else this.recorder.requestFailed(slot, r.at, 'check' in out ? out.check : undefined, issue.error, issue.code);
        }
      }
      if (out.via === 'stale') {
        this.stale.add(r.done, 1);
        if (detailed) this.recorder.servedStale(slot, r.done, out.token.status.expirationTimestamp, out.apiError);
      }
    }
    // Failures last: the fast path can only know the re-queue delay once every source was asked.
    for (const r of o.results) {
      const out = r.call.outcome;
      if (!out.ok && this.laneDetailed[r.slot.lane] === true) this.recorder.syncFailed(r.slot, o.end, out.error, out.via, o.nextAt - o.end);
    }
    const actor = this.syncActors[w.index] as Actor;
    for (const wr of o.writes) {
      const slot = wr.slot;
      const detailed = this.laneDetailed[slot.lane] === true;
      this.files.replaced(slot.laneId, detailed, wr.previous, wr.at, this.plans[slot.lane]);
      if (detailed) {
        this.core.trace.event({
          t: wr.at,
          lane: slot.laneId,
          type: 'tokenWritten',
          rule: RULE_WRITTEN,
          data: { expirationTimestamp: wr.token.status.expirationTimestamp, expirationSeconds: wr.token.spec.expirationSeconds ?? 0 },
        });
      }
      if (this.verifier !== undefined) {
        this.core.actAs(actor, wr.at);
        this.verifier.written(this.verified[slot.lane], wr.token);
      }
    }
  }
}
