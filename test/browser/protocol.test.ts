// The webview protocol (src/protocol.ts), without a browser: every message type both ways, the
// what-if payloads, PNG data URLs, trace checks, persisted state and the HTML skeleton / CSP.
// (The what-if ranges and messages themselves: test/unit/whatIf/.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkJsonRecord,
  checkPngDataUrl,
  checkTrace,
  dispatchMessage,
  HOST_MESSAGE_PARSERS,
  parseHostMessage,
  parseWebviewMessage,
  parseWebviewState,
  timelineCsp,
  timelineHtml,
  traceKey,
  MAX_PNG_BYTES,
  WEBVIEW_MESSAGE_PARSERS,
  type HostMessage,
} from '../../src/protocol';
import { HAND_VALUES, handTrace, handWhatIf, syntheticTrace } from './traces';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkTraceColumns } from '../../src/protocol';
import { eventAt, traceFromColumns, traceToColumns, type SeriesColumns, type TraceColumns } from '../../src/traceColumns';
import type { Trace } from '../../src/sim/trace';
import { loadScenario } from '../../src/sim/scenario/load';
import { runScenario } from '../../src/sim/engine/run';

const PNG_1X1 =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function errorOf(r: { ok: boolean; error?: string }): string {
  assert.equal(r.ok, false, 'expected a rejection');
  return r.error ?? '';
}

test('webview → host: every message type parses, unknown and malformed ones are rejected precisely', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
  assert.deepEqual(parseWebviewMessage({ type: 'rerun', values: HAND_VALUES }), { ok: true, message: { type: 'rerun', values: HAND_VALUES } });
  assert.equal(parseWebviewMessage({ type: 'saveScenario', values: HAND_VALUES }).ok, true);
  assert.deepEqual(parseWebviewMessage({ type: 'export', format: 'csv' }), { ok: true, message: { type: 'export', format: 'csv' } });
  assert.equal(parseWebviewMessage({ type: 'exportPng', dataUrl: PNG_1X1 }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'reportError', message: 'x' }).ok, true);
  assert.deepEqual(parseWebviewMessage({ type: 'selectEvent', lane: 'a', t: 5, eventType: 'tokenRequest' }), {
    ok: true,
    message: { type: 'selectEvent', lane: 'a', t: 5, eventType: 'tokenRequest' },
  });

  assert.match(errorOf(parseWebviewMessage({ type: 'export', format: 'xml' })), /export\.format must be "csv" or "json", got "xml"/);
  assert.match(errorOf(parseWebviewMessage({ type: 'rerun' })), /rerun\.values must be an object, got nothing/);
  assert.match(errorOf(parseWebviewMessage({ type: 'saveScenario', values: [] })), /saveScenario\.values must be an object, got a list/);
  assert.match(errorOf(parseWebviewMessage({ type: 'selectEvent', lane: 'a', t: 'now', eventType: 'x' })), /selectEvent\.t must be a finite number/);
  assert.match(errorOf(parseWebviewMessage({ type: 'exec', command: 'rm -rf /' })), /unknown message type "exec"/);
  assert.match(errorOf(parseWebviewMessage(null)), /message is not an object, got null/);
  assert.match(errorOf(parseWebviewMessage({ type: 'reportError', message: 'x'.repeat(10_001) })), /longer than 10000/);
});

test('the parser maps: a type that is only an Object.prototype key is unknown, not a crash', () => {
  for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    assert.match(errorOf(parseWebviewMessage({ type })), /unknown message type/);
    assert.match(errorOf(parseHostMessage({ type })), /unknown message type/);
  }
  assert.match(errorOf(parseWebviewMessage({ type: 5 })), /unknown message type 5/);
  assert.match(errorOf(parseWebviewMessage({})), /unknown message type undefined/);
  // The maps hold exactly the message types (the compiler checks the union side: test/types/messageMaps.ts).
  assert.deepEqual(Object.keys(WEBVIEW_MESSAGE_PARSERS).sort(), ['export', 'exportPng', 'ready', 'reportError', 'rerun', 'saveScenario', 'selectEvent']);
  assert.deepEqual(Object.keys(HOST_MESSAGE_PARSERS).sort(), ['busy', 'error', 'showTrace']);
});

