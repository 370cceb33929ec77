// renderInteractiveReport with hand-made assets: nothing in the bundle, CSS, title or trace can end its
// element early, the CSP hashes match, and the page's CSV port equals traceToCsv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { PAGE_CSV_JS, renderInteractiveReport } from '../../src/cli/interactiveReport';
import { loadScenario } from '../../src/sim/scenario/load';
import { runScenario } from '../../src/sim/engine/run';
import type { Trace } from '../../src/sim/trace';
import { traceToCsv } from '../../src/sim/traceCsv';
import { repoRoot } from './fakeIO';

const T0 = Date.UTC(2026, 0, 1);

const evil: Trace = {
  version: 1,
  meta: { name: '</script><script>alert(1)</script>', seed: 1, start: T0, end: T0 + 3_600_000, models: [], lanesTotal: 1, eventsTotal: 3 },
  lanes: [{ id: 'a</script>', kind: 'token', label: '<!--<script>', detailed: true }],
  spans: [],
  events: [
    { t: T0, lane: 'a</script>', type: 'tokenRequest', ok: false, error: 'say "</SCRIPT>", then\r\nstop, <!--', rule: 'r,1' },
    { t: T0 + 1500, lane: 'a</script>', type: 'tokenWritten', rule: 'x\u2028y' },
    { t: Date.UTC(-5, 1, 29, 23, 59, 59, 7), lane: 'a</script>', type: 'tokenExpired', ok: true, rule: '' },
  ],
  series: [],
};

const assets = {
  webviewJs: 'const s = "</script><!--<script>";\r\nconsole.log(s);\n//# sourceMappingURL=webview.js.map\n',
  timelineCss: 'body { color: red; } /* </style> */',
  themeCss: ':root { --vscode-foreground: #000; }',
};

const sha = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('renderInteractiveReport: only the real tags end the elements; hashes match the escaped text', () => {
  const html = renderInteractiveReport(evil, assets, { title: 'A <b>"title"</b> & more' });
  assert.equal(html.match(/<\/script/gi)?.length, 3, 'data block, stub, bundle');
  assert.equal(html.match(/<\/style/gi)?.length, 1);
  assert.ok(!html.includes('<!--'), 'no comment opener anywhere');
  assert.ok(!html.includes('\r'), 'line endings normalised (the parser would, and the hash must agree)');
  assert.ok(!html.includes('sourceMappingURL'));
  assert.ok(html.includes('<title>A &lt;b&gt;&quot;title&quot;&lt;/b&gt; &amp; more</title>'));

  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  assert.equal(scripts[1], 'const s = "<\\/script>\\x3C!--<script>";\nconsole.log(s);\n');
  // …and still means the same to JavaScript.
  assert.equal(runInNewContext(`${scripts[1] ?? ''}; s`, { console: { log: () => undefined } }), '</script><!--<script>');
  const csp = /content="([^"]*)"/.exec(html)?.[1] ?? '';
  assert.ok(csp.includes(`style-src ${sha(style)};`), csp);
  assert.ok(csp.includes(`script-src ${scripts.map(sha).join(' ')};`), csp);

  // The data block parses back to the same trace, title included.
  const block = /<script type="application\/json" id="trace" data-title="([^"]*)">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(block);
  assert.deepStrictEqual(JSON.parse(block[2] ?? ''), evil);
  assert.equal(block[1], 'A &lt;b&gt;&quot;title&quot;&lt;/b&gt; &amp; more');
});

test('renderInteractiveReport: titles longer than the webview accepts are cut to 500 characters', () => {
  const html = renderInteractiveReport(evil, assets, { title: 'x'.repeat(600) });
  assert.match(html, /data-title="x{500}"/);
});

test('the page computes the same CSV as traceToCsv', () => {
  const pageCsv = (trace: Trace): string => runInNewContext(`${PAGE_CSV_JS}\ntraceCsv(trace)`, { trace }) as string;
  assert.equal(pageCsv(evil), traceToCsv(evil));
  const file = 'examples/issue-example.yaml';
  const loaded = loadScenario(readFileSync(join(repoRoot(), file), 'utf8'), file);
  assert.ok(loaded.ok);
  const trace = runScenario(loaded.scenario);
  assert.equal(pageCsv(trace), traceToCsv(trace));
});
