/**
 * The kubelet's image credential providers as the engine composes them: one PluginProvider
 * (pluginProvider.ts, SPEC B.3–B.6) per provider of the config, created at the start of the run (its
 * purge clock starts then), the scenario's image pulls asking every provider in config order, and the
 * plugin runs, which take time: a pull that needs a run waits for its answer, and pulls with the same
 * singleflight key meanwhile join it (SPEC B.6).
 *
 * In service-account-token mode the token comes from the kubelet's token manager of the same run
 * (SERVICE_ACCOUNT_TOKENS): audience [tokenAttributes.serviceAccountTokenAudience], no
 * expirationSeconds, bound to the pod, SA UID from 1.34 (SPEC B.3 d), so an API-server outage or a
 * short lifetime shows up as pulls without credentials or as cache misses. Those requests use their
 * own cache keys and random streams, so every kubelet lane stays as it was without this model.
 *
 * Actors, in rank order: per provider its plugin (the runs' answers), then per pull entry its pulls.
 * Lanes: 'credentialProvider' `credential-provider/<name>`; 'cacheKey' per key as keys appear
 * `credential-provider/<name>/<key label>`; 'imagePulls' `image-pulls` when some image matches no
 * provider. Every provider lane has detail; key lanes have detail up to output.maxDetailedLanes.
 */
import type { Actor, Model, ModelCore, ModelRun } from '../model';
import type { SeededRandom } from '../random';
import type { Counter } from '../series';
import { defaultServiceAccountUid } from '../apiserver/tokenIssuer';
import type { TokenRequest } from '../apiserver/tokenRequest';
import type { KubeletSpec, PodSpec } from '../kubelet/kubeletSpec';
import { SERVICE_ACCOUNT_TOKENS, type ServiceAccountTokenService, type SharedTokenRequest } from '../kubelet/model';
import { formatDuration } from '../units/duration';
import { PROVIDER_API_V1, RESPONSE_KIND, usesServiceAccountTokens, type CredentialProvider, type CredentialProviderResponse, type DockerConfig } from './config';
import type { CredentialProviderSpec, PluginBehaviour, PullSpec } from './credentialProviderSpec';
import { formatGoDuration } from './goDuration';
import { DockerKeyring } from './keyring';
import { PluginProvider, type CacheEntryView, type Housekeeping, type PluginAnswer, type PodPull, type ProvideResult, type ProviderEnv } from './pluginProvider';
import { PLUGIN_TIMEOUT_MS } from './whatIf';
import { cacheKeyLabel, RULES } from './pullRules';

export interface CredentialProviderScenario {
  seed: number;
  credentialProvider?: CredentialProviderSpec;
  kubelet: KubeletSpec;
  pods: PodSpec[];
  output: { maxDetailedLanes: number };
}

export const credentialProviderModel: Model<CredentialProviderScenario> = {
  id: 'credentialProvider',
  build: (s, core) => (s.credentialProvider === undefined || s.credentialProvider.pulls.length === 0 ? undefined : new CredentialProviderRun(s, s.credentialProvider, core)),
};

const DESCRIBE = {
  '1.33': 'kubelet credential-provider plugins 1.33 (SPEC B)',
  '1.34': 'kubelet credential-provider plugins 1.34+ (SPEC B)',
} as const;

interface ProviderRun {
  spec: CredentialProvider;
  provider: PluginProvider;
  behaviour: PluginBehaviour;
  laneId: string;
  actor: Actor;
  /** Which answer the next run gives (steps are taken in turn). */
  runs: number;
  /** Open cache entries by encoded key: where their span starts. */
  open: Map<string, CacheEntryView>;
  keyLanes: Map<string, { id: string; detailed: boolean }>;
  /** Runs in progress by singleflight key (each provider has its own group, SPEC B.6). */
  flights: Map<string, Flight>;
}

interface Flight {
  startedAt: number;
  image: string;
}

class CredentialProviderRun implements ModelRun {
  readonly describes: string[];
  lanesTotal: number;
  detailedLanes: number;
  private readonly providers: ProviderRun[];
  private readonly tokens: ServiceAccountTokenService | undefined;
  private readonly handles = new Map<string, SharedTokenRequest>();
  private readonly tokenStreams = new Map<string, SeededRandom>();
  private readonly pods = new Map<string, PodSpec>();
  private readonly serviceAccounts = new Map<string, { uid: string; annotations: Record<string, string> }>();
  private readonly pullCounter: Counter;
  private readonly execCounter: Counter;
  private readonly missCounter: Counter;
  private unmatchedLane: string | undefined;
  private keyLanesDetailed = 0;

