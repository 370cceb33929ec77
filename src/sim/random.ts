/**
 * Seeded randomness for the simulation core (DESIGN.md: "every random draw goes through it: same
 * seed, same trace").
 *
 * Generator: a counter-based, SplitMix-style stream. Draw number n of a stream is a keyed mix of n,
 * so a stream can be advanced (or rewound) in O(1): `skip(n)` / `position`. The engine relies on this
 * for dead-time skipping (kubelet/fastForward.ts): it can jump over draws whose values cannot change the outcome and
 * still land on exactly the state the step-by-step run would have. Each actor (pod, refresher, …) gets
 * its own stream derived from (seed, actor id), so skipping one actor's draws never shifts another's.
 *
 * Quality: every step is a bijection of 32-bit words, so a stream visits each 32-bit output once per
 * 2^32 draws; the output round is the well-tested lowbias32 finalizer (a SplitMix32-class
 * generator). Different keys give different sequences (the XOR key breaks the shift relation of
 * plain Weyl sequences). Good enough for jitter and error-rate draws; not for cryptography.
 */

/** What the models need: a uniform float in [0, 1). */
export interface RandomSource {
  float(): number;
}

/** A source of uniform 32-bit unsigned integers (for UUIDs). */
export interface Uint32Source {
  uint32(): number;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_24 = 16777216;

/** 32-bit finalizer (lowbias32 constants): a bijection that spreads every input bit. */
function fmix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x;
}

/** Output word number `n` of the stream keyed (k0, k1). Pure: the heart of O(1) skip-ahead. */
function wordAt(k0: number, k1: number, n: number): number {
  // Weyl step over the counter (odd multiplier → bijection) offset by k0, XOR k1 (so streams are
  // not shifted copies of each other), then one xorshift-multiply round (SplitMix32-style).
  const x = ((Math.imul(n, 0x9e3779b9) + k0) ^ k1) | 0;
  return fmix(x) >>> 0;
}

/** FNV-1a over UTF-16 code units, finished with fmix: a stable 32-bit hash of a string. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h) >>> 0;
}

/** A seeded stream. Every method is one or more draws; `position` counts the draws made so far. */
export class SeededRandom implements RandomSource, Uint32Source {
  private n = 0;

  constructor(
    private readonly k0: number,
    private readonly k1: number,
  ) {}

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const n = this.n;
    this.n = (n + 1) | 0;
    return wordAt(this.k0, this.k1, n);
  }

  /** Uniform in [0, 1) with 32-bit resolution (never 1). */
  float(): number {
    const n = this.n;
    this.n = (n + 1) | 0;
    return wordAt(this.k0, this.k1, n) / TWO_POW_32;
  }

  /**
   * Uniform float32 in [0, 1), like Go's rand.Float32 (which re-draws a 1.0). 24 bits are exactly
   * representable, so the value can never round up to 1.
   */
  float32(): number {
    const n = this.n;
    this.n = (n + 1) | 0;
    return Math.fround((wordAt(this.k0, this.k1, n) >>> 8) / TWO_POW_24);
  }

  /** Uniform integer in [0, n), n ≤ 2^32. */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** The value the next float() will return, without drawing it. */
  peekFloat(): number {
    return wordAt(this.k0, this.k1, this.n) / TWO_POW_32;
  }

  /** Advance by `count` draws without computing them (O(1)). */
  skip(count: number): void {
    // Kept a small integer (the counter is used modulo 2^32 anyway) so V8 stores it unboxed.
    this.n = (this.n + count) | 0;
  }

  /**
   * A jittered walk, the inner loop of dead-time skipping: starting at t, repeat
   * { skip `skipPerStep` draws; t += base + floor(float() · spread) } while t ≤ until and t < limit,
   * and return the first t that fails the test. Same draws, same result as doing it by hand; just
   * without a method call per draw.
   */
  jitteredWalk(t: number, until: number, limit: number, skipPerStep: number, base: number, spread: number): number {
    // Hot loop (one iteration per simulated sync). Two V8 details keep it allocation-free: the keys
    // as int32 (`k|0`: same low 32 bits, so the same ToInt32 results in wordAt) and the time in a
    // fresh local rather than the reassigned parameter (which V8 otherwise boxes every iteration).
    const k0 = this.k0 | 0;
    const k1 = this.k1 | 0;
    let n = this.n | 0;
    let tt = +t;
    while (tt <= until && tt < limit) {
      n = (n + skipPerStep) | 0;
      const u = wordAt(k0, k1, n) / TWO_POW_32;
      n = (n + 1) | 0;
      tt += base + Math.floor(u * spread);
    }
    this.n = n;
    return tt;
  }

  /** Number of draws made so far (modulo 2^32); assign to rewind or fast-forward. */
  get position(): number {
    return this.n;
  }

  set position(p: number) {
    this.n = p | 0;
  }
}

/** The stream of one actor: keys derived from (seed, id) so that streams are independent. */
export function createStream(seed: number, id: string): SeededRandom {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  const h1 = hashString(id);
  const h2 = hashString(id, 0x9747b28c);
  const k0 = fmix(lo ^ Math.imul(h1, 0x85ebca6b)) >>> 0;
  const k1 = fmix((hi + 0x632be5ab) ^ h2 ^ fmix(lo + 0x1b873593)) >>> 0;
  return new SeededRandom(k0, k1);
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(w: number): string {
  return (HEX2[(w >>> 24) & 0xff] as string) + (HEX2[(w >>> 16) & 0xff] as string) + (HEX2[(w >>> 8) & 0xff] as string) + (HEX2[w & 0xff] as string);
}

function formatUuid(words: [number, number, number, number], version: number): string {
  const hex = words.map(hex8).join('');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A random (version 4) UUID from four draws: used for JWT `jti` (SPEC D.2). */
export function randomUuid(r: Uint32Source): string {
  return formatUuid([r.uint32(), r.uint32(), r.uint32(), r.uint32()], 4);
}

/** Number of draws randomUuid() makes (the engine skips them in bulk). */
export const UUID_DRAWS = 4;

/**
 * A stable UUID for a name (version 8, "vendor-specific", so it is never mistaken for a live UID):
 * used for service-account UIDs, which the scenario does not list but the claims and the 1.34 cache
 * key need (SPEC A.2, D.2).
 */
export function uuidFromText(text: string): string {
  return formatUuid(
    [hashString(text, 0x811c9dc5), hashString(text, 0x01000193), hashString(text, 0x9e3779b9), hashString(text, 0x85ebca6b)],
    8,
  );
}
