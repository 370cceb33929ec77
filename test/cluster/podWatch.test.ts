/**
 * Watching pods: the demo cluster's watch (newline-delimited events from a resourceVersion, 410 when too
 * old) through ClusterClient.watchPods with the real @kubernetes/client-node Watch over HTTPS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoCluster, type DemoCluster } from '../../src/cluster/demo';
import { ClusterClient, type PodSummary } from '../../src/cluster/clusterClient';
import type { ClusterError } from '../../src/cluster/clusterErrors';
import { kubeConfigFor, raw } from './helpers';

type Seen = Array<{ type: string; name: string; uid: string }>;

async function until<T>(what: string, probe: () => T | undefined, ms = 5_000): Promise<T> {
  for (let waited = 0; ; waited += 20) {
    const v = probe();
    if (v !== undefined) return v;
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pod watch against the demo cluster', () => {
  let c: DemoCluster;
  let client: ClusterClient;
  before(async () => {
    c = await startDemoCluster();
    client = new ClusterClient(kubeConfigFor(c), 'kube-token-lens-demo', { timeoutMs: 2_000 });
  });
  after(() => c.stop());

  test('from the list’s resourceVersion: added, restarted (deleted + added with a new uid) and deleted pods, in order, only of that namespace', async () => {
    const list = await client.listPods('shop');
    assert.ok(list.resourceVersion);
    const like = list.items[0] as PodSummary;
    const seen: Seen = [];
    let ended: ClusterError | undefined | 'not yet' = 'not yet';
    const stop = await client.watchPods('shop', list.resourceVersion, (type, pod) => seen.push({ type, name: pod.name, uid: pod.uid }), (err) => {
      ended = err;
    });
    try {
      // A change between the list and the watch is not lost: the watch starts at the list's version.
      assert.ok(c.addPod('shop', like.name, 'web-new'));
      assert.ok(c.addPod('payments', (await client.listPods('payments')).items[0]?.name ?? '', 'elsewhere'), 'another namespace');
      const restarted = c.recreatePod('shop', like.name);
      assert.ok(restarted);
      assert.ok(c.deletePod('shop', 'web-new'));
      await until('four events', () => (seen.length >= 4 ? true : undefined));
      assert.deepEqual(seen.map((e) => `${e.type} ${e.name}`), ['ADDED web-new', `DELETED ${like.name}`, `ADDED ${like.name}`, 'DELETED web-new']);
      assert.notEqual(seen[2]?.uid, like.uid, 'the restarted pod has a new uid');
      assert.equal(ended, 'not yet', 'the watch stays open');
    } finally {
      stop();
    }
  });

  test('a resourceVersion older than the events kept ends the watch with 410 Expired (list again)', async () => {
    let ended: ClusterError | undefined | 'not yet' = 'not yet';
    await client.watchPods('shop', '1', () => undefined, (err) => {
      ended = err;
    });
    const err = await until('the end', () => (ended === 'not yet' ? undefined : ended));
    assert.equal(err?.info.kind, 'expired');
    assert.match(err?.info.serverMessage ?? '', /too old resource version/);
  });

  test('without a resourceVersion the watch starts with ADDED for every current pod; selectors are refused', async () => {
    const r = await raw(c, 'GET', '/api/v1/namespaces/shop/pods?watch=true&timeoutSeconds=1');
    assert.equal(r.status, 200);
    const lines = r.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    const listed = await client.listPods('shop');
    assert.deepEqual(lines.map((l) => l.object.metadata.name).sort(), listed.items.map((p) => p.name).sort());
    assert.ok(lines.every((l) => l.type === 'ADDED'));
    const sel = await raw(c, 'GET', '/api/v1/namespaces/shop/pods?watch=true&labelSelector=a%3Db');
    assert.equal(sel.status, 400);
  });
});
