/**
 * The kubelet's plugin-based credential provider (upstream pkg/credentialprovider/plugin/plugin.go
 * pluginProvider.provide), SPEC B.3–B.6, as a state machine on the virtual clock. A pull is split
 * where the kubelet waits for the plugin: `prepare` does everything up to the exec (image match,
 * service-account data and token, cache lookup with purge and expiry, joining or starting a
 * singleflight), and `finish` takes the plugin's answer when the engine says it arrived and gives
 * every caller of that flight its own result (echo check, cacheKeyType, caching), in join order.
 *
 * Follows 1.34+ by default; with version '1.33' the differences listed at the end of SPEC B.3
 * apply. Outcomes never throw: like upstream, every failure is "no credentials" plus a log line.
 * Log lines are the kubelet's own texts and never contain a token or a password.
 */
import type { Clock } from '../clock';
import type {
  CredentialKubeletVersion,
  CredentialProvider,
  CredentialProviderRequest,
  CredentialProviderResponse,
  DockerConfig,
  PluginCacheKeyType,
} from './config';
import { cachesPerToken, PLUGIN_CACHE_KEY_TYPES, PROVIDER_API_V1, REQUEST_KIND, usesServiceAccountTokens } from './config';
import { goDurationToMs } from './goDuration';
import { goQuote } from '../units/goQuote';
import { urlsMatchStr } from './imageMatch';
import {
  baseCacheKey,
  generateCacheKey,
  generateServiceAccountCacheKey,
  generateSingleFlightKey,
  serviceAccountTokenHash,
} from './cacheKeys';
import { PluginCache, type CacheEntryView, type Housekeeping, type LookupCandidate, type ServiceAccountCoordinates } from './pluginCache';

export type { CacheEntryView, Housekeeping, LookupCandidate, ServiceAccountCoordinates } from './pluginCache';

export interface PodPull {
  image: string;
  podNamespace: string;
  podName: string;
  podUID: string;
  /** "" when the pod has none (static pods). */
  serviceAccountName: string;
}

export interface ServiceAccountInfo {
  uid: string;
  annotations: Readonly<Record<string, string>>;
}

export interface ProviderEnv {
  /** The SA as the kubelet's informer sees it; undefined = not found (the kubelet logs and returns no creds). */
  serviceAccount(namespace: string, name: string): ServiceAccountInfo | undefined;
  /**
   * Asks the kubelet token manager (SPEC B.3 d): audiences [audience], no expirationSeconds, bound
   * to the pod. `serviceAccountUid` is the TokenRequest's metadata.uid: the SA UID from 1.34,
   * undefined for 1.33 (which does not set it).
   */
  token(pull: PodPull, serviceAccountUid: string | undefined, audience: string): { ok: true; token: string } | { ok: false; error: string };
}

export type PluginAnswer = { ok: true; response: CredentialProviderResponse } | { ok: false; error: string };

export type ProvideOutcome =
  | 'notMatched'
  | 'noServiceAccount'
  | 'serviceAccountNotFound'
  | 'annotationMissing'
  | 'tokenError'
  /** A key could not be built (a part longer than 65535 bytes, SPEC B.4): no credentials. */
  | 'cacheKeyError'
  | 'hit'
  | 'execError'
  | 'invalidCacheKeyType'
  | 'echoRejected'
  | 'fetched';

export interface ProvideResult {
  pull: PodPull;
  outcome: ProvideOutcome;
  /** {} when no credentials. */
  config: Readonly<DockerConfig>;
  /** 1.34+ only, in service-account mode with a service account name, and only with credentials ('hit', 'fetched'). */
  coordinates?: ServiceAccountCoordinates;
  /** For 'hit': the entry that served it … */
  hit?: CacheEntryView;
  /** … and under which lookup candidate it was found (SPEC B.5). */
  hitVia?: LookupCandidate;
  /** For 'fetched' when cached. */
  stored?: CacheEntryView;
  /** For 'fetched' when not cached (SPEC B.3 step 9). */
  notCached?: 'zeroDuration' | 'zeroDefault';
  /** The kubelet's log line for the no-credentials outcomes (no secrets). */
  log?: string;
  /** For results of finish(): how many callers shared this exec. */
  joined?: number;
}

