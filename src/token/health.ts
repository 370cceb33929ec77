/**
 * Token health: what is known about a pod's tokens and its namespace, classified into findings a user
 * should act on, and aggregated upward (token → pod → namespace → context: worst wins). Pure: the
 * current time is a parameter; the kubelet's refresh rule comes from the claims analysis, which takes
 * it from the kubelet model (src/sim/kubelet/tokenManager.ts refreshWindow), so there is one home.
 */
import type { ClaimsView } from './claims';
import { formatDurationShort } from './format';

export type HealthKind = 'expired' | 'uidMismatch' | 'refreshOverdue' | 'pastWarnAfter' | 'legacySecret';
export type HealthSeverity = 'error' | 'warning';

export interface HealthFinding {
  readonly kind: HealthKind;
  readonly severity: HealthSeverity;
  /** Where it was found, e.g. "shop/web-0 kube-api-access-x/token": the reader sees which token. */
  readonly subject: string;
  /** Plain language: what is wrong and what it means. */
  readonly message: string;
}

export interface HealthKindInfo {
  /** The badge (one letter: decorations show at most two characters). */
  readonly badge: string;
  readonly severity: HealthSeverity;
  /** Short name for lists and tooltips. */
  readonly title: string;
}

/** In order of how bad they are: the first one present is the badge of an aggregate. */
export const HEALTH_KINDS: Readonly<Record<HealthKind, HealthKindInfo>> = {
  expired: { badge: 'E', severity: 'error', title: 'Token expired' },
  uidMismatch: { badge: 'U', severity: 'error', title: 'Service account replaced' },
  refreshOverdue: { badge: 'R', severity: 'warning', title: 'Refresh overdue' },
  pastWarnAfter: { badge: 'W', severity: 'warning', title: 'Past warn-after' },
  legacySecret: { badge: 'L', severity: 'warning', title: 'Never-expiring token Secret' },
};

const RANK: readonly HealthKind[] = ['expired', 'uidMismatch', 'refreshOverdue', 'pastWarnAfter', 'legacySecret'];

export interface TokenHealthInput {
  readonly subject: string;
  readonly view: ClaimsView;
  /**
   * The token is the one the kubelet wrote into the pod (read from the pod), so the kubelet is
   * expected to refresh it. A token minted by the user is not the kubelet's to refresh.
   */
  readonly fromKubelet: boolean;
  /** The uid of the ServiceAccount of that name as the cluster lists it now, when known. */
  readonly serviceAccountUid?: string;
  readonly nowMs: number;
}

/** The findings of one known token. */
export function tokenFindings(input: TokenHealthInput): HealthFinding[] {
  const { view, subject, nowMs } = input;
  const out: HealthFinding[] = [];
  const add = (kind: HealthKind, message: string): void => {
    out.push({ kind, severity: HEALTH_KINDS[kind].severity, subject, message });
  };
  const l = view.lifetime;
  // SPEC D.2: expired ⇔ now − 60 s > exp (the validity the claims analysis computed).
  if (l.validity === 'expired' && view.exp) {
    add('expired', `the JWT expired ${formatDurationShort((nowMs - view.exp.ms) / 1000)} ago: the API server rejects it`);
  }
  // SPEC D.2: the service account must still exist with the uid the token names.
  const tokenSaUid = view.kubernetes?.serviceaccount?.uid ?? view.legacy?.serviceAccountUid;
  if (input.serviceAccountUid !== undefined && tokenSaUid !== undefined && tokenSaUid !== input.serviceAccountUid) {
    add('uidMismatch', 'the token names a service account that has since been deleted and recreated (its uid differs): the API server rejects it');
  }
  // SPEC A.5: past the latest refresh instant, the kubelet should already have replaced this file.
  const refresh = l.kubeletRefresh;
  if (input.fromKubelet && refresh && refresh.state === 'due' && l.validity !== 'expired') {
    add('refreshOverdue', `the kubelet should have refreshed this token ${formatDurationShort((nowMs - refresh.latestMs) / 1000)} ago: is the kubelet on its node running?`);
  }
  // SPEC D.2: past warnafter the token still authenticates, but every use is audited as stale.
  if (l.extended?.stale && l.validity !== 'expired') {
    add('pastWarnAfter', `past its warn-after time by ${formatDurationShort((nowMs - l.extended.warnAfter.ms) / 1000)}: still accepted, but each use is recorded as a stale token`);
  }
  if (view.kind === 'legacySecret' && l.neverExpires) {
    add('legacySecret', 'a never-expiring token from a legacy Secret');
  }
  return out;
}

/** The finding of a namespace that holds legacy service-account token Secrets. */
export function legacySecretFindings(namespace: string, secretNames: readonly string[]): HealthFinding[] {
  if (secretNames.length === 0) return [];
  const names = secretNames.slice(0, 3).join(', ') + (secretNames.length > 3 ? ` and ${secretNames.length - 3} more` : '');
  return [
    {
      kind: 'legacySecret',
      severity: 'warning',
      subject: namespace,
      message: `${secretNames.length === 1 ? 'a legacy token Secret' : `${secretNames.length} legacy token Secrets`} (${names}): never-expiring tokens that work until deleted`,
    },
  ];
}

export interface HealthSummary {
  /** The worst finding's kind, undefined when there is none. */
  readonly worst?: HealthKind;
  readonly findings: readonly HealthFinding[];
}

/** Worst wins; findings sorted worst first (stable within a kind). */
export function summarize(findings: readonly HealthFinding[]): HealthSummary {
  const sorted = [...findings].sort((a, b) => RANK.indexOf(a.kind) - RANK.indexOf(b.kind));
  const worst = sorted[0]?.kind;
  return worst ? { worst, findings: sorted } : { findings: sorted };
}

/** Tooltip lines for a summary: the count per kind, then the first few findings. */
export function describeSummary(summary: HealthSummary, max = 6): string[] {
  const lines = summary.findings.slice(0, max).map((f) => `${HEALTH_KINDS[f.kind].title}: ${f.subject}: ${f.message}`);
  if (summary.findings.length > max) lines.push(`… and ${summary.findings.length - max} more`);
  return lines;
}
