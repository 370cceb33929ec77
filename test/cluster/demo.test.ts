/**
 * The demo API server on the wire: discovery, Status shapes, pagination, selectors, TokenRequest and
 * TokenReview semantics (SPEC D.1, D.2), the issuer's keys, the demo kubelet's tokens, fault switches.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startDemoCluster, type DemoCluster, type DemoPodToken } from '../../src/cluster/demo';
import { analyzeClaims } from '../../src/token/claims';
import { verifyJwt } from '../../src/token/verify';
import { claimsOf, raw, T0, TestClock } from './helpers';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

type Obj = { metadata: { name: string; namespace?: string; uid: string; resourceVersion?: string; continue?: string; remainingItemCount?: number }; [k: string]: unknown };
type List = { kind: string; apiVersion: string; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }; items: Obj[] };

describe('demo cluster', () => {
  const clock = new TestClock(T0);
  let c: DemoCluster;
  before(async () => {
    c = await startDemoCluster({ now: clock.now });
  });
  after(() => c.stop());

  const tokenPath = (ns: string, sa: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`;
  const pod = (ns: string, prefix: string): Obj => {
    const items = (c.store.list('pods', { namespace: ns }).items as Obj[]).filter((p) => p.metadata.name.startsWith(prefix));
    assert.ok(items[0], `no pod ${ns}/${prefix}*`);
    return items[0];
  };

  test('requires the admin bearer token; 401 is a real Status', async () => {
    for (const token of [null, 'wrong']) {
      const r = await raw(c, 'GET', '/api/v1/pods', { token });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
    const v = await raw(c, 'GET', '/version', { token: null });
    assert.equal(v.status, 200);
    assert.equal((v.json as { gitVersion: string }).gitVersion, 'v1.34.1-kube-token-lens-demo');
  });

  test('discovery documents', async () => {
    assert.deepEqual((await raw(c, 'GET', '/api')).json, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${c.port}` }],
    });
    const core = (await raw(c, 'GET', '/api/v1')).json as { resources: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }> };
    assert.deepEqual(
      core.resources.map((r) => r.name),
      ['namespaces', 'nodes', 'pods', 'secrets', 'serviceaccounts', 'serviceaccounts/token'],
    );
    assert.deepEqual(core.resources.find((r) => r.name === 'serviceaccounts/token'), {
      name: 'serviceaccounts/token',
      singularName: '',
      namespaced: true,
      group: 'authentication.k8s.io',
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    });
    const groups = (await raw(c, 'GET', '/apis')).json as { kind: string; groups: Array<{ name: string }> };
    assert.equal(groups.kind, 'APIGroupList');
    assert.deepEqual(groups.groups.map((g) => g.name), ['authentication.k8s.io', 'authorization.k8s.io']);
    const auth = (await raw(c, 'GET', '/apis/authentication.k8s.io/v1')).json as { resources: Array<{ name: string }> };
    assert.ok(auth.resources.some((r) => r.name === 'tokenreviews'));
  });

  test('content: namespaces, nodes, service accounts, pods with default and custom projections', async () => {
    const ns = (await raw(c, 'GET', '/api/v1/namespaces')).json as List;
    assert.equal(ns.kind, 'NamespaceList');
    assert.deepEqual(ns.items.map((n) => n.metadata.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'payments', 'platform', 'shop']);
    const pods = (await raw(c, 'GET', '/api/v1/pods')).json as List;
    assert.equal(pods.kind, 'PodList');
    assert.equal(pods.apiVersion, 'v1');
    assert.ok(pods.items.length >= 10, `${pods.items.length} pods`);
    const keys = pods.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    assert.deepEqual(keys, [...keys].sort(), 'all-namespaces lists are in etcd key order');
    // The default projected volume, exactly as ServiceAccount admission adds it (SPEC D.3).
    const web = pod('shop', 'web-') as unknown as { spec: { volumes: Array<{ name: string; projected: unknown }>; containers: Array<{ name: string; volumeMounts: unknown[] }> } };
    const kubeApi = web.spec.volumes.find((v) => v.name.startsWith('kube-api-access-'));
    assert.ok(kubeApi && /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(kubeApi.name));
    assert.deepEqual(kubeApi.projected, {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    });
    for (const ctr of web.spec.containers) {
      assert.deepEqual(ctr.volumeMounts, [{ name: kubeApi.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    }
    // A custom projection mounted in one container only.
    const cart = pod('shop', 'cart-') as unknown as { spec: { volumes: Array<{ name: string; projected: unknown }>; containers: Array<{ name: string; volumeMounts: Array<{ name: string; mountPath: string }> }> } };
    assert.deepEqual(cart.spec.volumes.find((v) => v.name === 'vault-token')?.projected, {
      sources: [{ serviceAccountToken: { path: 'vault-token', audience: 'vault', expirationSeconds: 600 } }],
      defaultMode: 420,
    });
    assert.deepEqual(
      cart.spec.containers.map((x) => x.volumeMounts.map((m) => m.mountPath)),
      [['/var/run/secrets/kubernetes.io/serviceaccount'], ['/var/run/secrets/vault', '/var/run/secrets/kubernetes.io/serviceaccount']],
    );
    const debug = (await raw(c, 'GET', '/api/v1/namespaces/default/pods/debug-shell')).json as { spec: { automountServiceAccountToken: boolean; volumes?: unknown } };
    assert.equal(debug.spec.automountServiceAccountToken, false);
    assert.equal(debug.spec.volumes, undefined);
    const secrets = (await raw(c, 'GET', '/api/v1/namespaces/payments/secrets?fieldSelector=type%3Dkubernetes.io%2Fservice-account-token')).json as List;
    assert.deepEqual(secrets.items.map((s) => s.metadata.name), ['ci-deployer-token']);
  });

  test('get, 404 Status, namespaced and cluster-scoped paths', async () => {
    const r = await raw(c, 'GET', '/api/v1/namespaces/shop/pods/nope');
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    assert.equal((await raw(c, 'GET', '/api/v1/nodes/node-3')).status, 200);
    assert.equal((await raw(c, 'GET', '/api/v1/namespaces/shop')).status, 200);
    const unknown = await raw(c, 'GET', '/api/v1/configmaps');
    assert.equal(unknown.status, 404);
    assert.equal((unknown.json as { message: string }).message, 'the server could not find the requested resource');
    // A list in a namespace that does not exist is empty, not an error (as upstream).
    assert.deepEqual(((await raw(c, 'GET', '/api/v1/namespaces/nope/pods')).json as List).items, []);
  });

  test('pagination: limit / continue over all namespaces, remainingItemCount, resourceVersion', async () => {
    const all = ((await raw(c, 'GET', '/api/v1/pods')).json as List).items.map((p) => p.metadata.uid);
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = (await raw(c, 'GET', `/api/v1/pods?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).json as List;
      pages++;
      seen.push(...page.items.map((p) => p.metadata.uid));
      cont = page.metadata.continue;
      if (cont) {
        assert.equal(page.metadata.remainingItemCount, all.length - seen.length);
        // The real token format: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}.
        const decoded = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as { v: string; rv: number; start: string };
        assert.equal(decoded.v, 'meta.k8s.io/v1');
        assert.ok(decoded.start.endsWith('\u0000'));
        assert.equal(String(decoded.rv), page.metadata.resourceVersion);
      }
    } while (cont);
    assert.deepEqual(seen, all);
    assert.equal(pages, Math.ceil(all.length / 3));
  });

  test('continue tokens: malformed → 400, compacted → 410 Expired with an inconsistent-continue token', async () => {
    const bad = await raw(c, 'GET', '/api/v1/pods?limit=2&continue=not-a-token');
    assert.equal(bad.status, 400);
    assert.match((bad.json as { message: string }).message, /^invalid continue token: continue key is not valid/);
    const first = (await raw(c, 'GET', '/api/v1/pods?limit=2')).json as List;
    c.compact();
    const gone = await raw(c, 'GET', `/api/v1/pods?limit=2&continue=${encodeURIComponent(first.metadata.continue ?? '')}`);
    assert.equal(gone.status, 410);
    const s = gone.json as { reason: string; message: string; code: number; metadata: { continue?: string } };
    assert.equal(s.reason, 'Expired');
    assert.equal(s.code, 410);
    assert.match(s.message, /^The provided continue parameter is too old to display a consistent list result/);
    assert.ok(s.metadata.continue, 'the 410 carries a token to continue inconsistently');
    const resumed = await raw(c, 'GET', `/api/v1/pods?limit=2&continue=${encodeURIComponent(s.metadata.continue)}`);
    assert.equal(resumed.status, 200);
    // And compaction also happens by itself every 5 minutes of the cluster's clock.
    const again = (await raw(c, 'GET', '/api/v1/pods?limit=2')).json as List;
    clock.advance(5 * 60_000);
    assert.equal((await raw(c, 'GET', `/api/v1/pods?limit=2&continue=${encodeURIComponent(again.metadata.continue ?? '')}`)).status, 410);
  });

  test('label and field selectors', async () => {
    const web = (await raw(c, 'GET', '/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb')).json as List;
    assert.equal(web.items.length, 2);
    const notWeb = (await raw(c, 'GET', '/api/v1/namespaces/shop/pods?labelSelector=app%20notin%20(web)')).json as List;
    assert.ok(notWeb.items.every((p) => !p.metadata.name.startsWith('web-')));
    const node3 = (await raw(c, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-3')).json as List;
    assert.deepEqual(node3.items.map((p) => p.metadata.namespace), ['kube-system', 'payments']);
    const bad = await raw(c, 'GET', '/api/v1/pods?fieldSelector=spec.foo%3Dx');
    assert.equal(bad.status, 400);
    assert.equal((bad.json as { message: string }).message, 'field label not supported: spec.foo');
  });

  describe('TokenRequest (SPEC D.1)', () => {
    test('defaults: 3600 s, the API audiences, status expiry = now + ES', async () => {
      const r = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
      assert.equal(r.status, 201);
      const tr = r.json as { kind: string; metadata: unknown; spec: { audiences: string[]; expirationSeconds: number; boundObjectRef: unknown }; status: { token: string; expirationTimestamp: string } };
      assert.equal(tr.kind, 'TokenRequest');
      assert.deepEqual(tr.metadata, { name: 'web', namespace: 'shop', creationTimestamp: null });
      assert.deepEqual(tr.spec, { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null });
      assert.equal(tr.status.expirationTimestamp, new Date(clock.ms + 3600_000).toISOString().replace('.000Z', 'Z'));
      const claims = claimsOf(tr.status.token);
      assert.equal(claims.exp, Math.floor(clock.ms / 1000) + 3600);
      assert.equal(claims.sub, 'system:serviceaccount:shop:web');
      assert.equal(claims.iss, ISSUER);
      assert.equal((claims['kubernetes.io'] as { pod?: unknown }).pod, undefined);
      assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
    });

    test('expirationSeconds < 600 → 422 Invalid with the exact upstream Status', async () => {
      const r = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { expirationSeconds: 599 } } });
      assert.equal(r.status, 422);
      assert.deepEqual(r.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
        reason: 'Invalid',
        details: {
          name: '',
          group: 'authentication.k8s.io',
          kind: 'TokenRequest',
          causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 599: may not specify a duration less than 10 minutes', field: 'spec.expirationSeconds' }],
        },
        code: 422,
      });
      const big = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { expirationSeconds: 2 ** 32 + 1 } } });
      assert.match((big.json as { message: string }).message, /may not specify a duration larger than 2\^32 seconds$/);
      // SPEC D.1: the service account is read first, so a missing one is a 404 even with an invalid spec.
      const nobody = await raw(c, 'POST', tokenPath('shop', 'nobody'), { body: { spec: { expirationSeconds: 10 } } });
      assert.equal(nobody.status, 404);
      assert.equal((nobody.json as { message: string }).message, 'serviceaccounts "nobody" not found');
      assert.equal((await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { expirationSeconds: 600 } } })).status, 201);
    });

    test('a body name or namespace other than the URL\'s → 422; audiences must be a list of strings → 400', async () => {
      const named = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { metadata: { name: 'cart' }, spec: {} } });
      assert.equal(named.status, 422);
      assert.equal((named.json as { message: string }).message, 'TokenRequest.authentication.k8s.io "web" is invalid: metadata.name: Invalid value: "cart": must match the service account name if specified');
      const ns = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { metadata: { namespace: 'payments' }, spec: {} } });
      assert.equal(ns.status, 422);
      assert.match((ns.json as { message: string }).message, /metadata\.namespace: Invalid value: "payments": must match the service account namespace if specified$/);
      // The name check comes before the service-account lookup (SPEC D.1 step 1).
      assert.equal((await raw(c, 'POST', tokenPath('shop', 'nobody'), { body: { metadata: { name: 'x' } } })).status, 422);
      const one = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { audiences: 'vault' } } });
      assert.equal(one.status, 400);
      assert.equal((one.json as { message: string }).message, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.audiences of type []string');
      const mixed = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { audiences: ['vault', 7] } } });
      assert.equal(mixed.status, 400);
      assert.match((mixed.json as { message: string }).message, /cannot unmarshal number into Go struct field TokenRequestSpec\.spec\.audiences of type string$/);
      assert.equal((await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { audiences: ['vault'] } } })).status, 201);
    });

    test('a body over the size limit → 413 RequestEntityTooLarge, and the server keeps serving', async () => {
      const big = Buffer.from(JSON.stringify({ spec: { audiences: ['x'.repeat(4 * 1024 * 1024)] } }));
      const r = await raw(c, 'POST', tokenPath('shop', 'web'), { rawBody: big, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 413);
      assert.equal((r.json as { reason: string }).reason, 'RequestEntityTooLarge');
      assert.equal((await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: {} } })).status, 201);
    });

    test('pod-bound 3607 s with API audiences: one-year JWT, warnafter, node claims; status still 3607 s', async () => {
      const p = pod('shop', 'web-');
      const r = await raw(c, 'POST', tokenPath('shop', 'web'), {
        body: { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: p.metadata.name, uid: p.metadata.uid } } },
      });
      assert.equal(r.status, 201, r.text);
      const tr = r.json as { spec: { expirationSeconds: number; boundObjectRef: unknown }; status: { token: string; expirationTimestamp: string } };
      assert.equal(tr.spec.expirationSeconds, 3607);
      assert.equal(Date.parse(tr.status.expirationTimestamp), Math.floor(clock.ms / 1000) * 1000 + 3607_000);
      const iat = Math.floor(clock.ms / 1000);
      const claims = claimsOf(tr.status.token);
      assert.equal(claims.iat, iat);
      assert.equal(claims.nbf, iat);
      assert.equal(claims.exp, iat + 31_536_000);
      const k8s = claims['kubernetes.io'] as { warnafter: number; pod: unknown; node: { name: string; uid: string }; serviceaccount: { name: string } };
      assert.equal(k8s.warnafter, iat + 3607);
      assert.deepEqual(k8s.pod, { name: p.metadata.name, uid: p.metadata.uid });
      const nodeName = (p.spec as { nodeName: string }).nodeName;
      const node = c.store.get('nodes', nodeName);
      assert.deepEqual(k8s.node, { name: nodeName, uid: node?.metadata.uid });
      // Claim keys in go-jose's (sorted) order.
      assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
      const view = analyzeClaims(claims, clock.ms);
      assert.equal(view.lifetime.notes[0], 'requested for 1 h 7 s, and the API server extended the JWT to one year; the kubelet still refreshes it about 48 min 6 s after issue');
      // Not extended: another audience, or not pod-bound.
      const vault = await raw(c, 'POST', tokenPath('shop', 'web'), {
        body: { spec: { audiences: ['vault'], expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: p.metadata.name } } },
      });
      const vc = claimsOf((vault.json as { status: { token: string } }).status.token);
      assert.equal(vc.exp, iat + 3607);
      assert.equal((vc['kubernetes.io'] as { warnafter?: number }).warnafter, undefined);
      const unbound = claimsOf(((await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { expirationSeconds: 3607 } } })).json as { status: { token: string } }).status.token);
      assert.equal(unbound.exp, iat + 3607);
    });

    test('bound-object checks: 404, wrong service account 400, UID mismatch 409', async () => {
      const p = pod('shop', 'web-');
      const missing = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } } } });
      assert.equal(missing.status, 404);
      assert.equal((missing.json as { message: string }).message, 'pods "gone" not found');
      const wrongSa = await raw(c, 'POST', tokenPath('shop', 'cart'), { body: { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: p.metadata.name } } } });
      assert.equal(wrongSa.status, 400);
      assert.equal((wrongSa.json as { message: string; reason: string }).message, 'cannot bind token for serviceaccount "cart" to pod running with different serviceaccount name.');
      const uid = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: p.metadata.name, uid: 'old-uid' } } } });
      assert.equal(uid.status, 409);
      assert.deepEqual(uid.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Operation cannot be fulfilled on Pod "${p.metadata.name}": the UID in the bound object reference (old-uid) does not match the UID in record. The object might have been deleted and then recreated`,
        reason: 'Conflict',
        details: { name: p.metadata.name, kind: 'Pod' },
        code: 409,
      });
      const kind = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } } } });
      assert.equal(kind.status, 400);
      assert.equal((kind.json as { message: string }).message, 'cannot bind token to object of type /v1, Kind=ConfigMap');
      const noSa = await raw(c, 'POST', tokenPath('shop', 'ghost'), { body: { spec: {} } });
      assert.equal(noSa.status, 404);
      assert.equal((noSa.json as { message: string }).message, 'serviceaccounts "ghost" not found');
      const saUid = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { metadata: { uid: 'x' }, spec: {} } });
      assert.equal(saUid.status, 409);
      assert.match((saUid.json as { message: string }).message, /^Operation cannot be fulfilled on serviceaccounts "web": the UID in the token request \(x\) does not match the UID of the service account/);
    });

    test('protobuf bodies (kubectl create token) are understood', async () => {
      // runtime.Unknown{typeMeta{apiVersion, kind}, raw: TokenRequest{spec{audiences: ["a"], expirationSeconds: 1200}}}
      const str = (no: number, s: string) => Buffer.concat([Buffer.from([(no << 3) | 2, Buffer.byteLength(s)]), Buffer.from(s)]);
      const msg = (no: number, b: Buffer) => Buffer.concat([Buffer.from([(no << 3) | 2, b.length]), b]);
      const spec = Buffer.concat([str(1, 'a'), Buffer.from([(4 << 3) | 0, 0xb0, 0x09])]);
      const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), msg(1, Buffer.concat([str(1, 'authentication.k8s.io/v1'), str(2, 'TokenRequest')])), msg(2, msg(2, spec))]);
      const r = await raw(c, 'POST', tokenPath('shop', 'web'), { rawBody: body, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } });
      assert.equal(r.status, 201, r.text);
      assert.deepEqual((r.json as { spec: unknown }).spec, { audiences: ['a'], expirationSeconds: 1200, boundObjectRef: null });
    });
  });

  test('max-expiration clamp with a Warning, and the clamp disabling the 3607 extension', async () => {
    const clamp = await startDemoCluster({ now: clock.now, apiServer: { maxTokenExpirationSeconds: 3600 } });
    try {
      const r = await raw(clamp, 'POST', tokenPath('shop', 'web'), { body: { spec: { expirationSeconds: 7200 } } });
      assert.equal(r.status, 201);
      assert.equal((r.json as { spec: { expirationSeconds: number } }).spec.expirationSeconds, 3600);
      assert.equal(r.headers.warning, '299 - "requested expiration of 7200 seconds shortened to 3600 seconds"');
      const p = (clamp.store.list('pods', { namespace: 'shop', labelSelector: 'app=web' }).items[0] as Obj).metadata;
      const k = await raw(clamp, 'POST', tokenPath('shop', 'web'), { body: { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: p.name } } } });
      const claims = claimsOf((k.json as { status: { token: string } }).status.token);
      assert.equal(Number(claims.exp) - Number(claims.iat), 3600, '3607 is clamped to 3600 first, so no extension');
    } finally {
      await clamp.stop();
    }
    await assert.rejects(startDemoCluster({ apiServer: { maxTokenExpirationSeconds: 600 } }), /the service-account-max-token-expiration must be between 1 hour and 2\^32 seconds/);
  });

  describe('TokenReview and bearer authentication (SPEC D.2)', () => {
    const review = async (token: string, audiences?: string[]) =>
      ((await raw(c, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } } })).json as {
        status: { authenticated?: boolean; user: { username?: string; extra?: Record<string, string[]> }; audiences?: string[]; error?: string };
      }).status;
    const mint = async (ns: string, sa: string, spec: Record<string, unknown>) =>
      ((await raw(c, 'POST', tokenPath(ns, sa), { body: { spec } })).json as { status: { token: string } }).status.token;

    test('valid pod-bound token; exp with 60 s leeway; deleted and recreated pods', async () => {
      const p = pod('payments', 'ledger-');
      const token = await mint('payments', 'ledger', { expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'ledger-0' } });
      const ok = await review(token);
      assert.equal(ok.authenticated, true);
      assert.equal(ok.user.username, 'system:serviceaccount:payments:ledger');
      assert.deepEqual(ok.user.extra?.['authentication.kubernetes.io/pod-uid'], [p.metadata.uid]);
      assert.deepEqual(ok.audiences, [ISSUER]);
      assert.equal((await review(token, ['vault'])).error, `token audiences ["${ISSUER}"] is invalid for the target audiences ["vault"]`);
      // A token can authenticate requests; RBAC then forbids them.
      const asSa = await raw(c, 'GET', '/api/v1/namespaces/payments/pods', { token });
      assert.equal(asSa.status, 403);
      assert.equal((asSa.json as { message: string }).message, 'pods is forbidden: User "system:serviceaccount:payments:ledger" cannot list resource "pods" in API group "" in the namespace "payments"');
      assert.equal((await raw(c, 'GET', '/api', { token })).status, 200, 'discovery is allowed');
      const saved = clock.ms;
      clock.ms = saved + 660_000;
      assert.equal((await review(token)).authenticated, true, '60 s past exp is still inside the leeway');
      clock.ms = saved + 661_000;
      assert.equal((await review(token)).error, 'service account token has expired');
      clock.ms = saved;
      const recreated = c.recreatePod('payments', 'ledger-0');
      assert.ok(recreated);
      assert.equal((await review(token)).error, `pod UID (${recreated.metadata.uid}) does not match service account pod ref claim (${p.metadata.uid})`);
      c.deletePod('payments', 'ledger-0');
      assert.equal((await review(token)).error, 'service account token has been invalidated');
    });

    test('legacy Secret token authenticates; tampered tokens do not', async () => {
      const secret = (await raw(c, 'GET', '/api/v1/namespaces/payments/secrets/ci-deployer-token')).json as { data: { token: string } };
      const legacy = Buffer.from(secret.data.token, 'base64').toString('utf8');
      const claims = claimsOf(legacy);
      assert.equal(claims.iss, 'kubernetes/serviceaccount');
      assert.equal(claims.exp, undefined);
      assert.equal(analyzeClaims(claims, clock.ms).kind, 'legacySecret');
      const r = await review(legacy);
      assert.equal(r.authenticated, true);
      assert.equal(r.user.username, 'system:serviceaccount:payments:ci-deployer');
      const [h, , s] = legacy.split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url')}.${s}`;
      assert.equal((await review(forged)).error, 'go-jose/go-jose: error in cryptographic primitive');
      assert.equal((await review('not-a-jwt')).authenticated, undefined);
    });
  });

  test('OIDC discovery and JWKS: minted tokens verify with jose and with verifyJwt', async () => {
    const oidc = (await raw(c, 'GET', '/.well-known/openid-configuration')).json as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
    assert.deepEqual(oidc, {
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = (await raw(c, 'GET', '/openid/v1/jwks')).json as { keys: Array<{ kid: string; alg: string; use: string; kty: string }> };
    assert.equal(jwks.keys.length, 1);
    assert.deepEqual([jwks.keys[0]?.use, jwks.keys[0]?.kty, jwks.keys[0]?.alg], ['sig', 'RSA', 'RS256']);
    const token = ((await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: {} } })).json as { status: { token: string } }).status.token;
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as never), { currentDate: new Date(clock.ms), issuer: ISSUER });
    assert.deepEqual(protectedHeader, { alg: 'RS256', kid: jwks.keys[0]?.kid });
    assert.ok((await verifyJwt(token, jwks, { nowMs: clock.ms, issuer: ISSUER, audience: ISSUER })).ok);
  });

  describe('the demo kubelet: current tokens per pod', () => {
    test('a pod whose token is about to be refreshed, then is', async () => {
      const before = await c.demoTokens('payments', 'payments-api-0');
      const kubeApi = before.find((t) => t.volume.startsWith('kube-api-access-')) as DemoPodToken;
      const iam = before.find((t) => t.volume === 'aws-iam-token') as DemoPodToken;
      assert.equal(kubeApi.expirationSeconds, 3607);
      assert.equal(iam.audience, 'sts.amazonaws.com');
      assert.deepEqual(iam.mounts, [{ container: 'api', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount', file: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' }]);
      assert.deepEqual(claimsOf(iam.token).aud, ['sts.amazonaws.com']);
      // The same token is served until the kubelet refreshes it.
      assert.equal((await c.demoTokens('payments', 'payments-api-0'))[0]?.token, before[0]?.token);
    });

    test('near refresh and expired pods', async () => {
      const near = await startDemoCluster({ now: clock.now });
      try {
        const ledger = (await near.demoTokens('payments', 'ledger-0'))[0] as DemoPodToken;
        const view = analyzeClaims(claimsOf(ledger.token), clock.ms);
        assert.equal(view.lifetime.kubeletRefresh?.state, 'notYet');
        assert.ok((view.lifetime.kubeletRefresh?.latestMs ?? 0) - clock.ms <= 15_000, 'refresh is seconds away');
        assert.equal(ledger.requestedAt, new Date(clock.ms - (47 * 60 + 56) * 1000).toISOString().replace('.000Z', 'Z'));
        const saved = clock.ms;
        clock.advance(60_000);
        const refreshed = (await near.demoTokens('payments', 'ledger-0'))[0] as DemoPodToken;
        assert.notEqual(refreshed.token, ledger.token);
        assert.equal(Date.parse(refreshed.requestedAt), Date.parse(ledger.requestedAt) + 2886_000);
        clock.ms = saved;
        // node-3's kubelet stopped 2 h ago: the 600 s vault token expired, kube-api-access is stale but valid.
        const podName = (near.store.list('pods', { namespace: 'payments', fieldSelector: 'spec.nodeName=node-3' }).items[0] as Obj).metadata.name;
        const stopped = await near.demoTokens('payments', podName);
        const vault = analyzeClaims(claimsOf((stopped.find((t) => t.volume === 'vault-token') as DemoPodToken).token), clock.ms);
        assert.equal(vault.lifetime.validity, 'expired');
        const kube = analyzeClaims(claimsOf((stopped.find((t) => t.volume.startsWith('kube-api-access-')) as DemoPodToken).token), clock.ms);
        assert.equal(kube.lifetime.validity, 'valid');
        assert.equal(kube.lifetime.extended?.stale, true);
        assert.ok(stopped.every((t) => t.kubelet === 'stopped'));
        // The same over HTTP, and as a file read in a container.
        const http = (await raw(near, 'GET', `/demo/v1/namespaces/payments/pods/${podName}/tokens`)).json as { kind: string; items: DemoPodToken[] };
        assert.equal(http.kind, 'DemoPodTokenList');
        assert.deepEqual(http.items, stopped);
        const file = await raw(near, 'GET', `/demo/v1/namespaces/payments/pods/${podName}/file?container=reconcile&path=${encodeURIComponent('/var/run/secrets/vault/vault-token')}`);
        assert.equal(file.text, stopped.find((t) => t.volume === 'vault-token')?.token);
        assert.equal((await raw(near, 'GET', `/demo/v1/namespaces/payments/pods/${podName}/file?container=reconcile&path=/etc/passwd`)).status, 404);
      } finally {
        await near.stop();
      }
    });
  });

  describe('fault switches', () => {
    test('401, 403 with the RBAC message, 500, per resource and counted', async () => {
      const remove = c.faults.add({ resource: 'pods', verb: 'list', fail: 403 });
      const r = await raw(c, 'GET', '/api/v1/namespaces/shop/pods');
      assert.equal(r.status, 403);
      assert.deepEqual(r.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'pods is forbidden: User "demo" cannot list resource "pods" in API group "" in the namespace "shop"',
        reason: 'Forbidden',
        details: { kind: 'pods' },
        code: 403,
      });
      assert.equal((await raw(c, 'GET', '/api/v1/namespaces/shop/serviceaccounts')).status, 200, 'other resources unaffected');
      remove();
      c.faults.add({ resource: 'serviceaccounts/token', fail: 403, times: 1 });
      const t = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: {} } });
      assert.equal((t.json as { message: string }).message, 'serviceaccounts "web" is forbidden: User "demo" cannot create resource "serviceaccounts/token" in API group "" in the namespace "shop"');
      assert.equal((await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: {} } })).status, 201, 'times: 1 fires once');
      c.faults.add({ fail: 500, times: 1 });
      const e = await raw(c, 'GET', '/api');
      assert.equal(e.status, 500);
      assert.deepEqual(e.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Internal error occurred: demo fault: injected internal error',
        reason: 'InternalError',
        details: { causes: [{ message: 'demo fault: injected internal error' }] },
        code: 500,
      });
      c.faults.add({ resource: 'namespaces', fail: 401, times: 1 });
      assert.equal((await raw(c, 'GET', '/api/v1/namespaces')).status, 401);
      assert.equal(c.faults.rules.length, 0);
    });

    test('latency and dropped connections', async () => {
      c.faults.latencyMs = 120;
      const t = performance.now();
      await raw(c, 'GET', '/api');
      assert.ok(performance.now() - t >= 110);
      c.faults.latencyMs = 0;
      c.faults.add({ resource: 'pods', fail: 'drop', times: 1 });
      await assert.rejects(raw(c, 'GET', '/api/v1/pods'), /socket hang up|ECONNRESET/);
      assert.equal((await raw(c, 'GET', '/api/v1/pods')).status, 200);
    });

    test('TokenRequest disabled: 404 and no serviceaccounts/token in discovery', async () => {
      c.faults.tokenRequestEnabled = false;
      try {
        const r = await raw(c, 'POST', tokenPath('shop', 'web'), { body: { spec: {} } });
        assert.equal(r.status, 404);
        assert.equal((r.json as { message: string }).message, 'the server could not find the requested resource');
        const core = (await raw(c, 'GET', '/api/v1')).json as { resources: Array<{ name: string }> };
        assert.ok(!core.resources.some((x) => x.name === 'serviceaccounts/token'));
      } finally {
        c.faults.clear();
      }
    });
  });
});

test('ES256 key option', async () => {
  const es = await startDemoCluster({ keyAlg: 'ES256', now: () => T0 });
  try {
    const jwks = (await raw(es, 'GET', '/openid/v1/jwks')).json as { keys: Array<{ kty: string; crv: string; alg: string }> };
    assert.deepEqual([jwks.keys[0]?.kty, jwks.keys[0]?.crv, jwks.keys[0]?.alg], ['EC', 'P-256', 'ES256']);
    const token = ((await raw(es, 'POST', '/api/v1/namespaces/shop/serviceaccounts/web/token', { body: { spec: {} } })).json as { status: { token: string } }).status.token;
    const v = await verifyJwt(token, jwks, { nowMs: T0 });
    assert.ok(v.ok);
    assert.equal(v.protectedHeader.alg, 'ES256');
  } finally {
    await es.stop();
  }
});

test('5,000 pods: starts and lists fast', async () => {
  const t = performance.now();
  const big = await startDemoCluster({ pods: 5000, podNamespace: 'load', now: () => T0 });
  const started = performance.now() - t;
  try {
    const r = await raw(big, 'GET', '/api/v1/namespaces/load/pods?limit=500');
    const page = r.json as List;
    assert.equal(page.items.length, 500);
    assert.equal(page.metadata.remainingItemCount, 4500);
    const all = (await raw(big, 'GET', '/api/v1/namespaces/load/pods')).json as List;
    assert.equal(all.items.length, 5000);
    assert.equal(new Set(all.items.map((p) => p.metadata.name)).size, 5000);
    // Generous bound (2 shared cores): this only catches accidental quadratic work.
    assert.ok(started < 10_000, `start took ${started} ms`);
  } finally {
    await big.stop();
  }
});
