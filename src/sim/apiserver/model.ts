/**
 * The API server as the engine composes it: the TokenRequest endpoint (tokenIssuer.ts) with its
 * outages, and, when the scenario has one, the external signer and the API server's cache of its
 * public keys (keyCache.ts). It provides two services to the models that hold tokens:
 * - TOKEN_REQUESTS: issue a token (SPEC D.1) and count it in the request series;
 * - TOKEN_VERIFIER: what a consumer of a freshly written token gets when the API server verifies
 *   its kid (SPEC D.5), and the tokenRejected events when a key leaves the cache.
 *
 * Lanes: 'apiserver' (outages), 'signer' (rotations, key syncs) when the scenario has a signer.
 */
import type { Actor, ActorTask, Model, ModelCore, ModelRun } from '../model';
import { serviceKey } from '../model';
import type { SeededRandom } from '../random';
import type { Counter } from '../series';
import type { ApiServerSpec, Outage, SignerSpec } from './apiServerSpec';
import { KeyCache, SIGNER_UNREACHABLE, SimulatedSigner, type KeySyncOutcome } from './keyCache';
import { TokenIssuer, type IssuePlan, type IssueResult } from './tokenIssuer';
import type { IssuedTokenRequest, TokenRequest } from './tokenRequest';

export interface ApiServerScenario {
  apiServer: ApiServerSpec;
  signer?: SignerSpec;
}

export interface TokenRequestService {
  /** The issuer itself, for the kubelet's exact fast path (kubelet/fastForward.ts). */
  readonly issuer: TokenIssuer;
  /** TokenRequest create at the clock's time, drawing from the requester's server-side `stream`. */
  createToken(namespace: string, serviceAccount: string, tr: TokenRequest, stream: SeededRandom): IssueResult;
  /** The time-invariant part of the answer (tokenIssuer.ts). */
  plan(namespace: string, serviceAccount: string, tr: TokenRequest): IssuePlan;
  /** The request series every client counts into (registered on first use, so a run without clients has none). */
  requestCounters(): { requests: Counter; failures: Counter };
  /** First instant strictly after t at which signing changes: a key rotation, a signer outage starting or ending (Infinity if never). */
  nextSigningChange(t: number): number;
  /** False while the external signer is down (TokenRequests then fail after validation). */
  canSign(t: number): boolean;
  /** True when a token signed now verifies without an on-demand key sync (always, without a signer). */
  signingKeyCached(): boolean;
}

/** A lane with detail whose tokens the API server verifies: it gets tokenRejected events. */
export interface VerifiedLane {
  readonly laneId: string;
  /** Which lane order rejections of one key are reported in (registration order). */
  readonly ordinal: number;
}

export interface TokenVerifier {
  /** Registers a lane with detail; call in lane order. */
  lane(laneId: string): VerifiedLane;
  /**
   * A consumer starts using a freshly written token at the clock's time (SPEC D.5): the API server looks
   * up its kid, syncing the key cache on demand. `lane` is undefined for lanes without detail.
   */
  written(lane: VerifiedLane | undefined, token: IssuedTokenRequest): void;
  /** The lane's token went away (pod deleted): it can no longer be rejected. */
  forget(lane: VerifiedLane): void;
}

export const TOKEN_REQUESTS = serviceKey<TokenRequestService>('apiserver/tokenRequests');
export const TOKEN_VERIFIER = serviceKey<TokenVerifier>('apiserver/verifier');

const APISERVER_LANE = 'apiserver';
const SIGNER_LANE = 'signer';

const KEY_SYNC_RULE: Record<KeySyncOutcome['reason'], string> = {
  startup: 'SPEC D.5: startup FetchKeys (upstream aborts the API server if it fails; the simulation retries every 10 s)',
  scheduled: 'SPEC D.5: scheduled sync at fetch time + refreshHintSeconds (10 s after a failed sync)',
  onDemand: 'SPEC D.5: on-demand sync for a kid that is not cached',
};

export const apiServerModel: Model<ApiServerScenario> = {
  id: 'apiserver',
  build: (s, core) => new ApiServerRun(s, core),
};

class ApiServerRun implements ModelRun, TokenRequestService, TokenVerifier {
  readonly describes: string[];
  readonly lanesTotal: number;
  readonly detailedLanes: number;
  readonly issuer: TokenIssuer;
  private readonly signer: SimulatedSigner | undefined;
  private readonly keyCache: KeyCache | undefined;
  /** Rotations and signer-outage boundaries, sorted: the fast path never runs across one. */
  private readonly signingChanges: number[];
  private readonly rotationActor: Actor;
  private readonly keySyncActor: Actor;
  private counters: { requests: Counter; failures: Counter } | undefined;
  /** kid of every issued token (the JWT header the API server verifies, SPEC D.5). */
  private readonly kidByToken = new WeakMap<IssuedTokenRequest, string>();
  private readonly lanes: VerifiedLane[] = [];
  /** Kid of the token each lane with detail uses, and the reverse index. */
  private readonly laneKid = new Map<VerifiedLane, string>();
  private readonly kidLanes = new Map<string, Set<VerifiedLane>>();

