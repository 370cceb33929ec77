/**
 * Run Exec Plugin Now: runs a kubeconfig user's exec credential plugin once, as client-go would
 * (src/plugins/execCredentialPlugin.ts), and shows the decoded answer in a read-only report with the
 * token hidden. It executes a program with the user's credentials config: trusted workspace only,
 * and only after the consent modal, which names the command and how many arguments it gets (not
 * their values: they may hold secrets). From an exec user row, or from the palette with a picker.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { DEFAULT_EXEC_PLUGIN_TIMEOUT_MS, runExecCredentialPlugin, type ExecCredentialPluginRun } from '../plugins/execCredentialPlugin';
import { readExecCluster, readExecConfig } from '../plugins/kubeconfigExecUser';
import type { ExecCluster } from '../sim/execAuth/execConfig';
import { execAuthScenario } from '../sim/execAuth/execAuthScenario';
import type { MergedKubeconfig } from '../sim/execAuth/kubeconfigMerge';
import { formatDuration } from '../sim/units/duration';
import type { Consent } from './consent';
import { execPluginReportMarkdown } from './execPluginReport';
import type { KubeconfigUserRow } from './kubeconfigUsers';
import type { KubeconfigState } from './kubeconfigState';
import type { KubeconfigUsersTreeProvider, UserNode } from './kubeconfigUsersTree';
import { registerCommands } from './registerCommand';
import type { ReportDocuments } from './reportDocuments';
import type { SimulationService } from './simulationService';
import { redactKnown } from '../token/redact';

export const RUN_EXEC_PLUGIN_COMMAND = 'kubeTokenLens.runExecPlugin';
export const SIMULATE_EXEC_AUTH_COMMAND = 'kubeTokenLens.simulateExecAuth';

interface Deps {
  kubeconfig: KubeconfigState;
  usersTree: KubeconfigUsersTreeProvider;
  reports: ReportDocuments;
  consent: Consent;
  log: vscode.LogOutputChannel;
  simulations: Pick<SimulationService, 'simulateFile'>;
}

/** What a real run of this window said about a user's credentials, for Simulate Exec Auth…. */
interface RealRun {
  /** ms from the run to its expirationTimestamp; null: the plugin gave none. */
  lifetimeMs: number | null;
  durationMs: number;
}

/** The cluster a provideClusterInfo plugin is told about: that of the current context if it uses the user, else of the first that does. */
function clusterFor(merged: MergedKubeconfig, userName: string): ExecCluster | undefined {
  const contexts = [...merged.contexts.byName.values()].filter((c) => c.entry.user?.value === userName);
  const current = merged.currentContext?.entry.value;
  const context = contexts.find((c) => c.entry.name === current) ?? contexts[0];
  const clusterName = context?.entry.cluster?.value;
  const defined = clusterName === undefined ? undefined : merged.clusters.byName.get(clusterName);
  if (clusterName === undefined || defined === undefined) return undefined;
  return readExecCluster(readFileSync(defined.file, 'utf8'), clusterName);
}

