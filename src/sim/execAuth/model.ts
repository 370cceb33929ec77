/**
 * Kubeconfig users with an exec credential plugin as the engine composes them: per user one
 * simulated plugin (simulatedPlugin.ts, shared by every process of the user, as its disk cache is)
 * and the cluster's judgement of its credentials (serverAuthentication.ts); per client its processes,
 * each with one client-go Authenticator (authenticator.ts, SPEC C.1–C.8): a long-lived client keeps
 * one process for the whole run, a client of `invocations` starts a new process (an empty in-memory
 * credential cache) for every batch of requests, as each kubectl command does.
 *
 * A request takes a concurrency slot, asks the authenticator for credentials (waiting behind a
 * plugin run in progress), is answered after its latency, and on a 401 tells the authenticator,
 * which may run the plugin; as in client-go the 401 goes back to the caller only after that refresh
 * (it happens inside the round trip), and is never retried (SPEC C.3). A client with credentials of
 * its own never consults the authenticator (SPEC C.2); a plugin run that brings a different client
 * certificate cuts the process's requests still in flight (SPEC C.5 step 7).
 *
 * Actors, in rank order: per user its revocations, then per client the client (its batches,
 * requests, answers and plugin runs). Lanes: 'kubeconfigUser' `exec-auth/<user>/<client>`, every
 * one detailed. Nothing here uses another model's services, so adding users leaves every other lane
 * as it was.
 */
import type { Actor, Model, ModelCore, ModelRun } from '../model';
import type { Counter } from '../series';
import { Authenticator, bypass, type Credentials, type RunTrigger } from './authenticator';
import type { ExecAuthSpec, ExecClientSpec, ExecUserSpec } from './execAuthSpec';
import type { ExecConfig } from './execConfig';
import { withKubeconfigDefaults } from './interactiveMode';
import { EXEC_RULES } from './requestRules';
import { judgeRequest } from './serverAuthentication';
import { SimulatedPlugin, type IssuedCredential, type PluginRun } from './simulatedPlugin';

export interface ExecAuthScenario {
  execAuth?: ExecAuthSpec;
}

export const execAuthModel: Model<ExecAuthScenario> = {
  id: 'execAuth',
  build: (s, core) => (s.execAuth === undefined || s.execAuth.users.length === 0 ? undefined : new ExecAuthRun(s.execAuth, core)),
};

export const EXEC_SERIES = { requests: 'execRequests', unauthorized: 'execUnauthorized', pluginRuns: 'execPluginRuns' } as const;

/** The lane of one user × client. */
export function execLaneId(user: string, client: string): string {
  return `exec-auth/${user}/${client}`;
}

interface UserRun {
  spec: ExecUserSpec;
  /** The stanza as client-go holds it after loading the kubeconfig (SPEC C.6 defaulting). */
  exec: ExecConfig;
  plugin: SimulatedPlugin;
  clients: ClientRun[];
}

interface ClientRun {
  user: UserRun;
  spec: ExecClientSpec;
  laneId: string;
  actor: Actor;
  processes: number;
  /** Why client-go leaves the plugin out for this client, if it does (SPEC C.2 / C.3 step 1). */
  bypass: 'transport' | 'header' | 'none';
  /** The one process of a long-lived client. */
  longLived?: Proc;
  /** The credential the lane shows now (its span is open). */
  held?: { serial: number; from: number; expiresAt?: number };
}

interface Req {
  createdAt: number;
}

/** A request sent and not answered yet: a certificate rotation may cut it. */
interface Sent {
  req: Req;
  sentAt: number;
  creds: Credentials;
  cut: boolean;
}

interface Proc {
  client: ClientRun;
  /** 1, 2, … per client. */
  n: number;
  auth: Authenticator | undefined;
  /** Why the client could not be built (SPEC C.1): every request fails with it. */
  buildError?: string;
  waiting: Req[];
  inFlight: number;
  /** Sent through the authenticator's connections and not answered yet, in sending order. */
  sent: Set<Sent>;
  /** Requests a ticket of the authenticator stands for, and why. */
  tickets: Map<number, { req: Req; trigger: RunTrigger }>;
  run?: { startedAt: number; trigger: RunTrigger; plugin: PluginRun };
}