test('dispatchMessage calls the handler of the message type with that message', () => {
  const seen: string[] = [];
  const handlers = {
    showTrace: (m: Extract<HostMessage, { type: 'showTrace' }>) => void seen.push(`trace ${m.title}`),
    busy: (m: Extract<HostMessage, { type: 'busy' }>) => void seen.push(`busy ${m.on}`),
    error: (m: Extract<HostMessage, { type: 'error' }>) => void seen.push(`error ${m.message}`),
  };
  dispatchMessage<HostMessage, void>(handlers, { type: 'busy', on: true });
  dispatchMessage<HostMessage, void>(handlers, { type: 'error', message: 'boom' });
  assert.deepEqual(seen, ['busy true', 'error boom']);
});

test('what-if values from the webview: only the structure is checked here (the host re-checks against its fields)', () => {
  // Values the form would reject still parse: the host, not the parser, owns the fields.
  assert.equal(parseWebviewMessage({ type: 'rerun', values: { ...HAND_VALUES, seed: 1.5, extra: 'x' } }).ok, true);
  assert.equal(checkJsonRecord({ a: [{ b: 'c' }], n: null, t: true }, 'v'), undefined);
  assert.match(checkJsonRecord({ a: Number.NaN }, 'v') ?? '', /v\.a must be a finite number/);
  assert.match(checkJsonRecord({ a: 'x'.repeat(1001) }, 'v') ?? '', /v\.a is longer than 1000 characters/);
  assert.match(checkJsonRecord({ a: [[[[1]]]] }, 'v') ?? '', /nested deeper than 4 levels/);
  assert.match(checkJsonRecord(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 1])), 'v') ?? '', /more than 200 keys/);
  assert.match(checkJsonRecord({ a: Array.from({ length: 6000 }, () => 1) }, 'v') ?? '', /more than 5000 values/);
  assert.match(checkJsonRecord({ a: undefined }, 'v') ?? '', /v\.a must be a JSON value, got nothing/);
  assert.match(errorOf(parseWebviewMessage({ type: 'rerun', values: { f: () => 1 } })), /rerun\.values\.f must be a JSON value/);
});

test('host → webview: the what-if form is checked (contract structure, then values against it)', () => {
  const trace = handTrace();
  const show = (whatIf: unknown): ReturnType<typeof parseHostMessage> => parseHostMessage({ type: 'showTrace', title: 't', trace, whatIf });
  const ok = show(handWhatIf());
  assert.ok(ok.ok && ok.message.type === 'showTrace');
  assert.deepEqual(ok.ok && ok.message.type === 'showTrace' ? ok.message.whatIf : undefined, handWhatIf());
  // "0" max expiration comes out normalised, as the host would apply it.
  const zero = show(handWhatIf({ ...HAND_VALUES, maxTokenExpiration: '0' }));
  assert.ok(zero.ok && zero.message.type === 'showTrace' && zero.message.whatIf?.values.maxTokenExpiration === '');
  assert.match(errorOf(show(handWhatIf({ ...HAND_VALUES, expirationSeconds: 60 }))), /^showTrace\.whatIf\.values\.expirationSeconds must be between 600 and 4294967296, got 60$/);
  assert.match(errorOf(show(handWhatIf({ ...HAND_VALUES, outages: [{ from: '7h', to: '8h' }] }))), /showTrace\.whatIf\.values\.outages\[0\]\.from starts at or after the horizon \(6h\)/);
  assert.match(errorOf(show({ ...handWhatIf(), fields: [{ kind: 'slider', id: 'x' }] })), /showTrace\.whatIf: fields\[0\]\.kind must be one of/);
  const dup = handWhatIf();
  assert.match(errorOf(show({ ...dup, fields: [...dup.fields, dup.fields[0]] })), new RegExp(`fields\\[${dup.fields.length}\\]\\.id "horizon" is not unique`));
  assert.match(errorOf(show({ ...dup, checks: [{ kind: 'windowsStartBefore', windows: 'seed', limit: 'horizon', limitName: 'x' }] })), /checks\[0\] must name a windows field/);
  assert.match(errorOf(show('form')), /showTrace\.whatIf must be an object, got "form"/);
});

test('PNG data URLs: prefix, base64, signature and the size limit', () => {
  assert.equal(checkPngDataUrl(PNG_1X1), undefined);
  assert.match(checkPngDataUrl('data:image/jpeg;base64,AAAA') ?? '', /must start with "data:image\/png;base64,"/);
  assert.match(checkPngDataUrl('data:image/png;base64,AAA') ?? '', /not a positive multiple of 4/);
  assert.match(checkPngDataUrl('data:image/png;base64,AA$A') ?? '', /bad character at 2/);
  assert.match(checkPngDataUrl('data:image/png;base64,AA=A') ?? '', /bad character at 2/);
  assert.match(checkPngDataUrl('data:image/png;base64,R0lGODlh') ?? '', /no PNG signature/);
  const big = 'data:image/png;base64,iVBORw0KGgo' + 'A'.repeat(Math.ceil(MAX_PNG_BYTES / 3) * 4);
  assert.match(checkPngDataUrl(big) ?? '', /larger than 20 MB/);
  assert.match(checkPngDataUrl(42) ?? '', /must be a string, got number 42/);
});