export type Prepared =
  | { kind: 'done'; result: ProvideResult; housekeeping: Housekeeping }
  /** leader=false: joined an exec already in flight (the model must not start another exec). */
  | { kind: 'exec'; flightKey: string; leader: boolean; request: CredentialProviderRequest; housekeeping: Housekeeping };

export interface PluginProviderOptions {
  version: CredentialKubeletVersion;
  /** KubeletServiceAccountTokenForCredentialProviders (SPEC B.2). */
  serviceAccountTokenGate: boolean;
  clock: Clock;
}

/** What the kubelet knows about one caller while it waits for the plugin. */
interface Waiter {
  pull: PodPull;
  /** The token sent (service-account mode only); kept for the echo check, never shown. */
  token: string;
  serviceAccountKey: string;
  /** The SA whose data is in the key (both versions). */
  serviceAccount?: ServiceAccountCoordinates;
  /** What provide returns with the config: 1.34+ only. */
  coordinates?: ServiceAccountCoordinates;
}

interface Flight {
  request: CredentialProviderRequest;
  waiters: Waiter[];
}

/** The provider's service-account-token settings, when that mode is on (SPEC B.2 last line). */
interface ServiceAccountMode {
  audience: string;
  requireServiceAccount: boolean;
  required: readonly string[];
  optional: readonly string[];
  /** 1.34+: cacheType Token puts the token hash in the key and allows the echo (SPEC B.3 f, step 6). */
  tokenCache: boolean;
}

const NO_HOUSEKEEPING: Housekeeping = Object.freeze({ purged: Object.freeze([]), expiredOnRead: Object.freeze([]) });