  constructor(
    private readonly s: CredentialProviderScenario,
    private readonly cp: CredentialProviderSpec,
    private readonly core: ModelCore,
  ) {
    this.describes = [DESCRIBE[cp.kubeletVersion]];
    this.tokens = core.use(SERVICE_ACCOUNT_TOKENS);
    for (const p of s.pods) this.pods.set(`${p.namespace}/${p.name}`, p);
    for (const p of s.pods) this.serviceAccounts.set(`${p.namespace}/${p.serviceAccount}`, { uid: defaultServiceAccountUid(p.namespace, p.serviceAccount), annotations: {} });
    for (const sa of cp.serviceAccounts) {
      this.serviceAccounts.set(`${sa.namespace}/${sa.name}`, { uid: sa.uid ?? defaultServiceAccountUid(sa.namespace, sa.name), annotations: { ...sa.annotations } });
    }
    this.pullCounter = core.trace.series.counter('imagePulls');
    this.execCounter = core.trace.series.counter('pluginExecs');
    this.missCounter = core.trace.series.counter('pullMisses');
    core.actAs(core.actor(core.stream('credential-provider')), core.start);
    this.providers = cp.config.providers.map((spec) => this.buildProvider(spec));
    this.registerTokens();
    this.lanesTotal = this.providers.length;
    this.detailedLanes = this.providers.length;
  }

  private buildProvider(spec: CredentialProvider): ProviderRun {
    const laneId = `credential-provider/${spec.name}`;
    this.core.trace.lanes.push({ id: laneId, kind: 'credentialProvider', label: spec.name === '' ? '(unnamed provider)' : spec.name, group: 'credential providers', detailed: true });
    const behaviour = this.cp.plugins[spec.name] as PluginBehaviour;
    return {
      spec,
      provider: new PluginProvider(spec, { version: this.cp.kubeletVersion, serviceAccountTokenGate: this.cp.serviceAccountTokenGate, clock: this.core.clock }),
      behaviour,
      laneId,
      actor: this.core.actor(this.core.stream(`credential-provider/${spec.name}`)),
      runs: 0,
      open: new Map(),
      keyLanes: new Map(),
      flights: new Map(),
    };
  }

