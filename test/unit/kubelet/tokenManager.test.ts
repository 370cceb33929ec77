import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../../../src/sim/clock';
import {
  TokenManager,
  keyFunc,
  refreshWindow,
  type GetToken,
  type KubeletVersion,
} from '../../../src/sim/kubelet/tokenManager';
import type { IssuedTokenRequest, TokenRequest, TokenRequestResult } from '../../../src/sim/apiserver/tokenRequest';
import { TokenIssuer } from '../../../src/sim/apiserver/tokenIssuer';
import { createStream } from '../../../src/sim/random';

const S = 1000;
const T0 = Date.UTC(2025, 0, 1);

/** A random source that returns the queued values (then `fallback`) and counts draws. */
function queued(values: number[] = [], fallback = 0): { float(): number; draws: number } {
  const q = [...values];
  return {
    draws: 0,
    float() {
      this.draws++;
      return q.length > 0 ? (q.shift() as number) : fallback;
    },
  };
}

function response(es: number | undefined, exp: number, uid = 'pod-uid', token = 'tok'): IssuedTokenRequest {
  return {
    spec: { ...(es === undefined ? {} : { expirationSeconds: es }), boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid } },
    status: { token, expirationTimestamp: exp },
  };
}

function request(es: number | undefined = 600, uid = 'pod-uid'): TokenRequest {
  return { spec: { ...(es === undefined ? {} : { expirationSeconds: es }), boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid } } };
}

interface Harness {
  clock: ManualClock;
  random: ReturnType<typeof queued>;
  manager: TokenManager;
  calls: number;
  next: (tr: TokenRequest) => TokenRequestResult;
}

/** A manager whose getToken issues `es`-second tokens at the clock's time (or fails via `next`). */
function harness(version: KubeletVersion = '1.34', values: number[] = []): Harness {
  const clock = new ManualClock(T0);
  const random = queued(values);
  const h: Harness = {
    clock,
    random,
    calls: 0,
    next: (tr) => ({ ok: true, response: response(tr.spec.expirationSeconds ?? 3600, clock.now() + (tr.spec.expirationSeconds ?? 3600) * S, tr.spec.boundObjectRef?.uid, `tok-${clock.now()}`) }),
    manager: undefined as unknown as TokenManager,
  };
  const getToken: GetToken = (_name, _ns, tr) => {
    h.calls++;
    return h.next(tr);
  };
  h.manager = new TokenManager({ clock, random, getToken, version });
  return h;
}

