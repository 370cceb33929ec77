import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { USAGE } from '../../src/cli/usage';
import { loadScenario } from '../../src/sim/scenario/load';
import { runScenario } from '../../src/sim/engine/run';
import type { Trace } from '../../src/sim/trace';
import pkg from '../../package.json';
import { fakeIO, repoRoot } from './fakeIO';

const ISSUE = 'examples/issue-example.yaml';

function issueTrace(): Trace {
  const r = loadScenario(readFileSync(join(repoRoot(), ISSUE), 'utf8'), ISSUE);
  assert.ok(r.ok);
  return runScenario(r.scenario);
}

test('no arguments, help, --help, -h: usage on stdout, exit 0', async () => {
  for (const argv of [[], ['help'], ['--help'], ['-h'], ['simulate', '--help']]) {
    const f = fakeIO();
    assert.equal(await main(argv, f.io), 0, argv.join(' '));
    assert.equal(f.stdout(), USAGE);
    assert.equal(f.stderr(), '');
  }
});

test('--version prints the package version', async () => {
  const f = fakeIO();
  assert.equal(await main(['--version'], f.io), 0);
  assert.equal(f.stdout(), `${pkg.version}\n`);
});

test('usage errors: message and usage on stderr, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command "frobnicate"/],
    [['simulate'], /simulate needs a scenario file/],
    [['simulate', 'a.yaml', 'b.yaml'], /takes one scenario file/],
    [['simulate', ISSUE, '--bogus'], /unknown option --bogus/],
    [['simulate', ISSUE, '--json', '--csv'], /choose one of --json, --csv, --html and --html-static/],
    [['simulate', ISSUE, '--html', 'a.html', '--html-static', 'b.html'], /choose one of --json, --csv, --html and --html-static/],
    [['simulate', ISSUE, '--html'], /--html needs a value/],
    [['simulate', ISSUE, '--html-static'], /--html-static needs a value/],
    [['simulate', ISSUE, '--mode', 'fast'], /--mode must be skip or step/],
    [['simulate', ISSUE, '--json=yes'], /--json takes no value/],
    [['explain-refresh'], /needs --ttl/],
    [['explain-refresh', '--ttl', '1h'], /--ttl must be a whole number of seconds/],
    [['explain-refresh', '--ttl', '600', '--version', '1.25'], /--version must be one of 1\.19, 1\.20, 1\.34/],
    [['explain-refresh', '--ttl', '600', '--issued', 'today'], /--issued: "today" is not an RFC 3339 date-time/],
    [['explain-refresh', '--ttl', '600', '--ttl', '700'], /--ttl given twice/],
    [['explain-refresh', '-x'], /unknown option -x/],
  ];
  for (const [argv, message] of cases) {
    const f = fakeIO();
    assert.equal(await main(argv, f.io), 2, argv.join(' '));
    assert.match(f.stderr(), message);
    assert.ok(f.stderr().endsWith(USAGE), 'usage follows the message');
    assert.equal(f.stdout(), '');
  }
});

test('a bad scenario: file:line:col: error: message (path) on stderr, exit 1', async () => {
  const bad = 'start: 2026-01-01T00:00:00Z\nhorizon: 6\npods:\n  - name: a\n    tokens: [{ path: t, expirationSecond: 600 }]\n';
  const f = fakeIO({ 'bad.yaml': bad });
  assert.equal(await main(['simulate', 'bad.yaml'], f.io), 1);
  assert.equal(f.stdout(), '');
  assert.deepEqual(f.stderr().trimEnd().split('\n'), [
    'bad.yaml:2:10: error: expected a duration such as "90s", "48m" or "1h30m", got number 6 (add a unit, e.g. "6s") (horizon)',
    // The misspelt key leaves the token without expirationSeconds: the warning says what that means.
    'bad.yaml:5:14: warning: no expirationSeconds: the API server gives this token its default lifetime (3600 s) and the kubelet refreshes it at 80 % of that; the request leaves the field unset, so its kubelet cache entry differs from an explicit 3600 (pods[0].tokens[0])',
    'bad.yaml:5:25: error: unknown property "expirationSecond" (did you mean "expirationSeconds"?) (pods[0].tokens[0].expirationSecond)',
  ]);
  const syntax = fakeIO({ 's.yaml': 'pods: [\n' });
  assert.equal(await main(['simulate', 's.yaml'], syntax.io), 1);
  assert.match(syntax.stderr(), /^s\.yaml:\d+:\d+: error: YAML syntax: /);
});