test('host → webview: showTrace with a what-if form and anchorNow, busy, error; trace problems are precise', () => {
  const trace = handTrace();
  const ok = parseHostMessage({ type: 'showTrace', title: 't', trace, whatIf: handWhatIf(), anchorNow: trace.meta.start });
  assert.ok(ok.ok && ok.message.type === 'showTrace' && ok.message.anchorNow === trace.meta.start && ok.message.whatIf?.values.seed === 7);
  assert.deepEqual(parseHostMessage({ type: 'busy', on: true }), { ok: true, message: { type: 'busy', on: true } });
  assert.deepEqual(parseHostMessage({ type: 'error', message: 'boom' }), { ok: true, message: { type: 'error', message: 'boom' } });
  assert.match(errorOf(parseHostMessage({ type: 'showTrace', title: 't', trace, anchorNow: 'now' })), /anchorNow must be a finite number/);

  const bad = (mutate: (t: ReturnType<typeof handTrace>) => void): string => {
    const t = handTrace();
    mutate(t);
    return checkTrace(t) ?? '';
  };
  assert.equal(checkTrace(trace), undefined);
  assert.match(bad((t) => (t.lanes[1]!.id = 'apiserver')), /trace\.lanes\[1\]\.id "apiserver" is not unique/);
  assert.match(bad((t) => (t.spans[2]!.end = t.spans[2]!.start - 1)), /trace\.spans\[2\] ends .* before it starts/);
  assert.match(bad((t) => (t.spans[0]!.lane = 'ghost')), /trace\.spans\[0\]\.lane "ghost" is not in trace\.lanes/);
  assert.match(bad((t) => ((t.events[4]!.data as Record<string, unknown>).x = { nested: true })), /trace\.events\[4\]\.data\.x must be a string, number or boolean/);
  assert.match(bad((t) => ((t.events[0] as unknown as Record<string, unknown>).ok = 'yes')), /trace\.events\[0\]\.ok must be true or false/);
  assert.match(bad((t) => (t.series[0]!.values[3] = Number.NaN)), /trace\.series\[0\]\.values\[3\] must be a finite number/);
  assert.match(bad((t) => (t.series[0]!.intervalMs = 0)), /intervalMs must be > 0/);
  assert.match(bad((t) => ((t.lanes[0] as unknown as Record<string, unknown>).detailed = undefined)), /trace\.lanes\[0\]\.detailed must be true or false/);
  // Event types and span kinds the model may add later are accepted.
  assert.equal(
    bad((t) => {
      (t.events[0] as unknown as Record<string, unknown>).type = 'cacheHit';
      (t.spans[0] as unknown as Record<string, unknown>).kind = 'backoff';
    }),
    '',
  );
});

test('persisted state round-trips and malformed state is ignored', () => {
  const trace = handTrace();
  const state = { version: 1, title: 't', traceKey: traceKey(trace), whatIf: handWhatIf(), trace, view: { now: trace.meta.start, speed: 60_000, zoom: [trace.meta.start, trace.meta.end], laneOffset: 2, hidden: ['Token request'] } };
  // The parsed state also names the values to re-run with.
  assert.deepEqual(parseWebviewState(JSON.parse(JSON.stringify(state))), { ...state, values: HAND_VALUES });
  assert.equal(parseWebviewState({ ...state, version: 2 }), undefined);
  assert.equal(parseWebviewState({ ...state, view: { ...state.view, speed: 0 } }), undefined);
  assert.equal(parseWebviewState(undefined), undefined);
  // A bad embedded trace or a bad what-if form are dropped, the rest is kept.
  const partial = parseWebviewState({ ...state, trace: { version: 9 }, whatIf: handWhatIf({ ...HAND_VALUES, seed: 'x' }) });
  assert.ok(partial && partial.trace === undefined && partial.whatIf === undefined && partial.values === undefined && partial.view.laneOffset === 2);
  // State saved before the form was generic held `params` (the same keys): they become the values
  // to re-run with (the host re-checks them); the page has no form to show until the host sends one.
  const { whatIf: _form, ...withoutForm } = state;
  const legacy = parseWebviewState({ ...withoutForm, params: HAND_VALUES });
  assert.ok(legacy && legacy.whatIf === undefined);
  assert.deepEqual(legacy.values, HAND_VALUES);
  assert.equal(parseWebviewState({ ...withoutForm, params: 'x' })?.values, undefined);
});

