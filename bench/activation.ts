/**
 * Activation and bundle-size benchmark (issue 15, P4). Prints figures next to their targets; never
 * fails on time.
 *
 * 1. Builds the production bundles (`node esbuild.config.mjs --production --metafile`) and prints each
 *    shipped bundle's size and its heaviest packages (from the esbuild metafile).
 *    Targets: dist/extension.js ≤ 2 MB, dist/webview.js and dist/blastRadius.js ≤ 800 KB each.
 * 2. Starts code-server (the harness of `npm run test:vscode`), and for each run opens a fresh
 *    workbench window (a fresh extension host) on a fresh copy of the fixture workspace with
 *    test/harness/activationProbe.cjs as its extension-tests module. The probe opens a YAML file
 *    (activationEvents: onLanguage:yaml) and reads the extension host's own activation times for
 *    this extension from the workbench's "Startup Performance" document: Load Code (requiring
 *    dist/extension.js), Call Activate (the activate() call), Finish Activate (its result settling).
 *    Target: their sum ≤ 200 ms.
 *
 * Run: npm run bench -- activation [--runs 5] [--sizes-only]
 * (or, to measure whatever is in dist/ now: node out/bench/activation.js --no-build)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as esbuild from 'esbuild';
import type { ActivationFigures } from '../test/harness/activationProbe';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type CodeServerModule = typeof import('../test/harness/codeServer.mjs');
type WorkbenchModule = typeof import('../test/harness/workbenchWindow.mjs');
type ChromiumModule = typeof import('../test/harness/chromium.mjs');

const ACTIVATION_TARGET_MS = 200;
const MB = 1024 * 1024;
const KB = 1024;
const BUNDLES: Array<{ file: string; targetBytes: number; target: string; metafile?: string }> = [
  { file: 'dist/extension.js', targetBytes: 2 * MB, target: '2 MB', metafile: 'extension' },
  { file: 'dist/simulationWorker.js', targetBytes: 2 * MB, target: '2 MB (extension host, loaded per run)', metafile: 'extension' },
  { file: 'dist/webview.js', targetBytes: 800 * KB, target: '800 KB', metafile: 'webview' },
  { file: 'dist/blastRadius.js', targetBytes: 800 * KB, target: '800 KB', metafile: 'webview' },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const kib = (bytes: number): string => `${(bytes / KB).toFixed(0)} KiB`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function summary(xs: number[]): string {
  return `min ${Math.min(...xs).toFixed(0)} / median ${median(xs).toFixed(0)} / max ${Math.max(...xs).toFixed(0)} ms`;
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** The heaviest packages (node_modules) and source folders of one output file. */
function heaviest(metafile: Metafile, outFile: string, top: number): string[] {
  const output = metafile.outputs[outFile];
  if (!output) return [];
  const weights = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
    weights.set(pkg, (weights.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...weights.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, bytes]) => `${kib(bytes).padStart(9)}  ${name}`);
}

function bundleSizes(): void {
  const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--production', '--metafile'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the production build failed');
  console.log('bundles (production build):');
  for (const b of BUNDLES) {
    if (!existsSync(b.file)) {
      console.log(`  ${b.file}: missing`);
      continue;
    }
    const bytes = statSync(b.file).size;
    const verdict = bytes <= b.targetBytes ? 'within' : 'OVER';
    console.log(`  ${b.file.padEnd(26)} ${kib(bytes).padStart(9)}  (${bytes} B; target ≤ ${b.target}: ${verdict})`);
    const meta = b.metafile ? join('out', 'metafile', `${b.metafile}.json`) : undefined;
    if (meta && existsSync(meta)) {
      for (const line of heaviest(JSON.parse(readFileSync(meta, 'utf8')) as Metafile, b.file, 8)) console.log(`      ${line}`);
    }
  }
}

async function activation(runs: number): Promise<void> {
  const harness = (file: string): string => pathToFileURL(join(process.cwd(), 'test', 'harness', file)).href;
  // Imported at run time: the harness modules locate the repository from their own URL.
  const { ensureCodeServer, startCodeServer, freePort, codeServerVersion, root } = (await import(harness('codeServer.mjs'))) as CodeServerModule;
  const { runInWorkbenchWindow } = (await import(harness('workbenchWindow.mjs'))) as WorkbenchModule;
  const { launchChromium } = (await import(harness('chromium.mjs'))) as ChromiumModule;
  ensureCodeServer();
  const probe = join(root, 'out', 'bench', 'activationProbe.js');
  await esbuild.build({ entryPoints: [join(root, 'test', 'harness', 'activationProbe.ts')], outfile: probe, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' });
  const v = codeServerVersion();
  console.log(`\nactivation in real VS Code: code-server ${v.codeServer} (VS Code ${v.vscode}, extension host on Node ${v.node}), ${runs} runs, each a fresh window`);
  const scratch = mkdtempSync(join(tmpdir(), 'ktl-activation-'));
  const fixture = join(root, 'test', 'fixtures', 'workspace');
  const server = await startCodeServer({
    port: await freePort(),
    workspace: fixture,
    dataDir: join(scratch, 'data'),
    extensionsDir: join(scratch, 'extensions'),
    smokeTestDriver: true,
  });
  const browser = await launchChromium();
  const rows: ActivationFigures[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      // A workspace folder of its own: no editor restored from the previous window activates early.
      const workspace = join(scratch, `workspace-${run}`);
      cpSync(fixture, workspace, { recursive: true });
      let row: ActivationFigures | undefined;
      const errors: string[] = [];
      const code = await runInWorkbenchWindow({
        browser,
        server,
        workspace,
        extensionTestsPath: probe,
        onLog: (text) => {
          const at = text.indexOf('[ktl:activation]');
          if (at >= 0) row = JSON.parse(text.slice(at + '[ktl:activation]'.length)) as ActivationFigures;
          else if (/error|failed|fail|throw/i.test(text)) errors.push(text.slice(0, 400));
          if (process.env.KTL_BENCH_VERBOSE) console.log(`    | ${text.slice(0, 300)}`);
        },
      });
      if (code !== 0 || !row) {
        console.log(`  run ${run}: no figure (exit ${code})${errors.length ? `\n    ${errors.slice(-5).join('\n    ')}` : ''}`);
        continue;
      }
      rows.push(row);
      const total = row.loadCode + row.callActivate + row.finishActivate;
      console.log(
        `  run ${run} (load average ${loadavg()[0]!.toFixed(1)}): ${total} ms = load code ${row.loadCode} + activate() ${row.callActivate} + settle ${row.finishActivate}` +
          ` (event ${row.event}${row.wasActive ? ', ALREADY ACTIVE before the YAML file opened' : ''}; probe saw it active after ${row.seenActiveMs.toFixed(0)} ms)`,
      );
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (rows.length === 0) throw new Error('no run produced an activation figure');
  const totals = rows.map((r) => r.loadCode + r.callActivate + r.finishActivate);
  console.log(`  activation (load code + activate + settle): ${summary(totals)}  (target ≤ ${ACTIVATION_TARGET_MS} ms, median ${median(totals) <= ACTIVATION_TARGET_MS ? 'within' : 'OVER'})`);
  console.log(`    load code: ${summary(rows.map((r) => r.loadCode))}`);
  console.log(`    activate(): ${summary(rows.map((r) => r.callActivate))}`);
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) bundleSizes();
  if (process.argv.includes('--sizes-only')) return;
  await activation(arg('runs', 5));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