describe('keyFunc (SPEC A.2)', () => {
  const tr: TokenRequest = {
    spec: { audiences: ['foo1', 'foo2'], expirationSeconds: 2000, boundObjectRef: { kind: 'pod', name: 'foo-pod', uid: 'foo-uid' } },
  };

  test('renders %q/%q/%#v/%#v/%#v of (name, namespace, audiences, exp, ref)', () => {
    assert.equal(
      keyFunc('foo-sa', 'foo-ns', tr, '1.20'),
      '"foo-sa"/"foo-ns"/[]string{"foo1", "foo2"}/2000/v1.BoundObjectReference{Kind:"pod", APIVersion:"", Name:"foo-pod", UID:"foo-uid"}',
    );
  });

  test('audience order matters', () => {
    const swapped = { spec: { ...tr.spec, audiences: ['foo2', 'foo1'] } };
    assert.notEqual(keyFunc('sa', 'ns', tr), keyFunc('sa', 'ns', swapped));
  });

  test('nil and empty audiences are different keys', () => {
    const nil = keyFunc('sa', 'ns', { spec: { expirationSeconds: 600 } });
    const empty = keyFunc('sa', 'ns', { spec: { audiences: [], expirationSeconds: 600 } });
    assert.notEqual(nil, empty);
    assert.match(nil, /\[\]string\(nil\)/);
    assert.match(empty, /\[\]string\{\}/);
  });

  test('nil expirationSeconds and 0 are the same key', () => {
    assert.equal(keyFunc('sa', 'ns', { spec: {} }), keyFunc('sa', 'ns', { spec: { expirationSeconds: 0 } }));
  });

  test('a nil bound ref renders as the all-empty struct', () => {
    assert.equal(keyFunc('sa', 'ns', { spec: {} }, '1.20'), '"sa"/"ns"/[]string(nil)/0/v1.BoundObjectReference{Kind:"", APIVersion:"", Name:"", UID:""}');
    assert.equal(keyFunc('sa', 'ns', { spec: {} }), keyFunc('sa', 'ns', { spec: { boundObjectRef: {} } }));
  });

  test('name comes before namespace, and strings are Go-quoted', () => {
    assert.notEqual(keyFunc('a', 'b', tr), keyFunc('b', 'a', tr));
    assert.ok(keyFunc('we"ird\n', 'ns', tr, '1.20').startsWith('"we\\"ird\\n"/"ns"/'));
  });

  test('getServiceAccountToken(namespace, name) keys by (name, namespace)', () => {
    const h = harness();
    const r = h.manager.getServiceAccountToken('the-ns', 'the-sa', request());
    assert.ok(r.key.startsWith('"the-sa"/"the-ns"/'));
  });

  test('1.34+: the service-account UID (metadata.uid) is part of the key; earlier versions ignore it', () => {
    const a: TokenRequest = { metadata: { uid: 'sa-1' }, spec: tr.spec };
    const b: TokenRequest = { metadata: { uid: 'sa-2' }, spec: tr.spec };
    const none: TokenRequest = { spec: tr.spec };
    const empty: TokenRequest = { metadata: { uid: '' }, spec: tr.spec };
    assert.notEqual(keyFunc('sa', 'ns', a, '1.34'), keyFunc('sa', 'ns', b, '1.34'));
    assert.equal(keyFunc('sa', 'ns', a, '1.34'), keyFunc('sa', 'ns', { metadata: { uid: 'sa-1' }, spec: tr.spec }, '1.34'));
    // Empty UID matches only other empty-UID requests.
    assert.equal(keyFunc('sa', 'ns', none, '1.34'), keyFunc('sa', 'ns', empty, '1.34'));
    assert.notEqual(keyFunc('sa', 'ns', none, '1.34'), keyFunc('sa', 'ns', a, '1.34'));
    for (const v of ['1.19', '1.20'] as const) assert.equal(keyFunc('sa', 'ns', a, v), keyFunc('sa', 'ns', b, v));
  });
});

