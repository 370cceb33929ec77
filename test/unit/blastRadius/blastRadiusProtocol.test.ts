// The blast-radius page's protocol: every host and page message is validated, errors name the field,
// sizes are bounded, and the page's HTML is the shared skeleton under the shared CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BLAST_RADIUS_LIMITS,
  blastRadiusCsp,
  blastRadiusHtml,
  checkBlastRadiusResult,
  parseBlastRadiusHostMessage,
  parseBlastRadiusPageMessage,
} from '../../../src/blastRadiusProtocol';
import { timelineCsp } from '../../../src/protocol';
import { handResult, quietResult } from '../../browser/blastRadiusFixtures';

type Mutable = Record<string, unknown>;

function errorOf(raw: unknown): string {
  const parsed = parseBlastRadiusHostMessage(raw);
  assert.ok(!parsed.ok, `expected ${JSON.stringify(raw).slice(0, 200)} to be rejected`);
  return parsed.error;
}

/** A showResult whose result is changed by `edit` (on a deep copy). */
function showWith(edit: (r: Mutable) => void): unknown {
  const result = structuredClone(handResult()) as unknown as Mutable;
  edit(result);
  return { type: 'showResult', title: 't', scope: 's', result };
}

test('a realistic result and a quiet one pass, unchanged', () => {
  for (const result of [handResult(), quietResult()]) {
    const parsed = parseBlastRadiusHostMessage({ type: 'showResult', title: 'Outage', scope: 'Demo cluster, namespace shop', result });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.message, { type: 'showResult', title: 'Outage', scope: 'Demo cluster, namespace shop', result });
  }
});

test('errors name the field that is wrong', () => {
  const cases: Array<[(r: Mutable) => void, RegExp]> = [
    [(r) => (((r.affected as Mutable[])[12] as Mutable).expiryMs as Mutable).min = 'soon', /^result\.affected\[12\]\.expiryMs\.min must be a finite number, got "soon"$/],
    [(r) => ((((r.affected as Mutable[])[3] as Mutable).expiredForMs as Mutable).max = Number.NaN), /^result\.affected\[3\]\.expiredForMs\.max must be a finite number/],
    [(r) => (((r.affected as Mutable[])[0] as Mutable).podIndex = -1), /^result\.affected\[0\]\.podIndex must be an integer ≥ 0/],
    [(r) => (((r.affected as Mutable[])[0] as Mutable).tokenIndex = 1.5), /^result\.affected\[0\]\.tokenIndex must be an integer ≥ 0/],
    [(r) => (((r.affected as Mutable[])[1] as Mutable).kindKey = 'nope'), /^result\.affected\[1\]\.kindKey "nope" is not the key of any of result\.kinds/],
    [(r) => (((r.affected as Mutable[])[1] as Mutable).verdict = 'never'), /^result\.affected\[1\]\.verdict must be "certain" or "possible"/],
    [(r) => (((r.affected as Mutable[])[1] as Mutable).runsExpired = 21), /^result\.affected\[1\]\.runsExpired must be between 1 and result\.runs \(20\), got 21/],
    [(r) => (((r.affected as Mutable[])[1] as Mutable).anchor = 'guessed'), /^result\.affected\[1\]\.anchor must be one of issued, started, unknown/],
    [(r) => (((r.affected as Mutable[])[2] as Mutable).expiryMs = { min: 3, median: 2, max: 4 }), /^result\.affected\[2\]\.expiryMs must have min ≤ median ≤ max/],
    [(r) => (((r.affected as Mutable[])[2] as Mutable).pod = 'x'.repeat(BLAST_RADIUS_LIMITS.name + 1)), /^result\.affected\[2\]\.pod is longer than 1000 characters/],
    [(r) => ((((r.kinds as Mutable[])[0] as Mutable).kind as Mutable).extended = 'yes'), /^result\.kinds\[0\]\.kind\.extended must be true or false/],
    [(r) => ((((r.kinds as Mutable[])[1] as Mutable).kind as Mutable).key = 'api|3607|ext'), /^result\.kinds\[1\]\.kind\.key "api\|3607\|ext" is not unique/],
    [(r) => (((r.kinds as Mutable[])[2] as Mutable).earliestExpiryMs = 5), /^result\.kinds\[2\]\.earliestExpiryMs must be an object/],
    [(r) => ((r.herd as Mutable).min = [1, 2]), /^result\.herd\.mean, \.min and \.max must have the same length, got 240, 2, 240/],
    [(r) => (((r.herd as Mutable).mean as unknown[])[7] = null), /^result\.herd\.mean\[7\] must be a finite number/],
    [(r) => ((r.herd as Mutable).inFlightLimit = 0), /^result\.herd\.inFlightLimit must be > 0/],
    [(r) => ((r.herd as Mutable).binMs = 0), /^result\.herd\.binMs must be > 0/],
    [(r) => (r.runs = 0), /^result\.runs must be between 1 and/],
    [(r) => ((r.outage as Mutable).durationMs = -1), /^result\.outage\.durationMs must be ≥ 0/],
    [(r) => ((r.anchors as Mutable).unknown = undefined), /^result\.anchors\.unknown must be an integer ≥ 0/],
    [(r) => ((r.assumptions as unknown[])[1] = 42), /^result\.assumptions\[1\] must be a string/],
    [(r) => (r.affected = 'all of them'), /^result\.affected must be an array/],
  ];
  for (const [edit, expected] of cases) assert.match(errorOf(showWith(edit)), expected);
  assert.match(errorOf({ type: 'showResult', title: 7, scope: 's', result: handResult() }), /^showResult\.title must be a string/);
  assert.match(errorOf({ type: 'showResult', title: 't', scope: 'x'.repeat(1001), result: handResult() }), /^showResult\.scope is longer than 1000 characters/);
  assert.match(errorOf({ type: 'showResult', title: 't', scope: 's' }), /^result must be an object, got nothing/);
});

