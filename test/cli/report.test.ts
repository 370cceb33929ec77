// The CSV and HTML renderers on a hand-made Trace: quoting, escaping, self-containment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, traceCsvChunks, traceToCsv } from '../../src/sim/traceCsv';
import { traceJsonChunks } from '../../src/sim/traceJson';
import { escapeHtml, renderHtmlReport } from '../../src/cli/htmlReport';
import { formatSummary } from '../../src/cli/summary';
import type { Trace } from '../../src/sim/trace';

const T0 = Date.UTC(2026, 0, 1);
const H = 3_600_000;

const trace: Trace = {
  version: 1,
  meta: { name: 'Test <run> & "quotes"', seed: 7, start: T0, end: T0 + 6 * H, models: ['kubelet 1.34+'], lanesTotal: 3, eventsTotal: 4 },
  lanes: [
    { id: 'api', kind: 'apiServer', label: 'API server', detailed: true },
    { id: 'tok', kind: 'token', label: 'vault/<token>', group: 'shop/web-0', detailed: true },
  ],
  spans: [
    { lane: 'api', kind: 'outage', start: T0 + 2 * H, end: T0 + 3.5 * H, label: 'outage' },
    { lane: 'tok', kind: 'validity', start: T0, end: T0 + 600_000 },
    { lane: 'tok', kind: 'refreshWindow', start: T0 + 471_000, end: T0 + 480_000, label: 'refresh (80% rule)', rule: 'SPEC A.5: 80 % of TTL' },
  ],
  events: [
    { t: T0, lane: 'tok', type: 'tokenRequest', ok: true, rule: 'SPEC A.3', data: { expirationSeconds: 600, expirationTimestamp: T0 + 600_000 } },
    { t: T0 + 500, lane: 'tok', type: 'tokenWritten', rule: 'sync' },
    { t: T0 + 2 * H, lane: 'tok', type: 'tokenRequest', ok: false, error: 'dial tcp: "refused", retry\nlater', rule: 'SPEC A.3 step 4' },
    { t: T0 + 2 * H, lane: 'tok', type: 'tokenServedStale', rule: 'SPEC A.3 step 4 <stale>' },
  ],
  series: [
    { name: 'tokenRequests', start: T0, intervalMs: H, values: [1, 0, 1, 0, 0, 0] },
    { name: 'tokenRequestFailures', start: T0, intervalMs: H, values: [0, 0, 1, 0, 0, 0] },
  ],
};

test('csvField quotes only when needed, doubling quotes', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
});

test('traceToCsv: header, one record per event, RFC 3339 and ms times', () => {
  const csv = traceToCsv(trace);
  assert.ok(csv.startsWith('t_iso,t_ms,lane,type,ok,error,rule\n'));
  assert.ok(csv.includes(`2026-01-01T00:00:00Z,${T0},tok,tokenRequest,true,,SPEC A.3\n`));
  assert.ok(csv.includes(`2026-01-01T02:00:00Z,${T0 + 2 * H},tok,tokenRequest,false,"dial tcp: ""refused"", retry\nlater",SPEC A.3 step 4\n`));
  assert.ok(csv.includes(`2026-01-01T00:00:00.500Z,${T0 + 500},tok,tokenWritten,,,sync\n`));
});

test('escapeHtml escapes the five special characters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
});

