// Builds the three bundles of DESIGN.md (extension host, webview, CLI) and, with
// --tests, the test modules. Usage: node esbuild.config.mjs [--production] [--watch] [--tests] [--metafile]
// --metafile writes each bundle's esbuild metafile to out/metafile/ (bench/activation reads them: what weighs what).
// `node esbuild.config.mjs --schema` (npm run schema) only regenerates src/sim/scenario/scenario.schema.json
// from the scenario rules; test/unit/scenario/schema.test.ts fails while the checked-in file is stale.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, statSync, existsSync, mkdirSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');
const withMetafile = args.has('--metafile');

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

/**
 * @kubernetes/client-node and what it pulls in (node-fetch, whatwg-url's Unicode tables, ws, socks,
 * js-yaml, openid-client…) are about 1.4 MB of the extension bundle, and the extension host compiles all
 * of it before activate() runs, though nothing touches a cluster until a view or command does. So the
 * extension bundle gets a stand-in module whose exports are getters that require dist/kubernetes.js
 * (client-node in a bundle of its own) on first use. Imports in the sources stay as they are.
 */
/** Every file under dir whose name ends with suffix, recursively. */
function filesEnding(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesEnding(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

const CLIENT_NODE_BUNDLE = './kubernetes.js';

/** The value names the sources import from @kubernetes/client-node (named imports only; a namespace import would need them all). */
function clientNodeImports(dir = 'src') {
  const names = new Set();
  for (const file of filesEnding(dir, '.ts')) {
    const text = readFileSync(file, 'utf8');
    if (/import\s+\*\s+as\s+\w+\s+from\s+'@kubernetes\/client-node'/.test(text)) throw new Error(`${file}: import named values from @kubernetes/client-node (lazyClientNode lists them)`);
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@kubernetes\/client-node'/g)) {
      if (m[1]) continue;
      for (const item of m[2].split(',').map((x) => x.trim()).filter((x) => x && !x.startsWith('type '))) names.add(item.split(/\s+as\s+/)[0]);
    }
  }
  return [...names].sort();
}

const clientNodeNames = clientNodeImports();

/** Resolves the sources' @kubernetes/client-node to getters that require dist/kubernetes.js on first use. */
const lazyClientNode = {
  name: 'lazy-client-node',
  setup(build) {
    const contents = [
      'let loaded;',
      `const load = () => (loaded ??= require(${JSON.stringify(CLIENT_NODE_BUNDLE)}));`,
      `for (const name of ${JSON.stringify(clientNodeNames)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
    ].join('\n');
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, (a) => (a.importer.includes('node_modules') ? undefined : { path: 'client-node', namespace: 'lazy' }));
    build.onResolve({ filter: /^\.\/kubernetes\.js$/, namespace: 'lazy' }, (a) => ({ path: a.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({ contents, loader: 'js' }));
  },
};

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
    plugins: [lazyClientNode],
  },
  {
    ...common,
    // Loaded by the extension bundle on the first use of a cluster (see lazyClientNode).
    stdin: { contents: `export { ${clientNodeNames.join(', ')} } from '@kubernetes/client-node';`, resolveDir: '.', sourcefile: 'kubernetes.ts' },
    outfile: 'dist/kubernetes.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
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
  return filesEnding(dir, '.test.ts');
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
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: withMetafile })));
  if (withMetafile) {
    mkdirSync(join('out', 'metafile'), { recursive: true });
    // One file per shipped build, named after its first entry (extension, webview, cli); test builds are skipped.
    results.forEach((r, i) => {
      const entries = builds[i].entryPoints;
      const name = builds[i].stdin ? 'kubernetes' : Array.isArray(entries) ? undefined : Object.keys(entries)[0];
      if (r.metafile && name && !name.includes('/')) writeFileSync(join('out', 'metafile', `${name}.json`), JSON.stringify(r.metafile));
    });
  }
}
