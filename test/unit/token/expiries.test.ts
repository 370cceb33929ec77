import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPIRY_NAMES, expiryRelative } from '../../../src/token/expiries';
import { formatLocalDateTime } from '../../../src/token/format';

test('every expiry says which one it is, with a human duration', () => {
  assert.equal(expiryRelative('jwtExp', 31_536_000_000 + 5_000, 5_000), 'JWT expiry in 365 d');
  assert.equal(expiryRelative('statusExpiry', 0, 180_000), 'Kubelet expiry 3 min ago');
  assert.equal(expiryRelative('warnAfter', 1_000, 1_200), 'Warn after now');
  const labels = Object.values(EXPIRY_NAMES).map((n) => n.label);
  assert.equal(new Set(labels).size, labels.length, 'two expiries share a name');
});

test('local date-times carry their zone and the same shape in every zone', () => {
  const t = Date.UTC(2026, 11, 2, 23, 3, 12);
  assert.equal(formatLocalDateTime(t, 'UTC'), '2026-12-02 23:03:12 UTC');
  assert.equal(formatLocalDateTime(t, 'Europe/Berlin'), '2026-12-03 00:03:12 GMT+1');
  assert.equal(formatLocalDateTime(t, 'America/New_York'), '2026-12-02 18:03:12 EST');
  assert.match(formatLocalDateTime(t), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/);
  assert.equal(formatLocalDateTime(Number.NaN), 'NaN');
});
