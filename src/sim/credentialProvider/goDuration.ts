/**
 * Go's time.Duration as the kubelet reads and prints it: `defaultCacheDuration` in a
 * CredentialProviderConfig and `cacheDuration` in a plugin's response are metav1.Duration, which
 * decodes with time.ParseDuration and prints with Duration.String(). Unlike the scenario format's
 * durations (units/duration.ts) these accept every Go form ("1.5h", "300ms", "-1m", "2h45m0.5s",
 * "1µs") and keep nanoseconds, because the kubelet's messages quote them that way.
 */
import { goQuote } from '../units/goQuote';

export type GoDurationResult = { ok: true; ns: bigint } | { ok: false; error: string };

const NS_PER: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_NS = (1n << 63n) - 1n;
const MIN_NS = -(1n << 63n);

/** time.ParseDuration, with its error texts ("time: unknown unit \"d\" in duration \"1d\""). */
export function parseGoDuration(text: string): GoDurationResult {
  const invalid = (): GoDurationResult => ({ ok: false, error: `time: invalid duration ${goQuote(text)}` });
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ns: 0n };
  if (s === '') return invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid();
    const whole = /^[0-9]*/.exec(s)?.[0] ?? '';
    s = s.slice(whole.length);
    let fraction = '';
    if (s.startsWith('.')) {
      s = s.slice(1);
      fraction = /^[0-9]*/.exec(s)?.[0] ?? '';
      s = s.slice(fraction.length);
    }
    if (whole === '' && fraction === '') return invalid(); // "." or "-.s"
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? '';
    s = s.slice(unit.length);
    if (unit === '') return { ok: false, error: `time: missing unit in duration ${goQuote(text)}` };
    const per = NS_PER[unit];
    if (per === undefined) return { ok: false, error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}` };
    // Go truncates the fraction's contribution toward zero, at nanosecond resolution.
    let value = BigInt(whole === '' ? '0' : whole) * per;
    if (fraction !== '') value += (BigInt(fraction) * per) / 10n ** BigInt(fraction.length);
    total += value;
    if (total > MAX_NS + (negative ? 1n : 0n)) return invalid();
  }
  return { ok: true, ns: negative ? -total : total };
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Duration.String(): "1h0m0s", "1m30.5s", "1.5ms", "0s", "-1m0s". */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const negative = ns < 0n;
  const u = negative ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fixed(u, 1_000n)}µs`;
    else out = `${fixed(u, 1_000_000n)}ms`;
  } else {
    const hours = u / NS_PER_HOUR;
    const minutes = (u % NS_PER_HOUR) / NS_PER_MINUTE;
    const seconds = fixed(u % NS_PER_MINUTE, 1_000_000_000n);
    out = hours > 0n ? `${hours}h${minutes}m${seconds}s` : minutes > 0n ? `${minutes}m${seconds}s` : `${seconds}s`;
  }
  return negative ? `-${out}` : out;
}

const NS_PER_HOUR = 3_600_000_000_000n;
const NS_PER_MINUTE = 60_000_000_000n;

/** `value / unit` in decimal with trailing zeros of the fraction left out ("1.5", "2"). */
function fixed(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return `${whole}`;
  const digits = (unit.toString().length - 1);
  const fraction = rest.toString().padStart(digits, '0').replace(/0+$/, '');
  return `${whole}.${fraction}`;
}

/**
 * Nanoseconds → the virtual clock's milliseconds, rounded down. Exact for the kubelet's strict
 * expiry test on an integer-millisecond clock: for integer x, x > d/10^6 ⇔ x > ⌊d/10^6⌋.
 */
export function goDurationToMs(ns: bigint): number {
  const ms = ns / 1_000_000n - (ns < 0n && ns % 1_000_000n !== 0n ? 1n : 0n);
  return Number(ms);
}

/** Milliseconds of the virtual clock → a Go duration (for writing configs and responses back). */
export function msToGoDuration(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 1_000_000n;
}

export { MIN_NS as GO_DURATION_MIN_NS, MAX_NS as GO_DURATION_MAX_NS };
