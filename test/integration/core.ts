/** The core integration tests: activation, the Cluster view, simulations, reports and the blast radius. */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { KubeTokenLensApi } from '../../src/extension';
import { tokenKey, type ClusterNode } from '../../src/vscode/clusterTree';
import { api, extension, outputChannelLog, screenshot, sleep, test, waitFor, runMark, runsSince } from './suite';

test('the extension activates lazily and exposes its views', async () => {
  const ext = extension();
  await vscode.commands.executeCommand('workbench.view.extension.kubeTokenLens');
  const lens = await waitFor('activation', () => (ext.isActive ? ext.exports : undefined));
  assert.ok(lens.clusterTree, 'cluster tree provider');
  assert.ok(lens.usersTree, 'users tree provider');
});

test('every contributed command is registered and carries a category', async () => {
  const manifest = JSON.parse(readFileSync(join(extension().extensionPath, 'package.json'), 'utf8')) as {
    contributes: { commands: Array<{ command: string; category?: string }> };
  };
  const registered = new Set(await vscode.commands.getCommands(true));
  for (const c of manifest.contributes.commands) {
    assert.ok(registered.has(c.command), `command ${c.command} is contributed but not registered`);
    assert.equal(c.category, 'Token Lens', `command ${c.command} has no category`);
  }
});

test('the Cluster view lists the kubeconfig contexts, current one marked, and the demo cluster', async () => {
  const lens = await api();
  const nodes = await lens.clusterTree.getChildren();
  const contexts = nodes.flatMap((n) => (n.kind === 'context' ? [n.ctx] : []));
  assert.deepEqual(contexts.map((c) => c.label), ['shop-prod', 'shop-staging', 'Demo cluster (built-in)']);
  assert.equal(contexts.find((c) => c.current)?.label, 'shop-prod');
  const item = lens.clusterTree.getTreeItem(nodes[0]!);
  assert.match(String(item.description), /current/);
});

test('an unreachable context is an error row with a retry, not an empty tree', async () => {
  const lens = await api();
  const staging = (await lens.clusterTree.getChildren()).find((n) => n.kind === 'context' && n.ctx.label === 'shop-staging');
  assert.ok(staging);
  const rows = await lens.clusterTree.getChildren(staging);
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(row.kind, 'message');
  assert.match(row.kind === 'message' ? row.label : '', /unreachable.*staging\.example\.invalid/i);
  assert.equal(row.kind === 'message' ? row.command?.command : undefined, 'kubeTokenLens.refresh');
});

test('a context with an exec user runs the plugin only after the user allows it', async () => {
  const lens = await api();
  const prod = (await lens.clusterTree.getChildren()).find((n) => n.kind === 'context' && n.ctx.label === 'shop-prod');
  assert.ok(prod);
  const asked: string[] = [];
  lens.setConfirmation(async (what) => {
    asked.push(what);
    return false;
  });
  try {
    const rows = await lens.clusterTree.getChildren(prod);
    assert.equal(asked.length, 1);
    assert.match(asked[0] ?? '', /kubelogin/);
    assert.match(rows[0]?.kind === 'message' ? rows[0].label : '', /not allowed/);
    // Re-rendering the row (any tree refresh) must not ask again; Refresh does.
    await lens.clusterTree.getChildren(prod);
    assert.equal(asked.length, 1, 'a declined plugin is not asked about again on every re-render');
    await vscode.commands.executeCommand('kubeTokenLens.refresh');
    await lens.clusterTree.getChildren(prod);
    assert.ok(asked.length >= 2, 'Refresh asks again');
  } finally {
    lens.setConfirmation(undefined);
  }
});

test('browse the demo cluster down to a token\'s claims', async () => {
  const lens = await api();
  const find = async <K extends ClusterNode['kind']>(parent: ClusterNode | undefined, kind: K, match: (n: Extract<ClusterNode, { kind: K }>) => boolean): Promise<Extract<ClusterNode, { kind: K }>> => {
    const children = await lens.clusterTree.getChildren(parent);
    const found = children.find((n): n is Extract<ClusterNode, { kind: K }> => n.kind === kind && match(n as Extract<ClusterNode, { kind: K }>));
    assert.ok(found, `no ${kind} among ${children.map((c) => lens.clusterTree.getTreeItem(c).label).join(', ')}`);
    return found;
  };
  const demo = await find(undefined, 'context', (n) => n.ctx.demo);
  const shop = await find(demo, 'namespace', (n) => n.namespace === 'shop');
  const pod = await find(shop, 'pod', (n) => n.pod.tokenSources.length >= 2);
  const token = await find(pod, 'token', (n) => n.source.audience !== undefined);
  const before = lens.clusterTree.getTreeItem(token);
  assert.match(String(before.description), /aud \S+ · \d+ s/);
  // The credential action asks first; the test answers yes (and checks it was asked).
  const asked: string[] = [];
  lens.setConfirmation(async (what) => {
    asked.push(what);
    return true;
  });
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readTokenFromPod', token);
  } finally {
    lens.setConfirmation(undefined);
  }
  assert.equal(asked.length, 1, 'reading a token asks the user first');
  const claims = await lens.clusterTree.getChildren(token);
  const labels = claims.map((c) => (c.kind === 'claim' ? c.label : ''));
  for (const claim of ['validity', 'JWT expiry', 'kubelet refresh', 'iss', 'aud', 'exp', 'kubernetes.io/pod']) {
    assert.ok(labels.includes(claim), `claim row ${claim} in ${labels.join(', ')}`);
  }
  // Show Token Details: a report with the claims, and never the token itself.
  const tokenValue = lens.known.get(tokenKey(token.ctx, token.pod, token.source))?.value;
  assert.ok(tokenValue, 'the token is kept in memory');
  // The log says what was done, and never carries the token (every write is redacted).
  const logText = await waitFor('the read in the log', () => {
    const text = outputChannelLog(lens);
    return /read 1 token\(s\) of shop\//.test(text) ? text : undefined;
  });
  assert.ok(!logText.includes(tokenValue) && !logText.includes(tokenValue.split('.')[2] ?? '-'), 'the log does not contain the token');
  await vscode.commands.executeCommand('kubeTokenLens.showTokenDetails', token);
  const report = await waitFor('the token report', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'kube-token-lens-token'));
  assert.match(report.getText(), /kubernetes\.io\/pod/);
  assert.ok(!report.getText().includes(tokenValue), 'the report does not contain the token');
  assert.ok(!report.getText().includes(tokenValue.split('.')[2] ?? '-'), 'nor its signature');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const after = lens.clusterTree.getTreeItem(token);
  assert.match(String(after.description), /JWT expiry (in|.* ago)/, 'the token’s expiry, named, shows once the token is known');
  assert.match(String(after.description), /refresh/, 'and the kubelet refresh window');
  await vscode.commands.executeCommand('kubeTokenLens.cluster.focus');
  await lens.clusterView.reveal(token, { expand: true, select: true, focus: true });
  await sleep(1000);
  await screenshot('cluster-demo-token-claims');
});

