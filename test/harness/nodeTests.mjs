// `npm test`: builds the bundles and the Node-only test modules (unit, cluster, plugins, CLI),
// then runs them with Node's own test runner. Extra arguments are passed to `node --test`
// (e.g. `npm test -- --test-name-pattern=jitter`).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
process.chdir(root);

rmSync('out', { recursive: true, force: true });
const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--tests'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function find(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const files = ['out/test/unit', 'out/test/cluster', 'out/test/plugins', 'out/test/cli'].flatMap(find).sort();
if (files.length === 0) {
  console.error('npm test: no test modules were built: nothing to run is a failure, not a pass.');
  process.exit(1);
}
const run = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-reporter=spec', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