class ExecAuthRun implements ModelRun {
  readonly describes: string[];
  readonly lanesTotal: number;
  readonly detailedLanes: number;
  private readonly users: UserRun[];
  private readonly requests: Counter;
  private readonly unauthorized: Counter;
  private readonly pluginRuns: Counter;
  private readonly revocationActors: Actor[] = [];

  constructor(
    spec: ExecAuthSpec,
    private readonly core: ModelCore,
  ) {
    this.requests = core.trace.series.counter(EXEC_SERIES.requests);
    this.unauthorized = core.trace.series.counter(EXEC_SERIES.unauthorized);
    this.pluginRuns = core.trace.series.counter(EXEC_SERIES.pluginRuns);
    this.describes = [...new Set(spec.users.map((u) => `client-go ${u.clientGoVersion} exec credential plugins (SPEC C)`))];
    this.users = spec.users.map((u) => this.buildUser(u));
    this.lanesTotal = this.users.reduce((n, u) => n + u.clients.length, 0);
    this.detailedLanes = this.lanesTotal;
  }

  private buildUser(spec: ExecUserSpec): UserRun {
    this.revocationActors.push(this.core.actor(this.core.stream(`exec-auth/${spec.name}/server`)));
    const plugin = new SimulatedPlugin(spec.plugin, spec.exec.apiVersion, spec.name, this.core.stream(`exec-auth/${spec.name}/plugin`));
    const user: UserRun = { spec, exec: withKubeconfigDefaults(spec.exec), plugin, clients: [] };
    for (const c of spec.clients) {
      const laneId = execLaneId(spec.name, c.name);
      this.core.trace.lanes.push({ id: laneId, kind: 'kubeconfigUser', label: c.name, group: spec.name, detailed: true });
      // A static credential is a kubeconfig token next to exec (or the request's own header): both skip the plugin in every release.
      const skips = c.credentials === 'static' ? bypass({ transport: ['token'] }, spec.clientGoVersion) : 'none';
      user.clients.push({ user, spec: c, laneId, actor: this.core.actor(this.core.stream(laneId)), processes: 0, bypass: skips });
    }
    return user;
  }

  start(): void {
    this.users.forEach((u, i) => {
      const actor = this.revocationActors[i] as Actor;
      for (const offset of u.spec.cluster.revocationsMs) {
        const task = this.core.task(actor, (t) => {
          for (const c of u.clients) this.core.trace.event({ t, lane: c.laneId, type: 'credentialsRevoked', rule: EXEC_RULES.revoked });
        });
        this.core.scheduleAt(task, this.core.start + offset);
      }
      for (const c of u.clients) this.scheduleBatches(c);
    });
  }

  finish(): void {
    for (const u of this.users) for (const c of u.clients) this.closeHeld(c, this.core.end);
  }

  // ------------------------------------------------------------ batches and processes

  private scheduleBatches(c: ClientRun): void {
    const r = c.spec.requests;
    let done = 0;
    const task = this.core.task(c.actor, (t) => {
      this.batch(c, t);
      done++;
      if (r.everyMs !== undefined && (r.count === undefined || done < r.count)) this.core.scheduleAt(task, t + r.everyMs);
    });
    this.core.scheduleAt(task, this.core.start + r.atMs);
  }

  private batch(c: ClientRun, t: number): void {
    const proc = c.spec.process === 'long-lived' ? (c.longLived ??= this.newProcess(c)) : this.newProcess(c);
    for (let i = 0; i < c.spec.requests.burst; i++) proc.waiting.push({ createdAt: t });
    this.pump(proc, t);
  }