test('Simulate Refresh on a demo pod opens its timeline, anchored at its tokens', async () => {
  const lens = await api();
  const roots = await lens.clusterTree.getChildren();
  const demo = roots.find((n) => n.kind === 'context' && n.ctx.demo);
  assert.ok(demo);
  const namespaces = await lens.clusterTree.getChildren(demo);
  const shop = namespaces.find((n) => n.kind === 'namespace' && n.namespace === 'shop');
  assert.ok(shop);
  const pod = (await lens.clusterTree.getChildren(shop)).find((n) => n.kind === 'pod' && n.pod.tokenSources.length >= 2);
  assert.ok(pod && pod.kind === 'pod');
  const before = runMark(lens);
  await vscode.commands.executeCommand('kubeTokenLens.simulateToken', pod);
  await waitFor('the run', () => (runsSince(lens, before) > 0 ? true : undefined));
  const trace = await waitFor('the timeline panel', () => lens.panels.active?.currentTrace);
  const tokenLanes = trace.lanes.filter((l) => l.kind === 'token');
  assert.equal(tokenLanes.length, pod.pod.tokenSources.length, 'one lane per projected token source');
  assert.ok(trace.meta.start <= Date.now() && Date.now() <= trace.meta.end, 'the real now lies inside the simulated window');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await sleep(2500);
  await screenshot('timeline-demo-pod');
});

test('a legacy token Secret is flagged and its never-expiring token decodes after a yes', async () => {
  const lens = await api();
  const demo = (await lens.clusterTree.getChildren()).find((n) => n.kind === 'context' && n.ctx.demo);
  assert.ok(demo);
  const payments = (await lens.clusterTree.getChildren(demo)).find((n) => n.kind === 'namespace' && n.namespace === 'payments');
  assert.ok(payments);
  const folder = (await lens.clusterTree.getChildren(payments)).find((n) => n.kind === 'folder' && n.folder === 'legacySecrets');
  assert.ok(folder);
  const secret = (await lens.clusterTree.getChildren(folder)).find((n) => n.kind === 'legacySecret');
  assert.ok(secret && secret.kind === 'legacySecret', 'the demo cluster has a legacy token Secret in payments');
  assert.match(String(lens.clusterTree.getTreeItem(secret).description), /never expires/);
  lens.setConfirmation(async () => true);
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readLegacySecret', secret);
  } finally {
    lens.setConfirmation(undefined);
  }
  const rows = await lens.clusterTree.getChildren(secret);
  const validity = rows.find((r) => r.kind === 'claim' && r.label === 'validity');
  assert.equal(validity?.kind === 'claim' ? validity.value : undefined, 'never expires');
  assert.equal(lens.clusterTree.getTreeItem(secret).contextValue, 'legacySecret.known');
});

test('the Kubeconfig Users view lists exec users first without their arguments', async () => {
  const lens = await api();
  const users = lens.usersTree.getChildren().flatMap((n) => (n.kind === 'user' ? [n.user] : []));
  assert.deepEqual(users.map((u) => [u.name, u.auth]), [['oidc-user', 'exec'], ['cert-user', 'clientCertificate']]);
  const tooltip = lens.usersTree.getTreeItem({ kind: 'user', user: users[0]! }).tooltip as vscode.MarkdownString;
  assert.doesNotMatch(tooltip.value, /issuer\.example/, 'exec arguments must not be shown');
});

test('screenshot: the Token Lens container with its three views', async () => {
  await vscode.commands.executeCommand('workbench.view.extension.kubeTokenLens');
  await vscode.commands.executeCommand('kubeTokenLens.cluster.focus');
  await screenshot('sidebar-token-lens');
});

