/** Token health at a glance: badges, the "only at risk" filter, the status bar, live pods. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeTokenLensApi } from '../../src/extension';
import type { ClusterNode } from '../../src/vscode/clusterTree';
import { api, screenshot, sleep, test, waitFor } from './suite';

type Of<K extends ClusterNode['kind']> = Extract<ClusterNode, { kind: K }>;

async function find<K extends ClusterNode['kind']>(lens: KubeTokenLensApi, parent: ClusterNode | undefined, kind: K, match: (n: Of<K>) => boolean): Promise<Of<K>> {
  const children = await lens.clusterTree.getChildren(parent);
  const found = children.find((n): n is Of<K> => n.kind === kind && match(n as Of<K>));
  assert.ok(found, `no ${kind} among ${children.map((c) => lens.clusterTree.getTreeItem(c).label).join(', ')}`);
  return found;
}

/** The badge VS Code would draw on a row: the decoration of its resourceUri. */
function badge(lens: KubeTokenLensApi, node: ClusterNode): vscode.FileDecoration | undefined {
  const uri = lens.clusterTree.getTreeItem(node).resourceUri;
  assert.ok(uri, `row ${String(lens.clusterTree.getTreeItem(node).label)} has a resourceUri for its decoration`);
  return lens.health.provideFileDecoration(uri) ?? undefined;
}

async function readAll(lens: KubeTokenLensApi, pod: Of<'pod'>): Promise<void> {
  lens.setConfirmation(async () => true);
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readTokenFromPod', pod);
  } finally {
    lens.setConfirmation(undefined);
  }
}

test('health: a namespace with a legacy Secret and a pod with an expired token get badges, aggregated up to the context; the status bar names the soonest expiry', async () => {
  const lens = await api();
  if (lens.known.size === 0) assert.equal(lens.statusBar.text, undefined, 'the status bar is hidden while no token is known');
  const demo = await find(lens, undefined, 'context', (n) => n.ctx.demo);
  const payments = await find(lens, demo, 'namespace', (n) => n.namespace === 'payments');
  await lens.clusterTree.getChildren(payments); // expanding a namespace lists its pods, then its Secrets
  const legacy = await waitFor('the legacy-Secret badge on payments', () => (badge(lens, payments)?.badge === 'L' ? badge(lens, payments) : undefined));
  assert.match(String(legacy.tooltip), /legacy token Secret .*never-expiring/);
  assert.equal(badge(lens, demo)?.badge, 'L', 'the context shows the worst of its namespaces');

  // The reconciler pod's node stopped 2 h ago: its 600 s vault token expired.
  const pod = await find(lens, payments, 'pod', (n) => n.pod.name.startsWith('reconciler-'));
  assert.equal(badge(lens, pod), undefined, 'nothing is known about the pod before its tokens are read');
  await readAll(lens, pod);
  const expired = await waitFor('the expired badge on the pod', () => (badge(lens, pod)?.badge === 'E' ? badge(lens, pod) : undefined));
  assert.match(String(expired.tooltip), /Token expired: payments\/reconciler-\S+ vault-token\/vault-token: the JWT expired/);
  assert.equal(badge(lens, payments)?.badge, 'E', 'worst wins on the namespace');
  assert.equal(badge(lens, demo)?.badge, 'E', 'and on the context');

  const text = await waitFor('the status bar', () => lens.statusBar.text);
  assert.match(text, /^\$\(key\) Demo cluster \(built-in\) · payments\/reconciler-\S+ JWT expiry ≈?\d.* ago$/);
  await vscode.commands.executeCommand('kubeTokenLens.cluster.focus');
  await vscode.commands.executeCommand('kubeTokenLens.revealSoonestToken');
  const selected = await waitFor('the revealed token', () => lens.clusterView.selection[0], 5000);
  assert.equal(selected.kind, 'token');
  assert.equal(selected.kind === 'token' ? selected.source.volume : '', 'vault-token');
  await lens.clusterView.reveal(payments, { select: true, focus: true, expand: true });
  await sleep(500);
  await screenshot('tree-health');
});

test('health: "only at risk" hides pods with no known risk, and shows them all again', async () => {
  const lens = await api();
  const demo = await find(lens, undefined, 'context', (n) => n.ctx.demo);
  const payments = await find(lens, demo, 'namespace', (n) => n.namespace === 'payments');
  const all = (await lens.clusterTree.getChildren(payments)).filter((n) => n.kind === 'pod');
  assert.ok(all.length >= 2);
  await vscode.commands.executeCommand('kubeTokenLens.showOnlyAtRisk');
  try {
    const rows = await lens.clusterTree.getChildren(payments);
    const pods = rows.filter((n): n is Of<'pod'> => n.kind === 'pod');
    assert.ok(pods.length >= 1 && pods.length < all.length, `only pods at risk: ${pods.map((p) => p.pod.name).join(', ')}`);
    for (const p of pods) assert.ok(badge(lens, p), `${p.pod.name} has a known risk`);
    const hidden = rows.find((n) => n.kind === 'message' && /with no known risk hidden/.test(n.label));
    assert.ok(hidden, 'a row says how many pods are hidden');
    assert.equal(lens.clusterView.description, 'only pods at risk');
  } finally {
    await vscode.commands.executeCommand('kubeTokenLens.showAllPods');
  }
  const again = (await lens.clusterTree.getChildren(payments)).filter((n) => n.kind === 'pod');
  assert.equal(again.length, all.length);
  assert.equal(lens.clusterView.description, undefined);
});