test('sizes are bounded: 100,000 affected tokens pass, one more does not', () => {
  const r = handResult();
  const one = r.affected[0];
  assert.ok(one);
  const many = { ...r, affected: new Array(BLAST_RADIUS_LIMITS.affected).fill(one) };
  const t0 = performance.now();
  assert.ok(checkBlastRadiusResult(many).ok);
  // The check is linear: 100,000 tokens take well under a second.
  assert.ok(performance.now() - t0 < 2_000);
  const tooMany = { ...r, affected: new Array(BLAST_RADIUS_LIMITS.affected + 1).fill(one) };
  const checked = checkBlastRadiusResult(tooMany);
  assert.ok(!checked.ok);
  assert.match(checked.error, /^result\.affected has 100001 entries, more than the 100000 allowed/);
  const bins = { ...r, herd: { ...r.herd, mean: new Array(BLAST_RADIUS_LIMITS.herdBins + 1).fill(0) } };
  const binsChecked = checkBlastRadiusResult(bins);
  assert.ok(!binsChecked.ok && /result\.herd\.mean has 86401 entries/.test(binsChecked.error));
});

test('busy and error from the host', () => {
  assert.deepEqual(parseBlastRadiusHostMessage({ type: 'busy', on: true }), { ok: true, message: { type: 'busy', on: true } });
  assert.deepEqual(parseBlastRadiusHostMessage({ type: 'busy', on: true, message: 'Sampling…' }), { ok: true, message: { type: 'busy', on: true, message: 'Sampling…' } });
  assert.match(errorOf({ type: 'busy', on: 'yes' }), /^busy\.on must be true or false/);
  assert.match(errorOf({ type: 'busy', on: false, message: 3 }), /^busy\.message must be a string/);
  assert.deepEqual(parseBlastRadiusHostMessage({ type: 'error', message: 'boom' }), { ok: true, message: { type: 'error', message: 'boom' } });
  assert.match(errorOf({ type: 'error' }), /^error\.message must be a string/);
  assert.match(errorOf({ type: 'showTrace', title: 't' }), /^unknown message type "showTrace"/);
  assert.match(errorOf({ type: 'toString' }), /^unknown message type "toString"/);
  assert.match(errorOf(null), /^message is not an object/);
});

