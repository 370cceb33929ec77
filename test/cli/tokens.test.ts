// `kube-token-lens tokens <manifest|-> [--json]` through main(), on every fixture manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { TOKENS_USAGE } from '../../src/cli/tokensCommand';
import { USAGE } from '../../src/cli/usage';
import { EXPECTED_ROWS, MANIFESTS, manifest, manifestFiles } from '../unit/manifest/fixtures';
import { fakeIO } from './fakeIO';

async function run(argv: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const f = fakeIO(files);
  const code = await main(argv, f.io);
  return { code, out: f.stdout(), err: f.stderr() };
}

test('--json prints exactly the expected rows of every fixture, from a file and from stdin', async () => {
  for (const file of manifestFiles()) {
    const text = manifest(file);
    const path = join(MANIFESTS, file);
    const fromFile = await run(['tokens', path, '--json'], { [path]: text });
    assert.equal(fromFile.code, 0, file);
    assert.equal(fromFile.err, '');
    assert.deepEqual(JSON.parse(fromFile.out), EXPECTED_ROWS[file], file);
    const fromStdin = await run(['tokens', '-', '--json'], { '-': text });
    assert.equal(fromStdin.out, fromFile.out, file);
  }
});

test('the text names each token source, its lifetimes, mounts and whether admission added it', async () => {
  const r = await run(['tokens', 'web.yaml'], { 'web.yaml': manifest('kube-api-access-deployment.yaml') });
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    [
      'Deployment shop/web: pod template, 3 replicas (spec.replicas), service account default',
      '  kube-api-access-xxxxx/token  (added by admission)',
      '    audience:    API server (its own audiences)',
      '    requested:   3607 s (1 h 7 s)',
      '    issued:      3607 s (1 h 7 s): the kubelet refreshes on this',
      "    extended:    yes: the JWT's exp is 365 d after issue, so the API server accepts it long after the kubelet's TokenRequest expiry",
      '    mounted in:  migrate (init) at /var/run/secrets/kubernetes.io/serviceaccount/token, web at /var/run/secrets/kubernetes.io/serviceaccount/token',
      '',
      'Skipped 1 object of other kinds (Service).',
      '',
    ].join('\n'),
  );
});

test('the text: defaulted lifetime, unset namespace, legacy Secret, automount off, mirror pod', async () => {
  const text = async (file: string): Promise<string> => (await run(['tokens', file], { [file]: manifest(file) })).out;
  const ledger = await text('no-expiration-seconds.yaml');
  assert.match(ledger, /namespace not set in the manifest: assumed "default"/);
  assert.match(ledger, /requested: {3}expirationSeconds not set\n {4}issued: {6}3600 s \(1 h\), the API server's default: the kubelet refreshes on this\n {4}extended: {4}no/);
  assert.match(await text('legacy-secret-pod.yaml'), /default-token-7xq2k\/token {2}\(legacy token Secret default-token-7xq2k\)\n {4}a service-account token from before Kubernetes 1\.21: it never expires and the kubelet never refreshes it/);
  const off = await text('automount-disabled.yaml');
  assert.match(off, /Pod tools\/pod-says-no: .*\n {2}no service-account token: automountServiceAccountToken is false on the pod\n/);
  assert.match(off, /Pod tools\/sa-says-no: .*\n {2}no service-account token: automountServiceAccountToken is false on its ServiceAccount\n/);
  const mirror = await text('mirror-pod.yaml');
  assert.match(mirror, /a mirror pod \(a node's static pod\) gets none from the API server/);
  assert.match(mirror, /No pod or workload in mirror-pod\.yaml gets a service-account token\.\n$/);
});

test('exit 0 with a plain note when the manifest has no workload', async () => {
  const r = await run(['tokens', '-'], { '-': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' });
  assert.equal(r.code, 0);
  assert.equal(r.out, 'No pod or workload in <stdin>: nothing gets a service-account token.\nSkipped 1 object of other kinds (ConfigMap).\n');
  const json = await run(['tokens', '-', '--json'], { '-': '' });
  assert.deepEqual([json.code, json.out], [0, '[]\n']);
});

test('exit 1 with file:line:col on invalid YAML and on pod spec fields of the wrong type', async () => {
  const bad = await run(['tokens', 'bad.yaml'], { 'bad.yaml': 'kind: Pod\nmetadata:\n  name: p\n  name: q\n' });
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^bad\.yaml:4:3: YAML syntax: Map keys must be unique/);
  assert.equal(bad.out, '');
  const typed = await run(['tokens', '-', '--json'], { '-': 'kind: Pod\nmetadata: {name: p}\nspec:\n  volumes: 3\n  containers: [{name: a}]\n' });
  assert.equal(typed.code, 1);
  assert.equal(typed.err, '<stdin>:4:12: spec.volumes: expected a list, got the number 3\n');
  assert.equal(typed.out, '');
});

test('usage: help, a missing manifest, an unreadable file; the main usage lists the command', async () => {
  for (const argv of [['tokens', '--help'], ['tokens', '-h']]) {
    const r = await run(argv);
    assert.deepEqual([r.code, r.out], [0, TOKENS_USAGE]);
  }
  const none = await run(['tokens']);
  assert.equal(none.code, 2);
  assert.ok(none.err.startsWith('kube-token-lens tokens: tokens needs a manifest file (or - for standard input)\n\n'));
  const two = await run(['tokens', 'a', 'b']);
  assert.equal(two.code, 2);
  const missing = await run(['tokens', 'nope.yaml']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^kube-token-lens tokens: cannot read nope\.yaml: ENOENT/);
  assert.match(USAGE, /tokens <manifest\|->/);
  assert.match(TOKENS_USAGE, /"legacySecret": true/);
});
