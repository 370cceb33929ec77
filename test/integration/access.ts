/**
 * Cluster access friction (issue 14): a user who may not list namespaces types the ones they can read;
 * an action the user may not do says what is missing before asking anything (SelfSubjectAccessReview).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../src/vscode/clusterTree';
import { tokenKey } from '../../src/vscode/clusterTree';
import { DEMO_KEY } from '../../src/vscode/clusterConnections';
import { api, outputChannelLog, sleep, test, waitFor, runMark, runsSince } from './suite';

type Lens = Awaited<ReturnType<typeof api>>;

async function demoContext(lens: Lens): Promise<Extract<ClusterNode, { kind: 'context' }>> {
  const demo = (await lens.clusterTree.getChildren()).find((n): n is Extract<ClusterNode, { kind: 'context' }> => n.kind === 'context' && n.ctx.demo);
  assert.ok(demo, 'the demo cluster is a context');
  return demo;
}

test('listing namespaces forbidden: a row asks for the names, remembers them, and they browse', async () => {
  const lens = await api();
  const demo = await demoContext(lens);
  const cluster = await lens.connections.demoCluster();
  const unforbid = cluster.faults.add({ verb: 'list', resource: 'namespaces', fail: 403 });
  try {
    lens.clusterTree.refresh();
    const rows = await lens.clusterTree.getChildren(demo);
    assert.equal(rows.length, 1, `one row, got ${rows.map((r) => lens.clusterTree.getTreeItem(r).label).join(', ')}`);
    const ask = rows[0];
    assert.ok(ask?.kind === 'message' && ask.command, 'a row with a command');
    assert.equal(ask.label, 'You cannot list namespaces here: enter the namespaces you can read…');
    // The row's own command opens the input box, prefilled with kubectl's fallback namespace; accept it.
    const pending = vscode.commands.executeCommand(ask.command.command, ...(ask.command.arguments ?? []));
    await sleep(1000);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await pending;
    assert.deepEqual(lens.connections.enteredNamespaces(DEMO_KEY), ['default'], 'remembered for the context');
    const after = await lens.clusterTree.getChildren(demo);
    const ns = after.filter((r) => r.kind === 'namespace').map((r) => (r.kind === 'namespace' ? r.namespace : ''));
    assert.deepEqual(ns, ['default']);
    assert.match(String(lens.clusterTree.getTreeItem(after[0] as ClusterNode).label), /these are the ones you entered/);
    // More names (as typed into the box) and a browse into one of them: its pods list as usual.
    await lens.connections.setEnteredNamespaces(DEMO_KEY, ['payments', 'shop']);
    lens.clusterTree.refresh();
    const shop = (await lens.clusterTree.getChildren(demo)).find((r) => r.kind === 'namespace' && r.namespace === 'shop');
    assert.ok(shop);
    const pods = (await lens.clusterTree.getChildren(shop)).filter((r) => r.kind === 'pod');
    assert.ok(pods.length > 0, 'pods of an entered namespace are listed');
  } finally {
    unforbid();
    lens.clusterTree.refresh();
  }
  const listed = await lens.clusterTree.getChildren(demo);
  assert.ok(listed.filter((r) => r.kind === 'namespace').length >= 5, 'once listing is allowed, every namespace is listed again');
});

async function shopToken(lens: Lens): Promise<Extract<ClusterNode, { kind: 'token' }>> {
  const demo = await demoContext(lens);
  const shop = (await lens.clusterTree.getChildren(demo)).find((r) => r.kind === 'namespace' && r.namespace === 'shop');
  assert.ok(shop);
  const pod = (await lens.clusterTree.getChildren(shop)).find((r) => r.kind === 'pod' && r.pod.tokenSources.length > 0);
  assert.ok(pod);
  const token = (await lens.clusterTree.getChildren(pod)).find((r): r is Extract<ClusterNode, { kind: 'token' }> => r.kind === 'token');
  assert.ok(token);
  return token;
}

test('Read Token From Pod without pods/exec: says what is missing, asks nothing, reads nothing', async () => {
  const lens = await api();
  const cluster = await lens.connections.demoCluster();
  const token = await shopToken(lens);
  const key = tokenKey(token.ctx, token.pod, token.source);
  // An earlier test may have read this token: start from not knowing it.
  lens.known.delete(key);
  const asked: string[] = [];
  lens.setConfirmation(async (what) => {
    asked.push(what);
    return true;
  });
  const unforbid = cluster.faults.add({ verb: 'create', resource: 'pods/exec', namespace: 'shop', fail: 403 });
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readTokenFromPod', token);
    assert.equal(asked.length, 0, 'no confirmation for an action that cannot succeed');
    // Compared as a boolean: a failure must not print the token into the test log.
    assert.equal(lens.known.get(key) === undefined, true, 'nothing was read');
    await waitFor('the missing permission in the log', () =>
      /You cannot create pods\/exec in namespace shop \(needed to read the token file\)\. Ask a cluster administrator for a Role in namespace shop/.test(outputChannelLog(lens)) ? true : undefined,
    );
  } finally {
    unforbid();
  }
  // Without the review API the action goes on as before (its own 403, if any, would explain).
  cluster.faults.accessReviewEnabled = false;
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readTokenFromPod', token);
    assert.equal(asked.length, 1, 'asked once');
    assert.ok(lens.known.get(key), 'the token was read');
  } finally {
    cluster.faults.accessReviewEnabled = true;
    lens.setConfirmation(undefined);
  }
});

test('Request Token Like This Pod\'s without serviceaccounts/token: says so before the confirmation', async () => {
  const lens = await api();
  const cluster = await lens.connections.demoCluster();
  const token = await shopToken(lens);
  const asked: string[] = [];
  lens.setConfirmation(async (what) => {
    asked.push(what);
    return true;
  });
  const unforbid = cluster.faults.add({ verb: 'create', resource: 'serviceaccounts/token', namespace: 'shop', fail: 403 });
  try {
    await vscode.commands.executeCommand('kubeTokenLens.requestTokenLikePod', token);
    assert.deepEqual(asked, [], 'no confirmation for an action that cannot succeed');
    await waitFor('the missing permission in the log', () =>
      new RegExp(`You cannot create serviceaccounts/token in namespace shop \\(needed to request a token for service account ${token.pod.serviceAccountName}\\)`).test(outputChannelLog(lens)) ? true : undefined,
    );
  } finally {
    unforbid();
    lens.setConfirmation(undefined);
  }
});

test('Decode Secret Token without get secrets: says so before the confirmation', async () => {
  const lens = await api();
  const cluster = await lens.connections.demoCluster();
  const demo = await demoContext(lens);
  const payments = (await lens.clusterTree.getChildren(demo)).find((n) => n.kind === 'namespace' && n.namespace === 'payments');
  assert.ok(payments);
  const folder = (await lens.clusterTree.getChildren(payments)).find((n) => n.kind === 'folder' && n.folder === 'legacySecrets');
  assert.ok(folder);
  const secret = (await lens.clusterTree.getChildren(folder)).find((n) => n.kind === 'legacySecret');
  assert.ok(secret && secret.kind === 'legacySecret');
  const asked: string[] = [];
  lens.setConfirmation(async (what) => {
    asked.push(what);
    return true;
  });
  const unforbid = cluster.faults.add({ verb: 'get', resource: 'secrets', namespace: 'payments', fail: 403 });
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readLegacySecret', secret);
    assert.equal(asked.length, 0);
    await waitFor('the missing permission in the log', () =>
      new RegExp(`You cannot get secrets in namespace payments \\(needed to read the token of Secret ${secret.secret.name}\\)`).test(outputChannelLog(lens)) ? true : undefined,
    );
  } finally {
    unforbid();
    lens.setConfirmation(undefined);
  }
});

test('Kubernetes extension: Inspect Tokens and Simulate Refresh work on a pod node shaped like its Cluster Explorer\'s', async () => {
  const lens = await api();
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['kubeTokenLens.k8s.inspectTokens', 'kubeTokenLens.k8s.simulateRefresh']) assert.ok(commands.includes(id), `${id} is registered`);
  const token = await shopToken(lens);
  // What clusterExplorer.v1.resolveCommandTarget returns for a pod (the extension is not installed here).
  const target = { nodeType: 'resource', name: token.pod.name, namespace: 'shop', resourceKind: { manifestKind: 'Pod', abbreviation: 'pod' }, kubectlContext: 'kube-token-lens-demo' };
  const before = runMark(lens);
  await vscode.commands.executeCommand('kubeTokenLens.k8s.simulateRefresh', target);
  await waitFor('the run', () => (runsSince(lens, before) > 0 ? true : undefined));
  const trace = await waitFor('the timeline panel', () => lens.panels.active?.currentTrace);
  assert.equal(trace.lanes.filter((l) => l.kind === 'token').length, token.pod.tokenSources.length);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('kubeTokenLens.k8s.inspectTokens', target);
  const selected = await waitFor('the pod selected in the Cluster view', () => {
    const s = lens.clusterView.selection[0];
    return s?.kind === 'pod' && s.pod.name === token.pod.name ? s : undefined;
  });
  assert.equal(selected.kind === 'pod' ? selected.pod.namespace : '', 'shop');
  // A node that is not a pod: a clear error, nothing else.
  await vscode.commands.executeCommand('kubeTokenLens.k8s.inspectTokens', { nodeType: 'context', name: 'x' });
  await waitFor('the refusal in the log', () => (/works on a pod in the Kubernetes extension/.test(outputChannelLog(lens)) ? true : undefined));
});
