// lint-kubeconfig end to end: main() with real fixture files and an injected environment, and once as a
// real process (dist/cli.js) with KUBECONFIG set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { LINT_KUBECONFIG_USAGE, type LintKubeconfigIO } from '../../src/cli/lintKubeconfigCommand';
import { USAGE } from '../../src/cli/usage';
import type { CommandLookup } from '../../src/sim/execAuth/kubeconfigLint';
import { fakeIO, repoRoot } from './fakeIO';

const FIX = 'test/fixtures/kubeconfig';
const ON_PATH = ['aws', 'gke-gcloud-auth-plugin', 'kubelogin', 'example-plugin'];
const fakePath = (c: string): CommandLookup => (ON_PATH.includes(c) ? { found: true, path: `/usr/bin/${c}` } : { found: false });

function lintIO(env: LintKubeconfigIO['env'], resolveCommand: ((c: string) => CommandLookup) | undefined = fakePath) {
  const f = fakeIO();
  const io: LintKubeconfigIO = { ...f.io, readFile: (p) => Promise.resolve().then(() => readFileSync(join(repoRoot(), p), 'utf8')), env };
  if (resolveCommand) io.resolveCommand = resolveCommand;
  return { io, stdout: f.stdout, stderr: f.stderr };
}

async function lint(argv: string[], env: LintKubeconfigIO['env'] = {}, resolve?: (c: string) => CommandLookup) {
  const r = lintIO(env, resolve ?? fakePath);
  const code = await main(['lint-kubeconfig', ...argv], r.io);
  return { code, out: r.stdout(), err: r.stderr() };
}

test('a clean kubeconfig: exit 0, nothing printed', async () => {
  for (const name of ['aws-eks.yaml', 'gke.yaml', 'aks-kubelogin.yaml', 'kubectl-set-credentials.yaml']) {
    assert.deepEqual(await lint([`${FIX}/${name}`]), { code: 0, out: '', err: '' }, name);
  }
});

test('errors: exit 1, one file:line:col: severity: message line per finding, no secret values', async () => {
  const r = await lint([`${FIX}/broken.yaml`]);
  assert.equal(r.code, 1);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 16);
  for (const line of lines) assert.match(line, /^test\/fixtures\/kubeconfig\/broken\.yaml:\d+:\d+: (error|warning|info): \S/);
  assert.equal(lines[0], `${FIX}/broken.yaml:40:5: error: interactiveMode must be specified for v1-no-mode to use exec authentication plugin`);
  assert.ok(lines.includes(`${FIX}/broken.yaml:51:19: error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v2"`));
  for (const secret of ['not-a-real-token', 'orphan', 'fast', 'slow', '8443']) assert.ok(!r.out.includes(secret), secret);
  assert.equal(r.err, '');
});

test('the removed gcp and azure auth-providers are errors', async () => {
  const gcp = await lint([`${FIX}/gke-legacy.yaml`]);
  assert.equal(gcp.code, 1);
  assert.match(gcp.out, /^test\/fixtures\/kubeconfig\/gke-legacy\.yaml:24:13: error: the gcp auth-provider was removed in kubectl 1\.26: install gke-gcloud-auth-plugin/);
  assert.equal((await lint([`${FIX}/aks-legacy.yaml`])).code, 1);
});

test('warnings only: exit 0, and a missing plugin names PATH (not the extension host\'s)', async () => {
  const r = await lint([`${FIX}/aws-eks.yaml`], {}, () => ({ found: false }));
  assert.equal(r.code, 0);
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    `${FIX}/aws-eks.yaml:29:16: warning: exec plugin aws is not on PATH: kubectl fails with exec: executable aws not found`,
    `${FIX}/aws-eks.yaml:29:16: info: user "arn:aws:eks:eu-west-1:111122223333:cluster/shop" has no installHint: when the plugin is missing, kubectl cannot tell people how to install it`,
  ]);
});

