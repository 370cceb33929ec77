/**
 * The times a service-account token carries, each with one name used by every view (tree, hover,
 * timeline, reports, CLI), so the same instant is never called two things and two different instants
 * are never called the same thing. Pure.
 */
import { formatDurationShort } from './format';

export type ExpiryKind = 'jwtExp' | 'statusExpiry' | 'warnAfter';

export interface ExpiryName {
  /** Column headers and short labels: "JWT expiry". */
  readonly label: string;
  /** One sentence a Kubernetes user understands: what happens at this time, and who acts on it. */
  readonly explain: string;
}

export const EXPIRY_NAMES: Readonly<Record<ExpiryKind, ExpiryName>> = {
  jwtExp: {
    label: 'JWT expiry',
    explain: 'The token’s exp claim: after it (plus 60 s of leeway) the API server rejects the token.',
  },
  statusExpiry: {
    label: 'Kubelet expiry',
    explain:
      'The expiry the TokenRequest answer gave the kubelet (status.expirationTimestamp): the kubelet refreshes the token when 80 % of this lifetime has passed, or after 24 h. For kube-api-access tokens it is about 1 h, although the JWT itself is valid for a year.',
  },
  warnAfter: {
    label: 'Warn after',
    explain:
      'The kubernetes.io warnafter claim of an extended token: after it the API server still accepts the token but records every use as a stale token.',
  },
};

/** A documentation page for readers who want the whole story (user-facing links go here, not to our notes). */
export const TOKEN_DOCS_URL = 'https://kubernetes.io/docs/concepts/security/service-accounts/#bound-service-account-tokens';

/** "JWT expiry in 364 d 23 h", "Kubelet expiry 3 min ago": always says which expiry. */
export function expiryRelative(kind: ExpiryKind, targetMs: number, nowMs: number): string {
  const diffSeconds = (targetMs - nowMs) / 1000;
  const label = EXPIRY_NAMES[kind].label;
  if (Math.abs(diffSeconds) < 0.5) return `${label} now`;
  const span = formatDurationShort(Math.abs(diffSeconds));
  return diffSeconds > 0 ? `${label} in ${span}` : `${label} ${span} ago`;
}