  constructor(
    private readonly s: ApiServerScenario,
    private readonly core: ModelCore,
  ) {
    const { start } = core;
    const abs = (o: Outage): { from: number; to: number } => ({ from: start + o.from, to: start + o.to });
    this.rotationActor = core.actor(core.stream('engine'));
    this.keySyncActor = core.actor(core.stream('engine'));
    if (s.signer !== undefined) {
      this.signer = new SimulatedSigner(core.clock, s.signer.refreshHintSeconds, s.signer.outages.map(abs));
      const signer = this.signer;
      this.keyCache = new KeyCache(() => signer.fetchKeys(), core.clock, (o) => this.onKeySync(o));
    }
    const signerOutages = (s.signer?.outages ?? []).flatMap((o) => [start + o.from, start + o.to]);
    this.signingChanges = [...(s.signer?.rotations ?? []).map((r) => start + r.at), ...signerOutages].sort((a, b) => a - b);
    const signer = this.signer;
    this.issuer = new TokenIssuer(
      {
        issuer: s.apiServer.issuer,
        audiences: s.apiServer.audiences,
        maxTokenExpirationSeconds: s.apiServer.maxTokenExpirationSeconds,
        extendTokenExpiration: s.apiServer.extendTokenExpiration,
        outages: s.apiServer.outages.map(abs),
        errorRate: s.apiServer.errorRate,
        latencyMs: s.apiServer.latencyMs,
        // The external signer signs too: while it is down, TokenRequests fail after validation.
        ...(signer === undefined ? {} : { signingKeyId: () => signer.currentKeyId, signingUnavailable: (t: number) => (signer.inOutage(t) ? SIGNER_UNREACHABLE : undefined) }),
      },
      core.clock,
      core.stream('engine'),
    );
    this.describes = ['kube-apiserver TokenRequest, newest (SPEC D.1, D.2)'];
    if (s.signer !== undefined) this.describes.push('ExternalJWTSigner key cache, 1.34 (SPEC D.5)');
    this.lanesTotal = this.detailedLanes = s.signer === undefined ? 1 : 2;
    core.trace.lanes.push({ id: APISERVER_LANE, kind: 'apiServer', label: 'kube-apiserver TokenRequest', detailed: true });
    if (s.signer !== undefined) core.trace.lanes.push({ id: SIGNER_LANE, kind: 'signer', label: 'external signer public keys', detailed: true });
    core.provide(TOKEN_REQUESTS, this);
    core.provide(TOKEN_VERIFIER, this);
  }

  start(): void {
    const { core, s } = this;
    this.emitOutages(APISERVER_LANE, s.apiServer.outages, 'SPEC D.1: the TokenRequest endpoint is unreachable (connection refused)');
    if (s.signer !== undefined) {
      this.emitOutages(SIGNER_LANE, s.signer.outages, "SPEC D.5: the signer is unreachable: FetchKeys fails (the key cache keeps its old keys and retries every 10 s) and so does signing, so TokenRequests fail with 500");
    }
    const kc = this.keyCache;
    if (kc === undefined || s.signer === undefined) return;
    // Startup fill of the key cache, then its timer; then rotations.
    kc.initialFill(); // at the start, as setup output: it sorts before every actor's
    const syncTask: ActorTask = core.task(this.keySyncActor, () => {
      kc.runScheduledSync();
      core.scheduleAt(syncTask, kc.nextScheduledSync);
    });
    core.scheduleAt(syncTask, kc.nextScheduledSync);
    for (const rot of s.signer.rotations) this.scheduleRotation(core.start + rot.at, rot.dropOldKeyAfter);
  }

  // ------------------------------------------------------------ TokenRequestService

  createToken(namespace: string, serviceAccount: string, tr: TokenRequest, stream: SeededRandom): IssueResult {
    const r = this.issuer.createToken(namespace, serviceAccount, tr, stream);
    if (r.ok && r.kid !== undefined) this.kidByToken.set(r.response, r.kid);
    return r;
  }

  plan(namespace: string, serviceAccount: string, tr: TokenRequest): IssuePlan {
    return this.issuer.plan(namespace, serviceAccount, tr);
  }

  requestCounters(): { requests: Counter; failures: Counter } {
    const series = this.core.trace.series;
    return (this.counters ??= { requests: series.counter('tokenRequests'), failures: series.counter('tokenRequestFailures') });
  }

