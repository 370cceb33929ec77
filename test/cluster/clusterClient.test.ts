/**
 * src/cluster/clusterClient.ts with the real @kubernetes/client-node against the demo cluster over real
 * HTTPS: pagination, error classification, TokenRequest, JWKS + verification, TokenReview.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { startDemoCluster, type DemoCluster } from '../../src/cluster/demo';
import { ClusterClient, parseWarnings, type PodSummary } from '../../src/cluster/clusterClient';
import { ClusterError, classifyClusterError, type ClusterErrorInfo } from '../../src/cluster/clusterErrors';
import { verifyJwt } from '../../src/token/verify';
import { analyzeClaims } from '../../src/token/claims';
import { decodeJwt } from '../../src/token/decode';
import { claimsOf, kubeConfigFor, T0, TestClock } from './helpers';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

async function failure(p: Promise<unknown>): Promise<ClusterErrorInfo> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ClusterError, `expected a ClusterError, got ${String(err)}`);
    return err.info;
  }
  assert.fail('expected the call to fail');
}

describe('cluster client against the demo cluster', () => {
  const clock = new TestClock(T0);
  let c: DemoCluster;
  let client: ClusterClient;
  before(async () => {
    c = await startDemoCluster({ now: clock.now, pods: 37 });
    client = new ClusterClient(kubeConfigFor(c), 'kube-token-lens-demo', { timeoutMs: 2_000 });
  });
  after(() => c.stop());

  test('pagination: limit 2 returns every pod once, in order', async () => {
    const seen: PodSummary[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await client.listPods(undefined, { limit: 2, ...(cont ? { continueToken: cont } : {}) });
      assert.ok(page.items.length <= 2);
      seen.push(...page.items);
      cont = page.continueToken;
      pages++;
    } while (cont);
    const total = c.store.count('pods');
    assert.equal(seen.length, total);
    assert.equal(new Set(seen.map((p) => p.uid)).size, total, 'no duplicates');
    const keys = seen.map((p) => `${p.namespace}/${p.name}`);
    assert.deepEqual(keys, [...keys].sort(), 'in key order');
    assert.equal(pages, Math.ceil(total / 2));
    const shop = await client.listPods('shop', { limit: 1000 });
    assert.ok(shop.items.every((p) => p.namespace === 'shop'));
    assert.equal(shop.continueToken, undefined);
  });

  test('pod summaries: projected token sources, mounts, defaults', async () => {
    const shop = (await client.listPods('shop')).items;
    const cart = shop.find((p) => p.name.startsWith('cart-')) as PodSummary;
    assert.equal(cart.serviceAccountName, 'cart');
    assert.equal(cart.nodeName, 'node-2');
    assert.equal(cart.phase, 'Running');
    assert.deepEqual(cart.containers.map((x) => x.name), ['cart', 'vault-agent']);
    const [vault, kubeApi] = cart.tokenSources;
    assert.deepEqual(vault, {
      volume: 'vault-token',
      sourceIndex: 0,
      path: 'vault-token',
      audience: 'vault',
      expirationSeconds: 600,
      expirationSecondsDefaulted: false,
      isKubeApiAccess: false,
      mounts: [{ container: 'vault-agent', initContainer: false, mountPath: '/var/run/secrets/vault', file: '/var/run/secrets/vault/vault-token', readOnly: true }],
    });
    assert.equal(kubeApi?.isKubeApiAccess, true);
    assert.equal(kubeApi?.expirationSeconds, 3607);
    assert.equal(kubeApi?.audience, undefined);
    assert.deepEqual(kubeApi?.mounts.map((m) => m.file), ['/var/run/secrets/kubernetes.io/serviceaccount/token', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
    const debug = (await client.listPods('default')).items.find((p) => p.name === 'debug-shell') as PodSummary;
    assert.equal(debug.automountDisabled, true);
    assert.deepEqual(debug.tokenSources, []);
    // A projection without expirationSeconds gets the API default of 3600 s, and says so.
    const { tokenSourcesOf } = await import('../../src/cluster/clusterClient');
    const [src] = tokenSourcesOf({ spec: { containers: [], volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }] } } as never);
    assert.equal(src?.expirationSeconds, 3600);
    assert.equal(src?.expirationSecondsDefaulted, true);
  });

  test('namespaces, service accounts, legacy token secrets (without the token), then the token on request', async () => {
    assert.deepEqual((await client.listNamespaces()).map((n) => n.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'payments', 'platform', 'shop']);
    const sas = await client.listServiceAccounts('payments');
    assert.deepEqual(sas.map((s) => s.name), ['ci-deployer', 'default', 'ledger', 'payments-api', 'reconciler']);
    assert.deepEqual(sas.find((s) => s.name === 'ci-deployer')?.secrets, ['ci-deployer-token']);
    const secrets = await client.listLegacyTokenSecrets();
    assert.equal(secrets.length, 1);
    assert.equal(secrets[0]?.name, 'ci-deployer-token');
    assert.equal(secrets[0]?.serviceAccountName, 'ci-deployer');
    assert.equal(secrets[0]?.hasToken, true);
    assert.ok(!JSON.stringify(secrets).includes('eyJ'), 'no token value in the summary');
    const token = await client.readSecretToken('payments', 'ci-deployer-token');
    assert.equal(analyzeClaims(claimsOf(token), clock.ms).kind, 'legacySecret');
    assert.equal((await failure(client.readSecretToken('payments', 'db-credentials'))).kind, 'invalid');
  });

  describe('TokenRequest', () => {
    test('600 s minimum: the exact server text, classified invalid', async () => {
      const info = await failure(client.requestToken('shop', 'web', { expirationSeconds: 599 }));
      assert.equal(info.kind, 'invalid');
      assert.equal(info.status, 422);
      assert.equal(info.serverMessage, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
      assert.match(info.message, /^request a token for service account shop\/web: TokenRequest\.authentication\.k8s\.io "" is invalid/);
    });

    test('3607 s bound to a pod: extended claims, status expiry ≈ now + 3607 s', async () => {
      const pod = (await client.listPods('shop')).items.find((p) => p.name.startsWith('web-')) as PodSummary;
      const r = await client.requestToken('shop', 'web', { expirationSeconds: 3607, boundPod: { name: pod.name, uid: pod.uid } });
      assert.equal(r.expirationSeconds, 3607);
      assert.ok(Math.abs(r.expirationTimestampMs - (clock.ms + 3607_000)) < 1000, `${r.expirationTimestampMs} vs ${clock.ms + 3607_000}`);
      assert.deepEqual(r.audiences, [ISSUER]);
      const d = decodeJwt(r.token);
      assert.ok(d.ok);
      const view = analyzeClaims(d.payload, clock.ms);
      assert.equal(view.lifetime.extended?.requestedSeconds, 3607);
      assert.equal(view.lifetime.extended?.oneYear, true);
      assert.deepEqual(view.kubernetes?.pod, { name: pod.name, uid: pod.uid });
      assert.equal(view.kubernetes?.node?.name, pod.nodeName);
      assert.equal(view.lifetime.kubeletRefresh?.latestMs, Math.floor(clock.ms / 1000) * 1000 + 2886_000);
    });

    test('clamp warning and a missing service account', async () => {
      const clamp = await startDemoCluster({ now: clock.now, apiServer: { maxTokenExpirationSeconds: 3600 } });
      try {
        const cc = new ClusterClient(kubeConfigFor(clamp), 'kube-token-lens-demo');
        const r = await cc.requestToken('shop', 'web', { expirationSeconds: 86_400, audiences: ['vault'] });
        assert.equal(r.expirationSeconds, 3600);
        assert.deepEqual(r.warnings, ['requested expiration of 86400 seconds shortened to 3600 seconds']);
        assert.deepEqual(claimsOf(r.token).aud, ['vault']);
      } finally {
        await clamp.stop();
      }
      const missing = await failure(client.requestToken('shop', 'ghost'));
      assert.deepEqual([missing.kind, missing.serverMessage], ['notFound', 'serviceaccounts "ghost" not found']);
    });

    test('TokenRequest switched off is reported as unsupported, after checking discovery', async () => {
      c.faults.tokenRequestEnabled = false;
      try {
        const info = await failure(client.requestToken('shop', 'web'));
        assert.equal(info.kind, 'tokenRequestUnsupported');
        assert.equal(info.message, 'request a token for service account shop/web: the API server does not have TokenRequest endpoints enabled (discovery lists no serviceaccounts/token)');
        assert.equal(await client.hasTokenRequest(), false);
      } finally {
        c.faults.clear();
      }
    });
  });

  test('JWKS: fetched via OIDC discovery; a minted token verifies, a tampered one does not', async () => {
    const { issuer, jwksUri, fetchedPath, jwks } = await client.fetchJwks();
    assert.equal(issuer, ISSUER);
    assert.equal(jwksUri, `${ISSUER}/openid/v1/jwks`);
    assert.equal(fetchedPath, '/openid/v1/jwks');
    const { token } = await client.requestToken('shop', 'web', { audiences: ['vault'], expirationSeconds: 600 });
    const ok = await verifyJwt(token, jwks, { nowMs: clock.ms, issuer, audience: 'vault' });
    assert.ok(ok.ok, JSON.stringify(ok));
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, exp: Number(payload.exp) + 86_400 })).toString('base64url')}.${s}`;
    const bad = await verifyJwt(tampered, jwks, { nowMs: clock.ms });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.reason, /^signature does not match any key \(kid "[^"]+"\): the token was altered/);
    const late = await verifyJwt(token, jwks, { nowMs: clock.ms + 661_000 });
    assert.equal(late.ok ? '' : late.reason, `expired at ${new Date(Math.floor(clock.ms / 1000) * 1000 + 600_000).toISOString().replace('.000Z', 'Z')} (1 min 1 s ago; more than 60 s ago)`);
  });

  test('TokenReview', async () => {
    const pod = (await client.listPods('shop')).items.find((p) => p.name.startsWith('web-')) as PodSummary;
    const { token } = await client.requestToken('shop', 'web', { boundPod: { name: pod.name } });
    const ok = await client.tokenReview(token);
    assert.equal(ok.authenticated, true);
    assert.equal(ok.username, 'system:serviceaccount:shop:web');
    assert.deepEqual(ok.groups, ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated']);
    assert.deepEqual(ok.extra['authentication.kubernetes.io/pod-name'], [pod.name]);
    const wrongAud = await client.tokenReview(token, ['vault']);
    assert.equal(wrongAud.authenticated, false);
    assert.match(wrongAud.error ?? '', /^token audiences \[".*"\] is invalid for the target audiences \["vault"\]$/);
  });

  test('the demo kubelet tokens are readable through the client', async () => {
    const files = await client.readDemoPodTokens('payments', 'payments-api-0');
    assert.deepEqual(files.map((f) => f.volume).sort(), ['aws-iam-token', files.find((f) => f.volume.startsWith('kube-api-access-'))?.volume].sort());
  });

  describe('error classification', () => {
    test('401', async () => {
      c.faults.add({ resource: 'pods', fail: 401, times: 1 });
      const info = await failure(client.listPods('shop'));
      assert.equal(info.kind, 'unauthorized');
      assert.equal(info.status, 401);
      assert.equal(info.message, `list pods in namespace shop: ${c.url} rejected the credentials of context "kube-token-lens-demo" (401 Unauthorized): the token or certificate is missing, expired or revoked`);
      const kc = new KubeConfig();
      kc.loadFromString(c.kubeconfigYaml().replace(c.adminToken, 'not-the-token'));
      assert.equal((await failure(new ClusterClient(kc, 'kube-token-lens-demo').listNamespaces())).kind, 'unauthorized');
    });

    test('403 names the missing verb and resource', async () => {
      c.faults.add({ resource: 'pods', verb: 'list', namespace: 'shop', fail: 403, times: 1 });
      const info = await failure(client.listPods('shop'));
      assert.equal(info.kind, 'forbidden');
      assert.deepEqual([info.user, info.verb, info.resource, info.apiGroup, info.namespace], ['demo', 'list', 'pods', '', 'shop']);
      assert.equal(info.message, 'list pods in namespace shop: forbidden: user "demo" may not list pods in namespace "shop" (RBAC needs verb "list" on resource "pods" in API group "" in namespace "shop")');
      c.faults.add({ resource: 'serviceaccounts/token', fail: 403, times: 1 });
      const t = await failure(client.requestToken('shop', 'web'));
      assert.deepEqual([t.verb, t.resource, t.namespace], ['create', 'serviceaccounts/token', 'shop']);
      c.faults.add({ resource: 'pods', fail: 403, times: 1 });
      const all = await failure(client.listPods(undefined));
      assert.match(all.message, /may not list pods cluster-wide \(RBAC needs verb "list" on resource "pods" in API group "" at cluster scope\)$/);
    });

    test('500, dropped connection, timeout', async () => {
      c.faults.add({ resource: 'pods', fail: 500, times: 1 });
      const e = await failure(client.listPods('shop'));
      assert.equal(e.kind, 'server');
      assert.equal(e.message, `list pods in namespace shop: ${c.url} failed (500 InternalError): Internal error occurred: demo fault: injected internal error`);
      c.faults.add({ resource: 'pods', fail: 'drop', times: 1 });
      const d = await failure(client.listPods('shop'));
      assert.equal(d.kind, 'unreachable');
      assert.equal(d.message, `list pods in namespace shop: cannot reach ${c.url} (connection reset: the server closed the connection)`);
      c.faults.add({ resource: 'pods', latencyMs: 2_500, times: 1 });
      const t = await failure(client.listPods('shop'));
      assert.equal(t.kind, 'timeout');
      assert.equal(t.message, `list pods in namespace shop: ${c.url} did not answer in time`);
      // The JWKS path uses raw requests: same classification.
      c.faults.add({ fail: 'drop', times: 1 });
      assert.equal((await failure(client.fetchJwks())).kind, 'unreachable');
    });

    test('410 for an expired continue token, 400 for a malformed one', async () => {
      const first = await client.listPods(undefined, { limit: 2 });
      c.compact();
      const info = await failure(client.listPods(undefined, { limit: 2, continueToken: first.continueToken as string }));
      assert.equal(info.kind, 'expired');
      assert.equal(info.status, 410);
      assert.equal(info.reason, 'Expired');
      assert.equal(info.message, 'list pods in all namespaces: the list continue token has expired (410 Gone): start the list again');
      const bad = await failure(client.listPods(undefined, { limit: 2, continueToken: 'garbage' }));
      assert.equal(bad.kind, 'invalid');
      assert.equal(bad.status, 400);
    });

    test('connection refused names the server', async () => {
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const kc = new KubeConfig();
      kc.loadFromString(c.kubeconfigYaml().replace(`127.0.0.1:${c.port}`, `127.0.0.1:${port}`));
      const info = await failure(new ClusterClient(kc, 'kube-token-lens-demo').listNamespaces());
      assert.equal(info.kind, 'unreachable');
      assert.equal(info.code, 'ECONNREFUSED');
      assert.equal(info.message, `list namespaces: cannot reach https://127.0.0.1:${port} (connection refused)`);
    });

    test('TLS: an untrusted server certificate', async () => {
      const kc = new KubeConfig();
      kc.loadFromString(c.kubeconfigYaml().replace(/certificate-authority-data: \S+/, ''));
      const info = await failure(new ClusterClient(kc, 'kube-token-lens-demo').listNamespaces());
      assert.equal(info.kind, 'unreachable');
      assert.match(info.message, /^list namespaces: cannot reach https:\/\/127\.0\.0\.1:\d+ \(the server's certificate/);
    });

    test('an unknown context, and anything else, still classifies', () => {
      assert.throws(() => new ClusterClient(kubeConfigFor(c), 'nope'), /context "nope" is not in the kubeconfig/);
      assert.equal(classifyClusterError(new Error('boom')).kind, 'unknown');
      assert.equal(classifyClusterError(undefined).kind, 'unknown');
      assert.deepEqual(parseWarnings('299 - "a \\"b\\"", 299 - "c"'), ['a "b"', 'c']);
    });

    test('an error that quotes a credential is classified with the credential redacted', () => {
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
      const plugin = classifyClusterError(new Error(`exec plugin: invalid output {"kind":"ExecCredential","status":{"token":"${jwt}"}}`), { operation: 'list pods' });
      assert.equal(plugin.message, 'list pods: exec plugin: invalid output {"kind":"ExecCredential","status":{"token":"[redacted]"}}');
      const http = classifyClusterError({ code: 500, body: JSON.stringify({ kind: 'Status', message: `proxy echoed Authorization: Bearer ${jwt}` }) });
      assert.ok(!http.message.includes('c2lnbmF0dXJl') && !(http.serverMessage ?? '').includes('c2lnbmF0dXJl'), http.message);
      assert.match(http.message, /Bearer \[redacted\]/);
    });
  });
});
