// The generic what-if checker and contract (src/sim/whatIf.ts) on made-up fields: every field kind,
// the normalised copy, problem paths and texts, cross-field checks, and the contract's structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkWhatIfContract,
  checkWhatIfValues,
  composeWhatIfContract,
  whatIfProblemsText,
  type WhatIfCheck,
  type WhatIfField,
} from '../../../src/sim/whatIf';

const common = { help: 'h', section: 'S' };
const FIELDS: WhatIfField[] = [
  { ...common, kind: 'duration', id: 'run', label: 'Run', minMs: 60_000, maxMs: 86_400_000 },
  { ...common, kind: 'integer', id: 'count', label: 'Count', min: 1, max: 10 },
  { ...common, kind: 'optionalDuration', id: 'cap', label: 'Cap', minMs: 3_600_000, maxMs: 7_200_000, unsetMeaning: 'no cap', zeroIsUnset: true },
  { ...common, kind: 'optionalDuration', id: 'delay', label: 'Delay', minMs: 0, maxMs: 60_000, unsetMeaning: 'none' },
  { ...common, kind: 'boolean', id: 'on', label: 'On' },
  { ...common, kind: 'choice', id: 'mode', label: 'Mode', choices: [{ value: 'a', label: 'A', description: 'a' }, { value: 'b', label: 'B', description: 'b' }] },
  { ...common, kind: 'windows', id: 'gaps', label: 'Gaps', maxCount: 2, maxMs: 86_400_000, itemLabel: 'Gap', itemPlural: 'gaps', newWindow: { from: '1h', to: '2h' } },
];
const CHECKS: WhatIfCheck[] = [{ kind: 'windowsStartBefore', windows: 'gaps', limit: 'run', limitName: 'the end of the run' }];
const GOOD = { run: '6h', count: 3, cap: '', delay: '0', on: false, mode: 'b', gaps: [{ from: '0', to: '1h' }] };

function problems(raw: unknown): string[] {
  const r = checkWhatIfValues(FIELDS, raw, CHECKS);
  assert.equal(r.ok, false, 'expected problems');
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

test('valid values come back normalised, keys in field order', () => {
  const shuffled = Object.fromEntries(Object.entries(GOOD).reverse());
  const r = checkWhatIfValues(FIELDS, shuffled, CHECKS);
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.values), FIELDS.map((f) => f.id));
  assert.deepEqual(r.values, GOOD);
  // "0" means unset only where the field says so; "" is always unset.
  const zero = checkWhatIfValues(FIELDS, { ...GOOD, cap: '0' }, CHECKS);
  assert.ok(zero.ok && zero.values.cap === '' && zero.values.delay === '0');
  // Windows are copied as plain {from, to}.
  const copy = checkWhatIfValues(FIELDS, { ...GOOD, gaps: [{ to: '2h', from: '1h' }] }, CHECKS);
  assert.ok(copy.ok && JSON.stringify(copy.values.gaps) === '[{"from":"1h","to":"2h"}]');
});

