/**
 * The Cluster view tells the truth about tokens: a token minted "like" a pod's is its own row, never
 * the pod's; every time names which expiry it is; demo pods say why they are interesting.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../src/vscode/clusterTree';
import { api, screenshot, sleep, test } from './suite';

const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const hover = (item: vscode.TreeItem): string => (typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''));

test('a minted token gets its own row; the source row keeps the pod’s token and names its expiries', async () => {
  const lens = await api();
  const tree = lens.clusterTree;
  const demo = (await tree.getChildren()).find((n) => n.kind === 'context' && n.ctx.demo);
  assert.ok(demo);
  const shop = (await tree.getChildren(demo)).find((n) => n.kind === 'namespace' && n.namespace === 'shop');
  assert.ok(shop, 'the demo cluster has the shop namespace');
  const pod = (await tree.getChildren(shop)).find((n) => n.kind === 'pod' && n.pod.name.startsWith('cart-'));
  assert.ok(pod && pod.kind === 'pod', 'the demo cluster has a cart pod in shop');
  // The pod's kubernetes.io/description shows in its row and its hover.
  const podItem = tree.getTreeItem(pod);
  assert.match(String(podItem.description), /vault-agent reads a 600 s token/, `pod row: ${String(podItem.description)}`);
  assert.match(hover(podItem), /vault-agent reads a 600 s token with audience "vault"/);

  const source = (await tree.getChildren(pod)).find((n): n is Extract<ClusterNode, { kind: 'token' }> => n.kind === 'token' && n.source.volume.startsWith('kube-api-access-'));
  assert.ok(source, 'the cart pod mounts a kube-api-access token');
  lens.setConfirmation(async () => true);
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readTokenFromPod', source);
    const read = String(tree.getTreeItem(source).description);
    // kube-api-access: the kubelet's ≈1 h expiry (which drives refresh) and the JWT's year, both named.
    assert.match(read, /Kubelet expiry in \d+ min/, `source row after the read: ${read}`);
    assert.match(read, /JWT expiry in ≈?36[45] d/, `source row after the read: ${read}`);
    await vscode.commands.executeCommand('kubeTokenLens.requestTokenLikePod', source);
  } finally {
    lens.setConfirmation(undefined);
  }

  const sourceItem = tree.getTreeItem(source);
  const description = String(sourceItem.description);
  assert.doesNotMatch(description, /\b(9|10) min\b|left/, `the source row shows the minted token’s time: ${description}`);
  assert.match(description, /Kubelet expiry in \d+ min( \d+ s)? · JWT expiry in ≈?36[45] d/, `the source row lost the pod’s token: ${description}`);
  assert.match(hover(sourceItem), /Kubelet expiry in/);
  assert.match(hover(sourceItem), /JWT expiry in/);
  assert.doesNotMatch(hover(sourceItem), /SPEC|notYet|inWindow/);

  const children = await tree.getChildren(source);
  const minted = children.filter((n) => n.kind === 'mintedToken');
  assert.equal(minted.length, 1, `one minted row among ${children.map((c) => label(tree.getTreeItem(c))).join(', ')}`);
  const mintedItem = tree.getTreeItem(minted[0]!);
  assert.match(label(mintedItem), /^Minted by you: 10 min token, not the pod’s$/);
  assert.match(String(mintedItem.description), /^JWT expiry in (10 min|9 min \d+ s)$/, `minted row: ${String(mintedItem.description)}`);
  assert.equal(mintedItem.contextValue, 'minted.known');
  const mintedClaims = await tree.getChildren(minted[0]);
  const mintedExpiry = mintedClaims.find((c) => c.kind === 'claim' && c.label === 'JWT expiry');
  assert.ok(mintedExpiry && mintedExpiry.kind === 'claim' && /^in (10 min|9 min)/.test(mintedExpiry.value), 'the minted token’s claims are beneath it');
  // The pod's own claims stay beneath the source: its JWT expiry is about a year away.
  const podExpiry = children.find((c) => c.kind === 'claim' && c.label === 'JWT expiry');
  assert.ok(podExpiry && podExpiry.kind === 'claim' && /^in ≈?36[45] d/.test(podExpiry.value), 'the pod’s token’s claims are beneath the source');
  const refresh = children.find((c) => c.kind === 'claim' && c.label === 'kubelet refresh');
  assert.ok(refresh && refresh.kind === 'claim' && !/notYet|inWindow|\bdue\b/.test(refresh.value), `refresh row: ${refresh?.kind === 'claim' ? refresh.value : 'none'}`);

  await vscode.commands.executeCommand('kubeTokenLens.cluster.focus');
  await lens.clusterView.reveal(source, { expand: true, select: false, focus: false });
  await lens.clusterView.reveal(minted[0]!, { expand: true, select: true, focus: true });
  await sleep(1000);
  await screenshot('tree-truth');
});
