import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ManualClock } from '../../../src/sim/clock';
import {
  PluginProvider,
  type PluginAnswer,
  type PodPull,
  type Prepared,
  type ProviderEnv,
  type ProvideResult,
  type ServiceAccountInfo,
} from '../../../src/sim/credentialProvider/pluginProvider';
import type { CredentialKubeletVersion, CredentialProvider, CredentialProviderResponse, DockerConfig } from '../../../src/sim/credentialProvider/config';
import { generateCacheKey, generateServiceAccountCacheKey, generateSingleFlightKey, globalCacheKey } from '../../../src/sim/credentialProvider/cacheKeys';
import { parseRegistry } from '../../../src/sim/credentialProvider/imageRegistry';
import { CACHE_PURGE_INTERVAL_MS } from '../../../src/sim/credentialProvider/pluginCache';

const T0 = Date.UTC(2025, 5, 1);
const S = 1000;
const M = 60 * S;
const NS_PER_MS = 1_000_000n;
const minutes = (n: number): bigint => BigInt(n) * 60_000n * NS_PER_MS;

const AUTH: DockerConfig = { '*.registry.io': { username: 'user', password: 'password' } };

function response(cacheKeyType: string, cacheDuration: bigint | undefined, auth: DockerConfig = AUTH): PluginAnswer {
  const r: CredentialProviderResponse = { apiVersion: 'credentialprovider.kubelet.k8s.io/v1', kind: 'CredentialProviderResponse', cacheKeyType, auth };
  if (cacheDuration !== undefined) r.cacheDuration = cacheDuration;
  return { ok: true, response: r };
}

function providerConfig(over: Partial<CredentialProvider> = {}): CredentialProvider {
  return {
    name: 'test-plugin',
    matchImages: ['*.registry.io', '*.registry.io:8080', '*.*.registry.io', 'global'],
    defaultCacheDuration: minutes(10),
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    ...over,
  };
}

function saProvider(cacheType: 'ServiceAccount' | 'Token', over: Partial<NonNullable<CredentialProvider['tokenAttributes']>> = {}): CredentialProvider {
  return providerConfig({
    tokenAttributes: {
      serviceAccountTokenAudience: 'audience',
      cacheType,
      requireServiceAccount: true,
      requiredServiceAccountAnnotationKeys: ['prefix.io/annotation-1'],
      optionalServiceAccountAnnotationKeys: ['prefix.io/annotation-2'],
      ...over,
    },
  });
}

interface Harness {
  clock: ManualClock;
  provider: PluginProvider;
  env: ProviderEnv;
  tokenCalls: Array<{ pull: PodPull; uid: string | undefined; audience: string }>;
  accounts: Map<string, ServiceAccountInfo>;
  /** The token env.token hands out; by default one per pod. */
  tokenFor: (pull: PodPull) => { ok: true; token: string } | { ok: false; error: string };
}

