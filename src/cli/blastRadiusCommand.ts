/**
 * `kube-token-lens blast-radius <manifest|scenario|-> [--outage 3h] [--at T] [--seeds N] [--json]`:
 * what an API-server outage does to every projected service-account token of a manifest's pods (or
 * a scenario's): per token kind how many certainly / possibly / never expire, the first expiry, the
 * recovery herd of TokenRequests, the affected tokens. Exit 0 answered, 1 unreadable or invalid
 * input (file:line:col), 2 usage.
 */
import { parseArgs, stringFlag, UsageError } from './args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { formatBlastRadius } from './blastRadiusReport';
import { scenarioIncludeReader } from '../plugins/credentialProviderConfigFiles';
import { formatManifestProblem } from '../manifest/manifestDocuments';
import { blastPodsOf } from '../manifest/blastPods';
import { podTokensOf } from '../manifest/tokenRows';
import { readManifest } from '../manifest/workloads';
import { runBlastRadius } from '../sim/blastRadius/blastRadius';
import { checkBlastRadiusInput } from '../sim/blastRadius/inputChecks';
import {
  DEFAULT_BLAST_RADIUS_RUNS,
  MAX_BLAST_RADIUS_RUNS,
  parseOutageDuration,
  type BlastRadiusInput,
  type OutageWindow,
} from '../sim/blastRadius/blastRadiusInput';
import { scenarioBlastRadius, scenarioOutage } from '../sim/blastRadius/scenarioBlastRadius';
import { KUBELET_DEFAULTS } from '../sim/kubelet/section';
import { API_SERVER_DEFAULTS } from '../sim/apiserver/section';
import { formatDiagnostic, loadScenario } from '../sim/scenario/load';
import { looksLikeScenarioText } from '../sim/scenario/recognize';
import { parseInstant } from '../sim/units/datetime';
import { parseDuration } from '../sim/units/duration';

export const BLAST_RADIUS_USAGE = `Usage: kube-token-lens blast-radius <manifest|scenario|-> [--outage 3h] [--at T] [--seeds N] [--seed N] [--json]

What an API-server outage does to every projected service-account token of the pods in a Kubernetes
manifest (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, a List as
"kubectl get pods -o yaml" prints) or in a scenario file: per kind of token (audience, lifetime,
extended or not) how many certainly, possibly or never expire during the outage and when the first
does, the herd of TokenRequests when the API server is back, and every token that expires.

A pod's place in its refresh cycle is known only from its status.startTime (then the kubelet's jitter
makes it uncertain); pod templates have no start, so each run draws one. The answer is therefore a
range over --seeds sampled runs, never a forecast. Manifest pods get the ServiceAccount admission
defaults (the kube-api-access token), and the API server's default flags.

  --outage D   how long the API server is down (e.g. 3h, 90m); default: a scenario's first outage
  --at T       when it starts: now, +2h (from now), or an RFC 3339 date-time; default now
               (for a scenario: its first outage's start, else the scenario's start)
  --seeds N    how many runs to sample (1–${MAX_BLAST_RADIUS_RUNS}, default ${DEFAULT_BLAST_RADIUS_RUNS})
  --seed N     the first run's seed (default 1; a scenario's own seed)
  --json       print the whole result as JSON (every affected token, the herd per second)

Exit status: 0 answered; 1 the file cannot be read or is invalid; 2 usage error.
`;

const FLAGS = { outage: 'string', at: 'string', seeds: 'string', seed: 'string', json: 'boolean', help: 'boolean' } as const;
const PROGRAM = 'kube-token-lens blast-radius';

function wholeNumber(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

interface Options {
  file: string;
  outage?: number;
  at?: string;
  seeds: number;
  seed?: number;
  json: boolean;
}

function options(args: readonly string[]): Options | 'help' {
  const parsed = parseArgs(args, FLAGS);
  if (parsed.flags.has('help')) return 'help';
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'blast-radius needs a manifest or scenario file (or - for standard input)' : 'blast-radius takes one file');
  const outageText = stringFlag(parsed, 'outage');
  let outage: number | undefined;
  if (outageText !== undefined) {
    const d = parseOutageDuration(outageText);
    if (!d.ok) throw new UsageError(`--outage: ${d.error}`);
    outage = d.ms;
  }
  const at = stringFlag(parsed, 'at');
  const seed = wholeNumber(stringFlag(parsed, 'seed'), 'seed', 0, 2 ** 32 - 1);
  return {
    file: parsed.positionals[0] ?? '',
    ...(outage !== undefined ? { outage } : {}),
    ...(at !== undefined ? { at } : {}),
    seeds: wholeNumber(stringFlag(parsed, 'seeds'), 'seeds', 1, MAX_BLAST_RADIUS_RUNS) ?? DEFAULT_BLAST_RADIUS_RUNS,
    ...(seed !== undefined ? { seed } : {}),
    json: parsed.flags.has('json'),
  };
}

