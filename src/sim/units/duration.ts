/**
 * Go-like durations as written in scenario files: "90s", "48m", "6h", "30d", "1h30m", "500ms".
 * Unlike Go we accept days (scenarios span weeks) and reject fractions and ns/µs, because the
 * virtual clock counts integer milliseconds: every accepted string maps to an exact integer.
 */

/** Milliseconds per unit. Longest unit names first is not needed: the tokenizer tries "ms" before "m". */
export const DURATION_UNITS_MS: Readonly<Record<'d' | 'h' | 'm' | 's' | 'ms', number>> = {
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/**
 * The exact language parseDuration accepts, as published in scenario.schema.json ($defs.duration)
 * and in the extension's settings. A unit test checks the two agree on random strings.
 */
export const DURATION_PATTERN = '^(0|([0-9]+(ms|s|m|h|d))+)$';

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

const EXAMPLES = 'e.g. "90s", "48m", "6h", "30d", "1h30m", "500ms"';
// "ms" must be tried before "m", hence the alternation order.
const COMPONENT = /([0-9]+)(ms|s|m|h|d)/y;

/** Parses a duration to integer milliseconds, with an error that says how to fix the text. */
export function parseDuration(text: string): DurationResult {
  if (text === '') return { ok: false, error: `empty duration: write a number and a unit, ${EXAMPLES}` };
  // Go accepts a bare "0"; a scenario may want "no latency" without a unit.
  if (text === '0') return { ok: true, ms: 0 };
  if (text.startsWith('-')) return { ok: false, error: `negative duration "${text}": durations must be ≥ 0` };
  if (text.startsWith('+')) return { ok: false, error: `unexpected sign in "${text}": write ${EXAMPLES}` };

  let total = 0;
  let at = 0;
  while (at < text.length) {
    COMPONENT.lastIndex = at;
    const m = COMPONENT.exec(text);
    if (m === null) return { ok: false, error: explainFailure(text, at) };
    const [whole, digits = '', unit = ''] = m;
    const perUnit = DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
    total += Number(digits) * perUnit;
    if (!Number.isSafeInteger(total)) return { ok: false, error: `duration "${text}" is too large` };
    at += whole.length;
  }
  return { ok: true, ms: total };
}

/** Why the component starting at `at` does not parse: the most likely mistake first. */
function explainFailure(text: string, at: number): string {
  const rest = text.slice(at);
  const num = /^[0-9]*/.exec(rest)?.[0] ?? '';
  const after = rest.slice(num.length);
  if (num === '') {
    return `expected a number at "${rest}" in duration "${text}" (${EXAMPLES})`;
  }
  if (after === '') return `missing unit after "${num}" in duration "${text}": add one of ms, s, m, h, d (e.g. "${num}s")`;
  if (after.startsWith('.')) {
    return `fractions are not supported in duration "${text}": combine units instead, e.g. "1h30m" for 1.5h`;
  }
  const unit = /^[^0-9]+/.exec(after)?.[0] ?? after;
  if (unit === 'ns' || unit === 'us' || unit === 'µs' || unit === 'μs') {
    return `unit "${unit}" in duration "${text}" is finer than the simulation's 1 ms resolution: use ms, s, m, h or d`;
  }
  return `unknown unit "${unit}" in duration "${text}": use ms, s, m, h or d (${EXAMPLES})`;
}

/**
 * Formats milliseconds as the shortest duration string parseDuration reads back to the same value,
 * largest unit first, zero components left out: 5_400_000 → "1h30m", 2_886_000 → "48m6s", 0 → "0s".
 */
export function formatDuration(ms: number): string {
  const n = Math.trunc(ms);
  if (n < 0) return `-${formatDuration(-n)}`;
  if (n === 0) return '0s';
  let rest = n;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const per = DURATION_UNITS_MS[unit];
    const count = Math.floor(rest / per);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * per;
    }
  }
  return out;
}