test('Run Simulation on a scenario file opens the timeline with its trace', async () => {
  const lens = await api();
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  const file = vscode.Uri.joinPath(folder.uri, 'outage.scenario.yaml');
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  // The CodeLens offers the run; the command is what it calls.
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
  assert.ok(lenses.some((l) => l.command?.command === 'kubeTokenLens.runScenario'), 'Run Simulation CodeLens');
  const before = runMark(lens);
  await vscode.commands.executeCommand('kubeTokenLens.runScenario', file);
  const panel = await waitFor('the timeline panel', () => lens.panels.active?.currentTrace);
  assert.equal(runsSince(lens, before), 1, 'the run is listed in the Simulations view');
  assert.ok(panel.events.some((e) => e.type === 'tokenServedStale'), 'the outage makes the kubelet serve stale tokens');
  assert.ok(panel.events.some((e) => e.type === 'tokenRequest' && e.ok === false), 'requests fail during the outage');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await sleep(2500);
  await screenshot('timeline-scenario-file');
});

test('what-if from the page: a re-run applies checked values; values the models refuse change nothing', async () => {
  const lens = await api();
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  await vscode.commands.executeCommand('kubeTokenLens.runScenario', vscode.Uri.joinPath(folder.uri, 'outage.scenario.yaml'));
  const timeline = await waitFor('the timeline panel', () => (lens.panels.active?.currentValues ? lens.panels.active : undefined));
  const values = timeline.currentValues;
  assert.ok(values);
  // As the form would send it: no outage, a 2 h horizon.
  await timeline.deliver({ type: 'rerun', values: { ...values, outages: [], horizon: '2h' } });
  const rerun = await waitFor('the re-run trace', () => (timeline.currentValues?.horizon === '2h' ? timeline.currentTrace : undefined));
  assert.equal(rerun.meta.end - rerun.meta.start, 2 * 3_600_000, 'the horizon was applied');
  assert.ok(!rerun.events.some((e) => e.type === 'outageStart'), 'the outage was removed');
  // A page cannot push past the models' checks: a lifetime under the API server's minimum is refused.
  const runsBefore = runMark(lens);
  await timeline.deliver({ type: 'rerun', values: { ...timeline.currentValues, expirationSeconds: 60 } });
  assert.equal(timeline.currentTrace, rerun, 'the trace is unchanged');
  assert.equal(runsSince(lens, runsBefore), 0, 'nothing ran');
  await waitFor('the refusal in the log', () => (/what-if values rejected: .*expirationSeconds/.test(outputChannelLog(lens)) ? true : undefined));
  // And a malformed message is dropped at the parser.
  await timeline.deliver({ type: 'rerun', values: 'not a record' });
  assert.equal(timeline.currentTrace, rerun);
});

test('a scenario with errors gets diagnostics at the right line and column', async () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const doc = await vscode.workspace.openTextDocument({
    language: 'yaml',
    content: 'seed: 1\nstart: 2026-01-01T00:00:00Z\nhorizon: 6 hours\npods: []\n',
  });
  await vscode.window.showTextDocument(doc);
  const diagnostics = await waitFor('diagnostics', () => {
    const d = vscode.languages.getDiagnostics(doc.uri);
    return d.length > 0 ? d : undefined;
  });
  const horizon = diagnostics.find((d) => /horizon/.test(d.message));
  assert.ok(horizon, `a diagnostic about horizon, got ${diagnostics.map((d) => d.message).join(' | ')}`);
  assert.equal(horizon.range.start.line, 2);
  assert.equal(horizon.range.start.character, 9);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
});

test('palette: Simulate Refresh → Default scenario opens the timeline', async () => {
  const lens = await api();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const before = runMark(lens);
  const pending = vscode.commands.executeCommand('kubeTokenLens.simulateRefresh');
  await sleep(1500);
  await screenshot('simulate-refresh-quick-pick');
  // With no scenario editor active, the first entry is the default scenario.
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await pending;
  await waitFor('the run', () => (runsSince(lens, before) > 0 ? true : undefined));
  assert.match(lens.runs.list()[0]?.title ?? '', /outage/i);
  await sleep(2500);
  await screenshot('timeline-default-scenario');
});

test('a failing command is caught by the guard: it resolves, says why, and the log carries no token', async () => {
  const lens = await api();
  // A file name that quotes a token-shaped value: the error text (and so the log) would repeat it.
  const tokenLike = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"sub":"system:serviceaccount:shop:web"}').toString('base64url')}.c2lnbmF0dXJlLW5vdC1yZWFs`;
  const missing = vscode.Uri.file(join(dirname(lens.logUri.fsPath), `missing-${tokenLike}.scenario.yaml`));
  const before = runMark(lens);
  // Without the guard this would reject (VS Code would show its own raw error).
  await vscode.commands.executeCommand('kubeTokenLens.runScenario', missing);
  assert.equal(runsSince(lens, before), 0, 'nothing ran');
  const logText = await waitFor('the guarded failure in the log', () => {
    const text = outputChannelLog(lens);
    return /runScenario: .*missing-/.test(text) ? text : undefined;
  });
  assert.ok(!logText.includes(tokenLike) && !logText.includes('c2lnbmF0dXJlLW5vdC1yZWFs'), 'the token-shaped part of the error is redacted');
  assert.match(logText, /runScenario: .*\[redacted\]/);
});

