import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sim/clock';
import { KeyCache, SimulatedSigner, FALLBACK_REFRESH_MS, type FetchKeysResult, type KeySyncOutcome } from '../../../src/sim/apiserver/keyCache';

const S = 1000;
const T0 = Date.UTC(2025, 0, 1);

function setup(hint = 60, outages: { from: number; to: number }[] = []) {
  const clock = new ManualClock(T0);
  const signer = new SimulatedSigner(clock, hint, outages);
  let fetches = 0;
  const syncs: KeySyncOutcome[] = [];
  const cache = new KeyCache(
    () => {
      fetches++;
      return signer.fetchKeys();
    },
    clock,
    (o) => syncs.push(o),
  );
  return { clock, signer, cache, syncs, fetches: () => fetches };
}

describe('ExternalJWTSigner key cache (SPEC D.5)', () => {
  test('initial fill, then the next sync at fetch time + refreshHintSeconds', () => {
    const { cache } = setup(600);
    const o = cache.initialFill();
    assert.equal(o.ok, true);
    assert.deepEqual(cache.keyIds(), ['key-1']);
    assert.equal(cache.nextScheduledSync, T0 + 600 * S);
  });

  test('a failed sync keeps the old keys and retries every 10 s until it succeeds', () => {
    const { clock, cache, signer } = setup(60, [{ from: T0 + 30 * S, to: T0 + 95 * S }]);
    cache.initialFill();
    signer.rotate();
    clock.set(cache.nextScheduledSync); // T0 + 60 s, inside the outage
    const failed = cache.runScheduledSync();
    assert.equal(failed.ok, false);
    assert.match(failed.error ?? '', /^while fetching token verification keys: while getting externally supported jwt signing keys: rpc error: code = Unavailable/);
    assert.deepEqual(cache.keyIds(), ['key-1']);
    const times: number[] = [];
    while (!cache.has('key-2')) {
      assert.equal(cache.nextScheduledSync, clock.now() + FALLBACK_REFRESH_MS);
      clock.set(cache.nextScheduledSync);
      times.push(clock.now() - T0);
      cache.runScheduledSync();
    }
    assert.deepEqual(times, [70 * S, 80 * S, 90 * S, 100 * S]);
    assert.equal(cache.nextScheduledSync, T0 + 160 * S);
  });

  test('an unknown kid triggers one on-demand sync; a published new key is then found', () => {
    const { clock, cache, signer, fetches } = setup(3600);
    cache.initialFill();
    clock.advance(5 * S);
    signer.rotate();
    const r = cache.getPublicKeys('key-2');
    assert.equal(r.keys.length, 1);
    assert.equal(r.sync?.reason, 'onDemand');
    assert.equal(fetches(), 2);
    // The scheduled timer is not moved by on-demand syncs.
    assert.equal(cache.nextScheduledSync, T0 + 3600 * S);
  });

  test('concurrent lookups at the same instant share one sync (singleflight)', () => {
    const { clock, cache, fetches } = setup(3600);
    cache.initialFill();
    clock.advance(S);
    cache.getPublicKeys('nope-1');
    cache.getPublicKeys('nope-2');
    assert.equal(fetches(), 2);
    clock.advance(1);
    cache.getPublicKeys('nope-3');
    assert.equal(fetches(), 3);
  });

  test('a dropped key: tokens signed with it fail after the next sync, although still cached before it', () => {
    const { clock, cache, signer, syncs } = setup(60);
    cache.initialFill();
    clock.advance(10 * S);
    const { oldKeyId } = signer.rotate();
    signer.drop(oldKeyId);
    assert.equal(cache.getPublicKeys('key-1').keys.length, 1); // cache not synced yet
    clock.set(cache.nextScheduledSync);
    const o = cache.runScheduledSync();
    assert.deepEqual([o.removed, o.added, o.changed], [['key-1'], ['key-2'], true]);
    clock.advance(1);
    const r = cache.getPublicKeys('key-1');
    assert.deepEqual(r.keys, []);
    assert.equal(r.sync?.reason, 'onDemand');
    assert.equal(syncs.at(-1)?.ok, true);
  });

  test('kid "" matches every cached key', () => {
    const { clock, cache, signer } = setup(60);
    signer.rotate();
    cache.initialFill();
    clock.advance(S);
    assert.deepEqual(cache.getPublicKeys('').keys.map((k) => k.keyId), ['key-1', 'key-2']);
  });

  test('invalid FetchKeys responses are rejected as a whole', () => {
    const clock = new ManualClock(T0);
    const bad: FetchKeysResult[] = [
      { ok: true, value: { keys: [{ keyId: 'k' }], refreshHintSeconds: 0, dataTimestamp: T0 } },
      { ok: true, value: { keys: [], refreshHintSeconds: 60, dataTimestamp: T0 } },
      { ok: true, value: { keys: [{ keyId: '' }], refreshHintSeconds: 60, dataTimestamp: T0 } },
      { ok: true, value: { keys: [{ keyId: 'x'.repeat(1025) }], refreshHintSeconds: 60, dataTimestamp: T0 } },
    ];
    const errors = bad.map((b) => new KeyCache(() => b, clock).initialFill().error);
    assert.deepEqual(errors.slice(0, 3), [
      'while fetching token verification keys: found invalid refresh hint (0s)',
      'while fetching token verification keys: found no keys',
      'while fetching token verification keys: found invalid public key id ""',
    ]);
    assert.match(errors[3] ?? '', /found invalid public key id/);
  });

  test('change detection: timestamp, count, or key id / OIDC flag by index', () => {
    const clock = new ManualClock(T0);
    let resp: FetchKeysResult = { ok: true, value: { keys: [{ keyId: 'a' }, { keyId: 'b' }], refreshHintSeconds: 60, dataTimestamp: T0 } };
    const cache = new KeyCache(() => resp, clock);
    assert.equal(cache.initialFill().changed, true);
    clock.advance(S);
    assert.equal(cache.runScheduledSync().changed, false);
    resp = { ok: true, value: { keys: [{ keyId: 'b' }, { keyId: 'a' }], refreshHintSeconds: 60, dataTimestamp: T0 } };
    clock.advance(S);
    assert.equal(cache.runScheduledSync().changed, true);
    resp = { ok: true, value: { keys: [{ keyId: 'b' }, { keyId: 'a', excludeFromOidcDiscovery: true }], refreshHintSeconds: 60, dataTimestamp: T0 } };
    clock.advance(S);
    assert.equal(cache.runScheduledSync().changed, true);
    resp = { ok: true, value: { keys: [{ keyId: 'b' }, { keyId: 'a', excludeFromOidcDiscovery: true }], refreshHintSeconds: 60, dataTimestamp: T0 + 1 } };
    clock.advance(S);
    assert.equal(cache.runScheduledSync().changed, true);
  });
});

describe('SimulatedSigner', () => {
  test('signs with the newest key, never drops the current one, fails FetchKeys during outages', () => {
    const clock = new ManualClock(T0);
    const signer = new SimulatedSigner(clock, 60, [{ from: T0 + S, to: T0 + 2 * S }]);
    assert.deepEqual(signer.rotate(), { oldKeyId: 'key-1', newKeyId: 'key-2' });
    assert.equal(signer.currentKeyId, 'key-2');
    assert.equal(signer.drop('key-2'), false);
    assert.equal(signer.drop('key-1'), true);
    assert.deepEqual(signer.publishedKeyIds(), ['key-2']);
    clock.set(T0 + S);
    assert.equal(signer.fetchKeys().ok, false);
    clock.set(T0 + 2 * S);
    assert.equal(signer.fetchKeys().ok, true);
  });
});