  /** A new process: a new Authenticator with an empty cache (SPEC C.1: the cache lives as long as the process). */
  private newProcess(c: ClientRun): Proc {
    const u = c.user;
    const built = Authenticator.create(u.exec, {
      clock: this.core.clock,
      terminal: { stdinIsTerminal: c.spec.terminal, stdoutIsTerminal: c.spec.terminal, stdinUnavailable: c.spec.stdinUnavailable },
      clientGoVersion: u.spec.clientGoVersion,
      cluster: { server: u.spec.cluster.server },
      keyPair: u.plugin.keyPair,
    });
    const proc: Proc = { client: c, n: ++c.processes, auth: built.ok ? built.authenticator : undefined, waiting: [], inFlight: 0, sent: new Set(), tickets: new Map() };
    if (!built.ok) proc.buildError = built.error;
    return proc;
  }

  private pump(proc: Proc, t: number): void {
    const limit = proc.client.spec.requests.concurrency;
    while (proc.inFlight < limit && proc.waiting.length > 0) {
      const req = proc.waiting.shift() as Req;
      proc.inFlight++;
      this.begin(proc, req, t);
    }
  }

  // ------------------------------------------------------------ one request

  /** SPEC C.3 steps 2–4. */
  private begin(proc: Proc, req: Req, t: number): void {
    const auth = proc.auth;
    if (auth === undefined) {
      this.fail(proc, req, t, proc.buildError ?? 'the client could not be built');
      return;
    }
    if (proc.client.bypass !== 'none') {
      this.sendStatic(proc, req, t);
      return;
    }
    const g = auth.getCreds();
    switch (g.kind) {
      case 'creds':
        this.send(proc, req, g.creds, t);
        return;
      case 'wait':
        proc.tickets.set(g.ticket, { req, trigger: 'request' });
        return;
      case 'run':
        proc.tickets.set(g.ticket, { req, trigger: 'request' });
        this.startRun(proc, 'request', t);
        return;
      case 'error':
        this.fail(proc, req, t, g.error);
        return;
    }
  }

  private send(proc: Proc, req: Req, creds: Credentials, sentAt: number): void {
    const sent: Sent = { req, sentAt, creds, cut: false };
    proc.sent.add(sent);
    const task = this.core.task(proc.client.actor, (at) => {
      // Cut by a certificate rotation: its request event was written then.
      if (sent.cut) return;
      proc.sent.delete(sent);
      this.answer(proc, req, creds, sentAt, at);
    });
    this.core.scheduleAt(task, sentAt + proc.client.spec.requests.latencyMs);
  }

  /** SPEC C.2 / C.3 step 1: the client's own credential goes out as it is; the API server takes it (the scenario judges only the plugin's). */
  private sendStatic(proc: Proc, req: Req, sentAt: number): void {
    const c = proc.client;
    const task = this.core.task(c.actor, (t) => {
      this.requests.add(t, 1);
      const data = { credential: 'static', process: proc.n, waitedMs: sentAt - req.createdAt, durationMs: t - sentAt, status: 200, outcome: 'static' };
      this.core.trace.event({ t, lane: c.laneId, type: 'request', rule: EXEC_RULES.staticCredentials, ok: true, data });
      this.done(proc, t);
    });
    this.core.scheduleAt(task, sentAt + c.spec.requests.latencyMs);
  }

