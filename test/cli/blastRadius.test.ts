// `kube-token-lens blast-radius <manifest|scenario|-> …` through main(): manifests, scenarios, stdin,
// the text and JSON answers, and every way the input can be wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { BLAST_RADIUS_USAGE } from '../../src/cli/blastRadiusCommand';
import type { BlastRadiusResult } from '../../src/sim/blastRadius/blastRadiusResult';
import { fakeIO, repoRoot } from './fakeIO';

async function run(argv: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const f = fakeIO(files);
  const code = await main(argv, f.io);
  return { code, out: f.stdout(), err: f.stderr() };
}

const PLATFORM = 'examples/manifests/platform.yaml';
const AT = '2026-12-02T12:00:00Z';

test('a manifest: every kind with its counts, the herd, the affected tokens and the assumptions', async () => {
  const r = await run(['blast-radius', PLATFORM, '--outage', '3h', '--at', AT, '--seeds', '8']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /^Outage Blast Radius: examples\/manifests\/platform\.yaml\n {2}API server down 2026-12-02 12:00:00 UTC to 15:00:00 UTC \(3h\)\n {2}13 pods, 26 projected tokens, 8 runs \(seed 1\)\n/);
  assert.match(r.out, /13 pods without a known start \(sampled\)/);
  assert.match(r.out, /ranges over 8 sampled runs/);
  // The 600 s and 1 h tokens cannot outlive a 3 h outage; the 24 h ones always do.
  assert.match(r.out, /\n {2}vault, 10m +3 +3 +3 +0 +0 {2}12:/);
  assert.match(r.out, /\n {2}nats, 1h +3 +3 +3 +0 +0 {2}12:/);
  assert.match(r.out, /\n {2}sts\.amazonaws\.com, 1d +3 +3 +0 +0 +3 {2}–/);
  assert.match(r.out, /Extended tokens: The kubelet sees these expire/);
  assert.match(r.out, /Recovery herd[^\n]*\n {2}peak [^\n]*held-back refreshes, done /);
  assert.match(r.out, /--max-mutating-requests-inflight/);
  assert.match(r.out, /Tokens that expire \(first 20 of \d+, soonest first\):\n {2}pod +token/);
  assert.match(r.out, /Assumptions:\n {2}- /);
  assert.doesNotMatch(r.out, /SPEC|NaN|undefined/);
});

test('--json is the whole result: the same numbers, every affected token, and deterministic per seed', async () => {
  const a = await run(['blast-radius', PLATFORM, '--outage', '90m', '--at', AT, '--seeds', '5', '--json']);
  assert.equal(a.code, 0, a.err);
  const result = JSON.parse(a.out) as BlastRadiusResult;
  assert.deepEqual(result.outage, { startMs: Date.parse(AT), durationMs: 90 * 60_000 });
  assert.equal(result.runs, 5);
  assert.equal(result.pods, 13);
  assert.equal(result.tokens, 26);
  assert.deepEqual(result.anchors, { issued: 0, started: 0, unknown: 13 });
  for (const k of result.kinds) assert.equal(k.certain + k.possible + k.never, k.tokens);
  assert.equal(result.affected.length, result.kinds.reduce((n, k) => n + k.certain + k.possible, 0));
  const again = await run(['blast-radius', PLATFORM, '--outage', '90m', '--at', AT, '--seeds', '5', '--json']);
  assert.equal(again.out, a.out);
  const other = await run(['blast-radius', PLATFORM, '--outage', '90m', '--at', AT, '--seeds', '5', '--seed', '2', '--json']);
  assert.notEqual(other.out, a.out);
});

test('a scenario: its own first outage, settings and seed by default; --at is relative to its start', async () => {
  const r = await run(['blast-radius', 'examples/shop-outage.yaml', '--seeds', '4', '--json']);
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(r.out) as BlastRadiusResult;
  // examples/shop-outage.yaml: start 2026-01-01T00:00:00Z, an outage from 2h for 2h, seed 7.
  assert.deepEqual(result.outage, { startMs: Date.parse('2026-01-01T02:00:00Z'), durationMs: 7_200_000 });
  assert.equal(result.seed, 7);
  assert.equal(result.anchors.started, result.pods);
  const later = await run(['blast-radius', 'examples/shop-outage.yaml', '--at', '+5h', '--outage', '30m', '--seeds', '2', '--json']);
  assert.deepEqual((JSON.parse(later.out) as BlastRadiusResult).outage, { startMs: Date.parse('2026-01-01T05:00:00Z'), durationMs: 1_800_000 });
});

test('a manifest from standard input; a manifest without tokens answers plainly', async () => {
  const text = readFileSync(join(repoRoot(), PLATFORM), 'utf8');
  const r = await run(['blast-radius', '-', '--at', AT, '--seeds', '2'], { '-': text });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Outage Blast Radius: standard input\n/);
  const none = await run(['blast-radius', 'svc.yaml'], { 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\n' });
  assert.equal(none.code, 0);
  assert.match(none.out, /no pod gets a projected service-account token/);
});

test('invalid input: file:line:col for broken YAML, a refused lifetime by pod, an unreadable file', async () => {
  const broken = await run(['blast-radius', 'bad.yaml'], { 'bad.yaml': 'kind: Pod\nmetadata: { name: x\nspec: {}\n' });
  assert.equal(broken.code, 1);
  assert.match(broken.err, /^bad\.yaml:\d+:\d+: /);
  const short = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: ns }\nspec:\n  containers: [{ name: c, image: i }]\n  volumes:\n    - name: t\n      projected:\n        sources:\n          - serviceAccountToken: { path: token, expirationSeconds: 60 }\n';
  const refused = await run(['blast-radius', 'short.yaml'], { 'short.yaml': short });
  assert.equal(refused.code, 1);
  assert.match(refused.err, /short\.yaml:\d+:\d+: .*expirationSeconds.*10 minutes/);
  const missing = await run(['blast-radius', 'nope.yaml']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read nope\.yaml/);
});

test('usage errors name the flag and print the usage; --help prints it', async () => {
  for (const [argv, why] of [
    [['blast-radius'], /needs a manifest or scenario file/],
    [['blast-radius', PLATFORM, '--outage', '0'], /--outage: an outage lasts longer than 0/],
    [['blast-radius', PLATFORM, '--outage', '40d'], /--outage: at most 30d/],
    [['blast-radius', PLATFORM, '--seeds', '0'], /--seeds must be a whole number from 1 to 1000/],
    [['blast-radius', PLATFORM, '--at', 'tomorrow'], /--at: .*"tomorrow"/],
  ] as const) {
    const r = await run([...argv]);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, why);
    assert.ok(r.err.endsWith(BLAST_RADIUS_USAGE));
  }
  const noOutage = await run(['blast-radius', 's.yaml'], { 's.yaml': 'start: 2026-01-01T00:00:00Z\nhorizon: 1h\npods:\n  - name: a\n    tokens: [{ path: t/token, expirationSeconds: 3600 }]\n' });
  assert.equal(noOutage.code, 2);
  assert.match(noOutage.err, /s\.yaml has no API-server outage: give one with --outage/);
  const help = await run(['blast-radius', '--help']);
  assert.equal(help.code, 0);
  assert.equal(help.out, BLAST_RADIUS_USAGE);
});