describe('requiresRefresh (SPEC A.5)', () => {
  /** Manager at `iat + offsetMs` holding a response with ES seconds issued at iat = T0. */
  function at(es: number | undefined, offsetMs: number, values: number[] = [], version: KubeletVersion = '1.34') {
    const h = harness(version, values);
    h.clock.set(T0 + offsetMs);
    return { h, tr: response(es, T0 + (es ?? 3600) * S) };
  }

  test('ES=600 with jitter 0: no refresh at exactly iat+480 s, refresh 1 ms later (strict)', () => {
    const a = at(600, 480 * S, [0]);
    assert.equal(a.h.manager.requiresRefresh(a.tr), false);
    const b = at(600, 480 * S + 1, [0]);
    assert.equal(b.h.manager.requiresRefresh(b.tr), true);
  });

  test('ES=600 with jitter 9: no refresh at iat+471 s, refresh 1 ms later', () => {
    const a = at(600, 471 * S, [0.99]);
    assert.equal(a.h.manager.requiresRefresh(a.tr), false);
    const b = at(600, 471 * S + 1, [0.99]);
    assert.equal(b.h.manager.requiresRefresh(b.tr), true);
  });

  test('jitter is trunc(U·10): whole seconds 0..9, subtracted', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => {
        const a = at(3600, 0, [u]);
        const c = a.h.manager.checkRefresh(a.tr);
        assert.ok(Number.isInteger(c.jitterSeconds) && c.jitterSeconds >= 0 && c.jitterSeconds <= 9);
        assert.equal(c.jitterSeconds, Math.trunc(u * 10));
      }),
    );
  });

  test('a new jitter is drawn on every call (1.20+), none for nil ES, none before 1.20', () => {
    const a = at(3600, 0, [0.1, 0.5, 0.9]);
    assert.deepEqual([1, 2, 3].map(() => a.h.manager.checkRefresh(a.tr).jitterSeconds), [1, 5, 9]);
    assert.equal(a.h.random.draws, 3);
    const nil = at(undefined, 0);
    nil.h.manager.requiresRefresh(nil.tr);
    assert.equal(nil.h.random.draws, 0);
    const old = at(600, 480 * S + 1, [], '1.19');
    assert.equal(old.h.manager.requiresRefresh(old.tr), true);
    assert.equal(old.h.random.draws, 0);
  });

  test('1.19 has no jitter: not at the threshold, only after it', () => {
    const a = at(3600, 2880 * S, [], '1.19');
    assert.equal(a.h.manager.requiresRefresh(a.tr), false);
    const b = at(3600, 2880 * S - 9 * S + 1, [0.99], '1.19');
    assert.equal(b.h.manager.requiresRefresh(b.tr), false);
  });

  test('nil expirationSeconds: never refresh, even long after expiry', () => {
    const a = at(undefined, 100 * 3600 * S, [0]);
    const c = a.h.manager.checkRefresh(a.tr);
    assert.equal(c.refresh, false);
    assert.equal(c.rule, 'nilExpiration');
  });

  test('ES=144000 (40 h): the 24 h rule fires at iat+86400 s, long before 80 %', () => {
    const a = at(144_000, 86_400 * S, [0]);
    assert.equal(a.h.manager.requiresRefresh(a.tr), false);
    const b = at(144_000, 86_400 * S + 1, [0]);
    const c = b.h.manager.checkRefresh(b.tr);
    assert.equal(c.refresh, true);
    assert.equal(c.rule, '24h');
    // The same draw serves both rules: jitter 5 moves the 24 h threshold by 5 s.
    const d = at(144_000, 86_395 * S + 1, [0.55]);
    assert.deepEqual([d.h.manager.requiresRefresh(d.tr), d.h.random.draws], [true, 1]);
  });

  test('worked numbers of SPEC A.5 (threshold with jitter 0 and 9)', () => {
    const table: [number, number, number][] = [
      [600, 480, 471],
      [3600, 2880, 2871],
      [3607, 2886, 2877],
      [86_400, 69_120, 69_111],
      [144_000, 86_400, 86_391],
    ];
    for (const [es, j0, j9] of table) {
      for (const [u, s] of [
        [0, j0],
        [0.9, j9],
      ] as const) {
        const before = at(es, s * S, [u]);
        const after = at(es, s * S + 1, [u]);
        assert.equal(before.h.manager.requiresRefresh(before.tr), false, `ES=${es} U=${u} at ${s} s`);
        assert.equal(after.h.manager.requiresRefresh(after.tr), true, `ES=${es} U=${u} after ${s} s`);
      }
      const w = refreshWindow(es, T0 + es * S);
      assert.equal(w.latest, T0 + j0 * S);
      assert.equal(w.earliest, T0 + j9 * S);
    }
  });

  test('property: refresh ⇔ now > min(iat + 24h, exp − floor(ES·20/100)) − trunc(U·10) s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 600, max: 2 ** 32 }), fc.integer({ min: 0, max: 200_000_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (es, off, u) => {
        const a = at(es, off, [u]);
        const iat = T0;
        const exp = T0 + es * S;
        const threshold = Math.min(iat + 86_400 * S, exp - Math.floor((es * 20) / 100) * S) - Math.trunc(u * 10) * S;
        assert.equal(a.h.manager.requiresRefresh(a.tr), T0 + off > threshold);
      }),
    );
  });
});

describe('expired (SPEC A.4)', () => {
  test('strict: not expired at exactly the expiration instant', () => {
    const h = harness();
    const tr = response(600, T0 + 600 * S);
    h.clock.set(T0 + 600 * S);
    assert.equal(h.manager.expired(tr), false);
    h.clock.set(T0 + 600 * S + 1);
    assert.equal(h.manager.expired(tr), true);
  });
});

