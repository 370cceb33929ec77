/**
 * Lint of the users kubectl would use from one or more kubeconfig files (merged as KUBECONFIG=a:b is):
 * what makes client-go refuse an exec user, what makes it behave other than its author meant (a token
 * beside exec, a plugin that is not on PATH, a shadowed definition), and the removed gcp / azure
 * auth-providers. Pure: looking a command up on PATH is injected.
 */
import { EXEC_API_V1, EXEC_API_V1ALPHA1, INTERACTIVE_MODES, invalidApiVersionError, isAcceptedApiVersion, NEWEST_CLIENT_GO } from './execConfig';
import { missingInteractiveModeError } from './interactiveMode';
import type { KubeconfigFinding, FindingCode, FindingSeverity } from './kubeconfigFinding';
import { sortFindings } from './kubeconfigFinding';
import type { ExecBlock, KubeconfigDocument, KubeconfigUser } from './kubeconfigDocument';
import { mergeKubeconfigs, type MergedKubeconfig } from './kubeconfigMerge';
import type { SourceRange } from '../units/sourcePosition';

/** Where a command was found on PATH, or that it was not (as Go's exec.LookPath decides). */
export type CommandLookup = { found: true; path: string } | { found: false };

export interface KubeconfigLintOptions {
  /** Looks a command up without running it; given the command as client-go would run it (see execCommandPath). */
  resolve: (command: string) => CommandLookup;
  /**
   * Whose PATH `resolve` searched: the extension host's (which a terminal's may differ from, e.g. when
   * VS Code was started from the dock) or that of the shell running the CLI.
   */
  pathOf: 'extensionHost' | 'cli';
}

export interface KubeconfigLint {
  merged: MergedKubeconfig;
  findings: KubeconfigFinding[];
}

/** Lints the files in KUBECONFIG order (the first one that defines a name wins). */
export function lintKubeconfigs(docs: readonly KubeconfigDocument[], options: KubeconfigLintOptions): KubeconfigLint {
  const merged = mergeKubeconfigs(docs);
  const findings: KubeconfigFinding[] = [];
  for (const file of merged.files) {
    const doc = docs.find((d) => d.file === file);
    if (doc) findings.push(...doc.problems);
  }
  for (const { file, entry, winnerFile } of merged.users.shadowed) {
    findings.push(finding(file, entry.nameRange, 'warning', 'user-shadowed', entry.name,
      `user "${entry.name}" is also defined in ${winnerFile}, which comes first in KUBECONFIG: kubectl uses that definition and ignores this one entirely`));
  }
  for (const { file, entry } of merged.users.byName.values()) findings.push(...lintUser(entry, file, merged, options));
  return { merged, findings: sortFindings(findings, merged.files) };
}

/**
 * The command client-go runs: one with a slash that is not absolute is relative to the kubeconfig
 * file's folder (clientcmd resolves it on load); one without a slash is looked up on PATH.
 */
export function execCommandPath(command: string, file: string): string {
  if (!command.includes('/') || command.startsWith('/')) return command;
  const slash = file.lastIndexOf('/');
  const dir = slash === -1 ? '.' : file.slice(0, slash) || '/';
  return cleanPath(`${dir}/${command}`);
}

/** Lexical clean of a slash path (as Go's filepath.Join does): drops "." and resolves "..". */
function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

function finding(file: string, range: SourceRange, severity: FindingSeverity, code: FindingCode, user: string, message: string): KubeconfigFinding {
  return { file, range, severity, code, message, user };
}

function lintUser(user: KubeconfigUser, file: string, merged: MergedKubeconfig, options: KubeconfigLintOptions): KubeconfigFinding[] {
  const out: KubeconfigFinding[] = [];
  const add = (range: SourceRange, severity: FindingSeverity, code: FindingCode, message: string): void => {
    out.push(finding(file, range, severity, code, user.name, message));
  };
  const contexts = [...merged.contexts.byName.values()].filter((c) => c.entry.user?.value === user.name);
  if (contexts.length === 0) add(user.nameRange, 'info', 'user-unreferenced', `no context uses user "${user.name}"`);

  if (user.authProvider) {
    const provider = user.authProvider.name?.value;
    const at = user.authProvider.name?.range ?? user.authProvider.range;
    if (provider === 'gcp') {
      add(at, 'error', 'auth-provider-removed',
        'the gcp auth-provider was removed in kubectl 1.26: install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin) and run gcloud container clusters get-credentials again, which writes an exec user');
    } else if (provider === 'azure') {
      add(at, 'error', 'auth-provider-removed',
        'the azure auth-provider was removed in kubectl 1.26: install kubelogin and convert this kubeconfig (kubelogin convert-kubeconfig -l azurecli), which writes an exec user');
    } else if (provider !== undefined && provider !== 'oidc') {
      add(at, 'error', 'auth-provider-unknown', `kubectl has no auth-provider named "${provider}" (only oidc is built in): it fails with no Auth Provider found for name "${provider}"`);
    }
    if (user.exec) {
      add(user.exec.range, 'error', 'exec-with-auth-provider', `authProvider cannot be provided in combination with an exec plugin for ${user.name}`);
    }
  }
  if (user.exec) out.push(...lintExec(user, user.exec, file, merged, contexts.map((c) => c.entry.cluster?.value), options));
  return out;
}

