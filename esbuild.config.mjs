// Builds the three bundles of DESIGN.md (extension host, webview, CLI) and, with
// --tests, the test modules. Usage: node esbuild.config.mjs [--production] [--watch] [--tests]
// `node esbuild.config.mjs --schema` (npm run schema) only regenerates src/sim/scenario/scenario.schema.json
// from the scenario rules; test/unit/scenario/schema.test.ts fails while the checked-in file is stale.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, existsSync, mkdirSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

const SCHEMA = 'src/sim/scenario/scenario.schema.json';

if (args.has('--schema')) {
  // The generator is pure TypeScript: bundle it to a temporary module, run it, write its text.
  const outfile = join('out', 'schema-generator.cjs');
  await esbuild.build({ entryPoints: ['src/sim/scenario/schema.ts'], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
  const { scenarioSchemaText } = (await import(pathToFileURL(outfile).href)).default;
  writeFileSync(SCHEMA, scenarioSchemaText());
  rmSync(outfile);
  console.log(`wrote ${SCHEMA}`);
  process.exit(0);
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: production ? 'external' : 'none',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    // The simulation worker is a second entry so long runs leave the extension host responsive.
    entryPoints: { extension: 'src/extension.ts', simulationWorker: 'src/vscode/simulationWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // The default scenario (examples/shop-outage.yaml) is embedded as text.
    loader: { '.yaml': 'text' },
  },
  {
    ...common,
    // The timeline page and the Outage Blast Radius page: one bundle each.
    entryPoints: { webview: 'webview/main.ts', blastRadius: 'webview/blastRadius/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];

/** Every *.test.ts under dir, recursively. */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

if (withTests) {
  const nodeTests = ['test/unit', 'test/cluster', 'test/plugins', 'test/cli', 'test/browser'].flatMap(testFiles);
  builds.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: nodeTests,
    outbase: '.',
    outdir: 'out',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Test dependencies resolve from node_modules at run time; our own code is bundled.
    packages: 'external',
  });
  builds.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: { 'out/test/integration/index': 'test/integration/index.ts' },
    outdir: '.',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  });
}

// The scenario JSON Schema is published with the extension for yamlValidation/jsonValidation.
mkdirSync('dist', { recursive: true });
copyFileSync(SCHEMA, 'dist/scenario.schema.json');

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