test('page messages: ready, openTimeline with integer indices ≥ 0, changeOutage, export, reportError', () => {
  const ok = (m: unknown): unknown => {
    const parsed = parseBlastRadiusPageMessage(m);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    return parsed.message;
  };
  const bad = (m: unknown): string => {
    const parsed = parseBlastRadiusPageMessage(m);
    assert.ok(!parsed.ok);
    return parsed.error;
  };
  assert.deepEqual(ok({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(ok({ type: 'openTimeline', podIndex: 4, tokenIndex: 0 }), { type: 'openTimeline', podIndex: 4, tokenIndex: 0 });
  assert.match(bad({ type: 'openTimeline', podIndex: -1, tokenIndex: 0 }), /^openTimeline\.podIndex must be an integer ≥ 0, got number -1/);
  assert.match(bad({ type: 'openTimeline', podIndex: 1, tokenIndex: 0.5 }), /^openTimeline\.tokenIndex must be an integer ≥ 0/);
  assert.match(bad({ type: 'openTimeline', podIndex: '1', tokenIndex: 0 }), /^openTimeline\.podIndex must be an integer ≥ 0, got "1"/);
  assert.match(bad({ type: 'openTimeline', podIndex: 2 ** 60, tokenIndex: 0 }), /^openTimeline\.podIndex/);
  assert.deepEqual(ok({ type: 'changeOutage' }), { type: 'changeOutage' });
  assert.deepEqual(ok({ type: 'export', format: 'csv' }), { type: 'export', format: 'csv' });
  assert.deepEqual(ok({ type: 'export', format: 'json' }), { type: 'export', format: 'json' });
  assert.match(bad({ type: 'export', format: 'png' }), /^export\.format must be "csv" or "json"/);
  assert.deepEqual(ok({ type: 'reportError', message: 'x' }), { type: 'reportError', message: 'x' });
  assert.match(bad({ type: 'reportError', message: 'x'.repeat(10_001) }), /^reportError\.message is longer than 10000 characters/);
  assert.match(bad({ type: 'rerun', values: {} }), /^unknown message type "rerun"/);
});

test('property: any openTimeline of safe integers ≥ 0 passes, anything else is rejected with the field named', () => {
  fc.assert(
    fc.property(fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string(), fc.constant(null)), fc.nat(), (podIndex, tokenIndex) => {
      const parsed = parseBlastRadiusPageMessage({ type: 'openTimeline', podIndex, tokenIndex });
      const valid = typeof podIndex === 'number' && Number.isSafeInteger(podIndex) && podIndex >= 0;
      assert.equal(parsed.ok, valid);
      if (!parsed.ok) assert.match(parsed.error, /^openTimeline\.podIndex must be an integer ≥ 0/);
    }),
  );
});

test('the page is the shared skeleton, under the shared CSP (no unsafe-inline, no eval)', () => {
  const html = blastRadiusHtml({ cspSource: 'https://x.test', nonce: 'abc', scriptUri: 'https://x.test/dist/blastRadius.js', styleUri: 'https://x.test/media/blastRadius.css' });
  assert.equal(blastRadiusCsp('https://x.test', 'abc'), timelineCsp('https://x.test', 'abc'));
  assert.ok(html.includes('<title>Outage blast radius</title>'));
  assert.ok(html.includes('<div id="app"></div>'));
  assert.ok(html.includes('<script nonce="abc" src="https://x.test/dist/blastRadius.js"></script>'));
  assert.ok(html.includes('href="https://x.test/media/blastRadius.css"'));
  assert.ok(!/unsafe-(inline|eval)/.test(html));
});
