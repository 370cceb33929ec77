/**
 * The integration suite, run INSIDE a real VS Code (code-server or desktop): the same `run()`
 * contract as @vscode/test-electron's extensionTestsPath. Throwing fails the run.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KubeTokenLensApi } from '../../src/extension';

const EXTENSION_ID = 'kube-token-lens.kube-token-lens';
type TestFn = () => Promise<void>;
const tests: Array<{ name: string; fn: TestFn }> = [];
const test = (name: string, fn: TestFn) => tests.push({ name, fn });

function extension(): vscode.Extension<KubeTokenLensApi> {
  const ext = vscode.extensions.getExtension<KubeTokenLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks the harness (which drives the browser) for a screenshot and waits until the file exists. */
async function screenshot(name: string): Promise<void> {
  const file = join(extension().extensionPath, 'test-results', 'screenshots', `${name}.png`);
  await sleep(800); // let the workbench paint
  console.log(`[ktl:screenshot] ${name}`);
  for (let waited = 0; waited < 20_000; waited += 200) {
    if (existsSync(file)) return;
    await sleep(200);
  }
  throw new Error(`screenshot ${name} was not taken within 20 s (is the harness forwarding logs?)`);
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (let waited = 0; ; waited += 200) {
    const value = await probe();
    if (value !== undefined) return value;
    if (waited > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}

test('the extension activates lazily and exposes its views', async () => {
  const ext = extension();
  await vscode.commands.executeCommand('workbench.view.extension.kubeTokenLens');
  const api = await waitFor('activation', () => (ext.isActive ? ext.exports : undefined));
  assert.ok(api.clusterTree, 'cluster tree provider');
  assert.ok(api.usersTree, 'users tree provider');
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

test('the Cluster view lists the kubeconfig contexts, current one marked', async () => {
  const api = extension().exports;
  const nodes = api.clusterTree.getChildren();
  const contexts = nodes.flatMap((n) => (n.kind === 'context' ? [n.context] : []));
  assert.deepEqual(contexts.map((c) => c.name), ['shop-prod', 'shop-staging']);
  assert.equal(contexts.find((c) => c.current)?.name, 'shop-prod');
  const item = api.clusterTree.getTreeItem(nodes[0]!);
  assert.match(String(item.description), /current/);
});

test('the Kubeconfig Users view lists exec users first without their arguments', async () => {
  const api = extension().exports;
  const users = api.usersTree.getChildren().flatMap((n) => (n.kind === 'user' ? [n.user] : []));
  assert.deepEqual(users.map((u) => [u.name, u.auth]), [['oidc-user', 'exec'], ['cert-user', 'clientCertificate']]);
  const tooltip = api.usersTree.getTreeItem({ kind: 'user', user: users[0]! }).tooltip as vscode.MarkdownString;
  assert.doesNotMatch(tooltip.value, /issuer\.example/, 'exec arguments must not be shown');
});

test('screenshot: the Token Lens container with its three views', async () => {
  await vscode.commands.executeCommand('workbench.view.extension.kubeTokenLens');
  await vscode.commands.executeCommand('kubeTokenLens.cluster.focus');
  await screenshot('sidebar-token-lens');
});

export async function run(): Promise<void> {
  let failed = 0;
  for (const t of tests) {
    const started = Date.now();
    try {
      await t.fn();
      console.log(`  ✔ ${t.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(`  ✖ ${t.name}\n    ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  console.log(`integration: ${tests.length - failed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} of ${tests.length} integration tests failed`);
}