test('restoring a timeline after a reload with no usable state shows why, instead of a blank panel', async () => {
  const lens = await api();
  const panel = vscode.window.createWebviewPanel('kubeTokenLens.timeline', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
  // What VS Code calls after a reload; the state is garbage (from an older version, say).
  await lens.panels.serializer.deserializeWebviewPanel(panel, { version: 99, junk: true });
  const restored = lens.panels.active;
  assert.ok(restored, 'the panel is adopted as a timeline');
  assert.equal(restored.currentTrace, undefined);
  assert.match(restored.errorShown ?? '', /could not be restored/);
  // The page was given the timeline's HTML with its strict CSP.
  assert.match(panel.webview.html, /Content-Security-Policy" content="default-src 'none';/);
  assert.doesNotMatch(panel.webview.html, /unsafe-(inline|eval)/);
  restored.dispose();
  assert.equal(lens.panels.active === restored, false, 'a disposed panel leaves the set');
});

test('a CredentialProviderConfig under any file name gets schema completion and hover', async () => {
  await api(); // activated (in use, onLanguage:yaml does it)
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  // Neither the name nor the folder says what it is: only `kind` does.
  const file = vscode.Uri.joinPath(folder.uri, 'node-setup', 'image-pulls.yaml');
  const text = 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: ecr-credential-provider\n    matchImages: ["*.dkr.ecr.*.amazonaws.com"]\n    \n';
  await vscode.workspace.fs.writeFile(file, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(file);
  assert.equal(doc.languageId, 'yaml');
  await vscode.window.showTextDocument(doc);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', file, new vscode.Position(5, 4));
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  for (const key of ['defaultCacheDuration', 'apiVersion', 'tokenAttributes']) assert.ok(labels.includes(key), `completion offers ${key}: ${labels.join(', ')}`);
  assert.ok(!labels.includes('matchImages'), 'a key already there is not offered again');
  const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', file, new vscode.Position(1, 6));
  assert.ok(values.items.some((i) => i.label === 'CredentialProviderConfig'), 'the kind value is offered');
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file, new vscode.Position(4, 8));
  const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(hoverText, /\*\*matchImages\*\*/);
  assert.match(hoverText, /never a dot/);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, 'node-setup'), { recursive: true });
});

const BROKEN_CONFIG = [
  'apiVersion: kubelet.config.k8s.io/v1',
  'kind: CredentialProviderConfig',
  'providers:',
  '  - name: ecr/credential-provider',
  '    matchImages: ["*.dkr.ecr.*.amazonaws.com"]',
  '    apiVersion: credentialprovider.kubelet.k8s.io/v1',
  '',
].join('\n');

/** The text of the newest Token Lens report document (Test Image, Run Provider Plugin) once it is open. */
async function newestReport(after: number): Promise<string> {
  const doc = await waitFor('the report document', () => {
    const reports = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'kube-token-lens-report' && Number(d.uri.path.split('/')[1]) > after);
    return reports.sort((a, b) => Number(b.uri.path.split('/')[1]) - Number(a.uri.path.split('/')[1]))[0];
  });
  return doc.getText();
}

function reportCount(): number {
  return Math.max(0, ...vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'kube-token-lens-report').map((d) => Number(d.uri.path.split('/')[1])));
}