test('renderHtmlReport: self-contained, escaped, with timeline parts and tooltips', () => {
  const html = renderHtmlReport(trace);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<svg class="timeline"/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.doesNotMatch(html, /<script|<link|@import|url\(/i);
  assert.doesNotMatch(html, /\b(src|href)\s*=/i);
  // Text from the trace is escaped wherever it appears.
  assert.ok(!html.includes('<run>') && !html.includes('vault/<token>') && !html.includes('<stale>'));
  assert.ok(html.includes('Test &#60;run&#62; &#38; &#34;quotes&#34;'));
  // Lanes, outage band, spans, markers with <title> tooltips, axis and the bar strip: drawn in the
  // timeline's vocabulary (marker category and span style ids, the series' colours and labels).
  assert.match(html, /class="backdrop outage"/);
  assert.match(html, /class="span validity"/);
  // Rule texts read as plain sentences: the citations of our upstream notes stay in the trace, not in the report.
  assert.match(html, /class="span refreshWindow"[^>]*><title>[^<]*— 80 % of TTL/);
  assert.doesNotMatch(html, /SPEC [A-D]/);
  assert.match(html, /class="mark requestOk"/);
  assert.match(html, /class="mark requestFailed"><title>2026-01-01T02:00:00Z \(\+2h\) tokenRequest FAILED: dial tcp: &#34;refused&#34;/);
  assert.match(html, /class="mark stale"/);
  assert.match(html, /class="mark written"/);
  assert.match(html, /class="tick"[^>]*>01-01 00:00/);
  assert.match(html, /class="bar c-red"[^>]*><title>2026-01-01T02:00:00Z \(\+2h\): Token requests: 1, Request failures: 1</);
  assert.match(html, /Token requests per 1h/);
  // The legend lists what the trace holds, with the timeline's labels.
  assert.match(html, /<ul class="legend">[^]*Token validity[^]*Refresh window[^]*Outage[^]*Token request[^]*Request failed[^]*Written to pod[^]*Stale serve[^]*<\/ul>/);
  // Summary table with the window from the last issued token.
  assert.match(html, /<td>shop\/web-0 vault\/&#60;token&#62;<\/td>/);
  assert.match(html, /issue \+7m51s … \+8m/);
  assert.match(html, /1 more lane ran without detail/);
});

test('formatSummary on a hand-made trace', () => {
  const text = formatSummary(trace);
  assert.match(text, /^Simulation: Test <run> & "quotes"\n/);
  assert.match(text, /shop\/web-0 vault\/<token>\s+1\s+2\s+1\s+1\s+0\s+0\s+2026-01-01T00:07:51Z … 2026-01-01T00:08:00Z \(issue \+7m51s … \+8m, refresh \(80% rule\)\)/);
  assert.match(text, /Totals: 1 issued, 2 TokenRequests, 1 failed, 1 stale serve, 0 expiries \(lanes with detail\)\n/);
  assert.match(text, /API server: 2026-01-01T02:00:00Z → 2026-01-01T03:30:00Z \(\+2h → \+3h30m, 1h30m\)/);
});

test('a 90-day run at 1-minute intervals renders its static report and summary (no spread of every bucket into one call)', () => {
  const start = Date.UTC(2026, 0, 1);
  const n = 90 * 1440;
  const values: number[] = Array.from({ length: n }, (_, i) => (i % 997 === 0 ? 3 : 0));
  values[n - 1] = 7;
  const trace: Trace = {
    version: 1,
    meta: { seed: 1, start, end: start + n * 60_000, models: ['test'], lanesTotal: 1, eventsTotal: 0 },
    lanes: [{ id: 'apiserver', kind: 'apiServer', label: 'kube-apiserver TokenRequest', detailed: true }],
    spans: [],
    events: [],
    series: [
      { name: 'tokenRequests', start, intervalMs: 60_000, values },
      { name: 'expiredTokens', start, intervalMs: 60_000, values },
    ],
  };
  const html = renderHtmlReport(trace, { title: 'long' });
  assert.match(html, /peak 7</);
  assert.match(formatSummary(trace), /\S/);
});

test('traceJsonChunks and traceCsvChunks give exactly JSON.stringify / traceToCsv, in pieces of bounded size', () => {
  const start = Date.UTC(2026, 0, 1);
  const events = Array.from({ length: 5000 }, (_, i) => ({ t: start + i * 1000, lane: `l/${i % 7}`, type: 'tokenRequest' as const, rule: `r "${i}", x`, ok: i % 3 !== 0, ...(i % 3 === 0 ? { error: 'boom\nline' } : {}), data: { i, s: 'é' } }));
  const trace: Trace = {
    version: 1,
    meta: { name: 'chunks', seed: 1, start, end: start + 5000 * 1000, models: ['m'], lanesTotal: 7, eventsTotal: events.length },
    lanes: [{ id: 'l/0', kind: 'token', label: 'a', group: 'g', detailed: true }],
    spans: [],
    events,
    series: [{ name: 'tokenRequests', start, intervalMs: 60_000, values: Array.from({ length: 3000 }, (_, i) => i % 5) }],
  };
  const pieces = [...traceJsonChunks(trace)];
  assert.equal(pieces.join(''), JSON.stringify(trace));
  assert.ok(pieces.length > 4 && pieces.every((p) => p.length < 70 * 1024), 'streamed in pieces');
  const csv = [...traceCsvChunks(trace)];
  assert.equal(csv.join(''), traceToCsv(trace));
  assert.ok(csv.length > 1);
});