test('an unreadable scenario file: exit 1 with the reason', async () => {
  const f = fakeIO();
  assert.equal(await main(['simulate', 'missing.yaml'], f.io), 1);
  assert.match(f.stderr(), /^kube-token-lens: cannot read missing\.yaml: ENOENT/);
});

test('simulate: the summary of the issue example', async () => {
  const f = fakeIO();
  assert.equal(await main(['simulate', ISSUE], f.io), 0);
  assert.equal(f.stderr(), '', 'no warnings, no progress when stderr is not a terminal');
  const out = f.stdout();
  assert.match(out, /2026-01-01T00:00:00Z → 2026-01-01T06:00:00Z \(6h\), seed 7/);
  assert.match(out, /ISSUED\s+ATTEMPTS\s+FAILED\s+STALE\s+EXPIRED/);
  const kubeApi = out.split('\n').find((l) => l.includes('kube-api-access/token'));
  const vault = out.split('\n').find((l) => l.includes('vault/token'));
  assert.ok(kubeApi !== undefined && vault !== undefined, out);
  // Next windows: 48m6s (jitter 0) and 47m57s (jitter 9) after the last kube-api-access issue, 8m/7m51s for vault.
  assert.match(kubeApi, /issue \+47m57s … \+48m6s/);
  assert.match(vault, /issue \+7m51s … \+8m/);
  assert.match(out, /Totals: \d+ issued, \d+ TokenRequests, [1-9]\d* failed/);
  assert.match(out, /2026-01-01T02:00:00Z → 2026-01-01T03:30:00Z \(\+2h → \+3h30m, 1h30m\)/);
  // The summary's counts agree with the trace.
  const trace = issueTrace();
  const requests = trace.events.filter((e) => e.type === 'tokenRequest').length;
  assert.match(out, new RegExp(`\\b${requests} TokenRequests\\b`));
});

test('simulate --json prints exactly the Trace runScenario returns', async () => {
  const f = fakeIO();
  assert.equal(await main(['simulate', ISSUE, '--json'], f.io), 0);
  const printed: unknown = JSON.parse(f.stdout());
  assert.deepStrictEqual(printed, JSON.parse(JSON.stringify(issueTrace())));
  const step = fakeIO();
  assert.equal(await main(['simulate', ISSUE, '--json', '--mode', 'step'], step.io), 0);
  assert.deepStrictEqual(JSON.parse(step.stdout()), printed, 'skip and step give the same trace');
});

test('simulate --csv: header and one row per event', async () => {
  const f = fakeIO();
  assert.equal(await main(['simulate', ISSUE, '--csv'], f.io), 0);
  const lines = f.stdout().trimEnd().split('\n');
  assert.equal(lines[0], 't_iso,t_ms,lane,type,ok,error,rule');
  const trace = issueTrace();
  // Rows can only span lines inside quotes; count records by parsing.
  const records = countCsvRecords(f.stdout());
  assert.equal(records, trace.events.length + 1);
  assert.match(lines[1] ?? '', /^2026-01-01T00:\d\d:\d\d(\.\d+)?Z,\d+,/);
});

/** Records in RFC 4180 text (newlines inside quotes do not end a record). */
function countCsvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) records++;
  }
  return records;
}

