// Proves the layering rule of DESIGN.md bites: the lint config rejects forbidden imports in the pure
// layers and the webview, and accepts what they may use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, 'eslint returned no result');
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const forbiddenInPure: Array<[string, string]> = [
  ["import * as vscode from 'vscode';", 'no-restricted-imports'],
  ["import { readFileSync } from 'node:fs';", 'no-restricted-imports'],
  ["import { readFileSync } from 'fs';", 'no-restricted-imports'],
  ["import { spawn } from 'child_process';", 'no-restricted-imports'],
  ["import { createServer } from 'node:net';", 'no-restricted-imports'],
  ["import { KubeConfig } from '@kubernetes/client-node';", 'no-restricted-imports'],
  ["import { loadKubeconfig } from '../../cluster/kubeconfig';", 'no-restricted-imports'],
  ["import { ClusterTreeProvider } from '../vscode/clusterTree';", 'no-restricted-imports'],
  ['export const t = Date.now();', 'no-restricted-properties'],
  ['export const r = Math.random();', 'no-restricted-properties'],
  ['export const d = new Date();', 'no-restricted-syntax'],
];

for (const dir of ['src/sim/kubelet', 'src/token']) {
  for (const [code, rule] of forbiddenInPure) {
    test(`${dir}: lint rejects ${code}`, async () => {
      const ids = await ruleIds(`${code}\nexport {};\n`, `${dir}/example.ts`);
      assert.ok(ids.includes(rule), `expected ${rule}, got ${JSON.stringify(ids)}`);
    });
  }
}

test('src/sim may use its own helpers, pure packages and a given time', async () => {
  const code = "import { parse } from 'yaml';\nimport type { Trace } from '../trace';\nexport const d = (t: number): Date => new Date(t);\nexport type T = Trace;\nexport const p = parse;\n";
  assert.deepEqual(await ruleIds(code, 'src/sim/scenario/example.ts'), []);
});

test('webview/ may not import vscode or the host layers', async () => {
  assert.ok((await ruleIds("import * as vscode from 'vscode';\nexport {};\n", 'webview/example.ts')).includes('no-restricted-imports'));
  assert.ok((await ruleIds("import { x } from '../src/vscode/timelinePanel';\nexport {};\n", 'webview/example.ts')).includes('no-restricted-imports'));
  assert.deepEqual(await ruleIds("import type { HostMessage } from '../src/protocol';\nexport type M = HostMessage;\n", 'webview/example.ts'), []);
});

test('src/vscode (the thin layer) may import vscode and the cluster layer', async () => {
  assert.deepEqual(
    await ruleIds("import * as vscode from 'vscode';\nimport { loadKubeconfig } from '../cluster/kubeconfig';\nexport const x = [vscode, loadKubeconfig];\n", 'src/vscode/example.ts'),
    [],
  );
});
