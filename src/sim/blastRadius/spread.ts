/** Lowest, median and highest of a sample (the result's Spread). */
import type { Spread } from './blastRadiusResult';

/** The spread of the first `count` values (all by default); undefined when there are none. */
export function spreadOf(values: ArrayLike<number>, count = values.length): Spread | undefined {
  if (count <= 0) return undefined;
  const sorted = Float64Array.from({ length: count }, (_, i) => values[i] as number).sort();
  const mid = count >> 1;
  const median = count % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[count - 1] as number };
}

/** spreadOf, with 0s for an empty sample (counts over runs). */
export function spreadOrZero(values: ArrayLike<number>, count = values.length): Spread {
  return spreadOf(values, count) ?? { min: 0, median: 0, max: 0 };
}
