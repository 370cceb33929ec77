/**
 * The integration suite's harness: the test registry, the run() contract, and helpers every topic
 * file shares. Topic files register tests with `test()`; index.ts imports them in the order they run.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { KubeTokenLensApi } from '../../src/extension';

export const EXTENSION_ID = 'kube-token-lens.kube-token-lens';
type TestFn = () => Promise<void>;
const tests: Array<{ name: string; fn: TestFn }> = [];
export const test = (name: string, fn: TestFn) => tests.push({ name, fn });

export function extension(): vscode.Extension<KubeTokenLensApi> {
  const ext = vscode.extensions.getExtension<KubeTokenLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** The extension's API, activating it first if no view or command has yet. */
export async function api(): Promise<KubeTokenLensApi> {
  const ext = extension();
  return ext.isActive ? ext.exports : ext.activate();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks the harness (which drives the browser) for a screenshot and waits until the file exists. */
export async function screenshot(name: string): Promise<void> {
  const file = join(extension().extensionPath, 'test-results', 'screenshots', `${name}.png`);
  await sleep(800); // let the workbench paint
  console.log(`[ktl:screenshot] ${name}`);
  for (let waited = 0; waited < 20_000; waited += 200) {
    if (existsSync(file)) return;
    await sleep(200);
  }
  throw new Error(`screenshot ${name} was not taken within 20 s (is the harness forwarding logs?)`);
}

/** The text of the extension's output channel as VS Code wrote it to disk (searched for near logUri). */
export function outputChannelLog(lens: KubeTokenLensApi): string {
  const session = dirname(dirname(dirname(lens.logUri.fsPath)));
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth < 0 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, depth - 1);
      else if (name.endsWith('Kube Token Lens.log')) found.push(path);
    }
  };
  walk(session, 5);
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (let waited = 0; ; waited += 200) {
    const value = await probe();
    if (value !== undefined) return value;
    if (waited > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}

const TEST_TIMEOUT_MS = 90_000;

function withTimeout(name: string, p: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" did not finish within ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function run(): Promise<void> {
  let failed = 0;
  // KTL_TEST_GREP narrows a local run to matching tests (never set in CI).
  const grep = process.env.KTL_TEST_GREP ? new RegExp(process.env.KTL_TEST_GREP, 'i') : undefined;
  const selected = grep ? tests.filter((t) => grep.test(t.name)) : tests;
  for (const t of selected) {
    const started = Date.now();
    try {
      await withTimeout(t.name, t.fn());
      console.log(`  ✔ ${t.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(`  ✖ ${t.name}\n    ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  console.log(`integration: ${selected.length - failed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} of ${selected.length} integration tests failed`);
  if (selected.length === 0) throw new Error(`no integration test matches KTL_TEST_GREP=${process.env.KTL_TEST_GREP ?? ''}`);
}

/**
 * The newest run's id, to count the runs made after it: the Simulations view keeps only the last few
 * runs, so counting entries stops working once it is full.
 */
export function runMark(lens: KubeTokenLensApi): number {
  return lens.runs.list()[0]?.id ?? 0;
}

/** How many runs were made after `mark` (from runMark). */
export function runsSince(lens: KubeTokenLensApi, mark: number): number {
  return lens.runs.list().filter((r) => r.id > mark).length;
}