  private answer(proc: Proc, req: Req, creds: Credentials, sentAt: number, t: number): void {
    const c = proc.client;
    const u = c.user;
    const credential = u.plugin.presented(creds);
    const verdict = judgeRequest(u.spec.cluster, this.core.start, credential, sentAt, t);
    this.requests.add(t, 1);
    const data = { credential: label(credential), process: proc.n, waitedMs: sentAt - req.createdAt, durationMs: t - sentAt };
    if (verdict.ok) {
      const rule = creds.token === undefined && creds.certificate !== undefined ? EXEC_RULES.okCertificate : EXEC_RULES.ok;
      this.core.trace.event({ t, lane: c.laneId, type: 'request', rule, ok: true, data: { ...data, status: 200, outcome: 'ok' } });
      this.done(proc, t);
      return;
    }
    this.unauthorized.add(t, 1);
    const rule = EXEC_RULES.rejected(verdict, u.spec.cluster.serverClockAheadMs);
    this.core.trace.event({ t, lane: c.laneId, type: 'request', rule, ok: false, error: 'Unauthorized', data: { ...data, status: 401, outcome: 'unauthorized', reason: verdict.reason } });
    // SPEC C.3 step 5: the authenticator decides whether this 401 rotates the credential.
    const r = (proc.auth as Authenticator).unauthorized(creds);
    const outcome = r.kind === 'refresh' ? 'refresh' : r.kind === 'noop' ? 'alreadyRotated' : r.kind === 'wait' ? 'queued' : 'error';
    this.core.trace.event({
      t,
      lane: c.laneId,
      type: 'unauthorized',
      rule: EXEC_RULES.unauthorized[outcome],
      ...(r.kind === 'error' ? { ok: false, error: r.error } : {}),
      data: { credential: label(credential), process: proc.n, outcome },
    });
    if (r.kind === 'refresh') {
      proc.tickets.set(r.ticket, { req, trigger: 'unauthorized' });
      this.startRun(proc, 'unauthorized', t);
    } else if (r.kind === 'wait') proc.tickets.set(r.ticket, { req, trigger: 'unauthorized' });
    else this.done(proc, t);
  }

  private fail(proc: Proc, req: Req, t: number, error: string): void {
    this.requests.add(t, 1);
    this.core.trace.event({
      t,
      lane: proc.client.laneId,
      type: 'request',
      rule: EXEC_RULES.noCredentials,
      ok: false,
      error,
      data: { status: 'error', outcome: 'error', process: proc.n, waitedMs: t - req.createdAt },
    });
    this.done(proc, t);
  }

  /** The round trip returned: its slot goes to the next waiting request. */
  private done(proc: Proc, t: number): void {
    proc.inFlight--;
    this.pump(proc, t);
  }

  // ------------------------------------------------------------ plugin runs

  private startRun(proc: Proc, trigger: RunTrigger, t: number): void {
    const plugin = proc.client.user.plugin.start(t);
    proc.run = { startedAt: t, trigger, plugin };
    this.pluginRuns.add(t, 1);
    const task = this.core.task(proc.client.actor, (at) => this.finishRun(proc, at));
    this.core.scheduleAt(task, t + plugin.latencyMs);
  }

  /** SPEC C.5: the plugin answered; then the queued callers take the mutex in turn. */
  private finishRun(proc: Proc, t: number): void {
    const c = proc.client;
    const run = proc.run;
    if (run === undefined) return;
    proc.run = undefined;
    const result = run.plugin.finish(t);
    const r = (proc.auth as Authenticator).runFinished(result.answer);
    const trace = this.core.trace;
    const rule = result.fromDiskCache ? `${EXEC_RULES.pluginRun(run.trigger)}; ${EXEC_RULES.fromDisk}` : EXEC_RULES.pluginRun(run.trigger);
    trace.span({ lane: c.laneId, kind: 'execPluginRun', start: run.startedAt, end: t, label: c.user.spec.exec.command, rule });
    const data: Record<string, string | number | boolean> = { durationMs: t - run.startedAt, trigger: run.trigger, process: proc.n, fromDiskCache: result.fromDiskCache };
    if (result.exitCode !== undefined) data.exitCode = result.exitCode;
    if (r.ok && result.credential !== undefined) {
      data.credential = label(result.credential);
      trace.event({ t, lane: c.laneId, type: 'pluginRun', rule, ok: true, data });
      this.hold(c, result.credential, run.trigger, t);
    } else {
      trace.event({ t, lane: c.laneId, type: 'pluginRun', rule, ok: false, error: r.ok ? 'no credential' : r.error, data });
      if (!r.ok && r.installHint) trace.event({ t, lane: c.laneId, type: 'installHint', rule: EXEC_RULES.installHint, data: { command: c.user.spec.exec.command, process: proc.n } });
    }
    // SPEC C.5 step 7: before anyone is served, so only requests sent on the old connections are cut.
    const cut = r.ok && r.rotatedCertificate ? this.closeConnections(proc, t) : 0;
    // The next run holds the mutex before anyone else is served.
    if (r.next !== undefined) this.startRun(proc, r.next.trigger, t);
    const starter = this.take(proc, r.ticket);
    if (starter !== undefined) {
      if (starter.trigger === 'unauthorized') this.done(proc, t);
      else if (r.ok) this.send(proc, starter.req, r.creds, t);
      else this.fail(proc, starter.req, t, r.error);
    }
    for (const s of r.served) {
      const w = this.take(proc, s.ticket);
      if (w === undefined) continue;
      if (s.kind === 'creds') this.send(proc, w.req, s.creds, t);
      else if (s.kind === 'error' && w.trigger === 'request') this.fail(proc, w.req, t, s.error);
      else this.done(proc, t);
    }
    // The slots of the cut requests go to waiting requests once the queued callers were served.
    if (cut > 0) this.pump(proc, t);
  }

