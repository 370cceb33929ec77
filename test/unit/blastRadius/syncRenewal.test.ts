import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createStream } from '../../../src/sim/random';
import { jitteredInterval } from '../../../src/sim/kubelet/podWorker';
import { maxSyncInterval, SKIP_MIN_INTERVALS, SyncRenewal } from '../../../src/sim/blastRadius/syncRenewal';

/** Two-sample Kolmogorov–Smirnov statistic of integer samples. */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  a.sort();
  b.sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i] as number, b[j] as number);
    while (i < a.length && (a[i] as number) <= x) i++;
    while (j < b.length && (b[j] as number) <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

describe('re-sync renewal (blast radius dead-time skip)', () => {
  test('the longest interval is jitteredInterval(base, U → 1): 89.999 s for 1 min, 14.999 s for 10 s', () => {
    const justBelowOne = 1 - 2 ** -32;
    for (const base of [60_000, 10_000, 1001, 7, 1]) assert.equal(maxSyncInterval(base), jitteredInterval(base, justBelowOne), `base ${base}`);
    assert.equal(maxSyncInterval(60_000), 89_999);
    assert.equal(new SyncRenewal(60_000).skipDistance, SKIP_MIN_INTERVALS * 89_999);
  });

  test('interval() is the pod worker rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (base, u) => {
        assert.equal(new SyncRenewal(base).interval(u), jitteredInterval(base, u));
      }),
    );
  });

  test('the mean interval: a + (m − 1)/2 for even bases', () => {
    assert.equal(new SyncRenewal(60_000).mean, 60_000 + 29_999 / 2);
    assert.equal(new SyncRenewal(10_000).mean, 10_000 + 4_999 / 2);
  });

  test('excess() follows P(E = e) = P(X ≥ e)/μ exactly, even and odd bases', () => {
    for (const base of [10, 11, 4, 3, 1, 2]) {
      const r = new SyncRenewal(base);
      // P(X ≥ e) by enumerating the jitter on a fine grid of U.
      const grid = 200_000;
      const intervals = new Map<number, number>();
      for (let i = 0; i < grid; i++) {
        const x = jitteredInterval(base, (i + 0.5) / grid);
        intervals.set(x, (intervals.get(x) ?? 0) + 1 / grid);
      }
      const survival = (e: number): number => [...intervals].filter(([x]) => x >= e).reduce((s, [, p]) => s + p, 0);
      const mean = [...intervals].reduce((s, [x, p]) => s + x * p, 0);
      assert.ok(Math.abs(mean - r.mean) < 1e-4, `mean for base ${base}: ${mean} vs ${r.mean}`);
      const counts = new Map<number, number>();
      for (let i = 0; i < grid; i++) {
        const e = r.excess((i + 0.5) / grid);
        counts.set(e, (counts.get(e) ?? 0) + 1 / grid);
      }
      const maxX = Math.max(...intervals.keys());
      for (let e = 1; e <= maxX; e++) {
        const want = survival(e) / mean;
        const got = counts.get(e) ?? 0;
        assert.ok(Math.abs(got - want) < 1e-4, `base ${base}, e = ${e}: ${got} vs ${want}`);
      }
      for (const e of counts.keys()) assert.ok(e >= 1 && e <= maxX, `base ${base}: excess ${e} out of range`);
    }
  });

  test('excess() stays in 1 … max interval for any u', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (base, u) => {
        const r = new SyncRenewal(base);
        const e = r.excess(u);
        assert.ok(Number.isInteger(e) && e >= 1 && e <= r.maxInterval, `base ${base}, u ${u}: ${e}`);
      }),
    );
  });

  for (const base of [60_000, 10_000]) {
    test(`the first sync after L, stepped from a sync 32 maximum intervals before vs drawn from the stationary law (${base / 1000} s): two-sample KS at 0.1 %`, () => {
      const r = new SyncRenewal(base);
      const n = 20_000;
      const L = r.skipDistance;
      const stepped = new Float64Array(n);
      const drawn = new Float64Array(n);
      const a = createStream(12_345, `ks/stepped/${base}`);
      const b = createStream(12_345, `ks/drawn/${base}`);
      for (let i = 0; i < n; i++) {
        let t = 0;
        while (t <= L) t += jitteredInterval(base, a.float());
        stepped[i] = t - L;
        drawn[i] = r.firstSyncAfter(L, b) - L;
      }
      const d = ksStatistic(stepped.slice(), drawn.slice());
      // c(0.001) = sqrt(−ln(0.0005)/2) ≈ 1.949; D_crit = c·sqrt((n + n)/(n·n)).
      const critical = Math.sqrt(-Math.log(0.0005) / 2) * Math.sqrt(2 / n);
      assert.ok(d < critical, `D = ${d.toFixed(5)} ≥ ${critical.toFixed(5)}`);
      // The walk the analysis uses for short gaps lands on the same law as stepping by hand.
      const c = createStream(12_345, `ks/stepped/${base}`);
      for (let i = 0; i < 200; i++) assert.equal(c.jitteredWalk(0, L, Infinity, 0, base, 0.5 * base) - L, stepped[i]);
    });
  }
});