test('the HTML skeleton carries the strict CSP, one stylesheet, #app and one nonce script', () => {
  const csp = timelineCsp('https://x.vscode-cdn.net', 'abc123');
  assert.equal(csp, "default-src 'none'; img-src https://x.vscode-cdn.net data:; style-src https://x.vscode-cdn.net 'nonce-abc123'; script-src 'nonce-abc123'; font-src https://x.vscode-cdn.net");
  assert.ok(!csp.includes('unsafe'), 'no unsafe-inline / unsafe-eval');
  const html = timelineHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/timeline.css', title: 'a "quoted" <title>' });
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/media\/timeline\.css">/);
  assert.match(html, /<div id="app"><\/div>/);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\/dist\/webview\.js"><\/script>/);
  assert.match(html, /<title>a &quot;quoted&quot; &lt;title&gt;<\/title>/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
});

// ---- the trace as columns (src/traceColumns.ts): what the host and the HTML report post ----

test('a trace as columns decodes to the very trace it was made from (hand-made, synthetic, a real run)', () => {
  const scenario = loadScenario(readFileSync(join(process.cwd(), 'examples/shop-outage.yaml'), 'utf8'), 'shop-outage.yaml');
  assert.ok(scenario.ok);
  for (const trace of [handTrace(), syntheticTrace({ lanes: 30, events: 1_500, hours: 12 }), runScenario(scenario.scenario)]) {
    const columns = traceToColumns(trace);
    assert.equal(checkTraceColumns(columns), undefined);
    assert.deepEqual(traceFromColumns(columns), trace);
    assert.equal(traceKey(columns), traceKey(trace), 'the same view-state key in both forms');
    // Strings are sent once each.
    assert.equal(new Set(columns.strings).size, columns.strings.length);
    for (let i = 0; i < trace.events.length; i += 97) assert.deepEqual(eventAt(columns, i), trace.events[i]);
  }
});

test('the columns round-trip any trace (property)', () => {
  const text = fc.string({ maxLength: 6 });
  const arbTrace = fc
    .record({
      lanes: fc.uniqueArray(fc.record({ id: text, kind: fc.constantFrom('token', 'apiServer', 'future'), label: text, group: fc.option(text, { nil: undefined }), detailed: fc.boolean() }), { selector: (l) => l.id, minLength: 1, maxLength: 5 }),
      spans: fc.array(fc.record({ lane: fc.nat(), kind: fc.constantFrom('validity', 'outage', 'future'), start: fc.integer({ min: 0, max: 1e6 }), len: fc.nat(1e5), label: fc.option(text, { nil: undefined }), rule: fc.option(text, { nil: undefined }) }), { maxLength: 8 }),
      events: fc.array(fc.record({ t: fc.integer({ min: 0, max: 1e6 }), lane: fc.nat(), type: fc.constantFrom('tokenRequest', 'future'), rule: text, ok: fc.option(fc.boolean(), { nil: undefined }), error: fc.option(text, { nil: undefined }), data: fc.option(fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 3 }), { nil: undefined }) }), { maxLength: 12 }),
    })
    .map(({ lanes, spans, events }): Trace => {
      const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
      const laneId = (i: number): string => (lanes[i % lanes.length] as { id: string }).id;
      return {
        version: 1,
        meta: { seed: 1, start: 0, end: 2e6, models: [], lanesTotal: lanes.length, eventsTotal: events.length },
        lanes: lanes.map((l) => strip(l) as Trace['lanes'][number]),
        spans: spans.map(({ len, lane, ...s }) => strip({ ...s, lane: laneId(lane), end: s.start + len }) as Trace['spans'][number]),
        events: events.map(({ lane, ...e }) => strip({ ...e, lane: laneId(lane) }) as Trace['events'][number]),
        series: [{ name: 'tokenRequests', start: 0, intervalMs: 1000, values: [1, 2, 3] }],
      };
    });
  fc.assert(
    fc.property(arbTrace, (trace) => {
      const columns = traceToColumns(trace);
      assert.equal(checkTraceColumns(columns), undefined);
      assert.deepEqual(traceFromColumns(columns), trace);
      assert.equal(checkTrace(traceFromColumns(columns)), undefined);
    }),
    { numRuns: 200 },
  );
});

