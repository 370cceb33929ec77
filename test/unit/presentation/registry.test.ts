// The presentation registry (src/sim/presentations.ts): every event type of the trace vocabulary is
// shown, no two models claim the same thing, every reference resolves, and unknown names fall back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  categoryOf,
  eventKind,
  eventLabel,
  FALLBACK_PRESENTATION,
  FALLBACK_TARGETS,
  laneKindStyle,
  markerCategory,
  MARKER_CATEGORIES,
  PRESENTATIONS,
  seriesStyle,
  seriesTotal,
  spanStyle,
  SPAN_STYLES,
} from '../../../src/sim/presentations';
import type { ModelPresentation } from '../../../src/sim/presentation';
import type { Trace } from '../../../src/sim/trace';
import { EVENT_TYPES, LANE_KINDS, SPAN_KINDS } from '../../../src/sim/traceVocabulary';

test('the trace vocabulary is the models\' (traceVocabulary.ts)', () => {
  assert.ok(EVENT_TYPES.includes('tokenRequest') && EVENT_TYPES.length >= 12, EVENT_TYPES.join());
  assert.ok(LANE_KINDS.includes('token') && SPAN_KINDS.includes('validity'));
  for (const list of [EVENT_TYPES, LANE_KINDS, SPAN_KINDS]) assert.equal(new Set(list).size, list.length, `declared twice: ${list.join()}`);
});

test('every declared event type has a category and a plain-language label from a model', () => {
  for (const type of EVENT_TYPES) {
    const kind = eventKind(type);
    assert.ok(kind, `no model presents event type ${type}`);
    for (const ok of [undefined, true, false]) {
      const cat = categoryOf({ type: type as Trace['events'][number]['type'], ok });
      assert.ok(MARKER_CATEGORIES.some((c) => c.id === cat), `${type} (ok ${ok}): category ${cat} is not registered`);
      const label = eventLabel({ type: type as Trace['events'][number]['type'], ok });
      assert.match(label, /^[A-Z][a-z]/, `${type}: label "${label}" should read as plain words`);
      assert.doesNotMatch(label, /SPEC|[a-z][A-Z]/, `${type}: label "${label}" should not be an identifier or a spec reference`);
    }
  }
});

test('every declared lane kind and span kind has a style (from a model or the fallback)', () => {
  for (const kind of LANE_KINDS) assert.notEqual(laneKindStyle(kind).label, kind, `lane kind ${kind} has no label`);
  for (const kind of SPAN_KINDS) assert.equal(spanStyle(kind).id, kind, `span kind ${kind} has no style`);
});

test('no two models claim the same category, event type, span, lane kind or series', () => {
  const claims: Array<[string, (p: ModelPresentation) => readonly string[]]> = [
    ['category', (p) => p.categories.map((c) => c.id)],
    ['event type', (p) => p.events.map((e) => e.type)],
    ['span style', (p) => p.spans.map((s) => s.id)],
    ['lane kind', (p) => p.lanes.map((l) => l.kind)],
    ['series', (p) => p.series.map((s) => s.name)],
    ['summary section', (p) => p.sections.map((s) => s.id)],
  ];
  assert.equal(new Set(PRESENTATIONS.map((p) => p.model)).size, PRESENTATIONS.length, 'model names are unique');
  for (const [what, pick] of claims) {
    const owner = new Map<string, string>();
    for (const p of PRESENTATIONS) {
      for (const id of pick(p)) {
        assert.ok(!owner.has(id), `${what} ${id} is claimed by ${owner.get(id)} and ${p.model}`);
        owner.set(id, p.model);
      }
    }
  }
});

test('every category an event kind names exists, and the word-matching fallback only picks registered ones', () => {
  for (const p of PRESENTATIONS) {
    for (const e of p.events) {
      for (const id of [e.category, e.failedCategory ?? e.category]) {
        assert.ok(MARKER_CATEGORIES.some((c) => c.id === id), `${p.model}: ${e.type} names unknown category ${id}`);
      }
    }
  }
  for (const id of FALLBACK_TARGETS) assert.equal(markerCategory(id).id, id, `fallback target ${id} is not registered`);
});

test('legend order is by rank, and ranks are unique', () => {
  const ranks = MARKER_CATEGORIES.map((c) => c.rank);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  assert.equal(new Set(ranks).size, ranks.length);
  assert.equal(new Set(SPAN_STYLES.map((s) => s.rank)).size, SPAN_STYLES.length);
  assert.equal(MARKER_CATEGORIES.at(-1)?.id, 'other');
});

test('fallbacks: unknown event types by words, unknown spans, lanes and series never break a view', () => {
  const unknown = (type: string, ok?: boolean): string => categoryOf({ type, ok } as unknown as Parameters<typeof categoryOf>[0]);
  assert.equal(unknown('cacheHit'), 'cacheHit');
  assert.equal(unknown('pluginStarted'), 'pluginRun');
  assert.equal(unknown('http401'), 'rejected');
  assert.equal(unknown('somethingNew'), 'other');
  assert.equal(unknown('somethingNew', false), 'requestFailed');
  assert.equal(eventLabel({ type: 'cacheHit' } as unknown as Parameters<typeof eventLabel>[0]), 'Cache hit');
  assert.equal(eventLabel({ type: 'pluginStarted', ok: false } as unknown as Parameters<typeof eventLabel>[0]), 'Plugin started (failed)');
  assert.equal(markerCategory('no-such-category').id, 'other');
  assert.equal(spanStyle('no-such-span').id, 'otherSpan');
  assert.deepEqual(laneKindStyle('mystery'), { kind: 'mystery', label: 'mystery', short: 'MYS' });
  assert.deepEqual(seriesStyle('someCounter'), { name: 'someCounter', label: 'Some counter', color: 'purple', kind: 'line', measure: 'counter' });
});

test('a registered model shadows the fallback entry of the same id', () => {
  const fallbackIds = FALLBACK_PRESENTATION.categories.map((c) => c.id);
  for (const p of PRESENTATIONS) for (const c of p.categories) assert.ok(!fallbackIds.includes(c.id) || markerCategory(c.id) === c, `${p.model}: ${c.id}`);
});

test('series totals: counters sum, levels peak, missing series are undefined', () => {
  const trace = {
    series: [
      { name: 'tokenRequests', start: 0, intervalMs: 1, values: [1, 2, 3] },
      { name: 'expiredTokens', start: 0, intervalMs: 1, values: [4, 1, 2] },
      { name: 'emptyLevel', start: 0, intervalMs: 1, values: [] },
    ],
  } as unknown as Trace;
  assert.equal(seriesStyle('expiredTokens').measure, 'level');
  assert.equal(seriesTotal(trace, 'tokenRequests'), 6);
  assert.equal(seriesTotal(trace, 'expiredTokens'), 4);
  assert.equal(seriesTotal(trace, 'staleServes'), undefined);
});