describe('getServiceAccountToken (SPEC A.3)', () => {
  test('fetches when not cached, then serves from the cache without an API call', () => {
    const h = harness('1.34', [0, 0]);
    const first = h.manager.getServiceAccountToken('ns', 'sa', request(3600));
    assert.equal(first.ok && first.via, 'fetched');
    h.clock.advance(60 * S);
    const second = h.manager.getServiceAccountToken('ns', 'sa', request(3600));
    assert.equal(second.ok && second.via, 'cache');
    assert.equal(h.calls, 1);
    assert.ok(first.ok && second.ok && first.token === second.token);
  });

  test('refreshes past the threshold and replaces the cached token', () => {
    const h = harness('1.34', [0]);
    const first = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    h.clock.advance(480 * S + 1);
    const second = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    assert.ok(first.ok && second.ok && second.via === 'fetched' && second.token !== first.token);
    assert.equal(h.manager.peek(second.key), second.ok ? second.token : undefined);
  });

  test('fetch failure when not cached → "failed to fetch token: <err>"; errors are not cached, no backoff', () => {
    const h = harness();
    h.next = () => ({ ok: false, error: 'boom' });
    const r = h.manager.getServiceAccountToken('ns', 'sa', request());
    assert.deepEqual(r.ok ? undefined : [r.via, r.error], ['fetchFailed', 'failed to fetch token: boom']);
    assert.equal(h.manager.size, 0);
    h.manager.getServiceAccountToken('ns', 'sa', request());
    assert.equal(h.calls, 2);
  });

  test('cached, expired, refresh fails → "token <key> expired and refresh failed: <err>"', () => {
    const h = harness('1.34', [0]);
    const first = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    h.clock.advance(600 * S + 1);
    h.next = () => ({ ok: false, error: 'connection refused' });
    const r = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error, `token ${first.key} expired and refresh failed: connection refused`);
  });

  test('cached, still valid, refresh fails → the old token with no error, cache unchanged', () => {
    const h = harness('1.34', [0]);
    const first = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    h.clock.advance(500 * S);
    h.next = () => ({ ok: false, error: 'connection refused' });
    const r = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    assert.ok(first.ok && r.ok && r.via === 'stale' && r.token === first.token && r.apiError === 'connection refused');
    assert.equal(h.manager.peek(first.key), first.ok ? first.token : undefined);
  });

  test('a failed refresh whose answer comes back after the expiry is an error, not a stale serve (expired() at the answer)', () => {
    // 590 s in: the token expires at 600 s; the 503 takes 15 s to come back, so the manager learns of
    // it at 605 s, when the cached token is already expired.
    const h = harness('1.34', [0]);
    const first = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    h.clock.advance(590 * S);
    h.next = () => ({ ok: false, error: 'the server is currently unable to handle the request', latencyMs: 15 * S });
    const late = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    assert.ok(!late.ok && late.via === 'expiredRefreshFailed', JSON.stringify(late));
    assert.equal(late.ok ? '' : late.error, `token ${first.key} expired and refresh failed: the server is currently unable to handle the request`);
    // Back exactly at the expiry instant: not yet expired (strict), so the old token is served.
    h.next = () => ({ ok: false, error: 'slow', latencyMs: 10 * S });
    const atExpiry = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    assert.ok(atExpiry.ok && atExpiry.via === 'stale');
  });

  test('upstream quirk: a cached response without expirationSeconds is served even after it expired', () => {
    const h = harness();
    h.next = () => ({ ok: true, response: response(undefined, h.clock.now() + 600 * S) });
    const first = h.manager.getServiceAccountToken('ns', 'sa', request(undefined));
    h.clock.advance(3600 * S);
    const r = h.manager.getServiceAccountToken('ns', 'sa', request(undefined));
    assert.ok(first.ok && r.ok && r.via === 'cache' && r.token === first.token);
    assert.equal(h.manager.expired(first.ok ? first.token : response(1, 0)), true);
    // … until cleanup drops it (SPEC A.7), after which it is fetched again.
    h.manager.cleanup();
    const again = h.manager.getServiceAccountToken('ns', 'sa', request(undefined));
    assert.equal(again.ok && again.via, 'fetched');
  });

  test('property: with ES set, an ok answer is never an expired token', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ advance: fc.integer({ min: 0, max: 4000 * S }), fail: fc.boolean(), es: fc.constantFrom(600, 700, 3600, 3607), cleanup: fc.boolean() }), { maxLength: 60 }),
        fc.integer(),
        (steps, seed) => {
          const clock = new ManualClock(T0);
          const issuer = new TokenIssuer({ issuer: 'i', audiences: ['i'], maxTokenExpirationSeconds: 0, extendTokenExpiration: true }, clock, createStream(seed, 'issuer'));
          let fail = false;
          const m = new TokenManager({
            clock,
            random: createStream(seed, 'kubelet'),
            getToken: (name, ns, tr) => {
              if (fail) return { ok: false, error: 'down' };
              const r = issuer.createToken(ns, name, tr);
              return r.ok ? { ok: true, response: r.response } : { ok: false, error: r.error };
            },
          });
          for (const s of steps) {
            clock.advance(s.advance);
            fail = s.fail;
            if (s.cleanup) m.cleanup();
            const r = m.getServiceAccountToken('ns', 'sa', request(s.es));
            if (r.ok) assert.ok(!(clock.now() > r.token.status.expirationTimestamp), 'ok answer must not be expired');
            else assert.ok(r.error.length > 0);
          }
        },
      ),
    );
  });
});

