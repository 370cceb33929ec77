/**
 * The words of "which service-account tokens does each pod of this manifest get": per pod or pod
 * template, each token source with its audience, the lifetime asked for and issued, the extension,
 * the containers that mount it, and the legacy token Secrets. Shared by the CLI's `tokens` and the
 * editor's "Tokens: N projected" report (one home for the words).
 */
import type { AutomountDecision } from './serviceAccountAdmission';
import type { PodTokens } from './tokenRows';
import { workloadTitle, type ManifestContents } from './workloads';
import { formatDuration } from '../token/format';

const seconds = (s: number): string => `${s} s (${formatDuration(s)})`;

function noTokenReason(d: AutomountDecision): string {
  if (d.automount) return 'no service-account token';
  if (d.why === 'mirrorPod') return 'no service-account token: a mirror pod (a node\'s static pod) gets none from the API server';
  if (d.why === 'pod') return 'no service-account token: automountServiceAccountToken is false on the pod';
  return 'no service-account token: automountServiceAccountToken is false on its ServiceAccount';
}

/** One pod (or template): its service account, then each token source with how it is issued and mounted. */
export function podTokensText(p: PodTokens): string[] {
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

/** Every pod of the manifest, then the objects of other kinds left out; ends with one newline. */
export function manifestTokensText(pods: readonly PodTokens[], contents: ManifestContents, name: string): string {
  const anyToken = pods.some((p) => p.sources.length > 0 || p.legacySecrets.length > 0);
  const out: string[] = [];
  if (pods.length === 0) out.push(`No pod or workload in ${name}: nothing gets a service-account token.`);
  else {
    for (const p of pods) out.push(...podTokensText(p), '');
    if (!anyToken) out.push(`No pod or workload in ${name} gets a service-account token.`);
  }
  out.push(...skippedNote(contents));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