function harness(config: CredentialProvider, version: CredentialKubeletVersion = '1.34', gate = true): Harness {
  const clock = new ManualClock(T0);
  const h: Harness = {
    clock,
    provider: new PluginProvider(config, { version, serviceAccountTokenGate: gate, clock }),
    tokenCalls: [],
    accounts: new Map([
      ['namespace/service-account-name', { uid: 'service-account-uid', annotations: { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2', other: 'x' } }],
    ]),
    tokenFor: (pull) => ({ ok: true, token: `token-of-${pull.podUID}` }),
    env: undefined as unknown as ProviderEnv,
  };
  h.env = {
    serviceAccount: (ns, name) => h.accounts.get(`${ns}/${name}`),
    token: (pull, uid, audience) => {
      h.tokenCalls.push({ pull, uid, audience });
      return h.tokenFor(pull);
    },
  };
  return h;
}

function pod(image: string, n = 1, serviceAccountName = 'service-account-name', podNamespace = 'namespace'): PodPull {
  return { image, podNamespace, podName: `pod-${n}`, podUID: `pod-uid-${n}`, serviceAccountName };
}

/** One pull with no concurrency: prepare, and if it execs, the plugin answers at once. */
function pullNow(h: Harness, pull: PodPull, answer: PluginAnswer): { prepared: Prepared; result: ProvideResult } {
  const prepared = h.provider.prepare(pull, h.env);
  if (prepared.kind === 'done') return { prepared, result: prepared.result };
  assert.ok(prepared.leader, 'nothing else is in flight');
  const results = h.provider.finish(prepared.flightKey, answer);
  assert.equal(results.length, 1);
  return { prepared, result: results[0] as ProvideResult };
}

function key(base: string, sa = ''): string {
  const r = generateCacheKey(base, sa);
  assert.ok(r.ok);
  return r.key;
}

function saKey(token?: string): string {
  const r = generateServiceAccountCacheKey({
    namespace: 'namespace',
    name: 'service-account-name',
    uid: 'service-account-uid',
    annotations: { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2' },
    ...(token === undefined ? {} : { tokenHash: `sha256:${createHash('sha256').update(token).digest('hex')}` }),
  });
  assert.ok(r.ok);
  return r.key;
}

const NO_SA = pod('test.registry.io/foo/bar', 1, '');

describe('plugin provider: matching and the plugin answer (SPEC B.3)', () => {
  test('Test_ProvideWithCoordinates: each cacheKeyType returns the auth entries as they are', () => {
    const cases: Array<[string, string, string, DockerConfig]> = [
      ['Registry', 'test.registry.io/foo/bar', 'test.registry.io', { 'test.registry.io': { username: 'user', password: 'password' } }],
      ['Image', 'test.registry.io/foo/bar', 'test.registry.io/foo/bar', { 'test.registry.io/foo/bar': { username: 'user', password: 'password' } }],
      ['Global', 'test.registry.io', 'test.registry.io', { 'test.registry.io': { username: 'user', password: 'password' } }],
      ['Registry', 'test.registry.io:8080/foo', '*.registry.io:8080', { '*.registry.io:8080': { username: 'user', password: 'password' } }],
      ['Image', 'foo.bar.registry.io/foo/bar', '*.*.registry.io', { '*.*.registry.io': { username: 'user', password: 'password' } }],
      ['Global', 'test.registry.io', '*.registry.io', { '*.registry.io': { username: 'user', password: 'password' } }],
    ];
    for (const [keyType, image, match, auth] of cases) {
      const h = harness(providerConfig({ matchImages: [match] }));
      const { result } = pullNow(h, pod(image, 1, ''), response(keyType, 0n, auth));
      assert.equal(result.outcome, 'fetched', `${keyType} ${image}`);
      assert.deepEqual(result.config, auth);
      assert.equal(result.notCached, 'zeroDuration');
      assert.equal(result.coordinates, undefined);
      assert.deepEqual(h.provider.entries(), [], 'Test_NoCacheResponse: cacheDuration 0 is not cached');
    }
  });

  test('an image no matchImages entry matches gets nothing and no exec', () => {
    const h = harness(providerConfig({ matchImages: ['test.registry.io'] }));
    const p = h.provider.prepare(pod('other.io/foo', 1, ''), h.env);
    assert.equal(p.kind, 'done');
    assert.equal(p.kind === 'done' && p.result.outcome, 'notMatched');
    assert.deepEqual(p.kind === 'done' && p.result.config, {});
  });

  test('each cacheKeyType stores under its base key and later pulls hit it (Test_CacheKeyGeneration, no SA)', () => {
    const image = 'test.registry.io/foo/bar';
    for (const [keyType, base] of [['Image', image], ['Registry', 'test.registry.io'], ['Global', '<global>']] as const) {
      const h = harness(providerConfig());
      const { result } = pullNow(h, pod(image, 1, ''), response(keyType, minutes(60)));
      assert.equal(result.outcome, 'fetched');
      assert.deepEqual(h.provider.entries().map((e) => e.key), [key(base)]);
      assert.equal(result.stored?.baseKey, base);
      assert.equal(result.stored?.keyType, keyType);
      assert.equal(result.stored?.expiresAt, T0 + 60 * M);
      assert.equal(result.stored?.storedAt, T0);
      const again = h.provider.prepare(pod(image, 2, ''), h.env);
      assert.equal(again.kind, 'done', 'no exec on a hit');
      assert.equal(again.kind === 'done' && again.result.outcome, 'hit');
      assert.deepEqual(again.kind === 'done' && again.result.config, AUTH);
    }
  });

  test('Registry and Global entries serve other images; an Image entry only its image', () => {
    const h = harness(providerConfig());
    pullNow(h, NO_SA, response('Registry', minutes(5)));
    const other = h.provider.prepare(pod('test.registry.io/other', 2, ''), h.env);
    assert.equal(other.kind === 'done' && other.result.hitVia, 'registry');
    const h2 = harness(providerConfig());
    pullNow(h2, NO_SA, response('Image', minutes(5)));
    assert.equal(h2.provider.prepare(pod('test.registry.io/other', 2, ''), h2.env).kind, 'exec');
  });

  test('invalid cacheKeyType (empty, wrong case) → no credentials, nothing cached, the kubelet\'s log line', () => {
    for (const t of ['', 'image', 'Repository']) {
      const h = harness(providerConfig());
      const { result } = pullNow(h, NO_SA, response(t, minutes(5)));
      assert.equal(result.outcome, 'invalidCacheKeyType');
      assert.deepEqual(result.config, {});
      assert.equal(result.log, `credential provider plugin did not return a valid cacheKeyType: ${JSON.stringify(t)}`);
      assert.deepEqual(h.provider.entries(), []);
    }
  });

  test('a failed exec gives no credentials and is not cached', () => {
    const h = harness(providerConfig());
    const { result } = pullNow(h, NO_SA, { ok: false, error: 'exit status 1: boom' });
    assert.equal(result.outcome, 'execError');
    assert.equal(result.log, 'Failed getting credential from external registry credential provider: exit status 1: boom');
    assert.equal(h.provider.prepare(NO_SA, h.env).kind, 'exec');
  });

  test('auth keys are kept verbatim, even "__proto__"', () => {
    const h = harness(providerConfig());
    const auth = JSON.parse('{"__proto__":{"username":"u","password":"p"},"constructor":{"username":"c","password":"q"}}') as DockerConfig;
    const { result } = pullNow(h, NO_SA, response('Image', minutes(1), auth));
    assert.deepEqual(Object.keys(result.config), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(result.config), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(result.config, '__proto__')?.value, { username: 'u', password: 'p' });
  });
});

describe('plugin provider: cache durations (SPEC B.3 step 9)', () => {
  test('present and 0 → returned, not cached, even with a default', () => {
    const h = harness(providerConfig({ defaultCacheDuration: minutes(10) }));
    const { result } = pullNow(h, NO_SA, response('Registry', 0n));
    assert.equal(result.notCached, 'zeroDuration');
    assert.equal(result.stored, undefined);
    assert.deepEqual(h.provider.entries(), []);
  });

  test('absent → the provider default', () => {
    const h = harness(providerConfig({ defaultCacheDuration: minutes(10) }));
    h.clock.advance(7);
    const { result } = pullNow(h, NO_SA, response('Registry', undefined));
    assert.equal(result.stored?.expiresAt, T0 + 7 + 10 * M);
  });

  test('absent with a default of 0 (or none) → not cached', () => {
    for (const d of [0n, undefined]) {
      const h = harness(providerConfig({ defaultCacheDuration: d }));
      const { result } = pullNow(h, NO_SA, response('Registry', undefined));
      assert.equal(result.outcome, 'fetched');
      assert.equal(result.notCached, 'zeroDefault');
      assert.deepEqual(h.provider.entries(), []);
    }
  });

  test('present → that duration, sub-millisecond rounded down (exact for the strict test)', () => {
    const h = harness(providerConfig());
    const { result } = pullNow(h, NO_SA, response('Registry', 1_500_999n));
    assert.equal(result.stored?.expiresAt, T0 + 1);
  });

  test('a negative duration stores an entry that is already expired', () => {
    const h = harness(providerConfig());
    const { result } = pullNow(h, NO_SA, response('Registry', -minutes(1)));
    assert.equal(result.stored?.expiresAt, T0 - M);
    const again = h.provider.prepare(NO_SA, h.env);
    assert.equal(again.kind, 'exec');
    assert.equal(again.housekeeping.expiredOnRead.length, 1);
  });

  test('expiry is strict: a hit at expiresAt, an exec 1 ms later (with the entry reported expired on read)', () => {
    const h = harness(providerConfig());
    pullNow(h, NO_SA, response('Registry', minutes(1)));
    h.clock.set(T0 + M);
    const at = h.provider.prepare(NO_SA, h.env);
    assert.equal(at.kind === 'done' && at.result.outcome, 'hit');
    h.clock.set(T0 + M + 1);
    const after = h.provider.prepare(NO_SA, h.env);
    assert.equal(after.kind, 'exec');
    assert.deepEqual(after.housekeeping.expiredOnRead.map((e) => e.baseKey), ['test.registry.io']);
    assert.deepEqual(after.housekeeping.purged, []);
  });

  test('expired entries linger until read, or until a lookup strictly after 15 min purges them', () => {
    const h = harness(providerConfig());
    pullNow(h, pod('a.registry.io/x', 1, ''), response('Image', minutes(1)));
    pullNow(h, pod('b.registry.io/x', 1, ''), response('Image', minutes(2)));
    h.clock.set(T0 + 10 * M);
    assert.equal(h.provider.entries().length, 2, 'both expired, both still held');
    // A lookup at exactly lastPurge + 15 min does not purge.
    h.clock.set(T0 + CACHE_PURGE_INTERVAL_MS);
    let p = h.provider.prepare(pod('c.registry.io/x', 1, ''), h.env);
    assert.deepEqual(p.housekeeping.purged, []);
    assert.equal(p.kind === 'exec' && h.provider.finish(p.flightKey, response('Image', minutes(60))).length, 1);
    assert.equal(h.provider.entries().length, 3);
    h.clock.set(T0 + CACHE_PURGE_INTERVAL_MS + 1);
    p = h.provider.prepare(pod('c.registry.io/x', 1, ''), h.env);
    assert.deepEqual(p.housekeeping.purged.map((e) => e.baseKey), ['a.registry.io/x', 'b.registry.io/x']);
    assert.equal(p.kind === 'done' && p.result.outcome, 'hit', 'the live entry survives the purge');
    assert.equal(h.provider.lastCachePurge, T0 + CACHE_PURGE_INTERVAL_MS + 1);
  });

  test('a pull that stops before the lookup (no match, no SA) does not purge', () => {
    const h = harness(saProvider('ServiceAccount'));
    pullNow(h, pod('test.registry.io/a'), response('Image', minutes(1)));
    h.clock.set(T0 + 20 * M);
    const p = h.provider.prepare(pod('test.registry.io/a', 2, ''), h.env);
    assert.equal(p.kind === 'done' && p.result.outcome, 'noServiceAccount');
    assert.deepEqual(p.housekeeping.purged, []);
    assert.equal(h.provider.entries().length, 1);
    assert.equal(h.provider.lastCachePurge, T0);
  });
});

describe('plugin provider: lookup order (SPEC B.5)', () => {
  test('image, then registry, then global, whichever answer stored them', () => {
    const h = harness(providerConfig());
    pullNow(h, pod('test.registry.io/a', 1, ''), response('Image', minutes(30)));
    pullNow(h, pod('test.registry.io/b', 1, ''), response('Registry', minutes(30), { r: { username: 'r', password: 'r' } }));
    pullNow(h, pod('other.registry.io/c', 1, ''), response('Global', minutes(30), { g: { username: 'g', password: 'g' } }));
    const via = (image: string) => {
      const p = h.provider.prepare(pod(image, 9, ''), h.env);
      assert.equal(p.kind, 'done', image);
      return p.kind === 'done' ? [p.result.hitVia, p.result.hit?.keyType, Object.keys(p.result.config)[0]] : [];
    };
    assert.deepEqual(via('test.registry.io/a'), ['image', 'Image', '*.registry.io']);
    assert.deepEqual(via('test.registry.io/zzz'), ['registry', 'Registry', 'r']);
    assert.deepEqual(via('third.registry.io/q'), ['global', 'Global', 'g']);
  });

  test('1.33: the global key is "global", so an image named "global" collides with it', () => {
    const h = harness(providerConfig(), '1.33');
    const { result } = pullNow(h, pod('global', 1, ''), response('Image', minutes(30), { img: { username: 'i', password: 'i' } }));
    assert.equal(result.stored?.key, key(globalCacheKey('1.33')));
    const p = h.provider.prepare(pod('test.registry.io/x', 1, ''), h.env);
    assert.equal(p.kind === 'done' && p.result.hitVia, 'global', 'the Image entry of "global" serves every image');
    const h34 = harness(providerConfig(), '1.34');
    pullNow(h34, pod('global', 1, ''), response('Image', minutes(30)));
    assert.equal(h34.provider.prepare(pod('test.registry.io/x', 1, ''), h34.env).kind, 'exec');
  });
});

describe('plugin provider: singleflight (SPEC B.6)', () => {
  test('concurrent pulls of one image share one exec and each get the same answer (TestSingleflightProvide)', () => {
    const h = harness(providerConfig());
    const prepared = [1, 2, 3, 4, 5].map((n) => h.provider.prepare(pod('test.registry.io', n, ''), h.env));
    assert.deepEqual(prepared.map((p) => p.kind === 'exec' && p.leader), [true, false, false, false, false]);
    const flightKey = prepared[0]?.kind === 'exec' ? prepared[0].flightKey : '';
    assert.equal(flightKey, 'test.registry.io', 'outside SA mode the key is the image');
    assert.ok(prepared.every((p) => p.kind === 'exec' && p.flightKey === flightKey));
    assert.equal(h.provider.waiting(flightKey), 5);
    h.clock.advance(S);
    const results = h.provider.finish(flightKey, response('Registry', minutes(5)));
    assert.deepEqual(results.map((r) => r.pull.podName), ['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5']);
    assert.ok(results.every((r) => r.outcome === 'fetched' && r.joined === 5));
    assert.ok(results.every((r) => r.stored?.expiresAt === T0 + S + 5 * M), 'stored at the answer time');
    assert.equal(h.provider.entries().length, 1, 'same key → replaced, not duplicated');
    assert.equal(h.provider.waiting(flightKey), 0);
  });

  test('after the flight ends the key is free: the next miss starts a new exec', () => {
    const h = harness(providerConfig());
    const a = h.provider.prepare(NO_SA, h.env);
    assert.ok(a.kind === 'exec');
    h.provider.finish(a.flightKey, response('Image', 0n));
    const b = h.provider.prepare(NO_SA, h.env);
    assert.ok(b.kind === 'exec' && b.leader);
  });

  test('different images of one registry are not collapsed, even if the answer is Registry (Test_ProvideParallel)', () => {
    const h = harness(providerConfig());
    const a = h.provider.prepare(pod('test1.registry.io/aaaaa', 1, ''), h.env);
    const b = h.provider.prepare(pod('test1.registry.io/bbbbb', 2, ''), h.env);
    assert.ok(a.kind === 'exec' && a.leader && b.kind === 'exec' && b.leader);
    const ra = h.provider.finish(a.flightKey, response('Registry', minutes(1), { 'test.registry.io': { username: 'user', password: 'password' } }));
    const rb = h.provider.finish(b.flightKey, response('Registry', minutes(1), { 'test.registry.io': { username: 'user', password: 'password' } }));
    assert.deepEqual([ra[0]?.config, rb[0]?.config], [{ 'test.registry.io': { username: 'user', password: 'password' } }, { 'test.registry.io': { username: 'user', password: 'password' } }]);
    assert.equal(h.provider.entries().length, 1);
    const c = h.provider.prepare(pod('test1.registry.io/ccccc', 3, ''), h.env);
    assert.equal(c.kind === 'done' && c.result.hitVia, 'registry');
  });

  test('joiners get the same plugin answer but their own results (an error for all, joined counted)', () => {
    const h = harness(providerConfig());
    const a = h.provider.prepare(NO_SA, h.env);
    const b = h.provider.prepare(NO_SA, h.env);
    assert.ok(a.kind === 'exec' && b.kind === 'exec' && !b.leader);
    assert.deepEqual(b.request, a.request);
    const results = h.provider.finish(a.flightKey, { ok: false, error: 'timeout' });
    assert.deepEqual(results.map((r) => [r.outcome, r.joined]), [['execError', 2], ['execError', 2]]);
  });

  test('finish for a flight not in progress is a bug in the caller', () => {
    const h = harness(providerConfig());
    assert.throws(() => h.provider.finish('nope', response('Image', 0n)), /not in progress/);
  });
});

describe('plugin provider: service-account token mode (SPEC B.3 step 2)', () => {
  test('requireServiceAccount and no SA name → nothing, no token, no exec', () => {
    const h = harness(saProvider('ServiceAccount'));
    const p = h.provider.prepare(pod('test.registry.io/foo/bar', 1, '', 'ns'), h.env);
    assert.ok(p.kind === 'done');
    assert.equal(p.result.outcome, 'noServiceAccount');
    assert.equal(p.result.log, 'Service account name is empty for pod ns/pod-1');
    assert.equal(h.tokenCalls.length, 0);
  });

  test('a missing required annotation → nothing, with the kubelet\'s message; a missing optional one is fine', () => {
    const h = harness(saProvider('ServiceAccount', { requiredServiceAccountAnnotationKeys: ['domain.io/identity-id'] }));
    h.accounts.set('ns/sa-name', { uid: 'u', annotations: {} });
    const p = h.provider.prepare(pod('test.registry.io/foo/bar', 1, 'sa-name', 'ns'), h.env);
    assert.ok(p.kind === 'done');
    assert.equal(p.result.outcome, 'annotationMissing');
    assert.equal(p.result.log, 'Failed to get service account data ns/sa-name: required annotation domain.io/identity-id not found');
    h.accounts.set('ns/sa-name', { uid: 'u', annotations: { 'domain.io/identity-id': 'id' } });
    const q = h.provider.prepare(pod('test.registry.io/foo/bar', 1, 'sa-name', 'ns'), h.env);
    assert.ok(q.kind === 'exec');
    assert.deepEqual(q.request.serviceAccountAnnotations, { 'domain.io/identity-id': 'id' });
  });

  test('annotation lookups are own properties only ("constructor" is not an inherited annotation)', () => {
    const h = harness(saProvider('ServiceAccount', { requiredServiceAccountAnnotationKeys: ['constructor'] }));
    const p = h.provider.prepare(pod('test.registry.io/a'), h.env);
    assert.equal(p.kind === 'done' && p.result.outcome, 'annotationMissing');
  });

  test('service account not found → nothing', () => {
    const h = harness(saProvider('ServiceAccount'));
    const p = h.provider.prepare(pod('test.registry.io/a', 1, 'ghost'), h.env);
    assert.ok(p.kind === 'done');
    assert.equal(p.result.outcome, 'serviceAccountNotFound');
    assert.equal(p.result.log, 'Failed to get service account namespace/ghost: serviceaccount "ghost" not found');
  });

  test('token request failure → nothing, the error logged', () => {
    const h = harness(saProvider('ServiceAccount'));
    h.tokenFor = () => ({ ok: false, error: 'failed to get token' });
    const p = h.provider.prepare(pod('test.registry.io/foo/bar'), h.env);
    assert.ok(p.kind === 'done');
    assert.equal(p.result.outcome, 'tokenError');
    assert.equal(p.result.log, 'Error getting service account token namespace/service-account-name: failed to get token');
  });

  test('the token request: audience, pod binding via the pull, SA UID in 1.34 and none in 1.33', () => {
    const h = harness(saProvider('ServiceAccount'));
    h.provider.prepare(pod('test.registry.io/a', 7), h.env);
    assert.deepEqual(h.tokenCalls.map((c) => [c.pull.podUID, c.uid, c.audience]), [['pod-uid-7', 'service-account-uid', 'audience']]);
    const old = harness(saProvider('ServiceAccount'), '1.33');
    old.provider.prepare(pod('test.registry.io/a', 7), old.env);
    assert.deepEqual(old.tokenCalls.map((c) => [c.pull.podUID, c.uid, c.audience]), [['pod-uid-7', undefined, 'audience']]);
  });

  test('the request carries the token and the collected annotations (required + present optional)', () => {
    const h = harness(saProvider('ServiceAccount'));
    const p = h.provider.prepare(pod('test.registry.io/a', 3), h.env);
    assert.ok(p.kind === 'exec');
    assert.deepEqual(p.request, {
      apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
      kind: 'CredentialProviderRequest',
      image: 'test.registry.io/a',
      serviceAccountToken: 'token-of-pod-uid-3',
      serviceAccountAnnotations: { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2' },
    });
  });

  test('cache keys per cacheType (Test_CacheKeyGeneration with SA), coordinates returned, then a hit', () => {
    const image = 'test.registry.io/foo/bar';
    for (const cacheType of ['ServiceAccount', 'Token'] as const) {
      for (const [keyType, base] of [['Image', image], ['Registry', 'test.registry.io'], ['Global', '<global>']] as const) {
        const h = harness(saProvider(cacheType));
        h.tokenFor = () => ({ ok: true, token: 'token' });
        const { result } = pullNow(h, pod(image), response(keyType, minutes(60)));
        assert.equal(result.outcome, 'fetched');
        assert.deepEqual(result.coordinates, { namespace: 'namespace', name: 'service-account-name', uid: 'service-account-uid' });
        const want = key(base, saKey(cacheType === 'Token' ? 'token' : undefined));
        assert.deepEqual(h.provider.entries().map((e) => e.key), [want], `${cacheType} ${keyType}`);
        assert.deepEqual(result.stored?.serviceAccount, { namespace: 'namespace', name: 'service-account-name', uid: 'service-account-uid' });
        const again = h.provider.prepare(pod(image), h.env);
        assert.ok(again.kind === 'done' && again.result.outcome === 'hit');
        assert.deepEqual(again.result.coordinates, result.coordinates);
      }
    }
  });

  test('no SA name and not required → the plain non-SA cache and flight key, no token', () => {
    const h = harness(saProvider('ServiceAccount', { requireServiceAccount: false, requiredServiceAccountAnnotationKeys: [] }));
    const p = h.provider.prepare(pod('test.registry.io/a', 1, ''), h.env);
    assert.ok(p.kind === 'exec');
    assert.equal(p.flightKey, 'test.registry.io/a');
    assert.equal(p.request.serviceAccountToken, undefined);
    assert.equal(h.tokenCalls.length, 0);
    const [r] = h.provider.finish(p.flightKey, response('Image', minutes(5)));
    assert.equal(r?.stored?.key, key('test.registry.io/a'));
    assert.equal(r?.coordinates, undefined);
    assert.equal(r?.stored?.serviceAccount, undefined);
    // A pull with an SA name does not see it: its key has an SA part.
    assert.equal(h.provider.prepare(pod('test.registry.io/a', 2), h.env).kind, 'exec');
  });

  test('two pods, same SA and image: not collapsed (each has its own token), both exec', () => {
    const h = harness(saProvider('ServiceAccount'));
    const a = h.provider.prepare(pod('test.registry.io/a', 1), h.env);
    const b = h.provider.prepare(pod('test.registry.io/a', 2), h.env);
    assert.ok(a.kind === 'exec' && b.kind === 'exec' && a.leader && b.leader);
    assert.notEqual(a.flightKey, b.flightKey);
    const hash = `sha256:${createHash('sha256').update('token-of-pod-uid-1').digest('hex')}`;
    const fk = generateSingleFlightKey('test.registry.io/a', hash, { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2' });
    assert.ok(fk.ok);
    assert.equal(a.flightKey, fk.key);
  });

  test('TestSingleflightProvide in SA mode: an empty token makes one flight key; distinct tokens make five', () => {
    const h = harness(saProvider('ServiceAccount'));
    h.tokenFor = () => ({ ok: true, token: '' });
    const same = [1, 2, 3, 4, 5].map((n) => h.provider.prepare(pod('test.registry.io', n), h.env));
    assert.equal(same.filter((p) => p.kind === 'exec' && p.leader).length, 1);
    const h2 = harness(saProvider('ServiceAccount'));
    const distinct = [1, 2, 3, 4, 5].map((n) => h2.provider.prepare(pod('test.registry.io', n), h2.env));
    assert.equal(distinct.filter((p) => p.kind === 'exec' && p.leader).length, 5);
  });

  test('callers joined on one flight each store under their own SA key (same token hash and annotations, other SA)', () => {
    const h = harness(saProvider('ServiceAccount'));
    h.tokenFor = () => ({ ok: true, token: '' });
    h.accounts.set('other-ns/service-account-name', { uid: 'other-uid', annotations: { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2' } });
    const a = h.provider.prepare(pod('test.registry.io/a', 1), h.env);
    const b = h.provider.prepare(pod('test.registry.io/a', 2, 'service-account-name', 'other-ns'), h.env);
    assert.ok(a.kind === 'exec' && b.kind === 'exec' && a.leader && !b.leader && a.flightKey === b.flightKey);
    const results = h.provider.finish(a.flightKey, response('Image', minutes(5)));
    assert.deepEqual(results.map((r) => r.coordinates?.uid), ['service-account-uid', 'other-uid']);
    assert.deepEqual(h.provider.entries().map((e) => e.serviceAccount?.namespace), ['namespace', 'other-ns']);
  });

  test('cacheType ServiceAccount: one entry per SA, shared by the SA\'s pods', () => {
    const h = harness(saProvider('ServiceAccount'));
    pullNow(h, pod('test.registry.io/a', 1), response('Image', minutes(5)));
    const other = h.provider.prepare(pod('test.registry.io/a', 2), h.env);
    assert.equal(other.kind === 'done' && other.result.outcome, 'hit');
    // Another SA (or the same name in another namespace) does not see it.
    h.accounts.set('other-ns/service-account-name', { uid: 'service-account-uid', annotations: { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2' } });
    assert.equal(h.provider.prepare(pod('test.registry.io/a', 3, 'service-account-name', 'other-ns'), h.env).kind, 'exec');
  });

  test('cacheType ServiceAccount: a changed annotation value or SA UID is a different key', () => {
    const h = harness(saProvider('ServiceAccount'));
    pullNow(h, pod('test.registry.io/a', 1), response('Image', minutes(5)));
    h.accounts.set('namespace/service-account-name', { uid: 'service-account-uid', annotations: { 'prefix.io/annotation-1': 'changed' } });
    assert.equal(h.provider.prepare(pod('test.registry.io/a', 1), h.env).kind, 'exec');
    h.accounts.set('namespace/service-account-name', { uid: 'new-uid', annotations: { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2' } });
    assert.equal(h.provider.prepare(pod('test.registry.io/a', 2), h.env).kind, 'exec');
  });

  test('cacheType Token: one entry per token, so another pod of the same SA misses', () => {
    const h = harness(saProvider('Token'));
    pullNow(h, pod('test.registry.io/a', 1), response('Registry', minutes(5)));
    assert.equal(h.provider.prepare(pod('test.registry.io/b', 1), h.env).kind, 'done', 'same pod, same token: hit');
    assert.equal(h.provider.prepare(pod('test.registry.io/a', 2), h.env).kind, 'exec', 'other pod, other token: miss');
  });

  test('1.33: the SA key never has the token hash, and no coordinates are returned', () => {
    const h = harness(saProvider('Token'), '1.33');
    const { result } = pullNow(h, pod('test.registry.io/a', 1), response('Image', minutes(5)));
    assert.equal(result.stored?.key, key('test.registry.io/a', saKey()));
    assert.equal(result.coordinates, undefined);
    assert.deepEqual(result.stored?.serviceAccount, { namespace: 'namespace', name: 'service-account-name', uid: 'service-account-uid' });
    const hit = h.provider.prepare(pod('test.registry.io/a', 2), h.env);
    assert.ok(hit.kind === 'done' && hit.result.outcome === 'hit');
    assert.equal(hit.result.coordinates, undefined);
  });

  test('feature gate off → tokenAttributes are ignored (plain mode, no token)', () => {
    const h = harness(saProvider('ServiceAccount'), '1.33', false);
    const p = h.provider.prepare(pod('test.registry.io/a', 1), h.env);
    assert.ok(p.kind === 'exec');
    assert.equal(p.flightKey, 'test.registry.io/a');
    assert.equal(h.tokenCalls.length, 0);
  });

  test('an annotation value too large for a key → nothing, with the key error', () => {
    const h = harness(saProvider('ServiceAccount'));
    h.accounts.set('namespace/service-account-name', { uid: 'u', annotations: { 'prefix.io/annotation-1': 'v'.repeat(70000) } });
    const p = h.provider.prepare(pod('test.registry.io/a', 1), h.env);
    assert.ok(p.kind === 'done');
    assert.equal(p.result.outcome, 'cacheKeyError');
    assert.equal(p.result.log, 'Error generating service account cache key: cryptobyte: pending child length 70000 exceeds 2-byte length prefix');
  });

  test('an image too long for a key → nothing (upstream logs a nil error there)', () => {
    const h = harness(providerConfig({ matchImages: ['test.registry.io'] }));
    const p = h.provider.prepare(pod(`test.registry.io/${'x'.repeat(70000)}`, 1, ''), h.env);
    assert.ok(p.kind === 'done');
    assert.equal(p.result.outcome, 'cacheKeyError');
    assert.equal(p.result.log, 'Failed to get cached docker config: <nil>');
  });
});

describe('plugin provider: the echoed token (SPEC B.3 step 6)', () => {
  const echo = (token: string): PluginAnswer => response('Image', minutes(5), { 'test.registry.io/foo/bar': { username: 'user', password: token } });

  test('cacheType ServiceAccount: a password equal to the token rejects the whole answer, nothing cached', () => {
    const h = harness(saProvider('ServiceAccount'));
    h.tokenFor = () => ({ ok: true, token: 'token' });
    const { result } = pullNow(h, pod('test.registry.io/foo/bar'), {
      ok: true,
      response: { ...(echo('token') as { ok: true; response: CredentialProviderResponse }).response, auth: { a: { username: 'u', password: 'fine' }, b: { username: 'u', password: 'token' } } },
    });
    assert.equal(result.outcome, 'echoRejected');
    assert.deepEqual(result.config, {});
    assert.equal(
      result.log,
      `Credential provider plugin returned the service account token as the password for image "test.registry.io/foo/bar", which is not allowed when service account cache type is not set to 'Token'`,
    );
    assert.ok(!result.log?.includes('password for image "token'), 'the token is not in the log');
    assert.deepEqual(h.provider.entries(), []);
  });

  test('no coordinates come with a rejected, failed or invalid answer (upstream returns nil with every empty config)', () => {
    for (const answer of [echo('token'), { ok: false, error: 'x' } as PluginAnswer, response('bogus', minutes(1))]) {
      const h = harness(saProvider('ServiceAccount'));
      h.tokenFor = () => ({ ok: true, token: 'token' });
      const { result } = pullNow(h, pod('test.registry.io/foo/bar'), answer);
      assert.notEqual(result.outcome, 'fetched');
      assert.equal(result.coordinates, undefined);
    }
  });

  test('cacheType Token: the echo is allowed and cached', () => {
    const h = harness(saProvider('Token'));
    h.tokenFor = () => ({ ok: true, token: 'token' });
    const { result } = pullNow(h, pod('test.registry.io/foo/bar'), echo('token'));
    assert.equal(result.outcome, 'fetched');
    assert.equal(h.provider.entries().length, 1);
  });

  test('1.33 has no echo rule', () => {
    const h = harness(saProvider('ServiceAccount'), '1.33');
    h.tokenFor = () => ({ ok: true, token: 'token' });
    assert.equal(pullNow(h, pod('test.registry.io/foo/bar'), echo('token')).result.outcome, 'fetched');
  });

  test('no token sent (no SA name) → no echo check', () => {
    const h = harness(saProvider('ServiceAccount', { requireServiceAccount: false, requiredServiceAccountAnnotationKeys: [] }));
    assert.equal(pullNow(h, pod('test.registry.io/foo/bar', 1, ''), echo('')).result.outcome, 'fetched');
  });
});

describe('plugin provider: property', () => {
  const images = ['a.registry.io/x', 'a.registry.io/y', 'b.registry.io/x', 'b.registry.io', 'c.registry.io:8080/z', 'nomatch.io/q', 'global'];
  const answers: PluginAnswer[] = [
    response('Image', minutes(1)),
    response('Registry', minutes(3)),
    response('Global', minutes(2)),
    response('Registry', undefined),
    response('Image', 0n),
    response('', minutes(1)),
    { ok: false, error: 'boom' },
    response('Image', 1n),
    response('Global', -minutes(1)),
    response('Image', minutes(20), { k: { username: 'u', password: 'token-of-pod-uid-1' } }),
  ];
  const step = fc.oneof(
    fc.record({ kind: fc.constant('pull' as const), image: fc.constantFrom(...images), pod: fc.integer({ min: 0, max: 3 }), sa: fc.constantFrom('', 'service-account-name', 'ghost') }),
    fc.record({ kind: fc.constant('answer' as const), which: fc.nat(), answer: fc.integer({ min: 0, max: answers.length - 1 }) }),
    fc.record({ kind: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 20 * M })) }),
  );
  const setup = fc.record({
    version: fc.constantFrom<CredentialKubeletVersion>('1.33', '1.34'),
    mode: fc.constantFrom('plain', 'ServiceAccount', 'Token', 'optional'),
    defaultMinutes: fc.constantFrom(0, 5),
  });

  test('random pull sequences never throw; a hit only when a live entry existed under one of the three keys', () => {
    fc.assert(
      fc.property(setup, fc.array(step, { maxLength: 60 }), (s, steps) => {
        const config =
          s.mode === 'plain'
            ? providerConfig({ defaultCacheDuration: minutes(s.defaultMinutes) })
            : s.mode === 'optional'
              ? saProvider('ServiceAccount', { requireServiceAccount: false, requiredServiceAccountAnnotationKeys: [] })
              : saProvider(s.mode);
        const h = harness(config, s.version);
        h.tokenFor = (p) => ({ ok: true, token: `token-of-${p.podUID}` });
        const inFlight: string[] = [];
        for (const st of steps) {
          if (st.kind === 'wait') h.clock.advance(st.ms);
          else if (st.kind === 'answer') {
            if (inFlight.length === 0) continue;
            const fk = inFlight.splice(st.which % inFlight.length, 1)[0] as string;
            const results = h.provider.finish(fk, answers[st.answer] as PluginAnswer);
            assert.ok(results.length >= 1);
            for (const r of results) assert.equal(r.joined, results.length);
          } else {
            const p = pod(st.image, st.pod, st.sa);
            const before = h.provider.entries();
            const now = h.clock.now();
            const prepared = h.provider.prepare(p, h.env);
            if (prepared.kind === 'exec') {
              if (prepared.leader) {
                assert.ok(!inFlight.includes(prepared.flightKey));
                inFlight.push(prepared.flightKey);
              } else assert.ok(inFlight.includes(prepared.flightKey));
              continue;
            }
            const r = prepared.result;
            if (r.outcome !== 'hit') {
              if (r.outcome !== 'notMatched' && r.outcome !== 'noServiceAccount' && r.outcome !== 'serviceAccountNotFound') assert.fail(`unexpected ${r.outcome}`);
              assert.deepEqual(r.config, {});
              continue;
            }
            assert.ok(r.hit !== undefined);
            assert.ok(r.hit.expiresAt >= now, 'not expired');
            // The key is str(base) str(sa): the base must be one of the pull's three candidates.
            const baseLength = (r.hit.key.charCodeAt(0) << 8) | r.hit.key.charCodeAt(1);
            const base = r.hit.key.slice(2, 2 + baseLength);
            assert.ok([p.image, parseRegistry(p.image), globalCacheKey(s.version)].includes(base), 'the hit key is one of the three candidates');
            assert.equal(base, r.hit.baseKey);
            if (s.mode === 'plain' || st.sa === '') assert.equal(r.hit.key, key(base), 'no SA part without an SA');
            assert.ok(before.some((e) => e.key === r.hit?.key && e.expiresAt >= now), 'it existed, live, before the pull');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test('in plain mode, a pull hits iff a live entry exists under its image, registry or global key', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const h = harness(providerConfig());
        const inFlight: string[] = [];
        for (const st of steps) {
          if (st.kind === 'wait') h.clock.advance(st.ms);
          else if (st.kind === 'answer') {
            if (inFlight.length === 0) continue;
            h.provider.finish(inFlight.splice(st.which % inFlight.length, 1)[0] as string, answers[st.answer] as PluginAnswer);
          } else {
            const p = pod(st.image, st.pod, '');
            const now = h.clock.now();
            const live = new Set(h.provider.entries().filter((e) => now <= e.expiresAt).map((e) => e.key));
            const expected = [p.image, parseRegistry(p.image), globalCacheKey('1.34')].some((b) => live.has(key(b)));
            const prepared = h.provider.prepare(p, h.env);
            if (prepared.kind === 'done' && prepared.result.outcome === 'notMatched') continue;
            assert.equal(prepared.kind === 'done' && prepared.result.outcome === 'hit', expected);
            if (prepared.kind === 'exec' && prepared.leader) inFlight.push(prepared.flightKey);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
