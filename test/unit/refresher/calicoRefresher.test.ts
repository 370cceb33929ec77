import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../../../src/sim/clock';
import { createStream } from '../../../src/sim/random';
import { CalicoRefresher, calicoSleep } from '../../../src/sim/refresher/calicoRefresher';
import { TokenIssuer } from '../../../src/sim/apiserver/tokenIssuer';

const S = 1000;
const H = 3600 * S;
const T0 = Date.UTC(2025, 0, 1);

const u32 = fc.integer({ min: 0, max: 2 ** 24 - 1 }).map((n) => n / 2 ** 24);

describe('Calico getSleepTime (SPEC D.6)', () => {
  test('a fresh 24 h token → base 6 h, sleep in [6 h, 12 h]', () => {
    fc.assert(
      fc.property(u32, (u) => {
        const s = calicoSleep(T0 + 24 * H, T0, u);
        assert.equal(s.rule, 'quarter');
        assert.equal(s.baseMs, 6 * H);
        assert.ok(s.sleepMs >= 6 * H && s.sleepMs <= 12 * H);
      }),
    );
    assert.equal(calicoSleep(T0 + 24 * H, T0, 0).sleepMs, 6 * H);
  });

  test('after a failure (zero time) → base 5 s, sleep in [5 s, 10 s)', () => {
    fc.assert(
      fc.property(u32, (u) => {
        const s = calicoSleep(undefined, T0, u);
        assert.equal(s.rule, 'retry');
        assert.ok(s.sleepMs >= 5 * S && s.sleepMs < 10 * S);
      }),
    );
  });

  test('expiration < now + 20 s (strict) → 5 s; at exactly now + 20 s the quarter applies', () => {
    assert.equal(calicoSleep(T0 + 19_999, T0, 0).rule, 'retry');
    const edge = calicoSleep(T0 + 20 * S, T0, 0);
    assert.deepEqual([edge.rule, edge.baseMs], ['quarter', 5 * S]);
    assert.equal(calicoSleep(T0 + 21 * S, T0, 0).baseMs, 5250);
  });

  test('CNI_TOKEN_REFRESH_INTERVAL replaces the base, but not the 5 s failure rule', () => {
    assert.deepEqual([calicoSleep(T0 + 24 * H, T0, 0, 600 * S).rule, calicoSleep(T0 + 24 * H, T0, 0, 600 * S).baseMs], ['interval', 600 * S]);
    assert.equal(calicoSleep(undefined, T0, 0, 600 * S).baseMs, 5 * S);
  });

  test('float32 arithmetic: jitter = Duration(float32(U) · float32(base ns)), truncated', () => {
    const u = Math.fround(0.7);
    const baseNs = 6 * H * 1e6;
    const expected = Math.floor((baseNs + Math.trunc(Math.fround(u * Math.fround(baseNs)))) / 1e6);
    assert.equal(calicoSleep(T0 + 24 * H, T0, u).sleepMs, expected);
    // float32 rounding shows: the product is not the float64 one.
    assert.notEqual(Math.fround(u * Math.fround(baseNs)), u * baseNs);
  });
});

describe('CalicoRefresher', () => {
  test('requests 86400 s with audiences [] and no bound object; sleeps from the reported expiry', () => {
    const clock = new ManualClock(T0);
    const issuer = new TokenIssuer({ issuer: 'i', audiences: ['i'], maxTokenExpirationSeconds: 0, extendTokenExpiration: true, outages: [{ from: T0 + H, to: T0 + 2 * H }] }, clock, createStream(1, 'i'));
    const seen: unknown[] = [];
    const r = new CalicoRefresher({ namespace: 'calico-system', serviceAccount: 'calico-cni-plugin' }, clock, createStream(1, 'c'), (ns, name, tr) => {
      seen.push(tr);
      const x = issuer.createToken(ns, name, tr);
      return x.ok ? { ok: true, response: x.response } : { ok: false, error: x.error };
    });
    const a = r.attempt();
    assert.deepEqual(seen[0], { spec: { audiences: [], expirationSeconds: 86_400 } });
    assert.equal(a.ok, true);
    assert.ok(a.nextAt - T0 >= 6 * H && a.nextAt - T0 <= 12 * H);
    clock.set(T0 + H);
    const b = r.attempt();
    assert.equal(b.ok, false);
    assert.ok(b.nextAt - clock.now() >= 5 * S && b.nextAt - clock.now() < 10 * S);
  });
});
