import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../../../src/sim/units/duration';
import { formatDateTime, parseDateTime } from '../../../src/sim/units/datetime';

const ok = (text: string): number => {
  const r = parseDuration(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.ms;
};
const err = (text: string): string => {
  const r = parseDuration(text);
  assert.ok(!r.ok, `${text} should not parse`);
  return r.error;
};

test('parseDuration: the forms scenarios use', () => {
  assert.equal(ok('90s'), 90_000);
  assert.equal(ok('48m'), 2_880_000);
  assert.equal(ok('6h'), 21_600_000);
  assert.equal(ok('30d'), 2_592_000_000);
  assert.equal(ok('1h30m'), 5_400_000);
  assert.equal(ok('500ms'), 500);
  assert.equal(ok('48m6s'), 2_886_000);
  assert.equal(ok('1d2h3m4s5ms'), 93_784_005);
  assert.equal(ok('0'), 0);
  assert.equal(ok('0s'), 0);
  // Like Go, any order and repeats add up.
  assert.equal(ok('30m1h'), 5_400_000);
});

test('parseDuration: errors say how to fix the text', () => {
  assert.match(err(''), /empty duration/);
  assert.match(err('90'), /missing unit after "90".*"90s"/);
  assert.match(err('1.5h'), /fractions are not supported.*1h30m/);
  assert.match(err('5x'), /unknown unit "x"/);
  assert.match(err('5ns'), /finer than the simulation's 1 ms resolution/);
  assert.match(err('-5s'), /negative duration/);
  assert.match(err('+5s'), /unexpected sign/);
  assert.match(err('h'), /expected a number at "h"/);
  assert.match(err('1h 30m'), /unknown unit "h "|expected a number/);
  assert.match(err('99999999999999999d'), /too large/);
});

test('formatDuration: shortest form, largest unit first', () => {
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(2_886_000), '48m6s');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(93_784_005), '1d2h3m4s5ms');
  assert.equal(formatDuration(-90_000), '-1m30s');
});

test('formatDuration and parseDuration round-trip (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (ms) => ok(formatDuration(ms)) === ms),
  );
});

test('DURATION_PATTERN (published in the schema) accepts exactly what parseDuration accepts', () => {
  const pattern = new RegExp(DURATION_PATTERN);
  const alphabet = fc.constantFrom(...'0123456789msdhx.-+ µn'.split(''));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join('')), (text) => {
      const r = parseDuration(text);
      // Overflow is the one thing a regex cannot see ("150000000d" is past 2^53 ms): the pattern
      // accepts it and the parser says it is too large.
      if (!r.ok && /too large/.test(r.error)) return pattern.test(text);
      return pattern.test(text) === r.ok;
    }),
    { numRuns: 2000 },
  );
  for (const text of ['90s', '1h30m', '0', '500ms']) assert.ok(pattern.test(text));
  for (const text of ['', '90', '1.5h', '00', '-1s']) assert.ok(!pattern.test(text));
  assert.match(err('150000000d'), /too large/);
});

test('parseDateTime: RFC 3339 with zones, exact epoch ms', () => {
  const ms = (t: string): number => {
    const r = parseDateTime(t);
    assert.ok(r.ok, t);
    return r.ms;
  };
  assert.equal(ms('2026-01-01T00:00:00Z'), Date.UTC(2026, 0, 1));
  assert.equal(ms('2026-01-01T01:00:00+01:00'), Date.UTC(2026, 0, 1));
  assert.equal(ms('2025-12-31T19:00:00-05:00'), Date.UTC(2026, 0, 1));
  assert.equal(ms('2024-02-29T12:34:56.789z'), Date.UTC(2024, 1, 29, 12, 34, 56, 789));
  assert.equal(ms('1970-01-01T00:00:00.0001Z'), 0);
  assert.equal(ms('1969-12-31T23:59:59Z'), -1000);
});

test('parseDateTime: errors', () => {
  const e = (t: string): string => {
    const r = parseDateTime(t);
    assert.ok(!r.ok, t);
    return r.error;
  };
  assert.match(e('2026-01-01'), /no time of day/);
  assert.match(e('2026-01-01T00:00:00'), /no time zone/);
  assert.match(e('2026-01-01 00:00:00Z'), /separate date and time with "T"/);
  assert.match(e('2025-02-29T00:00:00Z'), /day 29 out of range/);
  assert.match(e('2026-13-01T00:00:00Z'), /month 13/);
  assert.match(e('2026-01-01T24:00:00Z'), /hour 24/);
  assert.match(e('2026-06-30T23:59:60Z'), /leap second/);
  assert.match(e('yesterday'), /not an RFC 3339 date-time/);
});

test('formatDateTime inverts parseDateTime (property) and matches Date#toISOString', () => {
  fc.assert(
    fc.property(fc.integer({ min: -(10 ** 13), max: 10 ** 13 }), (ms) => {
      const text = formatDateTime(ms);
      const back = parseDateTime(text);
      const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
      return back.ok && back.ms === ms && text === iso;
    }),
  );
});
