// SPEC B.7 end to end: real fake plugins, run as the kubelet would run them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CredentialProvider } from '../../src/sim/credentialProvider/config';
import { encodePluginRequest } from '../../src/sim/credentialProvider/pluginIO';
import { redactDockerConfig, runCredentialProviderPlugin } from '../../src/plugins/credentialProviderPlugin';
import { answeringPlugin, tempDir } from './fakePlugins';

const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:v1';

const bin = tempDir('ktl-plugins-');
after(() => bin.remove());

function provider(name: string, over: Partial<CredentialProvider> = {}): CredentialProvider {
  return { name, matchImages: ['*.dkr.ecr.*.amazonaws.com'], defaultCacheDuration: 60_000_000_000n, apiVersion: V1, ...over };
}

// Answers with the request it read (as the username) and its arguments, so the test sees both.
bin.script(
  'echo-request',
  answeringPlugin(`(input, request) => ({
    kind: 'CredentialProviderResponse', apiVersion: request.apiVersion, cacheKeyType: 'Registry', cacheDuration: '5m',
    auth: { '*.dkr.ecr.*.amazonaws.com': { username: input, password: 'pw-' + process.argv.slice(2).join(',') } },
  })`),
);
bin.script(
  'print-env',
  answeringPlugin(`(input, request) => ({
    kind: 'CredentialProviderResponse', apiVersion: request.apiVersion, cacheKeyType: 'Image', cacheDuration: '0s',
    auth: { env: { username: JSON.stringify({ A: process.env.A, B: process.env.B, C: process.env.C }), password: '' } },
  })`),
);
bin.script('fails', '#!/bin/sh\necho "no AWS credentials found in the environment" >&2\nexit 1\n');
bin.script('garbage', '#!/bin/sh\necho "password=Hunter2SuperSecret not json"\n');
bin.script(
  'wrong-api',
  answeringPlugin(`() => ({ kind: 'CredentialProviderResponse', apiVersion: '${V1BETA1}', cacheKeyType: 'Image', auth: {} })`),
);
bin.script('hangs', '#!/bin/sh\necho "thinking" >&2\nsleep 300\n');
bin.script('not-executable', '#!/bin/sh\necho {}\n', 0o644);
bin.script('bad-interpreter', '#!/nonexistent/interpreter\n');

test('a plugin that answers: the request on stdin byte for byte, args passed, the response decoded', async () => {
  const p = provider('echo-request', { args: ['get-credentials', '--region=us-east-1'] });
  const sa = { token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web' } };
  const run = await runCredentialProviderPlugin({ binDir: bin.path, provider: p, image: IMAGE, serviceAccount: sa, environ: [], timeoutMs: 10_000 });
  assert.ok(run.ok, run.ok ? '' : run.error);
  assert.equal(run.binary, join(bin.path, 'echo-request'));
  assert.equal(run.exitCode, 0);
  assert.equal(run.response.cacheKeyType, 'Registry');
  assert.equal(run.response.cacheDuration, 300_000_000_000n);
  const auth = run.response.auth['*.dkr.ecr.*.amazonaws.com'];
  assert.equal(auth?.username, encodePluginRequest(p, IMAGE, sa));
  assert.equal(auth?.password, 'pw-get-credentials,--region=us-east-1');
  assert.deepEqual(run.warnings, []);
  assert.ok(run.durationMs > 0);
});

test('env: the kubelet\'s environment, then the provider\'s entries, the later winning', async () => {
  const run = await runCredentialProviderPlugin({
    binDir: bin.path,
    provider: provider('print-env', { env: [{ name: 'A', value: 'from-config' }, { name: 'C', value: 'only-config' }] }),
    image: IMAGE,
    environ: ['A=from-kubelet', 'B=only-kubelet'],
    timeoutMs: 10_000,
  });
  assert.ok(run.ok, run.ok ? '' : run.error);
  assert.deepEqual(JSON.parse(run.response.auth.env?.username ?? ''), { A: 'from-config', B: 'only-kubelet', C: 'only-config' });
  assert.match(run.warnings.join('\n'), /cacheDuration is 0s/);
});

test('exit 1: the kubelet\'s error with the plugin\'s stderr', async () => {
  const run = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider('fails'), image: IMAGE, environ: [], timeoutMs: 10_000 });
  assert.ok(!run.ok);
  assert.equal(run.stage, 'exit');
  assert.equal(run.exitCode, 1);
  assert.equal(run.error, `error execing credential provider plugin fails for image ${IMAGE}: exit status 1: no AWS credentials found in the environment`);
  assert.equal(run.stderr, 'no AWS credentials found in the environment\n');
});