function lintExec(
  user: KubeconfigUser,
  exec: ExecBlock,
  file: string,
  merged: MergedKubeconfig,
  clustersOfContexts: readonly (string | undefined)[],
  options: KubeconfigLintOptions,
): KubeconfigFinding[] {
  const out: KubeconfigFinding[] = [];
  const add = (range: SourceRange, severity: FindingSeverity, code: FindingCode, message: string): void => {
    out.push(finding(file, range, severity, code, user.name, message));
  };
  const name = user.name;

  // SPEC C.1: the accepted apiVersions; the check runs when the client is built.
  const apiVersion = exec.apiVersion?.value ?? '';
  if (apiVersion === '') {
    add(exec.apiVersion?.range ?? exec.range, 'error', 'exec-api-version-missing', `apiVersion must be specified for ${name} to use exec authentication plugin`);
  } else if (apiVersion === EXEC_API_V1ALPHA1) {
    add(exec.apiVersion?.range ?? exec.range, 'error', 'exec-api-version-removed',
      `${EXEC_API_V1ALPHA1} was removed in Kubernetes 1.24: kubectl 1.24 and later fail with ${invalidApiVersionError(apiVersion)}; use ${EXEC_API_V1} (with interactiveMode) or v1beta1, whichever the plugin supports`);
  } else if (!isAcceptedApiVersion(apiVersion, NEWEST_CLIENT_GO)) {
    add(exec.apiVersion?.range ?? exec.range, 'error', 'exec-api-version-invalid', invalidApiVersionError(apiVersion));
  }

  // SPEC C.6: v1 gets no interactiveMode default; v1beta1 (and v1alpha1) default to IfAvailable.
  const mode = exec.interactiveMode?.value ?? '';
  const missingMode = missingInteractiveModeError({ command: '', apiVersion, interactiveMode: mode }, name);
  if (missingMode !== undefined) {
    add(exec.interactiveMode?.range ?? exec.range, 'error', 'exec-interactive-mode-missing', missingMode);
  } else if (mode !== '' && !(INTERACTIVE_MODES as readonly string[]).includes(mode)) {
    add(exec.interactiveMode?.range ?? exec.range, 'error', 'exec-interactive-mode-invalid',
      `invalid interactiveMode for ${name}: "${mode}" (expected Never, IfAvailable or Always)`);
  }

  const command = exec.command?.value ?? '';
  if (command === '') {
    add(exec.command?.range ?? exec.range, 'error', 'exec-command-missing', `command must be specified for ${name} to use exec authentication plugin`);
  } else if (exec.command) {
    const runs = execCommandPath(command, file);
    const lookup = options.resolve(runs);
    if (!lookup.found) {
      add(exec.command.range, 'warning', 'exec-command-not-found', notFoundMessage(command, runs, options.pathOf));
      if (exec.installHint === undefined || exec.installHint.value.trim() === '') {
        add(exec.command.range, 'info', 'exec-install-hint-missing',
          `user "${name}" has no installHint: when the plugin is missing, kubectl cannot tell people how to install it`);
      }
    }
  }

  if (exec.provideClusterInfo?.value === true && !clustersOfContexts.some((c) => c !== undefined && merged.clusters.byName.has(c))) {
    add(exec.provideClusterInfo.range, 'warning', 'exec-provide-cluster-info-unused',
      `provideClusterInfo is set, but no context pairs user "${name}" with a defined cluster, so there is no cluster information to give the plugin`);
  }

  const seen = new Set<string>();
  for (const entry of exec.env) {
    if (!entry.name) continue;
    if (seen.has(entry.name.value)) {
      add(entry.name.range, 'warning', 'exec-env-duplicate', `env variable ${entry.name.value} is set twice for user "${name}": the plugin sees the later value`);
    }
    seen.add(entry.name.value);
  }

  // SPEC C.2: static credentials make client-go skip the plugin altogether.
  const statics: [string, { range: SourceRange } | undefined][] = [
    ['a token', user.token],
    ['a tokenFile', user.tokenFile],
    ['a username/password', user.basic],
    ['a client certificate', user.clientCertificate],
  ];
  for (const [what, field] of statics) {
    if (field) {
      add(field.range, 'warning', 'exec-never-runs',
        `user "${name}" has both exec and ${what}: kubectl uses ${what === 'a client certificate' ? 'the certificate' : 'it'} and never runs the exec plugin`);
    }
  }
  return out;
}

function notFoundMessage(command: string, runs: string, pathOf: KubeconfigLintOptions['pathOf']): string {
  if (runs.includes('/')) return `exec plugin ${runs} does not exist or is not executable: kubectl fails with exec: executable ${runs} not found`;
  const where = pathOf === 'extensionHost'
    ? "the extension host's PATH (a terminal's PATH may differ, e.g. when VS Code was not started from that terminal)"
    : 'PATH';
  return `exec plugin ${command} is not on ${where}: kubectl fails with exec: executable ${command} not found`;
}