export function registerExecPluginCommands(deps: Deps): vscode.Disposable[] {
  const { kubeconfig, usersTree, reports, consent, log } = deps;
  /** By kubeconfig file and user name; in memory for this window only. */
  const realRuns = new Map<string, RealRun>();
  const runKey = (row: KubeconfigUserRow): string => `${row.file}\u0000${row.name}`;

  async function pickUser(purpose = 'Run Exec Plugin Now'): Promise<KubeconfigUserRow | undefined> {
    const users = usersTree.execUsers();
    if (users.length === 0) {
      void vscode.window.showWarningMessage('Token Lens: no kubeconfig user in use has an exec plugin.');
      return undefined;
    }
    if (users.length === 1) return users[0];
    const picked = await vscode.window.showQuickPick(
      users.map((u) => ({ label: u.name, description: `${u.exec?.commandName ?? ''} · ${u.exec?.apiVersion.split('/').pop() ?? ''}`, detail: u.file, user: u })),
      { title: `${purpose}: which user?` },
    );
    return picked?.user;
  }

  async function runExecPlugin(node?: UserNode): Promise<void> {
    // Before any prompt: in an untrusted workspace nothing here may run.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Token Lens: running an exec plugin executes a program, which is not allowed in an untrusted workspace: trust the workspace first.');
      return;
    }
    const row = node?.kind === 'user' ? node.user : await pickUser();
    if (row === undefined) return;
    if (row.shadowedBy !== undefined) throw new Error(`this definition of user "${row.name}" is shadowed by ${row.shadowedBy}: kubectl never runs it`);
    const exec = readExecConfig(readFileSync(row.file, 'utf8'), row.name);
    if (exec === undefined) throw new Error(`user "${row.name}" in ${row.file} has no exec plugin`);
    const load = kubeconfig.users();
    const cluster = exec.provideClusterInfo === true && load.status === 'loaded' ? clusterFor(load.view.merged, row.name) : undefined;
    const argCount = exec.args?.length ?? 0;
    const envCount = exec.env?.length ?? 0;
    const ok = await consent.ask(
      `Run the exec plugin ${exec.command} of user "${row.name}"?`,
      [
        `Kube Token Lens will run ${exec.command} with ${argCount} argument${argCount === 1 ? '' : 's'} from ${row.file} (not shown here: they may hold secrets), as client-go would: KUBERNETES_EXEC_INFO set${cluster !== undefined ? ' (with the cluster, as provideClusterInfo asks)' : ''}, this window's environment plus the user's ${envCount} env entr${envCount === 1 ? 'y' : 'ies'}, not interactive (there is no terminal), stopped after ${formatDuration(DEFAULT_EXEC_PLUGIN_TIMEOUT_MS)}.`,
        'The token it returns is hidden unless you ask to see it, and never logged.',
      ].join('\n\n'),
      'Run Plugin',
    );
    if (!ok) return;
    const run: ExecCredentialPluginRun = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Token Lens: running the exec plugin of ${row.name}…` },
      () =>
        runExecCredentialPlugin({
          exec,
          userName: row.name,
          kubeconfigFile: row.file,
          ...(cluster !== undefined ? { cluster } : {}),
          environ: Object.entries(process.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`])),
          terminal: false,
          timeoutMs: DEFAULT_EXEC_PLUGIN_TIMEOUT_MS,
        }),
    );
    // The log gets the outcome, never the credentials (nor stderr, which may quote them).
    log.info(`runExecPlugin: ${row.name}: ${run.ok ? `answered in ${Math.round(run.durationMs ?? 0)} ms (${run.status.hasToken ? 'token' : 'no token'}${run.status.certificate ? ', certificate' : ''}${run.status.expirationTimestamp !== undefined ? ', with expiry' : ', no expiry'})` : `failed (${run.stage})`}`);
    const now = Date.now();
    const input = { userName: row.name, file: row.file, run, now, path: process.env.PATH ?? '' };
    if (run.ok) {
      const expiry = run.status.expirationTimestamp;
      realRuns.set(runKey(row), { lifetimeMs: expiry === undefined ? null : expiry - now, durationMs: run.durationMs ?? 0 });
    }
    await reports.show(`Run exec ${row.name}`, execPluginReportMarkdown(input));
    if (!run.ok) {
      void vscode.window.showErrorMessage(`Token Lens: the exec plugin of ${row.name} failed: see the report for client-go's error and stderr.`);
      return;
    }
    const token = run.secret.token;
    if (token === undefined) return;
    // Not awaited (the command ends with the report); the token is shown only on this explicit
    // request, in a document that lives in memory until it is closed.
    void vscode.window.showInformationMessage(`Token Lens: the exec plugin of ${row.name} returned a token; it is hidden.`, 'Reveal Token').then(async (reveal) => {
      if (reveal !== 'Reveal Token') return;
      try {
        await reports.show(`Run exec ${row.name} (token)`, execPluginReportMarkdown({ ...input, revealedToken: token }));
      } catch (err) {
        // The token is in scope here: an error quoting it is masked by value, not only by shape.
        log.error(`runExecPlugin: could not show the token: ${redactKnown(err instanceof Error ? err.message : String(err), [token])}`);
      }
    });
  }

  /**
   * A timeline of client-go's authenticator for this user: its kubeconfig stanza (no argument or env
   * value), the lifetime a real run of this window reported (or a typical one), kubectl invocations
   * against a long-lived IDE. Nothing is executed, so this needs no trust.
   */
  async function simulateExecAuth(node?: UserNode): Promise<void> {
    const row = node?.kind === 'user' ? node.user : await pickUser('Simulate Exec Auth');
    if (row === undefined) return;
    const exec = readExecConfig(readFileSync(row.file, 'utf8'), row.name);
    if (exec === undefined) throw new Error(`user "${row.name}" in ${row.file} has no exec plugin`);
    const load = kubeconfig.users();
    const cluster = load.status === 'loaded' ? clusterFor(load.view.merged, row.name) : undefined;
    const real = realRuns.get(runKey(row));
    const built = execAuthScenario({
      user: row.name,
      exec: {
        apiVersion: exec.apiVersion,
        command: exec.command,
        argCount: exec.args?.length ?? 0,
        envNames: (exec.env ?? []).map((e) => e.name),
        ...(exec.interactiveMode === undefined ? {} : { interactiveMode: exec.interactiveMode }),
        ...(exec.installHint === undefined ? {} : { installHint: exec.installHint }),
        ...(exec.provideClusterInfo === undefined ? {} : { provideClusterInfo: exec.provideClusterInfo }),
      },
      ...(cluster?.server === undefined ? {} : { server: cluster.server }),
      ...(real === undefined ? {} : { credentialLifetimeMs: real.lifetimeMs, pluginLatencyMs: real.durationMs }),
      start: Math.floor(Date.now() / 60_000) * 60_000,
      source: vscode.workspace.asRelativePath(row.file),
    });
    // An untitled document: the scenario is the user's to edit, save and run again.
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: built.text });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    await deps.simulations.simulateFile(doc.uri);
  }

  return registerCommands(log, {
    [RUN_EXEC_PLUGIN_COMMAND]: (node?: UserNode) => runExecPlugin(node),
    [SIMULATE_EXEC_AUTH_COMMAND]: (node?: UserNode) => simulateExecAuth(node),
  });
}
