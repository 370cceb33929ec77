/**
 * kubectl (client-go) against the demo cluster: discovery, server-side tables, chunked lists (limit /
 * continue), TokenRequest through a protobuf body. kubectl is not part of the project's install, so
 * this one file skips (visibly) when it is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoCluster, type DemoCluster } from '../../src/cluster/demo';
import { decodeJwt } from '../../src/token/decode';
import { analyzeClaims } from '../../src/token/claims';

const probe = spawnSync('kubectl', ['version', '--client', '--output=json'], { encoding: 'utf8' });
const kubectlMissing = probe.error !== undefined || probe.status !== 0;

test('kubectl against the demo cluster', async (t) => {
  if (kubectlMissing) {
    t.skip('kubectl not installed');
    return;
  }
  const c: DemoCluster = await startDemoCluster({ pods: 23 });
  const dir = mkdtempSync(join(tmpdir(), 'ktl-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, c.kubeconfigYaml());
  t.after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { env: { ...process.env, HOME: dir, KUBECONFIG: '' }, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  await t.test('get pods -A -o json lists every pod', async () => {
    const r = await kubectl('get', 'pods', '-A', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { kind: string; items: Array<{ metadata: { uid: string } }> };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, c.store.count('pods'));
    assert.deepEqual(new Set(list.items.map((p) => p.metadata.uid)).size, c.store.count('pods'));
  });

  await t.test('chunked: --chunk-size=2 follows continue tokens to the end', async () => {
    const before = c.requestCount;
    const r = await kubectl('get', 'pods', '-A', '--chunk-size=2', '-o', 'name');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, c.store.count('pods'));
    assert.ok(c.requestCount - before >= Math.ceil(c.store.count('pods') / 2), 'one request per chunk');
  });

  await t.test('server-side tables: get pods, namespaces, service accounts, secrets', async () => {
    const pods = await kubectl('get', 'pods', '-n', 'payments');
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.match(pods.stdout, /\nledger-0\s+1\/1\s+Running\s+0\s+2d\n/);
    const other = await kubectl('get', 'ns,sa,secrets', '-A');
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stdout, /namespace\/payments\s+Active/);
    assert.match(other.stdout, /payments\s+serviceaccount\/ci-deployer\s+1\s/);
    assert.match(other.stdout, /payments\s+secret\/ci-deployer-token\s+kubernetes\.io\/service-account-token\s+3\s/);
    const missing = await kubectl('get', 'pod', 'nope', '-n', 'shop');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Error from server \(NotFound\): pods "nope" not found/);
  });

  await t.test('create token: defaults, the 10-minute minimum, a pod-bound extended token', async () => {
    const plain = await kubectl('create', 'token', 'web', '-n', 'shop');
    assert.equal(plain.code, 0, plain.stderr);
    const d = decodeJwt(plain.stdout.trim());
    assert.ok(d.ok);
    assert.equal(Number(d.payload.exp) - Number(d.payload.iat), 3600);
    const short = await kubectl('create', 'token', 'web', '-n', 'shop', '--duration=9m');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /TokenRequest\.authentication\.k8s\.io "" is invalid: spec\.expirationSeconds: Invalid value: 540: may not specify a duration less than 10 minutes/);
    const podName = (c.store.list('pods', { namespace: 'shop', labelSelector: 'app=web' }).items[0]?.metadata.name) as string;
    const bound = await kubectl('create', 'token', 'web', '-n', 'shop', '--bound-object-kind', 'Pod', '--bound-object-name', podName, '--duration', '3607s');
    assert.equal(bound.code, 0, bound.stderr);
    const b = decodeJwt(bound.stdout.trim());
    assert.ok(b.ok);
    assert.equal(analyzeClaims(b.payload, Date.now()).lifetime.extended?.oneYear, true);
  });

  await t.test('auth whoami', async () => {
    const r = await kubectl('auth', 'whoami', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { status: { userInfo: { username: string } } }).status.userInfo.username, 'demo');
  });
});
