// `npm run test:browser`: builds the webview bundle and runs test/browser/*.test.ts, which load it
// in headless Debian Chromium (playwright-core) with a stub acquireVsCodeApi. Screenshots go to
// test-results/browser/. Fails loudly when Chromium is missing.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM } from './chromium.mjs';

const root = new URL('../..', import.meta.url).pathname;
process.chdir(root);
if (!existsSync(CHROMIUM)) {
  console.error(`test:browser: Chromium is missing at ${CHROMIUM}: sudo apt-get update && sudo apt-get install -y chromium`);
  process.exit(1);
}
rmSync(join('test-results', 'browser'), { recursive: true, force: true });
const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--tests'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const dir = join('out', 'test', 'browser');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).map((f) => join(dir, f)) : [];
if (files.length === 0) {
  console.error('test:browser: no browser test modules were built.');
  process.exit(1);
}
const run = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=1', '--test-reporter=spec', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
