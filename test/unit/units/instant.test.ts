import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInstant } from '../../../src/sim/units/datetime';

const NOW = Date.UTC(2026, 11, 2, 9, 30, 0);

test('parseInstant: now, relative durations and RFC 3339 date-times', () => {
  assert.deepEqual(parseInstant('now', NOW), { ok: true, ms: NOW });
  assert.deepEqual(parseInstant('  ', NOW), { ok: true, ms: NOW });
  assert.deepEqual(parseInstant('+2h', NOW), { ok: true, ms: NOW + 7_200_000 });
  assert.deepEqual(parseInstant('now+1h30m', NOW), { ok: true, ms: NOW + 5_400_000 });
  assert.deepEqual(parseInstant('2026-12-02T22:00:00Z', NOW), { ok: true, ms: Date.UTC(2026, 11, 2, 22) });
  assert.deepEqual(parseInstant('2026-12-02T22:00:00+01:00', NOW), { ok: true, ms: Date.UTC(2026, 11, 2, 21) });
});

test('parseInstant: errors say what to write', () => {
  const bad = parseInstant('+2 hours', NOW);
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error : '', /"\+2 hours"/);
  const noZone = parseInstant('2026-12-02T22:00:00', NOW);
  assert.match(!noZone.ok ? noZone.error : '', /no time zone.*or write "now" or "\+2h"/);
});
