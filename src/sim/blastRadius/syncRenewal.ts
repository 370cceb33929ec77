/**
 * A pod worker's re-syncs as a renewal process, and the skip the blast-radius analysis takes over
 * dead time. While nothing but the re-queue draw happens at a sync, the syncs are a renewal process
 * with intervals X = jitteredInterval(base, U) (podWorker.ts): X = a + floor(U·h) with a = base and
 * h = 0.5·base, i.e. uniform on the integers {a, …, a+m−1} ms for m = h (an integer for even bases).
 *
 * Far enough from the last exactly known sync, the first sync strictly after an instant L is L + E
 * with E the stationary forward recurrence ("excess") of that process:
 *   P(E = e) = P(X ≥ e) / μ for e ≥ 1, μ = E[X] = a + (m−1)/2,
 * i.e. uniform on 1..a with total mass a/μ, then linearly decreasing on a+1 … a+m−1.
 *
 * How far is far enough: the law of the phase after n intervals differs from the stationary one by
 * terms of the characteristic function of X, whose modulus is |sinc(π·m/μ)| per interval. For the
 * default 1 min sync (a = 60 s, m = 30 s, μ ≈ 74.9995 s) that is |sin(0.4π)/(0.4π)| ≈ 0.757, so after
 * n = 32 intervals the deviation is 0.757^32 ≈ 1.4·10⁻⁴ (< 2·10⁻⁴); the 10 s failed-sync base has the
 * same ratio m/μ and the same bound. We therefore skip only when L is at least SKIP_MIN_INTERVALS
 * maximum intervals away (at least that many intervals surely pass), and step sync by sync otherwise.
 * test/unit/blastRadius/syncRenewal.test.ts compares both ways with a two-sample Kolmogorov–Smirnov test.
 */
import type { RandomSource } from '../random';
import { SYNC_JITTER_FACTOR, jitteredInterval } from '../kubelet/podWorker';

/** Skip only over at least this many maximum re-sync intervals (see above). */
export const SKIP_MIN_INTERVALS = 32;

/** The longest re-sync interval for a base: jitteredInterval(base, U → 1). */
export function maxSyncInterval(baseMs: number): number {
  // jitteredInterval(base, u) = base + floor(u·0.5·base), U < 1: the largest value is taken just below 1.
  return jitteredInterval(baseMs, 1) - (Number.isInteger(SYNC_JITTER_FACTOR * baseMs) ? 1 : 0);
}

/** The laws of one base, computed once. */
export class SyncRenewal {
  /** a: the shortest interval. */
  readonly base: number;
  /** h = 0.5·base: floor(U·h) is the jitter added to the base. */
  private readonly h: number;
  /** The number of jitter values: ceil(h). */
  private readonly values: number;
  /** μ = E[X]. */
  readonly mean: number;
  readonly maxInterval: number;
  /** Skip when the next moment is at least this far: SKIP_MIN_INTERVALS maximum intervals. */
  readonly skipDistance: number;

  constructor(baseMs: number) {
    this.base = baseMs;
    this.h = SYNC_JITTER_FACTOR * baseMs;
    this.values = Math.max(1, Math.ceil(this.h));
    // E[floor(U·h)] = Σ_{j=1}^{values−1} P(floor(U·h) ≥ j) = Σ (h − j)/h.
    const n = this.values - 1;
    this.mean = baseMs + (n * this.h - (n * (n + 1)) / 2) / this.h;
    this.maxInterval = maxSyncInterval(baseMs);
    this.skipDistance = SKIP_MIN_INTERVALS * this.maxInterval;
  }

  /** One re-queue delay (the pod worker's own rule). */
  interval(u: number): number {
    return jitteredInterval(this.base, u);
  }

  /**
   * The stationary excess E ≥ 1 (ms) for a uniform u in [0, 1): the first sync strictly after L is
   * L + E. Inversion of the CDF above, exact for even bases (odd ones differ by < 1/h of one value).
   */
  excess(u: number): number {
    const a = this.base;
    const v = u * this.mean;
    // Flat part: e = 1 … a, each with mass 1/μ.
    if (v < a) return Math.floor(v) + 1;
    // Decreasing part: e = a + j, j = 1 … values−1, mass (h − j)/(h·μ); cumulative C(J) = J − J(J+1)/(2h).
    const r = v - a;
    const h = this.h;
    const top = this.values - 1;
    if (top < 1) return a;
    const cum = (j: number): number => j - (j * (j + 1)) / (2 * h);
    // Smallest J with C(J) > r, from the quadratic's root, corrected for rounding.
    const disc = (2 * h - 1) * (2 * h - 1) - 8 * h * r;
    let j = Math.ceil(((2 * h - 1) - Math.sqrt(Math.max(0, disc))) / 2);
    j = Math.min(top, Math.max(1, j));
    while (j > 1 && cum(j - 1) > r) j--;
    while (j < top && !(cum(j) > r)) j++;
    return a + j;
  }

  /** The first sync strictly after `after`, drawn from the stationary law (one draw). */
  firstSyncAfter(after: number, random: RandomSource): number {
    return after + this.excess(random.float());
  }
}
