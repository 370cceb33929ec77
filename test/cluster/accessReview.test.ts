/**
 * SelfSubjectAccessReview: the demo cluster answers it with upstream semantics, its 403 fault rules are
 * what the review reports, and ClusterClient.accessReview reads the answer (or fails as a ClusterError
 * when the API is not there).
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoCluster, type DemoCluster } from '../../src/cluster/demo';
import { ClusterClient } from '../../src/cluster/clusterClient';
import { ClusterError } from '../../src/cluster/clusterErrors';
import { missingAccessMessage } from '../../src/cluster/access';
import { kubeConfigFor, raw, T0, TestClock } from './helpers';

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

describe('SelfSubjectAccessReview on the demo cluster', () => {
  const clock = new TestClock(T0);
  let c: DemoCluster;
  let client: ClusterClient;
  before(async () => {
    c = await startDemoCluster({ now: clock.now });
    client = new ClusterClient(kubeConfigFor(c), 'kube-token-lens-demo', { timeoutMs: 2_000 });
  });
  afterEach(() => c.faults.clear());
  after(() => c.stop());

  test('the admin may create pods/exec; a 403 rule makes the review say no, in that namespace only', async () => {
    const exec = { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop' };
    assert.deepEqual(await client.accessReview(exec), { allowed: true, denied: false });
    c.faults.add({ verb: 'create', resource: 'pods/exec', namespace: 'shop', fail: 403 });
    const denied = await client.accessReview(exec);
    assert.equal(denied.allowed, false);
    assert.equal(denied.denied, false, 'RBAC has no opinion: it does not deny outright');
    assert.equal((await client.accessReview({ ...exec, namespace: 'payments' })).allowed, true);
    assert.equal((await client.accessReview({ verb: 'get', resource: 'secrets', namespace: 'shop' })).allowed, true);
  });

  test('wire shape: the spec is echoed, status.allowed is set, and exactly one attribute set is required', async () => {
    const ok = await raw(c, 'POST', SSAR, { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'list', resource: 'namespaces' } } } });
    assert.equal(ok.status, 201);
    const body = ok.json as { kind: string; spec: unknown; status: { allowed: boolean } };
    assert.equal(body.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(body.spec, { resourceAttributes: { verb: 'list', resource: 'namespaces' } });
    assert.equal(body.status.allowed, true);
    const none = await raw(c, 'POST', SSAR, { body: { spec: {} } });
    assert.equal(none.status, 422);
    assert.match(none.text, /exactly one of nonResourceAttributes or resourceAttributes/);
    const both = await raw(c, 'POST', SSAR, { body: { spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/api', verb: 'get' } } } });
    assert.equal(both.status, 422);
  });

  test('a service-account token may ask (system:basic-user) and is told no for pods', async () => {
    const { token } = await client.requestToken('shop', 'default', { expirationSeconds: 600 });
    assert.ok(token);
    const r = await raw(c, 'POST', SSAR, { token, body: { spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'shop' } } } });
    assert.equal(r.status, 201);
    assert.equal((r.json as { status: { allowed: boolean } }).status.allowed, false);
  });

  test('without the API (switched off) the review fails as a ClusterError and discovery omits the group', async () => {
    c.faults.accessReviewEnabled = false;
    await assert.rejects(client.accessReview({ verb: 'get', resource: 'secrets', namespace: 'shop' }), (err: unknown) => err instanceof ClusterError && err.info.status === 404);
    const groups = (await raw(c, 'GET', '/apis')).json as { groups: Array<{ name: string }> };
    assert.ok(!groups.groups.some((g) => g.name === 'authorization.k8s.io'));
    c.faults.accessReviewEnabled = true;
    const again = (await raw(c, 'GET', '/apis')).json as { groups: Array<{ name: string }> };
    assert.ok(again.groups.some((g) => g.name === 'authorization.k8s.io'));
  });

  test('the missing-permission sentence names the verb, resource, namespace, purpose and what to ask for', () => {
    const text = missingAccessMessage({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop' }, 'read the token file', { allowed: false, denied: false });
    assert.match(text, /^You cannot create pods\/exec in namespace shop \(needed to read the token file\)\. Ask /);
    assert.match(text, /a Role in namespace shop that allows verb "create" on resource "pods\/exec"/);
  });
});
