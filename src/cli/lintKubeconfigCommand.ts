/**
 * `kube-token-lens lint-kubeconfig [file]`: lints the exec users (and the removed auth-providers) of a
 * kubeconfig, or of every file kubectl would read (KUBECONFIG, else ~/.kube/config), merged as kubectl
 * merges them. Prints `file:line:col: severity: message` per finding. Exit 0 when no finding is an error,
 * 1 when one is, 2 when there is nothing to lint (no file, unreadable, not YAML) or for usage errors:
 * a lint that could not run must not pass for one that found problems.
 */
import { homedir } from 'node:os';
import { parseArgs, UsageError } from './args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { resolveKubeconfigFiles } from '../cluster/kubeconfig';
import { parseKubeconfig, type KubeconfigDocument } from '../sim/execAuth/kubeconfigDocument';
import type { KubeconfigFinding } from '../sim/execAuth/kubeconfigFinding';
import { lintKubeconfigs, type CommandLookup } from '../sim/execAuth/kubeconfigLint';
import { resolveCommandPath } from '../plugins/commandPath';

/** What lint-kubeconfig needs beyond the shared CliIO; each defaults to this process's. */
export interface LintKubeconfigIO extends CliIO {
  env?: { KUBECONFIG?: string | undefined; HOME?: string | undefined; PATH?: string | undefined };
  resolveCommand?(command: string): CommandLookup;
}

export const LINT_KUBECONFIG_USAGE = `Usage: kube-token-lens lint-kubeconfig [file]

Checks the users of a kubeconfig for what makes kubectl's exec credential plugins fail or surprise:
an unsupported or removed exec apiVersion, v1 without interactiveMode, a plugin that is not on PATH, a
token beside exec (the plugin never runs), malformed env entries, the removed gcp and azure
auth-providers, and users shadowed by an earlier file or used by no context.
With no file, reads what kubectl reads: every file of KUBECONFIG (first one wins), else ~/.kube/config.
Exec arguments and env values may be secrets: they are never printed.

Prints one line per finding: file:line:col: severity: message (severity error, warning or info).

Exit status: 0 no errors (warnings allowed); 1 an error was found; 2 no kubeconfig to read, a file that
cannot be read or is not valid YAML, or a usage error.
`;

const PROGRAM = 'kube-token-lens';
const FLAGS = { help: 'boolean' } as const;

export async function lintKubeconfigCommand(args: readonly string[], io: LintKubeconfigIO): Promise<number> {
  const parsed = parseArgs(args, FLAGS);
  if (parsed.flags.has('help')) {
    io.stdout(LINT_KUBECONFIG_USAGE);
    return EXIT_OK;
  }
  if (parsed.positionals.length > 1) throw new UsageError('lint-kubeconfig takes at most one file');
  const env = io.env ?? process.env;

  let files: string[];
  const explicit = parsed.positionals[0];
  if (explicit !== undefined) files = [explicit];
  else {
    const found = resolveKubeconfigFiles({ settingPath: '', kubeconfigEnv: env.KUBECONFIG, home: env.HOME ?? homedir() });
    if (!found.source) {
      io.stderr(`${PROGRAM}: no kubeconfig found (looked for ${found.looked.join(', ')})\n`);
      return EXIT_USAGE;
    }
    files = found.source.files;
  }

  const docs: KubeconfigDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (e) {
      io.stderr(`${PROGRAM}: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_USAGE;
    }
    docs.push(parseKubeconfig(text, file));
  }
  const broken = docs.filter((d) => !d.parsed);
  if (broken.length > 0) {
    for (const d of broken) for (const f of d.problems) io.stderr(`${formatFinding(f)}\n`);
    return EXIT_USAGE;
  }

  const resolve = io.resolveCommand ?? ((command: string) => resolveCommandPath(command, { path: env.PATH }));
  const { findings } = lintKubeconfigs(docs, { resolve, pathOf: 'cli' });
  for (const f of findings) io.stdout(`${formatFinding(f)}\n`);
  return findings.some((f) => f.severity === 'error') ? EXIT_FAILURE : EXIT_OK;
}

/** "file:line:col: severity: message": the format compilers use, which editors and CI link. */
export function formatFinding(f: KubeconfigFinding): string {
  return `${f.file}:${f.range.line}:${f.range.column}: ${f.severity}: ${f.message}`;
}