test('a broken CredentialProviderConfig under any file name gets the kubelet\'s diagnostics; Test Image explains a match', async () => {
  await api();
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const dir = vscode.Uri.joinPath(folder.uri, 'node-pulls');
  const file = vscode.Uri.joinPath(dir, 'pulls.yaml');
  await vscode.workspace.fs.writeFile(file, Buffer.from(BROKEN_CONFIG));
  try {
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor('kubelet diagnostics', () => {
      const d = vscode.languages.getDiagnostics(file).filter((x) => x.source === 'Kube Token Lens (kubelet)');
      return d.length >= 2 ? d : undefined;
    });
    const name = diagnostics.find((d) => d.message === 'providers.name: Invalid value: "ecr/credential-provider": provider name cannot contain \'/\'');
    assert.ok(name, `the kubelet's name message, got ${diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join(' | ')}`);
    assert.equal(name.range.start.line, 3);
    const duration = diagnostics.find((d) => d.message === 'providers.defaultCacheDuration: Required value');
    assert.ok(duration, 'the missing defaultCacheDuration');
    assert.equal(duration.severity, vscode.DiagnosticSeverity.Error);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
    for (const c of ['testImage', 'simulatePulls', 'runPlugin', 'selectKubeletVersion']) {
      assert.ok(lenses.some((l) => l.command?.command === `kubeTokenLens.credentialProvider.${c}`), `${c} lens`);
    }
    // Fix it while typing: the diagnostics go away.
    await editor.edit((e) => {
      e.replace(new vscode.Range(3, 0, 3, doc.lineAt(3).text.length), '  - name: ecr-credential-provider');
      e.insert(new vscode.Position(5, 0), '    defaultCacheDuration: 12h\n');
    });
    await waitFor('no kubelet errors', () => (vscode.languages.getDiagnostics(file).some((d) => d.source === 'Kube Token Lens (kubelet)') ? undefined : true));
    const before = reportCount();
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4';
    await vscode.commands.executeCommand('kubeTokenLens.credentialProvider.testImage', file, image);
    const text = await newestReport(before);
    assert.match(text, /^# Test Image: `123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/shop\/web:1\.4`/);
    assert.match(text, /## ✔ `ecr-credential-provider` matches/);
    assert.match(text, /2\. its registry: `123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com`/);
    assert.match(text, /3\. the global key: `<global>`/);
    await screenshot('credential-provider-test-image');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  } finally {
    await vscode.workspace.fs.delete(dir, { recursive: true });
  }
});

test('Simulate Image Pulls opens an editable scenario and its timeline with the provider\'s lanes', async () => {
  const lens = await api();
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: BROKEN_CONFIG.replace('ecr/credential-provider', 'ecr-credential-provider').replace('    apiVersion: credentialprovider', '    defaultCacheDuration: 12h\n    apiVersion: credentialprovider') });
  await vscode.window.showTextDocument(doc);
  const runsBefore = runMark(lens);
  await vscode.commands.executeCommand('kubeTokenLens.credentialProvider.simulatePulls', doc.uri);
  await waitFor('the run', () => (runsSince(lens, runsBefore) > 0 ? true : undefined));
  const trace = await waitFor('the timeline', () => lens.panels.active?.currentTrace);
  assert.ok(trace.lanes.some((l) => l.kind === 'credentialProvider' && l.label === 'ecr-credential-provider'), 'a lane for the provider');
  assert.ok(trace.events.some((e) => e.type === 'pluginExec'), 'the plugin runs');
  const scenario = vscode.workspace.textDocuments.find((d) => d.isUntitled && d.getText().startsWith('# Image pulls built by Kube Token Lens'));
  assert.ok(scenario, 'the scenario is open as an untitled (savable) YAML document');
  assert.equal(scenario.languageId, 'yaml');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

test('Run Provider Plugin runs a real plugin after the confirmation and shows its answer with the password hidden', async () => {
  const lens = await api();
  const bin = mkdtempSync(join(tmpdir(), 'ktl-plugin-'));
  const password = 'not-a-real-password-4242';
  const response = JSON.stringify({ apiVersion: 'credentialprovider.kubelet.k8s.io/v1', kind: 'CredentialProviderResponse', cacheKeyType: 'Registry', cacheDuration: '6h', auth: { '*.dkr.ecr.us-east-1.amazonaws.com': { username: 'AWS', password } } });
  const plugin = join(bin, 'ecr-credential-provider');
  // Reads the request the way a plugin does, leaves a copy to check, answers.
  writeFileSync(plugin, `#!/bin/sh\ncat > "${join(bin, 'request.json')}"\necho 'diagnostic line' >&2\nprintf '%s\\n' '${response}'\n`, { mode: 0o755 });
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: BROKEN_CONFIG.replace('ecr/credential-provider', 'ecr-credential-provider').replace('    apiVersion: credentialprovider', '    defaultCacheDuration: 12h\n    apiVersion: credentialprovider') });
  const asked: string[] = [];
  // The confirmation is stubbed through the injected Consent function (setConfirmation), never by an argument.
  lens.setConfirmation(async (what, detail) => {
    asked.push(`${what}\n${detail}`);
    return true;
  });
  try {
    const before = reportCount();
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4';
    await vscode.commands.executeCommand('kubeTokenLens.credentialProvider.runPlugin', doc.uri, 0, { binDir: bin, image });
    assert.equal(asked.length, 1, 'asked once');
    assert.ok(asked[0]?.includes(plugin) && /stdin/.test(asked[0] ?? ''), 'the confirmation names the binary and stdin');
    const text = await newestReport(before);
    assert.match(text, /## ✔ Answered/);
    assert.match(text, /\*\*cacheKeyType\*\*: `Registry`/);
    assert.match(text, /\*\*cacheDuration\*\*: `6h0m0s`/);
    assert.match(text, /\*\*Cached until\*\*: .*\(in (5h59m|6h)/);
    assert.match(text, /diagnostic line/);
    assert.ok(!text.includes(password), 'the password is hidden');
    assert.equal(readFileSync(join(bin, 'request.json'), 'utf8'), `{"kind":"CredentialProviderRequest","apiVersion":"credentialprovider.kubelet.k8s.io/v1","image":"${image}"}\n`);
    assert.ok(!outputChannelLog(lens).includes(password), 'nor logged');
    // Said no: nothing runs.
    lens.setConfirmation(async () => false);
    rmSync(join(bin, 'request.json'));
    await vscode.commands.executeCommand('kubeTokenLens.credentialProvider.runPlugin', doc.uri, 0, { binDir: bin, image });
    assert.ok(!existsSync(join(bin, 'request.json')), 'the plugin did not run');
  } finally {
    lens.setConfirmation(undefined);
    rmSync(bin, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
});

test('a kubeconfig\'s exec users are linted as diagnostics and rows, and Run Exec Plugin Now shows the expiry, never the token', async () => {
  const lens = await api();
  const dir = mkdtempSync(join(tmpdir(), 'ktl-kubeconfig-'));
  const config = vscode.workspace.getConfiguration('kubeTokenLens');
  const before = config.inspect<string>('kubeconfigPath')?.workspaceValue;
  const token = 'not-a-real-exec-token-7731';
  const expiry = new Date(Math.floor(Date.now() / 1000 + 3600) * 1000).toISOString().replace('.000Z', 'Z');
  const file = join(dir, 'config');
  // A relative command with a slash runs from the kubeconfig's folder, as client-go resolves it.
  writeFileSync(join(dir, 'fake-plugin'), `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "${join(dir, 'exec-info')}"\necho 'fetched a fresh token' >&2\nprintf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}","expirationTimestamp":"${expiry}"}}'\n`, { mode: 0o755 });
  writeFileSync(file, [
    'apiVersion: v1',
    'kind: Config',
    'current-context: fake',
    'clusters:',
    '  - name: fake',
    '    cluster: { server: https://fake.example.invalid }',
    'contexts:',
    '  - name: fake',
    '    context: { cluster: fake, user: fake-exec }',
    '  - name: old',
    '    context: { cluster: fake, user: old-alpha }',
    'users:',
    '  - name: fake-exec',
    '    user:',
    '      exec:',
    '        apiVersion: client.authentication.k8s.io/v1',
    '        command: ./fake-plugin',
    '        args: [--secret-arg-value]',
    '        interactiveMode: Never',
    '  - name: old-alpha',
    '    user:',
    '      exec:',
    '        apiVersion: client.authentication.k8s.io/v1alpha1',
    '        command: ktl-no-such-auth-plugin',
    '  - name: gcp-user',
    '    user:',
    '      auth-provider: { name: gcp }',
    '',
  ].join('\n'));
  const asked: string[] = [];
  lens.setConfirmation(async (what, detail) => {
    // The Cluster view may try to connect to the fixture's current context (its own question): say no.
    if (!what.startsWith('Run the exec plugin')) return false;
    asked.push(`${what}\n${detail}`);
    return true;
  });
  try {
    await config.update('kubeconfigPath', file, vscode.ConfigurationTarget.Workspace);
    const rows = await waitFor('the fixture\'s users in the view', () => {
      const nodes = lens.usersTree.getChildren();
      return nodes.some((n) => n.kind === 'user' && n.user.name === 'fake-exec') ? nodes : undefined;
    });
    const users = rows.flatMap((n) => (n.kind === 'user' ? [n.user] : []));
    assert.deepEqual(users.map((u) => [u.name, u.auth]), [['fake-exec', 'exec'], ['old-alpha', 'exec'], ['gcp-user', 'authProvider']]);
    const fakeItem = lens.usersTree.getTreeItem({ kind: 'user', user: users[0]! });
    assert.equal(fakeItem.description, 'fake-plugin · v1');
    assert.equal(fakeItem.contextValue, 'user.exec');
    const old = rows.find((n) => n.kind === 'user' && n.user.name === 'old-alpha')!;
    const children = lens.usersTree.getChildren(old);
    const removed = children.find((c) => c.kind === 'finding' && c.finding.code === 'exec-api-version-removed');
    assert.ok(removed, `a row for the removed v1alpha1, got ${children.map((c) => c.kind === 'finding' ? c.finding.code : c.kind).join(', ')}`);
    const removedItem = lens.usersTree.getTreeItem(removed);
    assert.equal((removedItem.iconPath as vscode.ThemeIcon).id, 'error');
    assert.equal(removedItem.command?.command, 'vscode.open');
    assert.equal((removedItem.command?.arguments?.[1] as { selection: vscode.Range }).selection.start.line, 22);
    assert.ok(children.some((c) => c.kind === 'pathNote'), 'the PATH the extension host searched');
    assert.doesNotMatch(JSON.stringify(fakeItem.tooltip), /secret-arg-value/, 'exec arguments are never shown');

    // Diagnostics in the kubeconfig itself once it is open.
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await waitFor('kubeconfig diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Kube Token Lens (kubeconfig)');
      return d.length >= 3 ? d : undefined;
    });
    const alpha = diagnostics.find((d) => d.code === 'exec-api-version-removed');
    assert.ok(alpha, `v1alpha1 is an error, got ${diagnostics.map((d) => `${d.range.start.line}: ${String(d.code)}`).join(' | ')}`);
    assert.equal(alpha.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(alpha.range.start.line, 22);
    assert.equal(diagnostics.find((d) => d.code === 'exec-command-not-found')?.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(diagnostics.some((d) => d.code === 'auth-provider-removed' && d.range.start.line === 26), 'the removed gcp auth-provider');
    await vscode.commands.executeCommand('kubeTokenLens.kubeconfigUsers.focus');
    await screenshot('kubeconfig-users-lint');

    // Run the fake plugin from its row.
    const reportsBefore = reportCount();
    await vscode.commands.executeCommand('kubeTokenLens.runExecPlugin', rows[0]);
    assert.equal(asked.length, 1, `asked once, got: ${asked.map((a) => a.split('\n')[0]).join(' | ')}`);
    assert.match(asked[0] ?? '', /\.\/fake-plugin/);
    assert.match(asked[0] ?? '', /1 argument /);
    assert.match(asked[0] ?? '', /as client-go would/);
    assert.doesNotMatch(asked[0] ?? '', /secret-arg-value/, 'argument values are not named');
    const text = await newestReport(reportsBefore);
    assert.match(text, /## ✔ Credentials returned/);
    assert.ok(text.includes(`**Expires**: ${expiry} (in 59 min`) || text.includes(`**Expires**: ${expiry} (in 1 h`), `the expiry, got:\n${text}`);
    assert.match(text, /fetched a fresh token/);
    assert.ok(!text.includes(token), 'the token is hidden');
    assert.equal(readFileSync(join(dir, 'exec-info'), 'utf8'), '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}\n');
    assert.ok(!outputChannelLog(lens).includes(token), 'nor logged');

    // Simulate Exec Auth… from the same row: the real run's lifetime (1 h) and no argument value.
    const runsBefore = runMark(lens);
    await vscode.commands.executeCommand('kubeTokenLens.simulateExecAuth', rows[0]);
    await waitFor('the exec-auth run', () => (runsSince(lens, runsBefore) > 0 ? true : undefined));
    const trace = await waitFor('the exec-auth timeline', () => {
      const t = lens.panels.active?.currentTrace;
      return t?.lanes.some((l) => l.kind === 'kubeconfigUser') === true ? t : undefined;
    });
    assert.deepEqual(trace.lanes.filter((l) => l.kind === 'kubeconfigUser').map((l) => l.id), ['exec-auth/fake-exec/kubectl', 'exec-auth/fake-exec/ide']);
    const built = vscode.workspace.textDocuments.find((d) => d.isUntitled && d.getText().startsWith('# exec auth: fake-exec'));
    assert.ok(built, 'the scenario is open as an untitled YAML document');
    assert.match(built.getText(), /credentialLifetime: (1h|5\dm\d+s)/, 'the lifetime the real run reported');
    assert.doesNotMatch(built.getText(), /secret-arg-value/, 'argument values are not copied');
  } finally {
    lens.setConfirmation(undefined);
    await config.update('kubeconfigPath', before, vscode.ConfigurationTarget.Workspace);
    rmSync(dir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
});

/** The newest Outage Blast Radius panel once it shows a result for `scope`. */
async function blastPanel(lens: KubeTokenLensApi, scope: RegExp, before: number) {
  return waitFor(`the blast-radius panel of ${scope}`, () => {
    const open = lens.blastRadiusPanels.open;
    const p = open.length > before ? open[open.length - 1] : undefined;
    return p && scope.test(p.panel.title) ? p : undefined;
  }, 60_000);
}

test('Outage Blast Radius on a demo namespace: the kinds, the herd and the affected pods; a row opens its timeline', async () => {
  const lens = await api();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const demo = (await lens.clusterTree.getChildren()).find((n) => n.kind === 'context' && n.ctx.demo);
  assert.ok(demo);
  const platform = (await lens.clusterTree.getChildren(demo)).find((n) => n.kind === 'namespace' && n.namespace === 'platform');
  assert.ok(platform, 'the demo cluster has the platform namespace');
  // Tokens read from one pod pin that pod's history at their real issue times.
  const pinned = (await lens.clusterTree.getChildren(platform)).find((n) => n.kind === 'pod' && n.pod.name.startsWith('mesh-gateway-'));
  assert.ok(pinned && pinned.kind === 'pod');
  lens.setConfirmation(async () => true);
  try {
    await vscode.commands.executeCommand('kubeTokenLens.readTokenFromPod', pinned);
  } finally {
    lens.setConfirmation(undefined);
  }
  const before = lens.blastRadiusPanels.open.length;
  // As a person does it: the two questions, answered with their defaults (now, 3h).
  const pending = vscode.commands.executeCommand('kubeTokenLens.outageBlastRadius', platform);
  await sleep(1500);
  await screenshot('blast-radius-question');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await sleep(1000);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await pending;
  const panel = await blastPanel(lens, /namespace platform/, before);
  const r = panel.currentResult;
  assert.equal(r.outage.durationMs, 3 * 3_600_000);
  assert.ok(Math.abs(r.outage.startMs - Date.now()) < 120_000, 'the outage starts now');
  assert.equal(r.pods, 13);
  assert.equal(r.runs, 20);
  assert.deepEqual(r.anchors, { issued: 1, started: 12, unknown: 0 }, 'the read pod from its tokens, every other from its status.startTime');
  const kind = (audience: string | null, seconds: number) => r.kinds.find((k) => k.kind.audience === audience && k.kind.issuedSeconds === seconds);
  assert.equal(kind('vault', 600)?.certain, 3, 'a 600 s token cannot outlive a 3 h outage');
  assert.equal(kind('nats', 3600)?.certain, 3);
  assert.equal(kind('sts.amazonaws.com', 86_400)?.never, 3, 'the 24 h tokens are 17-19 h old: they outlive it');
  const api3607 = kind(null, 3607);
  assert.ok(api3607?.kind.extended && api3607.certain === 13, 'every kube-api-access token expires for the kubelet, extended for the API server');
  const istio = kind('istio-ca', 43_200);
  assert.ok(istio && istio.certain + istio.possible >= 1, 'the 12 h tokens near the end of their cycle are at risk');
  assert.ok(r.herd.catchUpRequests.max > 0 && r.herd.peakPerSecond.max > 0, 'the refreshes held back come back as a herd');
  assert.ok(r.affected.length >= 19);
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await sleep(2500);
  await screenshot('blast-radius-namespace');

  // A row's Timeline button: the page posts openTimeline, the host opens that pod's simulation.
  const row = r.affected.find((a) => a.volume === 'vault-token');
  assert.ok(row);
  const runsBefore = runMark(lens);
  await panel.receive({ type: 'openTimeline', podIndex: row.podIndex, tokenIndex: row.tokenIndex });
  await waitFor('the pod timeline run', () => (runsSince(lens, runsBefore) > 0 ? true : undefined));
  const trace = await waitFor('the pod timeline', () => lens.panels.active?.currentTrace);
  assert.equal(trace.lanes.filter((l) => l.kind === 'token').length, 2, 'the pod\'s two tokens');
  const outage = trace.spans.find((sp) => sp.kind === 'outage');
  assert.ok(outage && outage.start === r.outage.startMs && outage.end === r.outage.startMs + r.outage.durationMs, 'the outage is on the timeline');
  assert.ok(trace.events.some((e) => e.type === 'tokenExpired'), 'and the vault token expires in it');
  // A malformed message from the page changes nothing.
  await panel.receive({ type: 'openTimeline', podIndex: -1, tokenIndex: 0 });
  assert.equal(runsSince(lens, runsBefore), 1);

  // Change outage…: the questions again, pre-filled with this outage; accepted as they are, the same
  // pods and seeds give the very same answer (a new run, not a cached one).
  const changing = panel.receive({ type: 'changeOutage' });
  await sleep(1200);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await sleep(800);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await changing;
  assert.notEqual(panel.currentResult, r, 'the analysis ran again');
  assert.deepEqual(panel.currentResult, r, 'same outage, pods and seeds: the same answer');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

test('palette: Outage Blast Radius → the demo cluster → all namespaces', async () => {
  const lens = await api();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const before = lens.blastRadiusPanels.open.length;
  const next = () => vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  const pending = vscode.commands.executeCommand('kubeTokenLens.outageBlastRadius');
  await sleep(1200);
  await next();
  await next(); // contexts: shop-prod, shop-staging, Demo cluster (built-in)
  await accept();
  await sleep(1500);
  await accept(); // "All namespaces"
  await sleep(1000);
  await accept(); // start: now
  await sleep(800);
  await accept(); // 3h
  await pending;
  const panel = await blastPanel(lens, /Demo cluster \(built-in\), all namespaces/, before);
  const r = panel.currentResult;
  const client = await lens.connections.client('demo:kube-token-lens-demo');
  const withTokens = (await client.listPods(undefined, { limit: 500 })).items.filter((p) => p.tokenSources.length > 0);
  assert.equal(r.pods, withTokens.length, 'every pod with a projected token, of every namespace');
  assert.ok(new Set(r.affected.map((a) => a.namespace)).size >= 3, 'tokens of several namespaces expire');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await sleep(2000);
  await screenshot('blast-radius-cluster');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

test('a manifest gets token lenses; its Outage Blast Radius and Simulate Tokens work from them', async () => {
  const lens = await api();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const uri = vscode.Uri.file(join(extension().extensionPath, 'examples', 'manifests', 'platform.yaml'));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const lenses = await waitFor('the manifest lenses', async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    return l.some((x) => x.command?.command === 'kubeTokenLens.manifest.showTokens') ? l : undefined;
  });
  const titles = lenses.map((l) => l.command?.title ?? '');
  assert.ok(titles.includes('$(flame) Outage Blast Radius of all 4 workloads…'), titles.join(' | '));
  assert.equal(titles.filter((t) => t === '$(key) Tokens: 2 projected (1 added by admission)').length, 4);
  await sleep(1500);
  await screenshot('manifest-lenses');

  const all = lenses.find((l) => l.command?.command === 'kubeTokenLens.manifest.blastRadius' && l.command.arguments?.length === 1);
  assert.ok(all?.command);
  const before = lens.blastRadiusPanels.open.length;
  const pending = vscode.commands.executeCommand(all.command.command, ...(all.command.arguments ?? []));
  await sleep(1200);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await sleep(800);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await pending;
  const panel = await blastPanel(lens, /platform\.yaml/, before);
  const r = panel.currentResult;
  assert.equal(r.pods, 13, 'replicas expanded: 3 + 3 + 4 + 3');
  assert.equal(r.anchors.unknown, 13, 'templates have no start: sampled');
  assert.equal(r.kinds.find((k) => k.kind.audience === 'vault')?.certain, 3);

  const simulate = lenses.find((l) => l.command?.command === 'kubeTokenLens.manifest.simulateTokens');
  assert.ok(simulate?.command);
  const runsBefore = runMark(lens);
  await vscode.commands.executeCommand(simulate.command.command, ...(simulate.command.arguments ?? []));
  await waitFor('the template timeline run', () => (runsSince(lens, runsBefore) > 0 ? true : undefined));
  const trace = await waitFor('the template timeline', () => lens.panels.active?.currentTrace);
  assert.deepEqual(trace.lanes.filter((l) => l.kind === 'token').map((l) => l.label).sort(), ['kube-api-access-xxxxx/token', 'vault-token/vault-token']);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});


test('palette: Simulate Refresh → A pod of a cluster → the demo cluster → a pod opens its timeline', async () => {
  const lens = await api();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const before = runMark(lens);
  const next = () => vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  const pending = vscode.commands.executeCommand('kubeTokenLens.simulateRefresh');
  await sleep(1200);
  await next(); // 2nd entry: "A pod of a cluster…"
  await accept();
  await sleep(1200);
  await next();
  await next(); // contexts: shop-prod, shop-staging, Demo cluster (built-in)
  await accept();
  await sleep(2500);
  await screenshot('simulate-refresh-pick-pod');
  await accept(); // the first demo pod with projected tokens
  await pending;
  await waitFor('the run', () => (runsSince(lens, before) > 0 ? true : undefined));
  const run = lens.runs.list()[0];
  assert.equal(run?.source.kind, 'token');
  assert.match(run?.source.kind === 'token' ? run.source.description : '', /^Demo cluster \(built-in\): /);
  const trace = await waitFor('the timeline panel', () => lens.panels.active?.currentTrace);
  assert.ok(trace.lanes.some((l) => l.kind === 'token'));
});
