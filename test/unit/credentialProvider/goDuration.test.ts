// Go's time.ParseDuration / Duration.String as the kubelet reads and prints cache durations.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatGoDuration, goDurationToMs, parseGoDuration } from '../../../src/sim/credentialProvider/goDuration';

const ok = (text: string): bigint => {
  const r = parseGoDuration(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.ns;
};

describe('Go durations', () => {
  test('parses every Go form', () => {
    assert.equal(ok('0'), 0n);
    assert.equal(ok('12h'), 12n * 3_600_000_000_000n);
    assert.equal(ok('1h30m'), 5_400_000_000_000n);
    assert.equal(ok('1.5h'), 5_400_000_000_000n);
    assert.equal(ok('300ms'), 300_000_000n);
    assert.equal(ok('-1m'), -60_000_000_000n);
    assert.equal(ok('+5s'), 5_000_000_000n);
    assert.equal(ok('1µs'), 1_000n);
    assert.equal(ok('1μs'), 1_000n);
    assert.equal(ok('1us'), 1_000n);
    assert.equal(ok('.5s'), 500_000_000n);
    assert.equal(ok('2h45m0.5s'), 9_900_500_000_000n);
    assert.equal(ok('1.0000000001s'), 1_000_000_000n); // below 1 ns is truncated
  });

  test("rejects what Go rejects, with Go's texts", () => {
    assert.deepEqual(parseGoDuration(''), { ok: false, error: 'time: invalid duration ""' });
    assert.deepEqual(parseGoDuration('1'), { ok: false, error: 'time: missing unit in duration "1"' });
    assert.deepEqual(parseGoDuration('1d'), { ok: false, error: 'time: unknown unit "d" in duration "1d"' });
    assert.deepEqual(parseGoDuration('abc'), { ok: false, error: 'time: invalid duration "abc"' });
    assert.deepEqual(parseGoDuration('.s'), { ok: false, error: 'time: invalid duration ".s"' });
    assert.deepEqual(parseGoDuration('-'), { ok: false, error: 'time: invalid duration "-"' });
    assert.deepEqual(parseGoDuration('3000000h'), { ok: false, error: 'time: invalid duration "3000000h"' });
  });

  test('prints as Duration.String()', () => {
    assert.equal(formatGoDuration(0n), '0s');
    assert.equal(formatGoDuration(3_600_000_000_000n), '1h0m0s');
    assert.equal(formatGoDuration(90_000_000_000n), '1m30s');
    assert.equal(formatGoDuration(1_500_000_000n), '1.5s');
    assert.equal(formatGoDuration(1_500_000n), '1.5ms');
    assert.equal(formatGoDuration(1_500n), '1.5µs');
    assert.equal(formatGoDuration(7n), '7ns');
    assert.equal(formatGoDuration(-60_000_000_000n), '-1m0s');
    assert.equal(formatGoDuration(9_900_500_000_000n), '2h45m0.5s');
  });

  test('printing and parsing round-trip', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 62n), max: 1n << 62n }), (ns) => {
        assert.equal(ok(formatGoDuration(ns)), ns);
      }),
    );
  });

  test('milliseconds round down, which keeps the strict expiry test exact on a millisecond clock', () => {
    assert.equal(goDurationToMs(1_500_000n), 1);
    assert.equal(goDurationToMs(999_999n), 0);
    assert.equal(goDurationToMs(-1n), -1);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 10 ** 9 }), (ns, elapsedMs) => {
        // now > stored + d  ⇔  elapsed(ms) > d(ns)/1e6  ⇔  elapsed > floor(d/1e6)
        assert.equal(BigInt(elapsedMs) * 1_000_000n > ns, elapsedMs > goDurationToMs(ns));
      }),
    );
  });
});
