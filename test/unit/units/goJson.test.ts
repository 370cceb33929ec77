// The parts of Go's encoding/json the plugin protocol relies on (SPEC B.7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { goJsonString, parseStrictJson, type JsonValue } from '../../../src/sim/units/goJson';

/** Lone surrogates replaced by U+FFFD (String.prototype.toWellFormed, which ES2022's lib lacks). */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The parser's value as plain JSON data, to compare with JSON.parse. */
function plain(v: JsonValue): unknown {
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) Object.defineProperty(o, k, { value: plain(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return Array.isArray(v) ? v.map(plain) : v;
}

test('property: on valid JSON the parser agrees with JSON.parse', () => {
  fc.assert(
    fc.property(fc.json({ maxDepth: 5 }), (text) => {
      const out = parseStrictJson(text);
      assert.ok(out.ok, !out.ok ? out.reason : '');
      assert.deepEqual(plain(out.value), JSON.parse(text));
      assert.equal(out.duplicateKeys, 0);
    }),
    { numRuns: 1000 },
  );
});

test('property: what JSON.parse rejects, the parser rejects (and never throws)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (text) => {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      // JSON.parse takes a leading BOM-free text with the same grammar; lone surrogates differ only in value.
      assert.equal(parseStrictJson(text).ok, valid, JSON.stringify(text));
    }),
    { numRuns: 3000 },
  );
});

test('duplicate keys are counted and the later value wins', () => {
  const out = parseStrictJson('{"a":1,"b":{"c":1,"c":2},"a":3}');
  assert.ok(out.ok);
  assert.equal(out.duplicateKeys, 2);
  assert.deepEqual(plain(out.value), { b: { c: 2 }, a: 3 });
});

test('errors give a position and a reason, never the text', () => {
  const out = parseStrictJson('{"password":"hunter2secret" "x"}');
  assert.ok(!out.ok);
  assert.ok(!out.reason.includes('hunter2secret'));
  assert.match(out.reason, /at character \d+/);
  const deep = parseStrictJson('['.repeat(5000));
  assert.ok(!deep.ok && /nested too deeply/.test(deep.reason));
});

test('lone surrogate escapes decode to U+FFFD, as Go does; pairs decode to the character', () => {
  const out = parseStrictJson('["\\ud800","\\ud83d\\ude00","\\udc00x","\\ud800\\u0041"]');
  assert.ok(out.ok);
  assert.deepEqual(out.value, ['\ufffd', '\u{1F600}', '\ufffdx', '\ufffdA']);
});

test('goJsonString writes what Go\'s json.Encoder writes', () => {
  assert.equal(goJsonString('plain text/with:colons'), '"plain text/with:colons"');
  assert.equal(goJsonString('<>&'), '"\\u003c\\u003e\\u0026"');
  assert.equal(goJsonString('\u0000\u001f\u007f'), '"\\u0000\\u001f\u007f"');
  assert.equal(goJsonString('\b\f\n\r\t"\\'), '"\\b\\f\\n\\r\\t\\"\\\\"');
  assert.equal(goJsonString('\u2028\u2029é😀'), '"\\u2028\\u2029é😀"');
  assert.equal(goJsonString('\udc00\ud800'), '"\\ufffd\\ufffd"');
});

test('property: goJsonString parses back to the string (lone surrogates as U+FFFD)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
      assert.equal(JSON.parse(goJsonString(s)), wellFormed(s));
    }),
    { numRuns: 1000 },
  );
});