  /** Every (pod, audience) an SA-mode provider may ask for: registered with the kubelet while building. */
  private registerTokens(): void {
    if (this.tokens === undefined) return;
    const audiences = new Set<string>();
    for (const p of this.cp.config.providers) {
      if (usesServiceAccountTokens(p, this.cp.serviceAccountTokenGate)) audiences.add(p.tokenAttributes?.serviceAccountTokenAudience ?? '');
    }
    for (const pull of this.cp.pulls) {
      if (pull.pod === undefined) continue;
      const pod = this.pods.get(`${pull.pod.namespace}/${pull.pod.name}`);
      if (pod === undefined) continue;
      for (const audience of audiences) {
        const key = tokenKey(pod, audience);
        if (this.handles.has(key)) continue;
        const sa = this.serviceAccounts.get(`${pod.namespace}/${pod.serviceAccount}`);
        const request: TokenRequest = {
          spec: { audiences: [audience], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.name, uid: pod.uid } },
        };
        // SPEC B.3 d: the SA UID travels with the request from 1.34 (1.33 sends none).
        if (this.cp.kubeletVersion === '1.34' && sa !== undefined) request.metadata = { uid: sa.uid };
        this.handles.set(key, this.tokens.register({ namespace: pod.namespace, serviceAccount: pod.serviceAccount, request }));
        this.tokenStreams.set(key, this.core.stream(`apiserver/credential-provider/${key}`));
      }
    }
  }

  start(): void {
    this.cp.pulls.forEach((pull, i) => {
      const actor = this.core.actor(this.core.stream(`credential-provider/pulls/${i}`));
      let done = 0;
      const task = this.core.task(actor, (t) => {
        this.pullAll(pull, t);
        done++;
        if (pull.everyMs !== undefined && (pull.count === undefined || done < pull.count)) this.core.scheduleAt(task, t + pull.everyMs);
      });
      this.core.scheduleAt(task, this.core.start + pull.atMs);
    });
  }

  finish(): void {
    // Entries still stored at the horizon: their spans end there.
    const end = this.core.end;
    for (const p of this.providers) for (const entry of p.open.values()) this.closeEntry(p, entry, end, undefined);
  }

  // ------------------------------------------------------------ pulls

  private pullAll(spec: PullSpec, t: number): void {
    const pod = spec.pod === undefined ? undefined : this.pods.get(`${spec.pod.namespace}/${spec.pod.name}`);
    for (const image of spec.images) {
      for (let copy = 0; copy < spec.burst; copy++) {
        const pull: PodPull = {
          image,
          podNamespace: pod?.namespace ?? spec.pod?.namespace ?? 'default',
          podName: pod?.name ?? '',
          podUID: pod?.uid ?? '',
          serviceAccountName: pod?.serviceAccount ?? '',
        };
        this.pullOne(pull, pod, t);
      }
    }
  }

  private pullOne(pull: PodPull, pod: PodSpec | undefined, t: number): void {
    this.pullCounter.add(t, 1);
    let matched = false;
    for (const p of this.providers) {
      const prepared = p.provider.prepare(pull, this.env(pod));
      if (prepared.kind === 'done' && prepared.result.outcome === 'notMatched') continue;
      matched = true;
      this.housekeeping(p, prepared.housekeeping, t);
      if (prepared.kind === 'done') {
        this.result(p, prepared.result, t, t);
        continue;
      }
      if (prepared.leader) this.startRun(p, prepared.flightKey, pull.image, prepared.request.serviceAccountToken, t);
    }
    if (!matched) {
      this.missCounter.add(t, 1);
      const lane = this.unmatched();
      this.core.trace.event({ t, lane, type: 'pull', rule: RULES.notMatched, ok: false, data: { image: pull.image, outcome: 'notMatched', ...podData(pull) } });
    }
  }

  private env(pod: PodSpec | undefined): ProviderEnv {
    return {
      serviceAccount: (namespace, name) => this.serviceAccounts.get(`${namespace}/${name}`),
      token: (_pull, _uid, audience) => {
        const key = pod === undefined ? undefined : tokenKey(pod, audience);
        const handle = key === undefined ? undefined : this.handles.get(key);
        const stream = key === undefined ? undefined : this.tokenStreams.get(key);
        if (this.tokens === undefined || handle === undefined || stream === undefined) return { ok: false, error: 'no token manager for this pod' };
        const r = this.tokens.get(handle, stream);
        return r.ok ? { ok: true, token: r.token } : { ok: false, error: r.error };
      },
    };
  }

  // ------------------------------------------------------------ plugin runs

  private startRun(p: ProviderRun, flightKey: string, image: string, token: string | undefined, t: number): void {
    const b = p.behaviour;
    const step = b.steps[p.runs % b.steps.length];
    p.runs++;
    const failsAtRandom = b.errorRate > 0 && this.core.random.float() < b.errorRate;
    const timedOut = b.latencyMs > PLUGIN_TIMEOUT_MS;
    const doneAt = t + Math.min(b.latencyMs, PLUGIN_TIMEOUT_MS);
    let answer: PluginAnswer;
    if (timedOut) answer = { ok: false, error: `plugin ${p.spec.name} did not answer within ${formatDuration(PLUGIN_TIMEOUT_MS)} and was killed` };
    else if (failsAtRandom) answer = { ok: false, error: `error execing plugin ${p.spec.name}: exit status 1` };
    else if (step === undefined || step.kind === 'failure') {
      const code = step?.exitCode ?? 1;
      answer = { ok: false, error: `error execing plugin ${p.spec.name}: exit status ${code}${step?.stderr ? `, stderr: ${step.stderr}` : ''}` };
    } else answer = { ok: true, response: this.response(p, step, token, p.runs) };
    p.flights.set(flightKey, { startedAt: t, image });
    const task = this.core.task(p.actor, (at) => this.finishRun(p, flightKey, answer, at));
    this.core.scheduleAt(task, doneAt);
  }

  private response(p: ProviderRun, step: Extract<PluginBehaviour['steps'][number], { kind: 'response' }>, token: string | undefined, run: number): CredentialProviderResponse {
    const auth: DockerConfig = {};
    // Generated passwords: a scenario never holds a real secret (the echo case uses the run's own token).
    for (const a of step.auth) auth[a.pattern] = { username: a.username, password: step.echoToken && token !== undefined ? token : `simulated-${p.spec.name}-${run}` };
    const r: CredentialProviderResponse = { apiVersion: p.spec.apiVersion || PROVIDER_API_V1, kind: RESPONSE_KIND, cacheKeyType: step.cacheKeyType, auth };
    if (step.cacheDuration !== undefined) r.cacheDuration = step.cacheDuration;
    return r;
  }

  private finishRun(p: ProviderRun, flightKey: string, answer: PluginAnswer, t: number): void {
    const flight = p.flights.get(flightKey);
    p.flights.delete(flightKey);
    const results = p.provider.finish(flightKey, answer);
    const startedAt = flight?.startedAt ?? t;
    this.execCounter.add(startedAt, 1);
    const trace = this.core.trace;
    trace.span({ lane: p.laneId, kind: 'pluginRun', start: startedAt, end: t, label: flight?.image ?? '', rule: RULES.pluginRun(results.length) });
    const data: Record<string, string | number | boolean> = { image: flight?.image ?? '', joined: results.length, durationMs: t - startedAt };
    if (answer.ok) {
      data.cacheKeyType = answer.response.cacheKeyType;
      data.cacheDuration = answer.response.cacheDuration === undefined ? '(none)' : formatGoDuration(answer.response.cacheDuration);
    }
    trace.event({ t, lane: p.laneId, type: 'pluginExec', rule: RULES.pluginRun(results.length), ok: answer.ok, ...(answer.ok ? {} : { error: answer.error }), data });
    for (const r of results) this.result(p, r, startedAt, t);
  }

  // ------------------------------------------------------------ results and cache entries

  private result(p: ProviderRun, r: ProvideResult, askedAt: number, t: number): void {
    const trace = this.core.trace;
    // SPEC B.8: what the provider returned is looked up for the image in the kubelet's keyring; an
    // answer whose logins are all for other registries gives the pull nothing.
    const logins = r.outcome === 'hit' || r.outcome === 'fetched' ? loginsFor(r.config, r.pull.image) : 0;
    const noLogin = (r.outcome === 'hit' || r.outcome === 'fetched') && logins === 0;
    const base = { image: r.pull.image, outcome: noLogin ? 'noCredentials' : outcomeOf(r), ...podData(r.pull), ...(noLogin ? { cache: outcomeOf(r) } : {}) };
    if (r.outcome === 'hit' && r.hit !== undefined) {
      const lane = this.keyLane(p, r.hit);
      if (noLogin) this.missCounter.add(askedAt, 1);
      if (lane.detailed) {
        const rule = noLogin ? RULES.noLogin(RULES.hit(r.hit), Object.keys(r.config)) : RULES.hit(r.hit);
        trace.event({ t, lane: lane.id, type: 'pull', rule, ok: !noLogin, data: { ...base, key: cacheKeyLabel(r.hit), expiresInMs: r.hit.expiresAt - t } });
      }
      return;
    }
    this.missCounter.add(askedAt, 1);
    if (r.outcome === 'echoRejected') trace.event({ t, lane: p.laneId, type: 'echoRejected', rule: RULES.echo, ok: false, data: { image: r.pull.image } });
    if (r.stored !== undefined) this.store(p, r.stored, t);
    const waited = t - askedAt;
    const data: Record<string, string | number | boolean> = { ...base, waitedMs: waited };
    if (r.joined !== undefined) data.joined = r.joined;
    if (r.stored !== undefined) data.key = cacheKeyLabel(r.stored);
    if (r.notCached !== undefined) data.notCached = r.notCached;
    const ok = r.outcome === 'fetched' && !noLogin;
    const rule = noLogin ? RULES.noLogin(RULES.outcome(r), Object.keys(r.config)) : RULES.outcome(r);
    trace.event({ t, lane: p.laneId, type: 'pull', rule, ok, ...(ok || noLogin ? {} : { error: r.log ?? r.outcome }), data });
  }

  private store(p: ProviderRun, entry: CacheEntryView, t: number): void {
    const replaced = p.open.get(entry.key);
    // Pulls that joined one run each store the same answer under the same key at the same instant
    // (SPEC B.6): one entry's life, one store event.
    if (replaced !== undefined && replaced.storedAt === entry.storedAt && replaced.expiresAt === entry.expiresAt) return;
    if (replaced !== undefined) this.closeEntry(p, replaced, t, undefined);
    p.open.set(entry.key, entry);
    const lane = this.keyLane(p, entry);
    if (lane.detailed) {
      this.core.trace.event({ t, lane: lane.id, type: 'cacheStore', rule: RULES.store(entry), data: { key: cacheKeyLabel(entry), keyType: entry.keyType, expiresInMs: entry.expiresAt - t } });
    }
  }

  private housekeeping(p: ProviderRun, h: Housekeeping, t: number): void {
    for (const e of h.expiredOnRead) this.closeEntry(p, e, t, 'cacheExpire');
    for (const e of h.purged) this.closeEntry(p, e, t, 'cachePurge');
  }

  /** The entry's life ends at t: its span (and lingering span), and the removal event if it was removed. */
  private closeEntry(p: ProviderRun, entry: CacheEntryView, t: number, removal: 'cacheExpire' | 'cachePurge' | undefined): void {
    const open = p.open.get(entry.key);
    if (open === undefined || open.storedAt !== entry.storedAt) return;
    p.open.delete(entry.key);
    const lane = this.keyLane(p, entry);
    if (!lane.detailed) return;
    const trace = this.core.trace;
    const validEnd = Math.min(entry.expiresAt, t);
    trace.span({ lane: lane.id, kind: 'cacheEntry', start: entry.storedAt, end: validEnd, label: cacheKeyLabel(entry), rule: RULES.store(entry) });
    if (t > entry.expiresAt) trace.span({ lane: lane.id, kind: 'cacheLinger', start: entry.expiresAt, end: t, rule: RULES.linger });
    if (removal !== undefined) trace.event({ t, lane: lane.id, type: removal, rule: removal === 'cachePurge' ? RULES.purge : RULES.expireOnRead, data: { key: cacheKeyLabel(entry), expiredForMs: t - entry.expiresAt } });
  }

  private keyLane(p: ProviderRun, entry: CacheEntryView): { id: string; detailed: boolean } {
    const known = p.keyLanes.get(entry.key);
    if (known !== undefined) return known;
    const label = cacheKeyLabel(entry);
    const detailed = this.keyLanesDetailed < this.s.output.maxDetailedLanes;
    if (detailed) this.keyLanesDetailed++;
    const lane = { id: `${p.laneId}/${label}#${p.keyLanes.size + 1}`, detailed };
    this.core.trace.lanes.push({ id: lane.id, kind: 'cacheKey', label, group: p.spec.name, detailed });
    p.keyLanes.set(entry.key, lane);
    this.lanesTotal++;
    if (detailed) this.detailedLanes++;
    return lane;
  }

  private unmatched(): string {
    if (this.unmatchedLane === undefined) {
      this.unmatchedLane = 'image-pulls';
      this.core.trace.lanes.push({ id: this.unmatchedLane, kind: 'imagePulls', label: 'images no provider matches', group: 'credential providers', detailed: true });
      this.lanesTotal++;
      this.detailedLanes++;
    }
    return this.unmatchedLane;
  }
}

/** How many of `config`'s logins the keyring finds for `image`; a cached entry's config is asked again and again. */
function loginsFor(config: DockerConfig, image: string): number {
  let byImage = LOGINS.get(config);
  if (byImage === undefined) LOGINS.set(config, (byImage = new Map()));
  const known = byImage.get(image);
  if (known !== undefined) return known;
  const keyring = new DockerKeyring();
  keyring.add(config);
  const n = keyring.lookup(image).length;
  byImage.set(image, n);
  return n;
}

const LOGINS = new WeakMap<DockerConfig, Map<string, number>>();

function tokenKey(pod: PodSpec, audience: string): string {
  return `${pod.namespace}/${pod.name}/${audience}`;
}

function podData(pull: PodPull): Record<string, string> {
  return pull.podName === '' ? {} : { pod: `${pull.podNamespace}/${pull.podName}` };
}

/** The issue's words for a pull's outcome: hit, miss, notMatched, noCredentials, error. */
function outcomeOf(r: ProvideResult): string {
  switch (r.outcome) {
    case 'hit':
      return 'hit';
    case 'fetched':
      return 'miss';
    case 'notMatched':
      return 'notMatched';
    case 'execError':
      return 'error';
    default:
      return 'noCredentials';
  }
}