test('simulate --html writes one self-contained interactive report: the webview bundle, the trace, a hash-only CSP', async () => {
  const f = fakeIO();
  assert.equal(await main(['simulate', ISSUE, '--html', 'out/report.html'], f.io), 0);
  assert.deepEqual([...f.written.keys()], ['out/report.html']);
  const html = f.written.get('out/report.html') ?? '';
  assert.match(f.stdout(), /^Wrote out\/report\.html \(\d+ lanes, \d+ events\)\n$/);
  assert.equal(f.stderr(), '');
  assert.match(html, /^<!DOCTYPE html>/);

  // CSP: nothing but inline content allowed by sha256 hash; no 'unsafe-*', no hosts, no network.
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('img-src'), ['data:', 'blob:']);
  for (const name of ['script-src', 'style-src']) {
    const sources = directives.get(name) ?? [];
    assert.ok(sources.length > 0 && sources.every((s) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(s)), `${name}: ${sources.join(' ')}`);
  }
  assert.doesNotMatch(csp, /unsafe|https?:|\*/);
  // The hashes are those of the inline <style> and executable <script>s, exactly.
  const sha = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  assert.equal(styles.length, 1);
  assert.equal(scripts.length, 2, 'the host stub and the webview bundle');
  assert.deepEqual(directives.get('style-src'), styles.map(sha));
  assert.deepEqual(directives.get('script-src'), scripts.map(sha));

  // No external resources of any kind: no src/href URLs anywhere, and the page around the inline
  // scripts (whose text may mention such tags, e.g. Lit templates) loads nothing.
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.doesNotMatch(html, /sourceMappingURL/);
  const skeleton = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');
  assert.doesNotMatch(skeleton, /<link\b|<iframe\b|<img\b|\bsrc\s*=|\bhref\s*=|@import|url\(/i);

  // The trace, as a JSON data block, is exactly the one the run produced; the title rides along.
  const data = /<script type="application\/json" id="trace" data-title="([^"]*)">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(data, 'trace data block');
  assert.deepStrictEqual(JSON.parse(data[2] ?? ''), JSON.parse(JSON.stringify(issueTrace())));
  assert.equal(data[1], 'Simulation of issue-example.yaml');

  // The webview bundle and both stylesheets, inline.
  const bundle = readFileSync(join(repoRoot(), 'dist', 'webview.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '\n');
  assert.equal(scripts[1], bundle.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--'));
  assert.match(scripts[0] ?? '', /acquireVsCodeApi/);
  assert.ok(styles[0]?.includes(readFileSync(join(repoRoot(), 'media', 'timeline.css'), 'utf8')));
  assert.ok(styles[0]?.includes('--vscode-editor-background'));
});

test('simulate --html without a built webview bundle: exit 1, says to build, writes nothing', async () => {
  const f = fakeIO({}, false, { 'webview.js': null });
  assert.equal(await main(['simulate', ISSUE, '--html', 'out/report.html'], f.io), 1);
  assert.match(f.stderr(), /^kube-token-lens: \S*\/dist\/webview\.js not found: run npm run build/);
  assert.equal(f.written.size, 0);
  assert.equal(f.stdout(), '');
  // The static report needs no bundle.
  const s = fakeIO({}, false, { 'webview.js': null });
  assert.equal(await main(['simulate', ISSUE, '--html-static', 'out/static.html'], s.io), 0);
});

test('simulate --html-static writes the static, script-free report', async () => {
  const f = fakeIO();
  assert.equal(await main(['simulate', ISSUE, '--html-static', 'out/report.html'], f.io), 0);
  const html = f.written.get('out/report.html');
  assert.ok(html !== undefined);
  assert.match(f.stdout(), /^Wrote out\/report\.html/);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<svg[\s>]/);
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.doesNotMatch(html, /<script|<link|@import|url\(/i);
  assert.match(html, /kube-api-access\/token/);
});

test('progress goes to stderr only when it is a terminal', async () => {
  const tty = fakeIO({}, true);
  assert.equal(await main(['simulate', ISSUE, '--json'], tty.io), 0);
  assert.match(tty.stderr(), /simulating… \d+%/);
  assert.doesNotMatch(tty.stdout(), /simulating/);
});

test('warnings are printed to stderr and do not fail the run', async () => {
  const text = 'start: 2026-01-01T00:00:00Z\nhorizon: 1h\npods: [{ name: a, tokens: [{ path: t }] }]\n';
  const f = fakeIO({ 'w.yaml': text });
  assert.equal(await main(['simulate', 'w.yaml', '--json'], f.io), 0);
  assert.match(f.stderr(), /^w\.yaml:3:28: warning: no expirationSeconds/);
  JSON.parse(f.stdout());
});