/** Sets an own property even for names like "__proto__", which plain assignment would not store. */
function setOwn<V>(target: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export class PluginProvider {
  readonly provider: CredentialProvider;
  readonly version: CredentialKubeletVersion;
  private readonly clock: Clock;
  private readonly cache: PluginCache;
  private readonly serviceAccountMode: ServiceAccountMode | undefined;
  private readonly flights = new Map<string, Flight>();

  constructor(provider: CredentialProvider, options: PluginProviderOptions) {
    this.provider = provider;
    this.version = options.version;
    this.clock = options.clock;
    this.cache = new PluginCache(options.clock, options.version);
    const attrs = provider.tokenAttributes;
    this.serviceAccountMode =
      attrs !== undefined && usesServiceAccountTokens(provider, options.serviceAccountTokenGate)
        ? {
            audience: attrs.serviceAccountTokenAudience,
            // Validation (SPEC B.2) rejects an unset requireServiceAccount, so `=== true` only matters for unvalidated input.
            requireServiceAccount: attrs.requireServiceAccount === true,
            required: attrs.requiredServiceAccountAnnotationKeys ?? [],
            optional: attrs.optionalServiceAccountAnnotationKeys ?? [],
            tokenCache: cachesPerToken(provider, options.version),
          }
        : undefined;
  }

  /** Everything up to the exec, at clock.now(). */
  prepare(pull: PodPull, env: ProviderEnv): Prepared {
    const done = (outcome: ProvideOutcome, log?: string, housekeeping: Housekeeping = NO_HOUSEKEEPING): Prepared => ({
      kind: 'done',
      result: log === undefined ? { pull, outcome, config: {} } : { pull, outcome, config: {}, log },
      housekeeping,
    });
    const { image, podNamespace } = pull;

    // SPEC B.3 step 1.
    if (!this.provider.matchImages.some((m) => urlsMatchStr(m, image))) return done('notMatched');

    let token = '';
    let tokenHash = '';
    let annotations: Record<string, string> | undefined;
    let serviceAccountKey = '';
    let coordinates: ServiceAccountCoordinates | undefined;
    const sa = this.serviceAccountMode;
    const saName = pull.serviceAccountName;
    if (sa !== undefined) {
      // SPEC B.3 step 2a; with the SA not required, an empty name goes on as in non-SA mode (2b).
      if (saName === '' && sa.requireServiceAccount) return done('noServiceAccount', `Service account name is empty for pod ${podNamespace}/${pull.podName}`);
      if (saName !== '') {
        // SPEC B.3 step 2c.
        const info = env.serviceAccount(podNamespace, saName);
        if (info === undefined) {
          return done('serviceAccountNotFound', `Failed to get service account ${podNamespace}/${saName}: serviceaccount "${saName}" not found`);
        }
        annotations = {};
        for (const k of sa.required) {
          if (!Object.hasOwn(info.annotations, k)) {
            return done('annotationMissing', `Failed to get service account data ${podNamespace}/${saName}: required annotation ${k} not found`);
          }
          setOwn(annotations, k, info.annotations[k] as string);
        }
        for (const k of sa.optional) if (Object.hasOwn(info.annotations, k)) setOwn(annotations, k, info.annotations[k] as string);
        // SPEC B.3 step 2d: 1.33 sends no metadata.uid.
        const answer = env.token(pull, this.version === '1.33' ? undefined : info.uid, sa.audience);
        if (!answer.ok) return done('tokenError', `Error getting service account token ${podNamespace}/${saName}: ${answer.error}`);
        token = answer.token;
        // SPEC B.3 steps 2e, 2f.
        tokenHash = serviceAccountTokenHash(token);
        const key = generateServiceAccountCacheKey({
          namespace: podNamespace,
          name: saName,
          uid: info.uid,
          annotations,
          ...(sa.tokenCache ? { tokenHash } : {}),
        });
        if (!key.ok) return done('cacheKeyError', `Error generating service account cache key: ${key.error}`);
        serviceAccountKey = key.key;
        // SPEC B.3 step 2g (the kubelet uses them for image pull credential verification).
        coordinates = { namespace: podNamespace, name: saName, uid: info.uid };
      }
    }

    // SPEC B.3 step 3, B.5.
    const lookup = this.cache.lookup(image, serviceAccountKey);
    if (!lookup.ok) {
      // Upstream logs the wrong variable here (a nil error), so the line always ends in "<nil>".
      return done('cacheKeyError', 'Failed to get cached docker config: <nil>', lookup.housekeeping);
    }
    const visible = this.version === '1.33' ? undefined : coordinates;
    if (lookup.hit !== undefined) {
      const result: ProvideResult = { pull, outcome: 'hit', config: lookup.hit.credentials, hit: lookup.hit.entry, hitVia: lookup.hit.via };
      if (visible !== undefined) result.coordinates = visible;
      return { kind: 'done', result, housekeeping: lookup.housekeeping };
    }

    // SPEC B.6: the flight key.
    let flightKey = image;
    if (sa !== undefined && saName !== '') {
      const key = generateSingleFlightKey(image, tokenHash, annotations ?? {});
      if (!key.ok) return done('cacheKeyError', `Error generating singleflight key: ${key.error}`, lookup.housekeeping);
      flightKey = key.key;
    }
    const waiter: Waiter = { pull, token, serviceAccountKey };
    if (coordinates !== undefined) waiter.serviceAccount = coordinates;
    if (visible !== undefined) waiter.coordinates = visible;
    const running = this.flights.get(flightKey);
    if (running !== undefined) {
      running.waiters.push(waiter);
      return { kind: 'exec', flightKey, leader: false, request: running.request, housekeeping: lookup.housekeeping };
    }
    const request = this.request(image, token, annotations);
    this.flights.set(flightKey, { request, waiters: [waiter] });
    return { kind: 'exec', flightKey, leader: true, request, housekeeping: lookup.housekeeping };
  }

  /** The flight's plugin answered at clock.now(): every waiter's result, in join order (leader first). */
  finish(flightKey: string, answer: PluginAnswer): ProvideResult[] {
    const flight = this.flights.get(flightKey);
    if (flight === undefined) throw new Error('credential provider: finish() for a flight that is not in progress');
    // SPEC B.6: once the answer is in, the key is free; a later pull starts a new exec.
    this.flights.delete(flightKey);
    const joined = flight.waiters.length;
    return flight.waiters.map((w) => ({ ...this.complete(w, answer), joined }));
  }

  /** SPEC B.3 steps 5–10 for one caller. */
  private complete(w: Waiter, answer: PluginAnswer): ProvideResult {
    const { pull } = w;
    // Upstream returns nil coordinates with every "no credentials" answer; only served configs carry them.
    const none = (outcome: ProvideOutcome, log: string): ProvideResult => ({ pull, outcome, config: {}, log });
    // SPEC B.3 step 5.
    if (!answer.ok) return none('execError', `Failed getting credential from external registry credential provider: ${answer.error}`);
    const response = answer.response;
    // SPEC B.3 step 6 (1.34+): a token echoed as a password is refused unless the cache is per token.
    if (this.version !== '1.33' && w.token !== '' && this.serviceAccountMode?.tokenCache !== true) {
      for (const k of Object.keys(response.auth)) {
        if (response.auth[k]?.password === w.token) {
          return none(
            'echoRejected',
            `Credential provider plugin returned the service account token as the password for image ${goQuote(pull.image)}, which is not allowed when service account cache type is not set to 'Token'`,
          );
        }
      }
    }
    // SPEC B.3 step 7.
    const keyType = (PLUGIN_CACHE_KEY_TYPES as readonly string[]).includes(response.cacheKeyType) ? (response.cacheKeyType as PluginCacheKeyType) : undefined;
    if (keyType === undefined) return none('invalidCacheKeyType', `credential provider plugin did not return a valid cacheKeyType: ${goQuote(response.cacheKeyType)}`);
    const base = baseCacheKey(keyType, pull.image, this.version);
    // SPEC B.3 step 8: every auth entry, keys verbatim; each caller gets its own copy.
    const config: DockerConfig = {};
    for (const k of Object.keys(response.auth)) {
      const a = response.auth[k];
      if (a !== undefined) setOwn(config, k, { username: a.username, password: a.password });
    }
    Object.freeze(config);
    const fetched: ProvideResult = { pull, outcome: 'fetched', config };
    if (w.coordinates !== undefined) fetched.coordinates = w.coordinates;
    // SPEC B.3 step 9: present-and-0 → not cached; absent → the provider default, 0 → not cached.
    let duration = response.cacheDuration;
    if (duration === 0n) return { ...fetched, notCached: 'zeroDuration' };
    if (duration === undefined) {
      duration = this.provider.defaultCacheDuration ?? 0n;
      if (duration === 0n) return { ...fetched, notCached: 'zeroDefault' };
    }
    const now = this.clock.now();
    const key = generateCacheKey(base, w.serviceAccountKey);
    if (!key.ok) return none('cacheKeyError', `Error generating cache key: ${key.error}`);
    // SPEC B.3 step 10.
    const view: CacheEntryView = {
      key: key.key,
      baseKey: base,
      keyType,
      ...(w.serviceAccount !== undefined ? { serviceAccount: w.serviceAccount } : {}),
      expiresAt: now + goDurationToMs(duration),
      storedAt: now,
    };
    this.cache.add(view, config);
    return { ...fetched, stored: view };
  }

  /** What the kubelet writes to the plugin's stdin (SPEC B.7); the SA fields exist only in v1. */
  private request(image: string, token: string, annotations: Record<string, string> | undefined): CredentialProviderRequest {
    const request: CredentialProviderRequest = { apiVersion: this.provider.apiVersion, kind: REQUEST_KIND, image };
    if (this.provider.apiVersion === PROVIDER_API_V1) {
      if (token !== '') request.serviceAccountToken = token;
      if (annotations !== undefined && Object.keys(annotations).length > 0) request.serviceAccountAnnotations = annotations;
    }
    return request;
  }

  /** Read-only view for the trace: live entries incl. expired-but-not-removed. */
  entries(): readonly CacheEntryView[] {
    return this.cache.entries();
  }

  /** When the cache was last purged (or created): the next purge is on the first lookup strictly after this + 15 min. */
  get lastCachePurge(): number {
    return this.cache.lastPurge;
  }

  /** Callers waiting on the flight with this key (0 when none is in progress). */
  waiting(flightKey: string): number {
    return this.flights.get(flightKey)?.waiters.length ?? 0;
  }
}