  /** SPEC C.5 step 7: every connection of the process closes; each request waiting for its answer fails. Returns how many. */
  private closeConnections(proc: Proc, t: number): number {
    const c = proc.client;
    const cut = [...proc.sent];
    proc.sent.clear();
    this.core.trace.event({ t, lane: c.laneId, type: 'connectionsClosed', rule: EXEC_RULES.connectionsClosed, data: { cut: cut.length, process: proc.n } });
    for (const s of cut) {
      s.cut = true;
      this.requests.add(t, 1);
      this.core.trace.event({
        t,
        lane: c.laneId,
        type: 'request',
        rule: EXEC_RULES.connectionCut,
        ok: false,
        error: 'the connection was closed because the client certificate changed',
        data: { credential: label(c.user.plugin.presented(s.creds)), status: 'error', outcome: 'connectionClosed', process: proc.n, waitedMs: s.sentAt - s.req.createdAt, durationMs: t - s.sentAt },
      });
      proc.inFlight--;
    }
    return cut.length;
  }

  private take(proc: Proc, ticket: number): { req: Req; trigger: RunTrigger } | undefined {
    const w = proc.tickets.get(ticket);
    proc.tickets.delete(ticket);
    return w;
  }

  // ------------------------------------------------------------ the lane's credential

  private hold(c: ClientRun, credential: IssuedCredential, trigger: RunTrigger, t: number): void {
    if (c.held?.serial === credential.serial) return;
    this.closeHeld(c, t);
    c.held = { serial: credential.serial, from: t, ...(credential.expiresAt === undefined ? {} : { expiresAt: credential.expiresAt }) };
    const data: Record<string, string | number | boolean> = { credential: label(credential), trigger };
    if (credential.expiresAt === undefined) data.noExpiry = true;
    else data.expiresInMs = credential.expiresAt - t;
    this.core.trace.event({ t, lane: c.laneId, type: 'credsRotated', rule: EXEC_RULES.rotated, data });
  }

  /** The held credential's span ends at t (or at its expiry); a long-lived process kept it past expiry. */
  private closeHeld(c: ClientRun, t: number): void {
    const h = c.held;
    if (h === undefined) return;
    c.held = undefined;
    const end = h.expiresAt === undefined ? t : Math.min(t, h.expiresAt);
    this.core.trace.span({ lane: c.laneId, kind: 'execCredential', start: h.from, end, label: `#${h.serial}`, rule: EXEC_RULES.credential });
    if (c.spec.process === 'long-lived' && h.expiresAt !== undefined && t > h.expiresAt) {
      this.core.trace.span({ lane: c.laneId, kind: 'execCredentialExpired', start: h.expiresAt, end: t, label: `#${h.serial}`, rule: EXEC_RULES.expiredHeld });
    }
  }
}

function label(c: IssuedCredential | undefined): string {
  return c === undefined ? '(unknown)' : `#${c.serial}`;
}
