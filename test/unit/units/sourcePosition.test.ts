import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText, lineStarts, position } from '../../../src/sim/units/sourcePosition';

test('positions are 1-based lines and UTF-16 columns, clamped into the text', () => {
  const text = 'ab\n\ncdé\n';
  const starts = lineStarts(text);
  assert.deepEqual(starts, [0, 3, 4, 8]);
  assert.deepEqual(position(starts, text, 0), { line: 1, column: 1 });
  assert.deepEqual(position(starts, text, 2), { line: 1, column: 3 });
  assert.deepEqual(position(starts, text, 3), { line: 2, column: 1 });
  assert.deepEqual(position(starts, text, 6), { line: 3, column: 3 });
  assert.deepEqual(position(starts, text, -5), { line: 1, column: 1 });
  assert.deepEqual(position(starts, text, 99), { line: 4, column: 1 });
});

test('SourceText: ranges (an inverted span ends where it starts) and first lines', () => {
  const source = new SourceText('key:\n  a: 1\n  b: 2\n');
  assert.deepEqual(source.rangeOf({ start: 7, end: 18 }), { line: 2, column: 3, endLine: 3, endColumn: 7 });
  assert.deepEqual(source.rangeOf({ start: 7, end: 2 }), { line: 2, column: 3, endLine: 2, endColumn: 3 });
  assert.deepEqual(source.firstLineOf({ start: 7, end: 18 }), { start: 7, end: 11 });
  assert.deepEqual(source.firstLineOf({ start: 7, end: 9 }), { start: 7, end: 9 });
});