type Prepared = { ok: true; input: BlastRadiusInput; title: string } | { ok: false; errors: string[] };

function startAt(o: Options, fallback: number): number {
  if (o.at === undefined) return fallback;
  const t = parseInstant(o.at, fallback);
  if (!t.ok) throw new UsageError(`--at: ${t.error}`);
  return t.ms;
}

async function prepare(o: Options, text: string, name: string, io: CliIO): Promise<Prepared> {
  if (looksLikeScenarioText(text, /\.json$/i.test(name) ? 'json' : 'yaml')) {
    const loaded = loadScenario(text, name, scenarioIncludeReader(name === '-' ? '.' : name));
    if (!loaded.ok) return { ok: false, errors: loaded.errors.map((e) => formatDiagnostic(name, e)) };
    const s = loaded.scenario;
    const own = scenarioOutage(s);
    const durationMs = o.outage ?? own?.durationMs;
    if (durationMs === undefined) throw new UsageError(`${name} has no API-server outage: give one with --outage, e.g. --outage 3h`);
    // "now" for --at +2h is the scenario's start: a scenario lives on its own clock.
    const outage: OutageWindow = { startMs: o.at !== undefined ? startAt(o, s.start) : (own?.startMs ?? s.start), durationMs };
    const built = scenarioBlastRadius(s, outage, o.seeds);
    if (!built.ok) return { ok: false, errors: built.problems.map((p) => `${name}: ${p}`) };
    const input = o.seed !== undefined ? { ...built.input, seed: o.seed } : built.input;
    return { ok: true, input, title: s.name ?? name };
  }
  const read = readManifest(text);
  if (!read.ok) return { ok: false, errors: read.errors.map((e) => formatManifestProblem(name, e)) };
  const pods = blastPodsOf(podTokensOf(read));
  const sync = parseDuration(KUBELET_DEFAULTS.syncFrequency);
  return {
    ok: true,
    title: name === '-' ? 'standard input' : name,
    input: {
      outage: { startMs: startAt(o, io.now()), durationMs: o.outage ?? 3 * 3_600_000 },
      runs: o.seeds,
      seed: o.seed ?? 1,
      kubelet: { syncFrequencyMs: sync.ok ? sync.ms : 60_000, version: KUBELET_DEFAULTS.version },
      apiServer: {
        audiences: [API_SERVER_DEFAULTS.issuer],
        maxTokenExpirationSeconds: API_SERVER_DEFAULTS.maxTokenExpiration,
        extendTokenExpiration: API_SERVER_DEFAULTS.extendTokenExpiration,
      },
      pods,
    },
  };
}

/** "pods[3].tokens[0].x: …" → "pod shop/web-0, token vault-token/token: x: …" (the user knows pods, not indices). */
function describePodPath(problem: string, input: BlastRadiusInput): string {
  const m = /^pods\[(\d+)\](?:\.tokens\[(\d+)\])?\.?(.*)$/s.exec(problem);
  if (!m) return problem;
  const pod = input.pods[Number(m[1])];
  if (!pod) return problem;
  const token = m[2] === undefined ? undefined : pod.tokens[Number(m[2])];
  return `pod ${pod.namespace}/${pod.name}${pod.origin ? ` (${pod.origin})` : ''}${token ? `, token ${token.volume}/${token.path}` : ''}: ${m[3] ?? ''}`;
}

export async function blastRadiusCommand(args: readonly string[], io: CliIO): Promise<number> {
  let o: Options | 'help';
  try {
    o = options(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${e.message}\n\n${BLAST_RADIUS_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (o === 'help') {
    io.stdout(BLAST_RADIUS_USAGE);
    return EXIT_OK;
  }
  let text: string;
  try {
    text = o.file === '-' ? await io.readStdin() : await io.readFile(o.file);
  } catch (e) {
    io.stderr(`${PROGRAM}: cannot read ${o.file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
  let prepared: Prepared;
  try {
    prepared = await prepare(o, text, o.file, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${e.message}\n\n${BLAST_RADIUS_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (!prepared.ok) {
    io.stderr(`${prepared.errors.join('\n')}\n`);
    return EXIT_FAILURE;
  }
  if (prepared.input.pods.length === 0) {
    io.stdout(`${prepared.title}: no pod gets a projected service-account token, so an API-server outage expires none.\n`);
    return EXIT_OK;
  }
  // Pods a manifest or scenario allows may still be ones the analysis cannot take (e.g. a lifetime the
  // API server refuses): say which, by pod.
  const problems = checkBlastRadiusInput(prepared.input);
  if (problems.length > 0) {
    io.stderr(`${problems.map((p) => `${o.file}: ${describePodPath(p, prepared.input)}`).join('\n')}\n`);
    return EXIT_FAILURE;
  }
  const result = runBlastRadius(prepared.input);
  io.stdout(o.json ? `${JSON.stringify(result, null, 2)}\n` : formatBlastRadius(result, prepared.title));
  return EXIT_OK;
}
