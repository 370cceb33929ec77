/**
 * `kube-token-lens tokens <manifest|-> [--json]`: per pod (or pod template) of a manifest, the
 * service-account tokens the API server gives it (ServiceAccount admission applied) and how it issues
 * them. Exit 0 (also when nothing gets a token), 1 on invalid YAML or an unreadable file, 2 usage.
 */
import { parseArgs, UsageError } from './args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { formatManifestProblem } from '../manifest/manifestDocuments';
import { podTokensOf, tokenRowsOf, UNKNOWN_VOLUME_SUFFIX, type PodTokens } from '../manifest/tokenRows';
import { readManifest, workloadTitle, type ManifestContents } from '../manifest/workloads';
import type { AutomountDecision } from '../manifest/serviceAccountAdmission';
import { formatDuration } from '../token/format';

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

const seconds = (s: number): string => `${s} s (${formatDuration(s)})`;

function noTokenReason(d: AutomountDecision): string {
  if (d.automount) return 'no service-account token';
  if (d.why === 'mirrorPod') return 'no service-account token: a mirror pod (a node\'s static pod) gets none from the API server';
  if (d.why === 'pod') return 'no service-account token: automountServiceAccountToken is false on the pod';
  return 'no service-account token: automountServiceAccountToken is false on its ServiceAccount';
}

function podText(p: PodTokens): string[] {
  const w = p.workload;
  const lines: string[] = [];
  const what = w.template ? `pod template, ${w.replicas} ${w.replicas === 1 ? 'replica' : 'replicas'} (${w.replicasSource})` : 'pod';
  lines.push(`${workloadTitle(w)}: ${what}, service account ${p.admission.serviceAccount}`);
  if (!w.namespaceSet) lines.push(`  namespace not set in the manifest: assumed "${w.namespace}"`);
  if (p.sources.length === 0 && p.legacySecrets.length === 0) {
    lines.push(`  ${noTokenReason(p.admission.decision)}`);
    return lines;
  }
  for (const { source: s, issuance } of p.sources) {
    lines.push(`  ${s.volume}/${s.path}${s.addedByAdmission ? '  (added by admission)' : ''}`);
    lines.push(`    audience:    ${s.audience ?? 'API server (its own audiences)'}`);
    lines.push(`    requested:   ${s.expirationSecondsDefaulted ? 'expirationSeconds not set' : seconds(s.expirationSeconds)}`);
    const issued = `${seconds(issuance.issuedSeconds)}${s.expirationSecondsDefaulted ? ', the API server\'s default' : ''}: the kubelet refreshes on this`;
    lines.push(`    issued:      ${issued}`);
    lines.push(
      issuance.extended
        ? `    extended:    yes: the JWT's exp is ${formatDuration(issuance.jwtLifetimeSeconds)} after issue, so the API server accepts it long after the kubelet's TokenRequest expiry`
        : '    extended:    no: the JWT\'s exp is the issued lifetime',
    );
    const mounts = s.mounts.map((m) => `${m.container}${m.initContainer ? ' (init)' : ''} at ${m.file}${m.subPath ? ' (subPath: never updated)' : ''}`);
    lines.push(`    mounted in:  ${mounts.length > 0 ? mounts.join(', ') : 'no container'}`);
  }
  for (const l of p.legacySecrets) {
    lines.push(`  ${l.volume}/token  (legacy token Secret ${l.secretName})`);
    lines.push('    a service-account token from before Kubernetes 1.21: it never expires and the kubelet never refreshes it');
    lines.push(`    mounted in:  ${l.mounts.map((m) => `${m.container}${m.initContainer ? ' (init)' : ''} at ${m.file}`).join(', ')}`);
  }
  return lines;
}

function skippedNote(contents: ManifestContents): string[] {
  if (contents.skipped.length === 0) return [];
  const kinds = [...new Set(contents.skipped.map((s) => s.kind))].join(', ');
  return [`Skipped ${contents.skipped.length} ${contents.skipped.length === 1 ? 'object' : 'objects'} of other kinds (${kinds}).`];
}

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
  const anyToken = pods.some((p) => p.sources.length > 0 || p.legacySecrets.length > 0);
  const out: string[] = [];
  if (pods.length === 0) out.push(`No pod or workload in ${name}: nothing gets a service-account token.`);
  else {
    for (const p of pods) out.push(...podText(p), '');
    if (!anyToken) out.push(`No pod or workload in ${name} gets a service-account token.`);
  }
  out.push(...skippedNote(read));
  io.stdout(`${out.join('\n').replace(/\n+$/, '')}\n`);
  return EXIT_OK;
}
