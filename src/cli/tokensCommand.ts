/**
 * `kube-token-lens tokens <manifest|-> [--json]`: per pod (or pod template) of a manifest, the
 * service-account tokens the API server gives it (ServiceAccount admission applied) and how it issues
 * them. Exit 0 (also when nothing gets a token), 1 on invalid YAML or an unreadable file, 2 usage.
 */
import { parseArgs, UsageError } from './args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { formatManifestProblem } from '../manifest/manifestDocuments';
import { podTokensOf, tokenRowsOf, UNKNOWN_VOLUME_SUFFIX } from '../manifest/tokenRows';
import { readManifest } from '../manifest/workloads';
import { manifestTokensText } from '../manifest/tokensText';

export const TOKENS_USAGE = `Usage: kube-token-lens tokens <manifest|-> [--json]

Lists, per pod or pod template of a Kubernetes manifest (Pod, Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController, Job, CronJob, or a List of them as "kubectl get pods -o yaml"
prints), every service-account token the pod gets once the API server has admitted it: the volume,
the file, the audience, the lifetime asked for and the lifetime the API server issues with its default
flags, and the containers that mount it. The kube-api-access volume the API server adds by itself is
shown as "added by admission" (its 5-character suffix is random: shown as ${UNKNOWN_VOLUME_SUFFIX}), unless
automountServiceAccountToken is false on the pod, or on its ServiceAccount when the manifest has it.
"-" reads the manifest from standard input. Other kinds (Service, ConfigMap, …) are skipped.

  --json   print an array of rows: { kind, namespace, name, volume, path, audience, expirationSeconds,
           issuedSeconds, extended, containers, addedByAdmission }; audience null for the API server's
           own, expirationSeconds null when the pod spec leaves it out. A legacy token Secret mounted at
           the service-account path (before Kubernetes 1.21) is a row with "legacySecret": true and
           null audience, expirationSeconds and issuedSeconds: that token never expires.

Exit status: 0 listed (also when no pod gets a token); 1 invalid manifest or unreadable file; 2 usage error.
`;

const FLAGS = { json: 'boolean', help: 'boolean' } as const;
const PROGRAM = 'kube-token-lens tokens';

export async function tokensCommand(args: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args.map((a) => (a === '-h' ? '--help' : a)), FLAGS);
    if (!parsed.flags.has('help') && parsed.positionals.length !== 1) {
      throw new UsageError(parsed.positionals.length === 0 ? 'tokens needs a manifest file (or - for standard input)' : 'tokens takes one manifest file');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${e.message}\n\n${TOKENS_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (parsed.flags.has('help')) {
    io.stdout(TOKENS_USAGE);
    return EXIT_OK;
  }
  const file = parsed.positionals[0] ?? '';
  const name = file === '-' ? '<stdin>' : file;
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (e) {
    io.stderr(`${PROGRAM}: cannot read ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
  const read = readManifest(text);
  if (!read.ok) {
    for (const p of read.errors) io.stderr(`${formatManifestProblem(name, p)}\n`);
    return EXIT_FAILURE;
  }
  const pods = podTokensOf(read);
  if (parsed.flags.has('json')) {
    io.stdout(`${JSON.stringify(tokenRowsOf(pods), null, 2)}\n`);
    return EXIT_OK;
  }
  io.stdout(manifestTokensText(pods, read, name));
  return EXIT_OK;
}
