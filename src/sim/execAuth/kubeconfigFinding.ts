/**
 * A finding about a kubeconfig file: where (file and range), how bad, a stable code tools can match on,
 * and a plain message. Messages never quote a token, a key, an exec argument or an env value.
 */
import type { SourceRange } from '../units/sourcePosition';

/** error: kubectl fails (or will fail) with this user; warning: it works, probably not as meant; info: worth knowing. */
export type FindingSeverity = 'error' | 'warning' | 'info';

export type FindingCode =
  | 'yaml-syntax'
  | 'structure'
  | 'duplicate-name'
  | 'exec-api-version-missing'
  | 'exec-api-version-removed'
  | 'exec-api-version-invalid'
  | 'exec-interactive-mode-missing'
  | 'exec-interactive-mode-invalid'
  | 'exec-command-missing'
  | 'exec-command-not-found'
  | 'exec-install-hint-missing'
  | 'exec-provide-cluster-info-unused'
  | 'exec-args-malformed'
  | 'exec-env-malformed'
  | 'exec-env-duplicate'
  | 'exec-never-runs'
  | 'exec-with-auth-provider'
  | 'auth-provider-removed'
  | 'auth-provider-unknown'
  | 'user-shadowed'
  | 'user-unreferenced';

export interface KubeconfigFinding {
  file: string;
  range: SourceRange;
  severity: FindingSeverity;
  code: FindingCode;
  message: string;
  /** The user the finding is about, when it is about one. */
  user?: string;
}

/** Findings in reading order: by file (in the order given), then line, then column. */
export function sortFindings(findings: readonly KubeconfigFinding[], fileOrder: readonly string[]): KubeconfigFinding[] {
  const rank = (file: string): number => {
    const i = fileOrder.indexOf(file);
    return i === -1 ? fileOrder.length : i;
  };
  return [...findings].sort(
    (a, b) => rank(a.file) - rank(b.file) || a.range.line - b.range.line || a.range.column - b.range.column,
  );
}