describe('deleteServiceAccountToken (SPEC A.6)', () => {
  test('removes every entry bound to the pod UID, keeps others, skips entries without a bound ref', () => {
    const h = harness();
    h.manager.getServiceAccountToken('ns', 'sa', request(600, 'u1'));
    h.manager.getServiceAccountToken('ns', 'sa', { spec: { audiences: ['x'], expirationSeconds: 600, boundObjectRef: { kind: 'Pod', name: 'p', uid: 'u1' } } });
    h.manager.getServiceAccountToken('ns', 'sa', request(600, 'u2'));
    h.next = () => ({ ok: true, response: { spec: { expirationSeconds: 600 }, status: { token: 'unbound', expirationTimestamp: h.clock.now() + 600 * S } } });
    h.manager.getServiceAccountToken('ns', 'sa', { spec: { expirationSeconds: 600 } });
    assert.equal(h.manager.size, 4);
    assert.equal(h.manager.deleteServiceAccountToken('u1').length, 2);
    assert.equal(h.manager.size, 2);
    assert.deepEqual(h.manager.deleteServiceAccountToken('unknown'), []);
    assert.equal(h.manager.size, 2);
  });

  test('matches the cached response’s bound ref, not the request’s', () => {
    const h = harness();
    h.next = () => ({ ok: true, response: response(600, h.clock.now() + 600 * S, 'server-uid') });
    h.manager.getServiceAccountToken('ns', 'sa', request(600, 'request-uid'));
    assert.equal(h.manager.deleteServiceAccountToken('request-uid').length, 0);
    assert.equal(h.manager.deleteServiceAccountToken('server-uid').length, 1);
  });
});

describe('cleanup (SPEC A.7)', () => {
  test('removes only entries with now > expiration (strict)', () => {
    const h = harness();
    const r = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    h.clock.set(T0 + 600 * S);
    assert.deepEqual(h.manager.cleanup(), []);
    h.clock.set(T0 + 600 * S + 1);
    assert.deepEqual(h.manager.cleanup(), [r.key]);
    assert.equal(h.manager.size, 0);
  });

  test('a refreshed entry is not dropped at the old token’s expiry', () => {
    const h = harness('1.34', [0]);
    h.manager.getServiceAccountToken('ns', 'sa', request(600));
    h.clock.set(T0 + 590 * S);
    const r = h.manager.getServiceAccountToken('ns', 'sa', request(600));
    assert.equal(r.ok && r.via, 'fetched');
    h.clock.set(T0 + 700 * S);
    assert.deepEqual(h.manager.cleanup(), []);
    assert.equal(h.manager.size, 1);
  });
});

describe('refreshWindow', () => {
  test('kube-api-access (3607 s): strictly after iat+2877 s … iat+2886 s, 80 % rule', () => {
    const w = refreshWindow(3607, T0 + 3607 * S);
    assert.equal(w.thresholdRule, '80%');
    assert.deepEqual([w.earliest, w.latest, w.issuedAt], [T0 + 2877 * S, T0 + 2886 * S, T0]);
    assert.match(w.why, /SPEC A\.5/);
  });

  test('ES > 30 h uses the 24 h rule; nil ES never refreshes; 1.19 has no jitter', () => {
    assert.equal(refreshWindow(144_000, T0 + 144_000 * S).thresholdRule, '24h');
    assert.equal(refreshWindow(108_000, T0 + 108_000 * S).thresholdRule, '80%');
    const never = refreshWindow(undefined, T0);
    assert.deepEqual([never.thresholdRule, never.earliest, never.latest], ['never', null, null]);
    const old = refreshWindow(600, T0 + 600 * S, '1.19');
    assert.equal(old.earliest, old.latest);
  });
});