  nextSigningChange(t: number): number {
    for (const r of this.signingChanges) if (r > t) return r;
    return Infinity;
  }

  canSign(t: number): boolean {
    return this.signer === undefined || !this.signer.inOutage(t);
  }

  signingKeyCached(): boolean {
    return this.signer === undefined || this.keyCache === undefined || this.keyCache.has(this.signer.currentKeyId);
  }

  // ------------------------------------------------------------ TokenVerifier

  lane(laneId: string): VerifiedLane {
    const lane = { laneId, ordinal: this.lanes.length };
    this.lanes.push(lane);
    return lane;
  }

  written(lane: VerifiedLane | undefined, token: IssuedTokenRequest): void {
    const kc = this.keyCache;
    const kid = this.kidByToken.get(token);
    if (kc === undefined || kid === undefined) return;
    if (lane !== undefined) this.forget(lane);
    const at = this.core.clock.now();
    const r = kc.getPublicKeys(kid);
    if (lane === undefined) return;
    if (r.keys.length === 0) {
      this.core.trace.event({ t: at, lane: lane.laneId, type: 'tokenRejected', rule: `SPEC D.5: kid ${kid} not in the key cache even after an on-demand sync → no keys → rejected`, data: { kid } });
      return;
    }
    this.laneKid.set(lane, kid);
    let set = this.kidLanes.get(kid);
    if (set === undefined) this.kidLanes.set(kid, (set = new Set()));
    set.add(lane);
  }

  forget(lane: VerifiedLane): void {
    const old = this.laneKid.get(lane);
    if (old !== undefined) this.kidLanes.get(old)?.delete(lane);
    this.laneKid.delete(lane);
  }

  // ------------------------------------------------------------ signer

  private emitOutages(lane: string, outages: Outage[], rule: string): void {
    const { start, end, trace } = this.core;
    for (const o of outages) {
      const from = start + o.from;
      const to = start + o.to;
      if (from > end || to <= from) continue;
      trace.span({ lane, kind: 'outage', start: from, end: Math.min(to, end), label: 'outage', rule });
      trace.event({ t: from, lane, type: 'outageStart', rule, data: { until: to } });
      if (to <= end) trace.event({ t: to, lane, type: 'outageEnd', rule: `${rule}: [from, to) ends`, data: { from } });
    }
  }

  private scheduleRotation(at: number, dropAfter: number | undefined): void {
    const { core } = this;
    const signer = this.signer;
    if (signer === undefined) return;
    const rotation = core.task(this.rotationActor, (t) => {
      const { oldKeyId, newKeyId } = signer.rotate();
      core.trace.event({
        t,
        lane: SIGNER_LANE,
        type: 'keyRotated',
        rule: 'SPEC D.5: the signer signs new tokens with a new key and publishes it; tokens signed earlier keep their old kid',
        data: { action: 'rotate', oldKid: oldKeyId, newKid: newKeyId },
      });
      if (dropAfter === undefined) return;
      const drop = core.task(this.rotationActor, (t2) => {
        if (!signer.drop(oldKeyId)) return;
        core.trace.event({
          t: t2,
          lane: SIGNER_LANE,
          type: 'keyRotated',
          rule: `SPEC D.5: the signer stops publishing ${oldKeyId}; tokens signed with it fail verification after the API server's next key sync`,
          data: { action: 'dropOldKey', kid: oldKeyId },
        });
      });
      core.scheduleAt(drop, t + dropAfter);
    });
    core.scheduleAt(rotation, at);
  }

  private onKeySync(o: KeySyncOutcome): void {
    const trace = this.core.trace;
    const why = KEY_SYNC_RULE[o.reason];
    const data: Record<string, string | number | boolean> = { reason: o.reason, keys: o.keyIds.join(','), changed: o.changed };
    if (o.added.length > 0) data.added = o.added.join(',');
    if (o.removed.length > 0) data.removed = o.removed.join(',');
    const e: Parameters<typeof trace.event>[0] = { t: o.at, lane: SIGNER_LANE, type: 'keySync', rule: o.ok ? why : `${why}; failed, old keys kept`, ok: o.ok, data };
    if (o.error !== undefined) e.error = o.error;
    trace.event(e);
    // Tokens whose kid just left the cache stop authenticating (exp notwithstanding).
    for (const kid of o.removed) {
      const lanes = this.kidLanes.get(kid);
      if (lanes === undefined) continue;
      for (const lane of [...lanes].sort((a, b) => a.ordinal - b.ordinal)) {
        trace.event({
          t: o.at,
          lane: lane.laneId,
          type: 'tokenRejected',
          rule: `SPEC D.5: signing key ${kid} is no longer published; the token fails verification although its exp is in the future`,
          data: { kid },
        });
        this.laneKid.delete(lane);
      }
      this.kidLanes.delete(kid);
    }
  }
}
