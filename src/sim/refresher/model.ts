/**
 * Client-side refreshers as the engine composes them: today Calico's CNI token refresher
 * (calicoRefresher.ts, SPEC D.6), one actor and one 'refresher' lane `refresher/<namespace>/<name>`
 * each, always with detail. It uses the API server's TokenRequest and verifier services.
 */
import type { Actor, ActorTask, Model, ModelCore, ModelRun } from '../model';
import type { SeededRandom } from '../random';
import type { RefresherSpec } from './refresherSpec';
import { TOKEN_REQUESTS, TOKEN_VERIFIER, type TokenRequestService, type TokenVerifier, type VerifiedLane } from '../apiserver/model';
import { TokenFileExpiry } from '../apiserver/tokenFile';
import type { IssueResult } from '../apiserver/tokenIssuer';
import type { IssuedTokenRequest } from '../apiserver/tokenRequest';
import { CalicoRefresher } from './calicoRefresher';

export interface RefresherScenario {
  seed: number;
  refreshers: RefresherSpec[];
}

export const refresherModel: Model<RefresherScenario> = {
  id: 'refresher',
  build: (s, core) => (s.refreshers.length === 0 ? undefined : new RefresherRun(s, core)),
};

interface RefresherActor {
  spec: RefresherSpec;
  laneId: string;
  verified: VerifiedLane | undefined;
  refresher: CalicoRefresher;
  issuerStream: SeededRandom;
  actor: Actor;
  file: IssuedTokenRequest | undefined;
  /** The sleep that led to the next attempt (for the next attempt's rule). */
  lastSleep: string | undefined;
}

function seconds(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}

class RefresherRun implements ModelRun {
  readonly describes = ['Calico CNI TokenRefresher v3.30+ (SPEC D.6)'];
  readonly lanesTotal: number;
  readonly detailedLanes: number;
  private readonly tokens: TokenRequestService;
  private readonly verifier: TokenVerifier | undefined;
  private readonly files: TokenFileExpiry;
  private readonly actors: RefresherActor[];
  private lastIssue: IssueResult | undefined;

  constructor(
    s: RefresherScenario,
    private readonly core: ModelCore,
  ) {
    const tokens = core.use(TOKEN_REQUESTS);
    if (tokens === undefined) throw new Error('the refresher model needs the API server model (TokenRequest)');
    this.tokens = tokens;
    this.verifier = core.use(TOKEN_VERIFIER);
    tokens.requestCounters();
    this.files = new TokenFileExpiry(core.trace, core.end);
    this.actors = s.refreshers.map((spec, j) => {
      const laneId = `refresher/${spec.namespace}/${spec.name}`;
      const stream = core.stream(`refresher/${laneId}#${j}`);
      const issuerStream = core.stream(`apiserver/${laneId}#${j}`);
      const refresher = new CalicoRefresher(
        { namespace: spec.namespace, serviceAccount: spec.serviceAccount, expirationSeconds: spec.expirationSeconds, ...(spec.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: spec.refreshIntervalMs }) },
        core.clock,
        stream,
        (namespace, name, tr) => {
          const r = (this.lastIssue = tokens.createToken(namespace, name, tr, issuerStream));
          return r.ok ? { ok: true, response: r.response, latencyMs: r.latencyMs } : { ok: false, error: r.error, latencyMs: r.latencyMs };
        },
      );
      core.trace.lanes.push({ id: laneId, kind: 'refresher', label: `calico ${spec.name}`, group: spec.namespace, detailed: true });
      return { spec, laneId, verified: this.verifier?.lane(laneId), refresher, issuerStream, actor: core.actor(stream), file: undefined, lastSleep: undefined };
    });
    this.lanesTotal = this.detailedLanes = this.actors.length;
  }

  start(): void {
    for (const r of this.actors) {
      const task: ActorTask = this.core.task(r.actor, (t) => this.attempt(r, t, task));
      this.core.scheduleAt(task, this.core.start);
    }
  }

  finish(): void {
    for (const r of this.actors) this.files.replaced(r.laneId, true, r.file, this.core.end + 1);
  }

  private attempt(r: RefresherActor, t: number, task: ActorTask): void {
    const { core } = this;
    const trace = core.trace;
    this.lastIssue = undefined;
    const a = r.refresher.attempt();
    const issue = this.lastIssue as IssueResult | undefined;
    const rule = r.lastSleep === undefined ? 'SPEC D.6: first TokenRequest when the refresher starts' : `SPEC D.6: woke up after ${r.lastSleep}`;
    const counters = this.tokens.requestCounters();
    counters.requests.add(t, 1);
    if (!a.ok) counters.failures.add(t, 1);
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
      trace.event({ t, lane: r.laneId, type: 'tokenRequest', rule, ok: true, data });
      const at = a.nextAt - a.sleep.sleepMs;
      this.files.replaced(r.laneId, true, r.file, at);
      r.file = resp;
      trace.event({
        t: at,
        lane: r.laneId,
        type: 'tokenWritten',
        rule: 'SPEC D.6: the token is handed to the consumer, which rewrites /host/etc/cni/net.d/calico-kubeconfig',
        data: { expirationTimestamp: exp, expirationSeconds: es },
      });
      trace.span({ lane: r.laneId, kind: 'validity', start: exp - es * 1000, end: exp, label: 'calico-kubeconfig token', rule: 'SPEC D.6: 24 h token, not pod-bound, never extended' });
      if (this.verifier !== undefined) {
        core.actAs(r.actor, at);
        this.verifier.written(r.verified, resp);
      }
    } else {
      trace.event({ t, lane: r.laneId, type: 'tokenRequest', rule, ok: false, error: a.error ?? '', data: { code: issue?.ok === false ? issue.code : 0 } });
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
      trace.span({
        lane: r.laneId,
        kind: 'refreshWindow',
        start: after + Math.floor(a.sleep.baseMs),
        end: after + Math.floor(2 * a.sleep.baseMs),
        label: 'next refresh',
        rule: 'SPEC D.6: next attempt after base + U·base, U float32 in [0, 1)',
      });
    }
    core.scheduleAt(task, a.nextAt);
  }
}