test('each field kind says what is wrong, with the field path', () => {
  assert.deepEqual(problems({ ...GOOD, run: '10s' }), ['run: must be at least 1m, got "10s"']);
  assert.deepEqual(problems({ ...GOOD, run: '2d' }), ['run: must be at most 1d, got "2d"']);
  assert.deepEqual(problems({ ...GOOD, run: 6 }), ['run: must be a duration string such as "6h", got number 6']);
  assert.match(problems({ ...GOOD, run: '6x' })[0]!, /^run: .*unknown unit "x"/);
  assert.deepEqual(problems({ ...GOOD, count: 1.5 }), ['count: must be an integer, got number 1.5']);
  assert.deepEqual(problems({ ...GOOD, count: 11 }), ['count: must be between 1 and 10, got 11']);
  assert.deepEqual(problems({ ...GOOD, cap: '30m' }), ['cap: must be at least 1h, got "30m"']);
  assert.deepEqual(problems({ ...GOOD, cap: 5 }), ['cap: must be a duration string, or "" for no cap, got number 5']);
  assert.deepEqual(problems({ ...GOOD, on: 'yes' }), ['on: must be true or false, got "yes"']);
  assert.deepEqual(problems({ ...GOOD, mode: 'c' }), ['mode: must be one of "a", "b", got "c"']);
  assert.deepEqual(problems({ ...GOOD, gaps: 3 }), ['gaps: must be a list of {from, to}, got number 3']);
  assert.deepEqual(problems({ ...GOOD, gaps: [GOOD.gaps[0], GOOD.gaps[0], GOOD.gaps[0]] }), ['gaps: at most 2 gaps, got 3']);
  assert.deepEqual(problems({ ...GOOD, gaps: ['x'] }), ['gaps[0]: must be an object {from, to}, got "x"']);
  assert.deepEqual(problems({ ...GOOD, gaps: [{ from: '1h', to: '2h', why: 1 }] }), ['gaps[0].why: unknown field "why"']);
  assert.deepEqual(problems({ ...GOOD, gaps: [{ from: '0', to: '1h' }, { from: '3h', to: '2h' }] }), ['gaps[1].to: must be after from (3h), got "2h"']);
  assert.deepEqual(problems({ ...GOOD, extra: 1 }), ['extra: unknown field "extra"']);
  assert.deepEqual(problems(null), [': must be an object, got null']);
  // Every problem at once.
  assert.equal(problems({ run: 1, count: 'x', cap: 1, delay: 2, on: 0, mode: null, gaps: {} }).length, 7);
});

test('cross-field checks run on the fields that passed, naming the window field', () => {
  assert.deepEqual(problems({ ...GOOD, gaps: [{ from: '6h', to: '7h' }] }), ['gaps[0].from: starts at or after the end of the run (6h)']);
  // A bad limit or a bad window is reported once, by its own check.
  assert.deepEqual(problems({ ...GOOD, run: 'x', gaps: [{ from: '7h', to: '8h' }] }).length, 1);
  assert.deepEqual(problems({ ...GOOD, gaps: [{ from: '8h', to: '7h' }] }), ['gaps[0].to: must be after from (8h), got "7h"']);
  assert.ok(checkWhatIfValues(FIELDS, { ...GOOD, gaps: [{ from: '7h', to: '8h' }] }).ok, 'without the check the window is fine');
});

test('problems as one line of text, under a prefix', () => {
  const r = checkWhatIfValues(FIELDS, { ...GOOD, count: 0, gaps: [{ from: '2h', to: '1h' }] }, CHECKS);
  assert.ok(!r.ok);
  assert.equal(whatIfProblemsText(r.problems, 'rerun.values'), 'rerun.values.count must be between 1 and 10, got 0; rerun.values.gaps[0].to must be after from (2h), got "1h"');
  assert.equal(whatIfProblemsText([{ path: '', message: 'must be an object' }]), 'must be an object');
});

test('a contract is checked for structure, and composing rejects programming errors', () => {
  assert.equal(checkWhatIfContract({ fields: FIELDS, checks: CHECKS }), undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(composeWhatIfContract([{ fields: FIELDS.slice(0, 3) }, { fields: FIELDS.slice(3), checks: CHECKS }]))), { fields: FIELDS, checks: CHECKS });
  assert.match(checkWhatIfContract({ fields: [{ ...FIELDS[0], kind: 'slider' }], checks: [] }) ?? '', /fields\[0\]\.kind must be one of/);
  assert.match(checkWhatIfContract({ fields: [{ ...FIELDS[1], max: 'x' }], checks: [] }) ?? '', /numeric min and max/);
  assert.match(checkWhatIfContract({ fields: [{ ...FIELDS[0], label: 'x'.repeat(501) }], checks: [] }) ?? '', /string id, label, help and section/);
  assert.match(checkWhatIfContract({ fields: [{ ...FIELDS[5], choices: [] }], checks: [] }) ?? '', /choices must be a list/);
  assert.match(checkWhatIfContract({ fields: FIELDS, checks: [{ ...CHECKS[0], limit: 'count' }] }) ?? '', /checks\[0\] must name a windows field, a duration field/);
  assert.throws(() => composeWhatIfContract([{ fields: FIELDS }, { fields: [FIELDS[0]!] }]), /what-if contract: fields\[7\]\.id "run" is not unique/);
  assert.throws(() => composeWhatIfContract([{ fields: FIELDS.slice(1), checks: CHECKS }]), /checks\[0\] must name/);
});
