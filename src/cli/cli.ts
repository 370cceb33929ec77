/**
 * The command-line front end: argument handling and dispatch. Everything it touches outside
 * itself comes through CliIO, so tests call main() with fakes; main.ts wires the real process.
 */
import pkg from '../../package.json';
import { parseDateTime } from '../sim/units/datetime';
import { formatDiagnostic, loadScenario, type Diagnostic } from '../sim/scenario/load';
import { KUBELET_VERSIONS } from '../sim/kubelet/kubeletSpec';
import { runScenario } from '../sim/engine/run';
import type { Trace } from '../sim/trace';
import { parseArgs, stringFlag, UsageError, type ParsedArgs } from './args';
import { traceCsvChunks } from '../sim/traceCsv';
import { traceJsonChunks } from '../sim/traceJson';
import { explainRefresh, type KubeletVersion } from '../sim/kubelet/refreshExplanation';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { formatSummary } from './summary';
import type { InteractiveReportAssets } from './interactiveReport';
import { USAGE } from './usage';
import { scenarioIncludeReader } from '../plugins/credentialProviderConfigFiles';


/** The pieces, then a line break. */
function* line(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield '\n';
}

export type { CliIO } from './io';

const PROGRAM = 'kube-token-lens';

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (command === '--version') {
      io.stdout(`${pkg.version}\n`);
      return EXIT_OK;
    }
    // "simulate --help" etc. print the same help.
    if (rest.includes('--help') || rest.includes('-h')) {
      // decode, demo-cluster, lint-kubeconfig, check-config, match-image, tokens and blast-radius print their own, more detailed help.
      if (command === 'simulate' || command === 'explain-refresh') {
        io.stdout(USAGE);
        return EXIT_OK;
      }
    }
    switch (command) {
      case 'simulate':
        return await simulate(parseArgs(rest, { json: 'boolean', csv: 'boolean', html: 'string', 'html-static': 'string', mode: 'string' }), io);
      case 'explain-refresh':
        return explain(parseArgs(rest, { ttl: 'string', issued: 'string', version: 'string' }), io);
      case 'decode':
        return await (await import('./decodeCommand')).decodeCommand(rest, io);
      case 'demo-cluster':
        return await (await import('./demoClusterCommand')).demoClusterCommand(rest, io);
      case 'lint-kubeconfig':
        return await (await import('./lintKubeconfigCommand')).lintKubeconfigCommand(rest, io);
      case 'check-config':
        return await (await import('./checkConfigCommand')).checkConfigCommand(rest, io);
      case 'match-image':
        return await (await import('./matchImageCommand')).matchImageCommand(rest, io);
      case 'tokens':
        return await (await import('./tokensCommand')).tokensCommand(rest, io);
      case 'blast-radius':
        return await (await import('./blastRadiusCommand')).blastRadiusCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    io.stderr(`${PROGRAM}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

async function simulate(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.positionals.length !== 1) {
    throw new UsageError(args.positionals.length === 0 ? 'simulate needs a scenario file' : 'simulate takes one scenario file');
  }
  const file = args.positionals[0] ?? '';
  const html = stringFlag(args, 'html');
  const htmlStatic = stringFlag(args, 'html-static');
  const outputs = [args.flags.has('json'), args.flags.has('csv'), html !== undefined, htmlStatic !== undefined].filter(Boolean).length;
  if (outputs > 1) throw new UsageError('choose one of --json, --csv, --html and --html-static');
  const mode = stringFlag(args, 'mode') ?? 'skip';
  if (mode !== 'skip' && mode !== 'step') throw new UsageError(`--mode must be skip or step, not "${mode}"`);

  // The interactive report embeds the built webview: find out before a long run that it is missing.
  let assets: InteractiveReportAssets | undefined;
  if (html !== undefined) {
    const found = await reportAssets(io);
    if (typeof found === 'string') {
      io.stderr(`${PROGRAM}: ${found}\n`);
      return EXIT_FAILURE;
    }
    assets = found;
  }

  let text: string;
  try {
    text = await io.readFile(file);
  } catch (e) {
    io.stderr(`${PROGRAM}: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
  // A configFile the scenario names is read next to it, as the kubelet would read it.
  const loaded = loadScenario(text, file, scenarioIncludeReader(file));
  const print = (d: Diagnostic): void => io.stderr(`${formatDiagnostic(file, d)}\n`);
  if (!loaded.ok) {
    // Errors and warnings in file order, as a compiler would list them.
    [...loaded.errors, ...loaded.warnings].sort((a, b) => a.line - b.line || a.column - b.column).forEach(print);
    return EXIT_FAILURE;
  }
  loaded.warnings.forEach(print);

  const trace = run(loaded.scenario, mode, io);
  // Streamed: a long or large run's trace is longer than one string may be.
  if (args.flags.has('json')) await io.stdoutChunks(line(traceJsonChunks(trace)));
  else if (args.flags.has('csv')) await io.stdoutChunks(traceCsvChunks(trace));
  else if (html !== undefined || htmlStatic !== undefined) {
    const out = html ?? htmlStatic ?? '';
    const title = loaded.scenario.name ?? `Simulation of ${baseName(file)}`;
    // Rendering and writing fail for different reasons: say which.
    let page: string;
    try {
      page = assets ? (await import('./interactiveReport')).renderInteractiveReport(trace, assets, { title }) : (await import('./htmlReport')).renderHtmlReport(trace, { title });
    } catch (e) {
      io.stderr(`${PROGRAM}: cannot render the report of ${baseName(file)}: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FAILURE;
    }
    try {
      await io.writeFile(out, page);
    } catch (e) {
      io.stderr(`${PROGRAM}: cannot write ${out}: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FAILURE;
    }
    io.stdout(`Wrote ${out} (${trace.meta.lanesTotal} lanes, ${trace.meta.eventsTotal} events)\n`);
  } else io.stdout(formatSummary(trace));
  return EXIT_OK;
}

/** Where the interactive report's parts live, relative to the CLI bundle (dist/cli.js). */
const REPORT_ASSETS: Readonly<Record<keyof InteractiveReportAssets, string>> = {
  webviewJs: 'webview.js',
  timelineCss: '../media/timeline.css',
  themeCss: '../media/standalone-theme.css',
};

/** Reads the report's assets, or says which one is missing and what to do. */
async function reportAssets(io: CliIO): Promise<InteractiveReportAssets | string> {
  const assets: Partial<Record<keyof InteractiveReportAssets, string>> = {};
  for (const [key, rel] of Object.entries(REPORT_ASSETS) as [keyof InteractiveReportAssets, string][]) {
    try {
      assets[key] = await io.readAsset(rel);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const where = typeof err.path === 'string' ? err.path : rel;
      if (err.code !== 'ENOENT') return `cannot read ${where}: ${err.message}`;
      return key === 'webviewJs'
        ? `${where} not found: run npm run build (or use --html-static for the report without the interactive timeline)`
        : `${where} not found: the installation is incomplete`;
    }
  }
  const { webviewJs = '', timelineCss = '', themeCss = '' } = assets;
  return { webviewJs, timelineCss, themeCss };
}

/** Runs the engine, drawing a progress line on stderr only when it is a terminal. */
function run(scenario: Parameters<typeof runScenario>[0], mode: 'skip' | 'step', io: CliIO): Trace {
  if (!io.isTTY) return runScenario(scenario, { mode });
  let shown = -1;
  const trace = runScenario(scenario, {
    mode,
    onProgress: (fraction) => {
      const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
      if (percent === shown) return;
      shown = percent;
      io.stderr(`\rsimulating… ${percent}%`);
    },
  });
  // Erase the progress line so the summary starts clean.
  if (shown >= 0) io.stderr('\r\x1b[K');
  return trace;
}

function explain(args: ParsedArgs, io: CliIO): number {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ''}"`);
  const ttlText = stringFlag(args, 'ttl');
  if (ttlText === undefined) throw new UsageError('explain-refresh needs --ttl <seconds>');
  if (!/^[0-9]+$/.test(ttlText)) throw new UsageError(`--ttl must be a whole number of seconds, not "${ttlText}"`);
  const version = stringFlag(args, 'version') ?? '1.34';
  if (!isKubeletVersion(version)) throw new UsageError(`--version must be one of ${KUBELET_VERSIONS.join(', ')}, not "${version}"`);
  const issuedText = stringFlag(args, 'issued');
  let issued: number | undefined;
  if (issuedText !== undefined) {
    const r = parseDateTime(issuedText);
    if (!r.ok) throw new UsageError(`--issued: ${r.error}`);
    issued = r.ms;
  }
  const result = explainRefresh({ ttl: Number(ttlText), version, ...(issued === undefined ? {} : { issued }) });
  if (!result.ok) {
    io.stderr(`${PROGRAM}: expirationSeconds ${ttlText}: ${result.error}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(result.explanation.text);
  return EXIT_OK;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function isKubeletVersion(v: string): v is KubeletVersion {
  return (KUBELET_VERSIONS as readonly string[]).includes(v);
}
