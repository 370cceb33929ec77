/**
 * How the timeline looks for a pod with several token sources (issue 14): one lane per source, each
 * named by pod and source, in a real VS Code. The screenshot is kept for review.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, screenshot, sleep, test, waitFor, runMark, runsSince } from './suite';

test('the timeline of a demo pod with several token sources names each lane by pod and source', async () => {
  const lens = await api();
  const demo = (await lens.clusterTree.getChildren()).find((n) => n.kind === 'context' && n.ctx.demo);
  assert.ok(demo);
  const shop = (await lens.clusterTree.getChildren(demo)).find((n) => n.kind === 'namespace' && n.namespace === 'shop');
  assert.ok(shop);
  const pod = (await lens.clusterTree.getChildren(shop)).find((n) => n.kind === 'pod' && n.pod.tokenSources.length >= 2);
  assert.ok(pod && pod.kind === 'pod', 'the demo cluster has a pod with several token sources');
  const before = runMark(lens);
  await vscode.commands.executeCommand('kubeTokenLens.simulateToken', pod);
  await waitFor('the run', () => (runsSince(lens, before) > 0 ? true : undefined));
  const trace = await waitFor('the timeline panel', () => lens.panels.active?.currentTrace);
  const tokenLanes = trace.lanes.filter((l) => l.kind === 'token');
  assert.equal(tokenLanes.length, pod.pod.tokenSources.length, 'one lane per projected token source');
  // The chart shows each lane as "pod · source": the sources of one pod differ, so the lanes do too.
  const sources = new Set(tokenLanes.map((l) => l.label.split('/')[0]));
  assert.equal(sources.size, tokenLanes.length, `distinct token sources: ${[...sources].join(', ')}`);
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await sleep(2500);
  await screenshot('timeline-lanes');
});