test('no file: every file of KUBECONFIG, merged first-wins; missing ones skipped as kubectl does', async () => {
  const root = repoRoot();
  const list = [join(root, FIX, 'merge-c.yaml'), join(root, FIX, 'nope.yaml'), join(root, FIX, 'merge-a.yaml'), join(root, FIX, 'merge-b.yaml')];
  const r = lintIO({ KUBECONFIG: list.join(':'), HOME: '/nonexistent' });
  r.io.readFile = (p) => Promise.resolve().then(() => readFileSync(p, 'utf8'));
  assert.equal(await main(['lint-kubeconfig'], r.io), 0);
  assert.deepEqual(r.stdout().trimEnd().split('\n'), [
    `${join(root, FIX, 'merge-a.yaml')}:14:9: warning: user "shared-user" is also defined in ${join(root, FIX, 'merge-c.yaml')}, which comes first in KUBECONFIG: kubectl uses that definition and ignores this one entirely`,
    `${join(root, FIX, 'merge-b.yaml')}:17:9: warning: user "shared-user" is also defined in ${join(root, FIX, 'merge-c.yaml')}, which comes first in KUBECONFIG: kubectl uses that definition and ignores this one entirely`,
    `${join(root, FIX, 'merge-b.yaml')}:22:9: warning: user "b-user" is also defined in ${join(root, FIX, 'merge-c.yaml')}, which comes first in KUBECONFIG: kubectl uses that definition and ignores this one entirely`,
  ]);
});

test('no file, no KUBECONFIG: ~/.kube/config', async () => {
  const home = mkdtempSync(join(tmpdir(), 'ktl-home-'));
  try {
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), readFileSync(join(repoRoot(), FIX, 'merge-b.yaml')));
    const r = lintIO({ HOME: home });
    r.io.readFile = (p) => Promise.resolve().then(() => readFileSync(p, 'utf8'));
    assert.equal(await main(['lint-kubeconfig'], r.io), 1);
    assert.match(r.stdout(), new RegExp(`^${join(home, '.kube', 'config')}:17:9: info: no context uses user "shared-user"\n`));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('nothing to lint: exit 2 with a clear message (no kubeconfig, unreadable file, not YAML)', async () => {
  const none = await lint([], { KUBECONFIG: '/nonexistent/a:/nonexistent/b', HOME: '/nonexistent' });
  assert.equal(none.code, 2);
  assert.equal(none.err, 'kube-token-lens: no kubeconfig found (looked for /nonexistent/a, /nonexistent/b)\n');
  const noHome = await lint([], { HOME: '/nonexistent' });
  assert.equal(noHome.code, 2);
  assert.match(noHome.err, /no kubeconfig found \(looked for \/nonexistent\/\.kube\/config\)/);
  const missing = await lint([`${FIX}/nope.yaml`]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^kube-token-lens: cannot read test\/fixtures\/kubeconfig\/nope\.yaml: ENOENT/);
  const bad = await lint([`${FIX}/not-yaml.yaml`]);
  assert.equal(bad.code, 2);
  assert.equal(bad.out, '');
  assert.match(bad.err, /^test\/fixtures\/kubeconfig\/not-yaml\.yaml:\d+:\d+: error: YAML syntax: /);
});

test('usage: --help prints its own help; two files is a usage error', async () => {
  const help = await lint(['--help']);
  assert.deepEqual(help, { code: 0, out: LINT_KUBECONFIG_USAGE, err: '' });
  const two = await lint(['a', 'b']);
  assert.equal(two.code, 2);
  assert.match(two.err, /lint-kubeconfig takes at most one file/);
  assert.ok(two.err.endsWith(USAGE));
  assert.match(USAGE, /lint-kubeconfig \[file\]/);
});

test('as a real process: dist/cli.js with KUBECONFIG set, PATH searched for real', () => {
  const root = repoRoot();
  const bin = mkdtempSync(join(tmpdir(), 'ktl-bin-'));
  try {
    writeFileSync(join(bin, 'aws'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const run = (kubeconfig: string, path: string) =>
      spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'lint-kubeconfig'], {
        cwd: root,
        encoding: 'utf8',
        env: { HOME: '/nonexistent', KUBECONFIG: kubeconfig, PATH: path },
      });
    const ok = run(`${FIX}/aws-eks.yaml`, bin);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, '');
    const missing = run(`${FIX}/aws-eks.yaml`, '/nonexistent');
    assert.equal(missing.status, 0);
    assert.match(missing.stdout, /^test\/fixtures\/kubeconfig\/aws-eks\.yaml:29:16: warning: exec plugin aws is not on PATH/);
    const errors = run(`${FIX}/aws-eks.yaml:${FIX}/broken.yaml`, bin);
    assert.equal(errors.status, 1);
    assert.match(errors.stdout, /broken\.yaml:46:19: error: client\.authentication\.k8s\.io\/v1alpha1 was removed in Kubernetes 1\.24/);
    const none = run('/nonexistent/config', bin);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no kubeconfig found/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
