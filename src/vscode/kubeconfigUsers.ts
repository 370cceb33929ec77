/**
 * What the Kubeconfig Users view and the kubeconfig diagnostics show: every user of every kubeconfig
 * file in use (the KUBECONFIG list merged first-wins, as kubectl does), each with how it
 * authenticates, what its exec plugin runs, whether an earlier file shadows it, and the lint findings
 * about it. Pure (no vscode, no I/O): the caller reads the files and looks commands up on PATH.
 */
import { parseKubeconfig, type KubeconfigDocument, type KubeconfigUser } from '../sim/execAuth/kubeconfigDocument';
import type { KubeconfigFinding } from '../sim/execAuth/kubeconfigFinding';
import { lintKubeconfigs, type CommandLookup, type KubeconfigLint } from '../sim/execAuth/kubeconfigLint';
import type { MergedKubeconfig } from '../sim/execAuth/kubeconfigMerge';
import type { UserAuthKind } from '../cluster/kubeconfig';

/** One listed file: its text, or why it could not be read. */
export type KubeconfigText = { file: string; text: string } | { file: string; readError: string };

export interface KubeconfigUserRow {
  name: string;
  auth: UserAuthKind;
  /** The file this definition is in. */
  file: string;
  /** Where the user's name is written (1-based, as findings). */
  line: number;
  /** For exec users: what runs (arguments may hold secrets, so they are counted, not shown). */
  exec?: { command: string; commandName: string; apiVersion: string; argCount: number; interactiveMode?: string };
  /** Set when an earlier file defines the same name: kubectl uses that one and ignores this one. */
  shadowedBy?: string;
  /** Lint findings about this definition, in reading order. */
  findings: KubeconfigFinding[];
}

export interface UnreadableKubeconfig {
  file: string;
  message: string;
  /** The problem's position when the file was read but is not YAML kubectl can load. */
  finding?: KubeconfigFinding;
}

export interface KubeconfigUsersView {
  files: string[];
  rows: KubeconfigUserRow[];
  /** Files that could not be read or parsed. */
  unreadable: UnreadableKubeconfig[];
  /** Findings about a file rather than a user (a list that is not a list, a duplicate cluster…). */
  fileFindings: KubeconfigFinding[];
  /** Every finding, for diagnostics. */
  findings: KubeconfigFinding[];
  merged: MergedKubeconfig;
}

export function authKind(user: KubeconfigUser): UserAuthKind {
  // The order client-go gives them weight in: exec is what this view is about, then static credentials.
  if (user.exec) return 'exec';
  if (user.token || user.tokenFile) return 'token';
  if (user.clientCertificate) return 'clientCertificate';
  if (user.authProvider) return 'authProvider';
  if (user.basic) return 'basic';
  return 'none';
}

function basename(command: string): string {
  return command.slice(command.lastIndexOf('/') + 1);
}

export function kubeconfigUsersView(texts: readonly KubeconfigText[], resolve: (command: string) => CommandLookup): KubeconfigUsersView {
  const unreadable: UnreadableKubeconfig[] = [];
  const docs: KubeconfigDocument[] = [];
  for (const t of texts) {
    if ('readError' in t) {
      unreadable.push({ file: t.file, message: t.readError });
      continue;
    }
    const doc = parseKubeconfig(t.text, t.file);
    if (!doc.parsed) {
      const finding = doc.problems[0];
      unreadable.push({ file: t.file, message: finding?.message ?? 'not a YAML file', ...(finding ? { finding } : {}) });
    }
    docs.push(doc);
  }
  const lint: KubeconfigLint = lintKubeconfigs(docs, { resolve, pathOf: 'extensionHost' });
  const { merged, findings } = lint;
  const about = (file: string, name: string) => findings.filter((f) => f.file === file && f.user === name);
  const row = (file: string, user: KubeconfigUser, shadowedBy?: string): KubeconfigUserRow => {
    const r: KubeconfigUserRow = { name: user.name, auth: authKind(user), file, line: user.nameRange.line, findings: about(file, user.name) };
    if (user.exec) {
      const command = user.exec.command?.value ?? '';
      r.exec = { command, commandName: basename(command), apiVersion: user.exec.apiVersion?.value ?? '', argCount: user.exec.argCount };
      if (user.exec.interactiveMode) r.exec.interactiveMode = user.exec.interactiveMode.value;
    }
    if (shadowedBy !== undefined) r.shadowedBy = shadowedBy;
    return r;
  };
  const winners = [...merged.users.byName.values()].map((w) => row(w.file, w.entry));
  // Exec users first: theirs are the credentials that expire; shadowed definitions after the ones in use.
  winners.sort((a, b) => Number(b.auth === 'exec') - Number(a.auth === 'exec') || a.name.localeCompare(b.name));
  const shadowed = merged.users.shadowed.map((s) => row(s.file, s.entry, s.winnerFile));
  const brokenFiles = new Set(unreadable.map((u) => u.file));
  return {
    files: texts.map((t) => t.file),
    rows: [...winners, ...shadowed],
    unreadable,
    fileFindings: findings.filter((f) => f.user === undefined && !brokenFiles.has(f.file)),
    findings,
    merged,
  };
}

