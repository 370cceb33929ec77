// The Node-side exec plugin run (src/plugins/execCredentialPlugin.ts) against REAL fake plugin
// scripts written to a temporary folder: what client-go passes them, and what it makes of their answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseX509KeyPair, runExecCredentialPlugin, type ExecCredentialPluginRequest } from '../../src/plugins/execCredentialPlugin';
import { EXEC_API_V1, EXEC_API_V1BETA1, type ExecConfig } from '../../src/sim/execAuth/execConfig';
import { selfSignedCertificate } from './selfSignedCertificate';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const JWT = `${b64url('{"alg":"RS256","kid":"k1"}')}.${b64url(JSON.stringify({ iss: 'https://issuer.example', sub: 'alice', aud: 'kubernetes', exp: NOW / 1000 + 900 }))}.c2ln`;

function sandbox(): { dir: string; script: (name: string, body: string) => string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-exec-'));
  mkdirSync(join(dir, 'bin'));
  return {
    dir,
    script: (name, body) => {
      const file = join(dir, 'bin', name);
      writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    },
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function request(dir: string, exec: Partial<ExecConfig> & { command: string }, more: Partial<ExecCredentialPluginRequest> = {}): ExecCredentialPluginRequest {
  return {
    exec: { apiVersion: EXEC_API_V1, interactiveMode: 'Never', ...exec },
    userName: 'alice',
    kubeconfigFile: join(dir, 'kubeconfig'),
    environ: [`PATH=${join(dir, 'bin')}:/usr/bin:/bin`, 'HOME=/home/test', 'SHARED=from-process'],
    terminal: false,
    timeoutMs: 10_000,
    now: () => NOW,
    ...more,
  };
}

/** The same PEM with a DER that is not a certificate (the outer SEQUENCE tag turned into a SET). */
function corrupt(pem: string): string {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const bytes = Buffer.from(body, 'base64');
  bytes[0] = 0x31;
  return `-----BEGIN CERTIFICATE-----\n${bytes.toString('base64')}\n-----END CERTIFICATE-----\n`;
}

const credential = (status: object, apiVersion = EXEC_API_V1): string => JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

test('token and expiry: the plugin gets KUBERNETES_EXEC_INFO, env in client-go order, its args and no stdin; the token stays in secret', async () => {
  const { dir, script, done } = sandbox();
  try {
    const out = join(dir, 'seen');
    script('get-token', [
      `printf '%s' "$KUBERNETES_EXEC_INFO" > "${out}.info"`,
      `printf '%s|%s|%s' "$SHARED" "$ONLY_CONFIG" "$#:$1:$2" > "${out}.env"`,
      `cat > "${out}.stdin"`,
      "echo 'refreshing the cache' >&2",
      `printf '%s' '${credential({ token: JWT, expirationTimestamp: '2026-12-01T12:15:00Z' })}'`,
    ].join('\n'));
    const run = await runExecCredentialPlugin(request(dir, {
      command: 'get-token',
      args: ['--cluster', 'prod'],
      env: [{ name: 'SHARED', value: 'from-config' }, { name: 'ONLY_CONFIG', value: 'x' }],
      provideClusterInfo: true,
    }, { cluster: { server: 'https://prod.example:6443' } }));
    assert.equal(run.ok, true, run.ok ? '' : run.error);
    if (!run.ok) return;
    assert.equal(readFileSync(`${out}.info`, 'utf8'), '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://prod.example:6443","config":null},"interactive":false}}\n');
    assert.equal(readFileSync(`${out}.env`, 'utf8'), 'from-config|x|2:--cluster:prod', 'configured env wins over the process env; args in order');
    assert.equal(readFileSync(`${out}.stdin`, 'utf8'), '', 'never interactive: nothing on stdin');
    assert.equal(run.resolved, join(dir, 'bin', 'get-token'));
    assert.equal(run.exitCode, 0);
    assert.equal(run.argCount, 2);
    assert.match(run.stderr ?? '', /refreshing the cache/);
    assert.ok((run.durationMs ?? -1) >= 0);
    assert.equal(run.status.hasToken, true);
    assert.equal(run.status.expirationTimestamp, Date.UTC(2026, 11, 1, 12, 15, 0));
    assert.equal(run.status.remainingMs, 15 * 60_000);
    assert.equal(run.status.claims?.sub, 'alice');
    assert.equal(run.secret.token, JWT);
    const { secret, ...shown } = run;
    assert.ok(secret);
    assert.ok(!JSON.stringify(shown).includes(JWT), 'the token appears only in secret');
  } finally {
    done();
  }
});

test('v1beta1 without interactiveMode defaults to IfAvailable: runs non-interactively; no expiry means none', async () => {
  const { dir, script, done } = sandbox();
  try {
    script('opaque', `printf '%s' '${credential({ token: 'opaque-token' }, EXEC_API_V1BETA1)}'`);
    const run = await runExecCredentialPlugin(request(dir, { command: 'opaque', apiVersion: EXEC_API_V1BETA1, interactiveMode: '' }));
    assert.equal(run.ok, true);
    if (!run.ok) return;
    assert.equal(run.interactiveMode, 'IfAvailable');
    assert.equal(run.status.expirationTimestamp, undefined);
    assert.equal(run.status.claims, undefined, 'not a JWT: no claims');
  } finally {
    done();
  }
});

test('a client certificate and key: subject and NotAfter from node:crypto; a key of another certificate is refused', async () => {
  const { dir, script, done } = sandbox();
  try {
    const notAfter = Date.UTC(2027, 0, 2, 3, 4, 5);
    const pair = selfSignedCertificate('alice', 'system:masters', NOW - 3600_000, notAfter);
    writeFileSync(join(dir, 'cred.json'), credential({ clientCertificateData: pair.certificatePem, clientKeyData: pair.keyPem, expirationTimestamp: '2026-12-01T13:00:00Z' }));
    writeFileSync(join(dir, 'wrong.json'), credential({ clientCertificateData: pair.certificatePem, clientKeyData: pair.otherKeyPem }));
    script('cert', `cat "${join(dir, 'cred.json')}"`);
    script('wrong', `cat "${join(dir, 'wrong.json')}"`);
    const run = await runExecCredentialPlugin(request(dir, { command: 'cert' }));
    assert.equal(run.ok, true, run.ok ? '' : run.error);
    if (!run.ok) return;
    assert.equal(run.status.hasToken, false);
    assert.equal(run.status.certificate?.notAfter, notAfter);
    assert.match(run.status.certificate?.subject ?? '', /CN=alice/);
    assert.match(run.status.certificate?.subject ?? '', /O=system:masters/);
    assert.equal(run.status.remainingMs, 3600_000);
    const wrong = await runExecCredentialPlugin(request(dir, { command: 'wrong' }));
    assert.equal(wrong.ok, false);
    assert.equal(wrong.ok ? '' : wrong.error, 'failed parsing client key/certificate: tls: private key does not match public key');
    assert.equal(parseX509KeyPair(corrupt(pair.certificatePem), pair.keyPem).ok, false, 'corrupt DER');
  } finally {
    done();
  }
});

test('client-go\'s errors: missing status, exit 1 with stderr, wrong apiVersion, Always without a terminal, v1 without a mode', async () => {
  const { dir, script, done } = sandbox();
  try {
    script('no-status', `printf '%s' '{"apiVersion":"${EXEC_API_V1}","kind":"ExecCredential"}'`);
    script('fails', "echo 'token expired: run aws sso login' >&2\nexit 1");
    script('old', `printf '%s' '${credential({ token: 't' }, EXEC_API_V1BETA1)}'`);
    const noStatus = await runExecCredentialPlugin(request(dir, { command: 'no-status' }));
    assert.deepEqual([noStatus.ok, noStatus.ok ? '' : noStatus.stage, noStatus.ok ? '' : noStatus.error], [false, 'output', "exec plugin didn't return a status field"]);
    const fails = await runExecCredentialPlugin(request(dir, { command: 'fails' }));
    assert.equal(fails.ok ? '' : fails.error, 'exec: executable fails failed with exit code 1');
    assert.equal(fails.exitCode, 1);
    assert.match(fails.stderr ?? '', /run aws sso login/);
    const old = await runExecCredentialPlugin(request(dir, { command: 'old' }));
    assert.equal(old.ok ? '' : old.error, `exec plugin is configured to use API version ${EXEC_API_V1}, plugin returned version ${EXEC_API_V1BETA1}`);
    const always = await runExecCredentialPlugin(request(dir, { command: 'old', interactiveMode: 'Always' }));
    assert.deepEqual([always.ok ? '' : always.stage, always.ok ? '' : always.error], ['interactive', 'exec plugin cannot support interactive mode: standard input is not a terminal']);
    assert.equal(always.durationMs, undefined, 'did not run');
    const noMode = await runExecCredentialPlugin(request(dir, { command: 'old', interactiveMode: '' }));
    assert.equal(noMode.ok ? '' : noMode.error, 'interactiveMode must be specified for alice to use exec authentication plugin');
    const alpha = await runExecCredentialPlugin(request(dir, { command: 'old', apiVersion: 'client.authentication.k8s.io/v1alpha1' }));
    assert.equal(alpha.ok ? '' : alpha.error, 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"');
  } finally {
    done();
  }
});

test('a hanging plugin is stopped at the timeout; a missing one gets the install hint; a relative path is the kubeconfig folder\'s', async () => {
  const { dir, script, done } = sandbox();
  try {
    script('hang', 'sleep 30');
    const started = Date.now();
    const hang = await runExecCredentialPlugin(request(dir, { command: 'hang' }, { timeoutMs: 300 }));
    assert.ok(Date.now() - started < 5000, 'did not wait for the plugin');
    assert.deepEqual([hang.ok ? '' : hang.stage, hang.ok ? '' : hang.error], ['timeout', 'exec: executable hang failed with exit code -1']);
    const missing = await runExecCredentialPlugin(request(dir, { command: 'ktl-no-such-auth-plugin', installHint: 'Install it: gcloud components install ktl-no-such-auth-plugin' }));
    assert.equal(missing.ok ? '' : missing.stage, 'notFound');
    assert.match(missing.ok ? '' : missing.error, /^exec: executable ktl-no-such-auth-plugin not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed\./);
    assert.match(missing.ok ? '' : missing.error, /gcloud components install ktl-no-such-auth-plugin$/);
    script('local', `printf '%s' '${credential({ token: 't' })}'`);
    const relative = await runExecCredentialPlugin(request(dir, { command: './bin/local' }, { environ: [] }));
    assert.equal(relative.ok, true, relative.ok ? '' : relative.error);
    assert.equal(relative.resolved, join(dir, 'bin', 'local'));
    const gone = await runExecCredentialPlugin(request(dir, { command: './bin/gone' }));
    assert.equal(gone.ok ? '' : gone.error, `exec: fork/exec ${join(dir, 'bin', 'gone')}: no such file or directory`);
  } finally {
    done();
  }
});
