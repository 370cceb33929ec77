// The protocol additions of issue 14 (src/protocol.ts), without a browser: a showTrace may carry a
// notice about the run and one side of a comparison of two runs; both are checked strictly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkComparison, MAX_COMPARISON_ROWS, parseHostMessage, type ComparisonData } from '../../src/protocol';
import { handTrace } from './traces';

const GOOD: ComparisonData = {
  side: 'left',
  leftTitle: 'Baseline',
  rightTitle: 'Baseline — what-if: Horizon 6 h → 1 d',
  rows: [{ label: 'Token requests (total)', left: '12', right: '40', differs: true }],
};

const show = (extra: Record<string, unknown>): ReturnType<typeof parseHostMessage> => parseHostMessage({ type: 'showTrace', title: 't', trace: handTrace(), ...extra });

test('a notice and a comparison pass through as sent', () => {
  const r = show({ notice: 'Simulated time capped at 7 d.', comparison: GOOD });
  assert.ok(r.ok && r.message.type === 'showTrace');
  assert.equal(r.ok && r.message.type === 'showTrace' ? r.message.notice : undefined, 'Simulated time capped at 7 d.');
  assert.deepEqual(r.ok && r.message.type === 'showTrace' ? r.message.comparison : undefined, GOOD);
  const plain = show({});
  assert.ok(plain.ok && plain.message.type === 'showTrace' && plain.message.notice === undefined && plain.message.comparison === undefined);
});

test('a malformed notice or comparison is refused with the field it concerns', () => {
  const error = (extra: Record<string, unknown>): string => {
    const r = show(extra);
    assert.equal(r.ok, false);
    return r.ok ? '' : r.error;
  };
  assert.match(error({ notice: 42 }), /showTrace\.notice must be a string/);
  assert.match(error({ notice: 'x'.repeat(1001) }), /showTrace\.notice is longer than 1000/);
  assert.match(error({ comparison: 'both' }), /showTrace\.comparison must be an object/);
  assert.match(error({ comparison: { ...GOOD, side: 'middle' } }), /comparison\.side must be "left" or "right"/);
  assert.match(error({ comparison: { ...GOOD, leftTitle: undefined } }), /comparison\.leftTitle must be a string/);
  assert.match(error({ comparison: { ...GOOD, rows: {} } }), /comparison\.rows must be a list/);
  assert.match(error({ comparison: { ...GOOD, rows: [{ ...GOOD.rows[0], left: 12 }] } }), /rows\[0\]\.left must be a string/);
  assert.match(error({ comparison: { ...GOOD, rows: [{ ...GOOD.rows[0], differs: 'yes' }] } }), /rows\[0\]\.differs must be true or false/);
  assert.match(error({ comparison: { ...GOOD, rows: [null] } }), /rows\[0\] must be an object/);
  const many = Array.from({ length: MAX_COMPARISON_ROWS + 1 }, () => GOOD.rows[0]);
  assert.equal(checkComparison({ ...GOOD, rows: many }, 'c').ok, false, 'bounded');
  // Extra keys on a row are dropped, not passed on.
  const extra = checkComparison({ ...GOOD, rows: [{ ...GOOD.rows[0], html: '<b>' }] }, 'c');
  assert.ok(extra.ok);
  assert.deepEqual(extra.ok ? extra.comparison.rows[0] : undefined, GOOD.rows[0]);
});
