import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sim/clock';
import { CACHE_PURGE_INTERVAL_MS, PluginCache, type CacheEntryView } from '../../../src/sim/credentialProvider/pluginCache';
import { generateCacheKey, generateServiceAccountCacheKey } from '../../../src/sim/credentialProvider/cacheKeys';
import type { PluginCacheKeyType } from '../../../src/sim/credentialProvider/config';

const T0 = Date.UTC(2025, 5, 1);
const S = 1000;
const M = 60 * S;

function k(base: string, sa = ''): string {
  const r = generateCacheKey(base, sa);
  assert.ok(r.ok);
  return r.key;
}

function entry(base: string, expiresAt: number, storedAt = T0, sa = '', keyType: PluginCacheKeyType = 'Image'): CacheEntryView {
  return { key: k(base, sa), baseKey: base, keyType, expiresAt, storedAt };
}

const creds = (name: string) => ({ [name]: { username: `user-${name}`, password: `pass-${name}` } });

function setup() {
  const clock = new ManualClock(T0);
  return { clock, cache: new PluginCache(clock, '1.34') };
}

describe('plugin cache (SPEC B.5)', () => {
  test('replays Test_getCachedCredentials: live hit, expired read removes only itself, purge after 15 min removes the rest', () => {
    const { clock, cache } = setup();
    // Keys as upstream's test writes them: "\x00\x06image1\x00\x00".
    assert.equal(k('image1'), '\x00\x06image1\x00\x00');
    cache.add(entry('image1', T0 + 1 * M), creds('image1'));
    clock.advance(1 * S);
    let r = cache.lookup('image1', '');
    assert.ok(r.ok && r.hit);
    assert.deepEqual(r.hit.credentials, creds('image1'));
    assert.equal(cache.size, 1);

    cache.add(entry('image2', T0), creds('image2'));
    clock.advance(2 * M);
    r = cache.lookup('image2', '');
    assert.ok(r.ok && r.hit === undefined);
    assert.deepEqual(r.housekeeping.expiredOnRead.map((e) => e.baseKey), ['image2']);
    assert.deepEqual(r.housekeeping.purged, []);
    // image1 expired too but nobody read it: it lingers.
    assert.deepEqual(cache.entries().map((e) => e.baseKey), ['image1']);

    cache.add(entry('image3', T0 + 2 * M), creds('image3'));
    clock.advance(18 * M);
    r = cache.lookup('random', '');
    assert.ok(r.ok && r.hit === undefined);
    assert.deepEqual(r.housekeeping.purged.map((e) => e.baseKey), ['image1', 'image3']);
    assert.equal(cache.size, 0);
    assert.equal(cache.lastPurge, clock.now());
  });

  test('the same with a service-account key part', () => {
    const { clock, cache } = setup();
    const saKey = generateServiceAccountCacheKey({ namespace: 'namespace', name: 'serviceAccountName', uid: 'service-account-uid', annotations: { 'prefix.io/annotation-1': 'value1', 'prefix.io/annotation-2': 'value2' } });
    assert.ok(saKey.ok);
    cache.add(entry('image1', T0 + M, T0, saKey.key), creds('image1'));
    clock.advance(S);
    assert.ok(cache.lookup('image1', saKey.key).ok);
    const hit = cache.lookup('image1', saKey.key);
    assert.ok(hit.ok && hit.hit !== undefined);
    // Without the SA part the same image is another key.
    const other = cache.lookup('image1', '');
    assert.ok(other.ok && other.hit === undefined);
  });

  test('expiry is strict: live at expiresAt, gone 1 ms later', () => {
    const { clock, cache } = setup();
    cache.add(entry('img', T0 + M), creds('img'));
    clock.set(T0 + M);
    let r = cache.lookup('img', '');
    assert.ok(r.ok && r.hit !== undefined);
    assert.equal(cache.isExpired(r.hit.entry), false);
    clock.set(T0 + M + 1);
    r = cache.lookup('img', '');
    assert.ok(r.ok && r.hit === undefined);
    assert.equal(r.housekeeping.expiredOnRead.length, 1);
    assert.equal(cache.size, 0);
  });

  test('the purge runs strictly after lastPurge + 15 min, then restarts its interval', () => {
    const { clock, cache } = setup();
    assert.equal(CACHE_PURGE_INTERVAL_MS, 15 * M);
    cache.add(entry('old', T0 + S), creds('old'));
    clock.set(T0 + 15 * M);
    let r = cache.lookup('other', '');
    assert.deepEqual(r.housekeeping.purged, [], 'not at exactly 15 min');
    assert.equal(cache.lastPurge, T0);
    assert.equal(cache.size, 1, 'the expired entry lingers');
    clock.set(T0 + 15 * M + 1);
    r = cache.lookup('other', '');
    assert.deepEqual(r.housekeeping.purged.map((e) => e.baseKey), ['old']);
    assert.equal(cache.lastPurge, T0 + 15 * M + 1);
    // The next one is measured from this purge.
    cache.add(entry('old2', T0 + 16 * M), creds('old2'));
    clock.set(T0 + 30 * M + 1);
    assert.deepEqual(cache.lookup('other', '').housekeeping.purged, []);
    clock.set(T0 + 30 * M + 2);
    assert.deepEqual(cache.lookup('other', '').housekeeping.purged.map((e) => e.baseKey), ['old2']);
  });

  test('the purge keeps live entries and runs before the reads (a purged entry is not also "expired on read")', () => {
    const { clock, cache } = setup();
    cache.add(entry('reg.io/a', T0 + M), creds('a'));
    cache.add(entry('reg.io/live', T0 + 60 * M), creds('live'));
    clock.set(T0 + 20 * M);
    const r = cache.lookup('reg.io/a', '');
    assert.deepEqual(r.housekeeping.purged.map((e) => e.baseKey), ['reg.io/a']);
    assert.deepEqual(r.housekeeping.expiredOnRead, []);
    assert.deepEqual(cache.entries().map((e) => e.baseKey), ['reg.io/live']);
  });

  test('lookup order: image, then registry, then global; the first live one wins', () => {
    const { clock, cache } = setup();
    cache.add(entry('<global>', T0 + M, T0, '', 'Global'), creds('global'));
    let r = cache.lookup('reg.io/app:1', '');
    assert.ok(r.ok && r.hit);
    assert.equal(r.hit.via, 'global');
    cache.add(entry('reg.io', T0 + M, T0, '', 'Registry'), creds('registry'));
    r = cache.lookup('reg.io/app:1', '');
    assert.ok(r.ok && r.hit);
    assert.equal(r.hit.via, 'registry');
    cache.add(entry('reg.io/app:1', T0 + 2 * M, T0, '', 'Image'), creds('image'));
    r = cache.lookup('reg.io/app:1', '');
    assert.ok(r.ok && r.hit);
    assert.equal(r.hit.via, 'image');
    // When the image entry has expired, the read removes it and falls through to the registry one…
    cache.add(entry('reg.io/app:1', T0 + M / 2, T0, '', 'Image'), creds('image'));
    clock.set(T0 + M / 2 + 1);
    r = cache.lookup('reg.io/app:1', '');
    assert.ok(r.ok && r.hit);
    assert.equal(r.hit.via, 'registry');
    assert.deepEqual(r.housekeeping.expiredOnRead.map((e) => e.baseKey), ['reg.io/app:1']);
    // …and the global entry (not read, since registry hit first) is untouched.
    assert.equal(cache.entries().length, 2);
  });

  test('1.33 looks the global entry up under "global"', () => {
    const clock = new ManualClock(T0);
    const cache = new PluginCache(clock, '1.33');
    cache.add(entry('global', T0 + M, T0, '', 'Global'), creds('g'));
    const r = cache.lookup('reg.io/x', '');
    assert.ok(r.ok && r.hit);
    assert.equal(r.hit.via, 'global');
  });

  test('add replaces an entry with the same key', () => {
    const { cache } = setup();
    cache.add(entry('img', T0 + M), creds('first'));
    cache.add(entry('img', T0 + 2 * M), creds('second'));
    assert.equal(cache.size, 1);
    const r = cache.lookup('img', '');
    assert.ok(r.ok && r.hit);
    assert.deepEqual(r.hit.credentials, creds('second'));
    assert.equal(r.hit.entry.expiresAt, T0 + 2 * M);
  });

  test('a key that cannot be built is an error, after the purge', () => {
    const { clock, cache } = setup();
    cache.add(entry('old', T0), creds('old'));
    clock.set(T0 + 16 * M);
    const r = cache.lookup('x'.repeat(70000), '');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.startsWith('error generating cache key: cryptobyte: pending child length 70000'));
    assert.equal(r.housekeeping.purged.length, 1);
  });
});