test('health: live pods: a pod added to the demo cluster appears without Refresh; a restarted pod’s known token is dropped', async () => {
  const lens = await api();
  const demoCtx = await find(lens, undefined, 'context', (n) => n.ctx.demo);
  const shop = await find(lens, demoCtx, 'namespace', (n) => n.namespace === 'shop');
  const pods = (await lens.clusterTree.getChildren(shop)).filter((n): n is Of<'pod'> => n.kind === 'pod');
  const like = pods.find((p) => p.pod.tokenSources.length > 0);
  assert.ok(like);
  await waitFor('the watch of shop', () => (lens.podWatches.watching().some((w) => w.endsWith('/shop')) ? true : undefined));
  const demo = await lens.connections.demoCluster();
  assert.ok(demo.addPod('shop', like.pod.name, 'live-added-0'), 'the demo cluster adds a pod at runtime');
  const added = await waitFor('the new pod in the tree', async () =>
    (await lens.clusterTree.getChildren(shop)).find((n): n is Of<'pod'> => n.kind === 'pod' && n.pod.name === 'live-added-0'),
  );
  // Its token is read, then the pod restarts (same name, new uid): the token read before is dropped.
  await readAll(lens, added);
  const source = added.pod.tokenSources[0];
  assert.ok(source);
  const k = `${added.ctx.key}/shop/live-added-0/${source.volume}/${source.path}`;
  assert.ok(lens.known.get(k), 'the token is known');
  assert.ok(demo.recreatePod('shop', 'live-added-0'));
  await waitFor('the stale token to be dropped', () => (lens.known.get(k) ? undefined : true));
  const again = await waitFor('the restarted pod', async () =>
    (await lens.clusterTree.getChildren(shop)).find((n): n is Of<'pod'> => n.kind === 'pod' && n.pod.name === 'live-added-0' && n.pod.uid !== added.pod.uid),
  );
  assert.ok(again);
  assert.ok(demo.deletePod('shop', 'live-added-0'));
  await waitFor('the deleted pod to leave the tree', async () =>
    (await lens.clusterTree.getChildren(shop)).some((n) => n.kind === 'pod' && n.pod.name === 'live-added-0') ? undefined : true,
  );
  // Refresh forgets what was listed: no watch may go on reconnecting in the background.
  await vscode.commands.executeCommand('kubeTokenLens.refresh');
  assert.deepEqual(lens.podWatches.watching().filter((w) => w.endsWith('/shop')), [], 'Refresh stops the watches');
});

test('health: Read Tokens of All Pods in Namespace asks once, reads every pod, and remembers "allow again" for the window only for that namespace', async () => {
  const lens = await api();
  const demoCtx = await find(lens, undefined, 'context', (n) => n.ctx.demo);
  const platform = await find(lens, demoCtx, 'namespace', (n) => n.namespace === 'platform');
  const shop = await find(lens, demoCtx, 'namespace', (n) => n.namespace === 'shop');
  const asked: string[] = [];
  lens.setConfirmation(async (what) => {
    asked.push(what);
    return 'remember';
  });
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readNamespaceTokens', platform);
    assert.equal(asked.length, 1, 'one confirmation for the whole namespace');
    assert.match(asked[0] ?? '', /every pod in namespace platform/);
    const pods = (await lens.clusterTree.getChildren(platform)).filter((n): n is Of<'pod'> => n.kind === 'pod' && n.pod.tokenSources.length > 0);
    assert.ok(pods.length >= 2, 'the platform namespace has several pods with tokens');
    for (const p of pods) {
      for (const s of p.pod.tokenSources) assert.ok(lens.known.get(`${p.ctx.key}/platform/${p.pod.name}/${s.volume}/${s.path}`), `${p.pod.name} ${s.volume} was read`);
    }
    await vscode.commands.executeCommand('kubeTokenLens.readNamespaceTokens', platform);
    assert.equal(asked.length, 1, 'allowed again for this namespace: not asked a second time');
    await vscode.commands.executeCommand('kubeTokenLens.readNamespaceTokens', shop);
    assert.equal(asked.length, 2, 'another namespace asks again');
  } finally {
    lens.setConfirmation(undefined);
  }
});