test('showTrace takes the columns as they are, and a Trace of objects as columns', () => {
  const trace = handTrace();
  const columns = traceToColumns(trace);
  const sent = parseHostMessage({ type: 'showTrace', title: 't', trace: columns });
  assert.ok(sent.ok && sent.message.type === 'showTrace' && sent.message.trace === columns, 'no copy of what arrived');
  const objects = parseHostMessage({ type: 'showTrace', title: 't', trace });
  assert.ok(objects.ok && objects.message.type === 'showTrace');
  assert.deepEqual(objects.message.trace, columns);
});

test('a trace as columns is checked column by column: type, length, index range, bounds, with the field named', () => {
  const bad = (mutate: (c: TraceColumns) => void): string => {
    const c = traceToColumns(handTrace());
    mutate(c);
    const problem = checkTraceColumns(c) ?? '';
    // The message parser says the same.
    assert.equal(errorOf(parseHostMessage({ type: 'showTrace', title: 't', trace: c })), problem);
    return problem;
  };
  assert.match(bad((c) => ((c as unknown as Record<string, unknown>).columns = 2)), /^trace\.columns must be 1, got 2$/);
  assert.match(bad((c) => ((c.events as unknown as Record<string, unknown>).t = Array.from(c.events.t))), /^trace\.events\.t must be a Float64Array, got a list$/);
  assert.match(bad((c) => ((c.events as unknown as Record<string, unknown>).lane = new Int32Array(c.events.lane))), /^trace\.events\.lane must be a Uint32Array/);
  assert.match(bad((c) => (c.events.rule = c.events.rule.subarray(1))), /^trace\.events\.rule has 21 values, expected 22$/);
  assert.match(bad((c) => (c.events.lane[3] = 4)), /^trace\.events\.lane\[3\] is 4, not an index into the lanes \(0–3\)$/);
  assert.match(bad((c) => (c.events.error[2] = c.strings.length)), /^trace\.events\.error\[2\] is \d+, not -1 \(none\) or an index into trace\.strings/);
  assert.match(bad((c) => (c.events.t[5] = Number.NaN)), /^trace\.events\.t\[5\] must be a finite number, got NaN$/);
  assert.match(bad((c) => (c.events.ok[0] = 2)), /^trace\.events\.ok\[0\] is 2, not 1 \(ok\), 0 \(failed\) or -1 \(none\)$/);
  assert.match(bad((c) => (c.events.data[0] = 1)), /^trace\.events\.data\[0\] is 1, not -1 \(none\) or an index into trace\.data \(0–0\)$/);
  assert.match(bad((c) => ((c.data[0] as Record<string, unknown>).x = { nested: true })), /^trace\.data\[0\]\.x must be a string \(at most 10000 characters\), number or boolean, got an object$/);
  assert.match(bad((c) => (c.spans.end[2] = (c.spans.start[2] as number) - 1)), /^trace\.spans\[2\] ends .* before it starts/);
  assert.match(bad((c) => (c.spans.label[0] = -2)), /^trace\.spans\.label\[0\] is -2, not -1 \(none\) or an index into trace\.strings/);
  assert.match(bad((c) => (c.lanes.id[1] = c.lanes.id[0] as number)), /^trace\.lanes\[1\]\.id "apiserver" is not unique$/);
  assert.match(bad((c) => (c.lanes.detailed[0] = 3)), /^trace\.lanes\.detailed\[0\] is 3, not an index into false\/true/);
  assert.match(bad((c) => ((c.strings as unknown[])[0] = 7)), /^trace\.strings\[0\] must be a string, got number 7$/);
  assert.match(bad((c) => (c.strings[0] = 'x'.repeat(10_001))), /^trace\.strings\[0\] is longer than 10000 characters$/);
  assert.match(bad((c) => ((c.series[0] as unknown as Record<string, unknown>).values = [1, 2])), /^trace\.series\[0\]\.values must be a Float64Array, got a list$/);
  assert.match(bad((c) => ((c.series[0] as SeriesColumns).values[3] = Number.POSITIVE_INFINITY)), /^trace\.series\[0\]\.values\[3\] must be a finite number, got Infinity$/);
  assert.match(bad((c) => ((c.meta as unknown as Record<string, unknown>).start = 'soon')), /^trace\.meta must have numeric start <= end$/);
  // An object dressed as a typed array is not one.
  assert.match(bad((c) => ((c.events as unknown as Record<string, unknown>).t = { length: 22, 0: 1 })), /^trace\.events\.t must be a Float64Array, got an object$/);
});
