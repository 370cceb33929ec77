// `npm run bench [-- name…]`: bundles and runs the benchmarks in bench/ (all, or those named), each
// in its own Node process. They print figures; none passes or fails on time. Options after the names
// go to every benchmark run: `npm run bench -- activation --runs 9`.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = new URL('../..', import.meta.url).pathname;
process.chdir(root);
const argv = process.argv.slice(2);
const firstOption = argv.findIndex((a) => a.startsWith('--'));
const wanted = firstOption < 0 ? argv : argv.slice(0, firstOption);
const options = firstOption < 0 ? [] : argv.slice(firstOption);
const all = readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
const build = spawnSync(process.execPath, ['esbuild.config.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
mkdirSync(join('out', 'bench'), { recursive: true });
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  const outfile = join('out', 'bench', `${name}.js`);
  await esbuild.build({ entryPoints: [join('bench', `${name}.ts`)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' });
  console.log(`\n=== bench/${name} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile, ...options], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