test('garbage on stdout: an error that does not quote it', async () => {
  const run = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider('garbage'), image: IMAGE, environ: [], timeoutMs: 10_000 });
  assert.ok(!run.ok);
  assert.equal(run.stage, 'output');
  assert.match(run.error, /^error reading GVK from response: /);
  assert.ok(!run.error.includes('Hunter2SuperSecret'));
});

test('a response in another apiVersion than the provider\'s is refused with the kubelet\'s message', async () => {
  const run = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider('wrong-api'), image: IMAGE, environ: [], timeoutMs: 10_000 });
  assert.ok(!run.ok);
  assert.equal(run.error, `apiVersion from credential plugin response did not match expected apiVersion:${V1}, actual apiVersion:${V1BETA1}`);
});

test('a plugin that hangs is stopped at the timeout, its stderr kept', async () => {
  const run = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider('hangs'), image: IMAGE, environ: ['PATH=/usr/bin:/bin'], timeoutMs: 300 });
  assert.ok(!run.ok);
  assert.equal(run.stage, 'timeout');
  assert.equal(run.error, `error execing credential provider plugin hangs for image ${IMAGE}: the plugin did not finish within 300ms and was stopped: thinking`);
  assert.ok((run.durationMs ?? 0) >= 300 && (run.durationMs ?? 0) < 5000);
});

test('a missing binary, a missing bin dir, a file that is not executable, a name that leaves the bin dir', async () => {
  const missing = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider('ecr-credential-provider'), image: IMAGE, environ: [] });
  assert.deepEqual(missing, { ok: false, binary: join(bin.path, 'ecr-credential-provider'), stage: 'binary', error: `plugin binary executable ${join(bin.path, 'ecr-credential-provider')} did not exist` });

  const noDir = await runCredentialProviderPlugin({ binDir: join(bin.path, 'absent'), provider: provider('x'), image: IMAGE, environ: [] });
  assert.ok(!noDir.ok);
  assert.equal(noDir.error, `plugin binary directory ${join(bin.path, 'absent')} did not exist`);

  const notExec = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider('not-executable'), image: IMAGE, environ: [] });
  assert.ok(!notExec.ok);
  assert.equal(notExec.stage, 'binary');
  assert.match(notExec.error, /^error inspecting binary executable .*not-executable: permission denied/);

  const empty = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider(''), image: IMAGE, environ: [] });
  assert.ok(!empty.ok);
  assert.match(empty.error, /is a directory \(the provider name is empty\)/);

  for (const name of ['../../bin/sh', '..', '.']) {
    const escape = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider(name), image: IMAGE, environ: [] });
    assert.ok(!escape.ok && escape.stage === 'binary', name);
    assert.match(escape.error, /cannot contain '\/'/);
  }
});

test('a script whose interpreter is missing says so (the file itself exists)', async () => {
  const run = await runCredentialProviderPlugin({ binDir: bin.path, provider: provider('bad-interpreter'), image: IMAGE, environ: [], timeoutMs: 10_000 });
  assert.ok(!run.ok);
  assert.equal(run.stage, 'start');
  assert.match(run.error, /interpreter named on its first line/);
});

test('redactDockerConfig hides every password and keeps a length hint', () => {
  const hidden = redactDockerConfig({ 'r.io': { username: 'AWS', password: 'eyJwYXlsb2FkIjoi' }, e: { username: 'u', password: '' } });
  assert.deepEqual(hidden, {
    'r.io': { username: 'AWS', password: '••••', passwordLength: 16 },
    e: { username: 'u', password: '••••', passwordLength: 0 },
  });
  assert.ok(!JSON.stringify(hidden).includes('eyJwYXlsb2FkIjoi'));
});
