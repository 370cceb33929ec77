/**
 * The CredentialProviderConfig lenses' commands: Test Image…, Simulate Image Pulls…, Run Provider
 * Plugin… and the kubelet-version switch. Each takes the document's URI (the lens passes it; the
 * palette uses the active editor) and optional arguments that skip its prompts, so tests and other
 * callers need no input box. Running a plugin executes a program: trusted workspace only, and only
 * after the consent modal (consent.ts), which names the exact binary.
 */
import * as vscode from 'vscode';
import { CREDENTIAL_KUBELET_VERSIONS, type CredentialProvider } from '../sim/credentialProvider/config';
import type { LoadedConfig } from '../sim/credentialProvider/configDecode';
import { explainImage } from '../sim/credentialProvider/imageExplain';
import { usesServiceAccountTokens } from '../sim/credentialProvider/config';
import { imagePullScenario, sampleImageFor } from '../sim/credentialProvider/imagePullScenario';
import { effectiveCacheExpiry, PLUGIN_EXEC_TIMEOUT_MS } from '../sim/credentialProvider/pluginIO';
import { formatDuration } from '../sim/units/duration';
import { redactDockerConfig, runCredentialProviderPlugin, type CredentialProviderPluginRun } from '../plugins/credentialProviderPlugin';
import type { ClusterConnections } from './clusterConnections';
import type { ClusterTreeProvider } from './clusterTree';
import { updateSettingWhereSet } from './configuration';
import type { Consent } from './consent';
import { CREDENTIAL_PROVIDER_COMMANDS, looksLikeCredentialProviderConfig, type CredentialProviderDocuments } from './credentialProviderDocuments';
import { firstErrorText, imageTestMarkdown, pluginRunMarkdown, rulesText, type PluginRunInput } from './credentialProviderReports';
import { registerCommands } from './registerCommand';
import type { ReportDocuments } from './reportDocuments';
import type { SimulationService } from './simulationService';
import { redactKnown } from '../token/redact';

interface Deps {
  documents: CredentialProviderDocuments;
  reports: ReportDocuments;
  simulations: SimulationService;
  tree: ClusterTreeProvider;
  connections: ClusterConnections;
  consent: Consent;
  /** Per-workspace memory (the plugin bin directory last picked). */
  workspaceState: vscode.Memento;
  log: vscode.LogOutputChannel;
}

/** Arguments that skip Run Provider Plugin's prompts (tests, other commands). Never the confirmation. */
export interface RunPluginOptions {
  binDir?: string;
  image?: string;
}

const BIN_DIR_KEY = 'kubeTokenLens.credentialProvider.binDir';
/** Pods listed per connected cluster when offering their images. */
const POD_LIMIT = 500;

/** The document a command is about: the given URI, else the active editor's; it must be a config. */
async function configDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument> {
  const doc = uri !== undefined ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (doc === undefined) throw new Error('open a CredentialProviderConfig file first (a YAML or JSON file with kind: CredentialProviderConfig)');
  if (!looksLikeCredentialProviderConfig(doc)) throw new Error(`${vscode.workspace.asRelativePath(doc.uri)} is not a CredentialProviderConfig (it has no top-level kind: CredentialProviderConfig)`);
  return doc;
}

export function registerCredentialProviderCommands(deps: Deps): vscode.Disposable[] {
  const { documents, reports, log } = deps;

  /** The config as the kubelet reads it; undefined (after saying why) when the kubelet would refuse it. */
  async function validConfig(doc: vscode.TextDocument, action: string): Promise<(LoadedConfig & { config: NonNullable<LoadedConfig['config']> }) | undefined> {
    const loaded = documents.check(doc) ?? documents.load(doc);
    if (loaded.valid && loaded.config !== undefined) return { ...loaded, config: loaded.config };
    const errors = loaded.findings.filter((f) => f.severity === 'error');
    const first = firstErrorText(errors.map((e) => ({ ...e, file: vscode.workspace.asRelativePath(doc.uri) })));
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    // Not awaited: the command is done once it has said why (a test or a caller must not hang on the toast).
    void vscode.window.showErrorMessage(`Token Lens: cannot ${action}: the kubelet would refuse this config: ${first ?? 'it does not decode'}${more}`, 'Show Problems').then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return undefined;
  }

  /** Images of the connected clusters' pods, most used first; empty when none is connected. */
  async function clusterImages(): Promise<Array<vscode.QuickPickItem & { image: string }>> {
    const connected = new Set(deps.connections.connectedKeys());
    const contexts = deps.tree.contexts().filter((c) => connected.has(c.key));
    const byImage = new Map<string, { pods: string[]; contexts: Set<string> }>();
    for (const ctx of contexts) {
      try {
        const client = await deps.connections.client(ctx.key);
        const page = await client.listPods(undefined, { limit: POD_LIMIT });
        for (const pod of page.items) {
          for (const c of pod.containers) {
            if (c.image === '') continue;
            const entry = byImage.get(c.image) ?? { pods: [], contexts: new Set<string>() };
            entry.pods.push(`${pod.namespace}/${pod.name}`);
            entry.contexts.add(ctx.label);
            byImage.set(c.image, entry);
          }
        }
      } catch (err) {
        log.warn(`testImage: could not list the pods of ${ctx.label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return [...byImage.entries()]
      .sort((a, b) => b[1].pods.length - a[1].pods.length || a[0].localeCompare(b[0]))
      .map(([image, e]) => ({
        label: image,
        description: `${e.pods.length} pod${e.pods.length === 1 ? '' : 's'}: ${[...new Set(e.pods)].slice(0, 3).join(', ')}${e.pods.length > 3 ? ', …' : ''}`,
        detail: [...e.contexts].join(', '),
        image,
      }));
  }

  async function typeImage(prompt: string, value: string): Promise<string | undefined> {
    const text = await vscode.window.showInputBox({
      title: 'Image to test',
      prompt,
      value,
      validateInput: (v) => (v.trim() === '' ? 'Enter an image reference, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4' : /\s/.test(v.trim()) ? 'An image reference has no spaces.' : undefined),
    });
    return text?.trim();
  }

  /** An image: picked from the connected clusters' pods, or typed. */
  async function askImage(config: NonNullable<LoadedConfig['config']>): Promise<string | undefined> {
    const sample = config.providers.map((p) => (p.matchImages[0] === undefined ? undefined : sampleImageFor(p.matchImages[0]))).find((s) => s !== undefined) ?? '';
    const images = await clusterImages();
    if (images.length === 0) {
      return typeImage('Type an image reference. (No cluster is connected, so there are no pod images to pick from: expand a context in the Token Lens Cluster view to connect.)', sample);
    }
    const typed: vscode.QuickPickItem & { image?: string } = { label: '$(edit) Type an image…', description: 'an image reference of your own' };
    const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { image?: string }>([typed, ...images], {
      title: 'Test Image: which image?',
      placeHolder: 'Pick an image of a connected cluster’s pods, or type one',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked === undefined) return undefined;
    return picked.image ?? typeImage('Type an image reference.', sample);
  }

  async function testImage(uri?: vscode.Uri, image?: string): Promise<void> {
    const doc = await configDocument(uri);
    const loaded = await validConfig(doc, 'test an image');
    if (loaded === undefined) return;
    const target = image ?? (await askImage(loaded.config));
    if (target === undefined || target === '') return;
    const rules = documents.rules();
    const markdown = imageTestMarkdown({
      ...rules,
      image: target,
      source: vscode.workspace.asRelativePath(doc.uri),
      providers: loaded.config.providers,
      matches: explainImage(loaded.config, target),
      serviceAccountMode: (p) => usesServiceAccountTokens(p, rules.serviceAccountTokenGate),
    });
    await reports.show(`Test Image ${target}`, markdown);
  }

  async function simulatePulls(uri?: vscode.Uri): Promise<void> {
    const doc = await configDocument(uri);
    const loaded = await validConfig(doc, 'simulate image pulls');
    if (loaded === undefined) return;
    const rules = documents.rules();
    // A whole minute, so the timeline's ticks fall on round times.
    const start = Math.floor(Date.now() / 60_000) * 60_000;
    const built = imagePullScenario({ config: loaded.config, ...rules, start, source: vscode.workspace.asRelativePath(doc.uri) });
    // An untitled document: the scenario is the user's to edit, save and run again (Run Simulation lens).
    const scenarioDoc = await vscode.workspace.openTextDocument({ language: 'yaml', content: built.text });
    await vscode.window.showTextDocument(scenarioDoc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    if (built.skipped.length > 0) void vscode.window.showWarningMessage(`Token Lens: no pulls for ${built.skipped.map((s) => `${s.provider} (${s.reason})`).join('; ')}.`);
    await deps.simulations.simulateFile(scenarioDoc.uri);
  }

  async function pickProvider(config: NonNullable<LoadedConfig['config']>, index: number | undefined): Promise<CredentialProvider | undefined> {
    if (index !== undefined) {
      const p = config.providers[index];
      if (p === undefined) throw new Error(`the config has no provider number ${index + 1}`);
      return p;
    }
    if (config.providers.length === 1) return config.providers[0];
    const picked = await vscode.window.showQuickPick(
      config.providers.map((p) => ({ label: p.name, description: p.matchImages.join(', '), provider: p })),
      { title: 'Run Provider Plugin: which provider?' },
    );
    return picked?.provider;
  }

  async function askBinDir(): Promise<string | undefined> {
    const remembered = deps.workspaceState.get<string>(BIN_DIR_KEY);
    const picked = await vscode.window.showOpenDialog({
      title: 'The plugin bin directory (the kubelet’s --image-credential-provider-bin-dir)',
      openLabel: 'Use This Directory',
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      ...(remembered !== undefined ? { defaultUri: vscode.Uri.file(remembered) } : {}),
    });
    const dir = picked?.[0]?.fsPath;
    if (dir !== undefined) await deps.workspaceState.update(BIN_DIR_KEY, dir);
    return dir;
  }

  async function runPlugin(uri?: vscode.Uri, providerIndex?: number, options: RunPluginOptions = {}): Promise<void> {
    // Before any prompt: in an untrusted workspace nothing here may run.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Token Lens: running a credential provider plugin executes a program, which is not allowed in an untrusted workspace: trust the workspace first.');
      return;
    }
    const doc = await configDocument(uri);
    const loaded = await validConfig(doc, 'run a plugin');
    if (loaded === undefined) return;
    const provider = await pickProvider(loaded.config, providerIndex);
    if (provider === undefined) return;
    const binDir = options.binDir ?? (await askBinDir());
    if (binDir === undefined) return;
    const sample = provider.matchImages[0] === undefined ? '' : (sampleImageFor(provider.matchImages[0]) ?? '');
    const image = options.image ?? (await typeImage(`The image the kubelet asks ${provider.name} about (it must match one of its matchImages to be asked at all).`, sample));
    if (image === undefined || image === '') return;
    const rules = documents.rules();
    const withoutToken = usesServiceAccountTokens(provider, rules.serviceAccountTokenGate);
    const binary = vscode.Uri.joinPath(vscode.Uri.file(binDir), provider.name).fsPath;
    const matched = explainImage({ ...loaded.config, providers: [provider] }, image)[0]?.matched ?? false;
    const ok = await deps.consent.ask(
      `Run the credential provider plugin ${binary}?`,
      [
        `Kube Token Lens will execute ${binary}${provider.args?.length ? ` ${provider.args.join(' ')}` : ''} with a CredentialProviderRequest for ${image} on its stdin, as the kubelet would: this window's environment plus the provider's env entries, stopped after ${formatDuration(PLUGIN_EXEC_TIMEOUT_MS)}.`,
        matched ? '' : `Note: ${image} matches none of this provider's matchImages, so a real kubelet would not run it for this image.`,
        withoutToken ? "This provider is in service-account-token mode: a real kubelet would send the pulling pod's service-account token. This run sends no token (the plugin may refuse)." : '',
        'Passwords in its answer are hidden unless you ask to see them, and never logged.',
      ].filter((l) => l !== '').join('\n\n'),
      withoutToken ? 'Run Without Token' : 'Run Plugin',
    );
    if (!ok) return;
    const run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Token Lens: running ${provider.name}…` },
      () => runCredentialProviderPlugin({ binDir, provider, image, environ: Object.entries(process.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`])) }),
    );
    const now = Date.now();
    // The log gets the outcome, never the answer's credentials (nor stderr, which may quote them).
    log.info(`runPlugin: ${provider.name} for ${image}: ${run.ok ? `answered in ${Math.round(run.durationMs)} ms (cacheKeyType ${run.response.cacheKeyType})` : `failed at ${run.stage}`}`);
    const input: PluginRunInput = { ...rules, provider, image, run, now, withoutToken, ...answerParts(provider, run, now) };
    await reports.show(`Run ${provider.name} ${image}`, pluginRunMarkdown(input));
    if (!run.ok) {
      void vscode.window.showErrorMessage(`Token Lens: the plugin ${provider.name} failed: see the report for its error and stderr.`);
      return;
    }
    if (Object.keys(run.response.auth).length === 0) return;
    // Not awaited (the command ends with the report); the passwords are shown only on this explicit
    // request, in a document that lives in memory until it is closed.
    void vscode.window.showInformationMessage(`Token Lens: ${provider.name} answered with ${Object.keys(run.response.auth).length} credential(s); passwords are hidden.`, 'Reveal Passwords').then(async (reveal) => {
      if (reveal !== 'Reveal Passwords') return;
      try {
        await reports.show(`Run ${provider.name} ${image} (passwords)`, pluginRunMarkdown({ ...input, revealed: run.response.auth }));
      } catch (err) {
        // The passwords are in scope here: an error quoting one is masked by value, not only by shape.
        const passwords = Object.values(run.response.auth).map((a) => a.password);
        log.error(`runPlugin: could not show the passwords: ${redactKnown(err instanceof Error ? err.message : String(err), passwords)}`);
      }
    });
  }

  async function selectKubeletVersion(): Promise<void> {
    const current = documents.rules();
    const picked = await vscode.window.showQuickPick(
      CREDENTIAL_KUBELET_VERSIONS.map((v) => ({
        label: `Kubelet ${v}${v === '1.34' ? ' and later' : ''}`,
        description: v === current.kubeletVersion ? 'in use' : '',
        detail: v === '1.33' ? 'no cacheType; service-account tokens for credential providers off by default (alpha); Global key "global"' : 'cacheType required; the plugin may not echo the token; Global key "<global>"',
        version: v,
      })),
      { title: `CredentialProviderConfig rules (now: ${rulesText(current)})` },
    );
    if (picked !== undefined) await updateSettingWhereSet('credentialProvider.kubeletVersion', picked.version);
  }

  return registerCommands(log, {
    [CREDENTIAL_PROVIDER_COMMANDS.testImage]: (uri?: vscode.Uri, image?: string) => testImage(uri, image),
    [CREDENTIAL_PROVIDER_COMMANDS.simulatePulls]: (uri?: vscode.Uri) => simulatePulls(uri),
    [CREDENTIAL_PROVIDER_COMMANDS.runPlugin]: (uri?: vscode.Uri, providerIndex?: number, options?: RunPluginOptions) => runPlugin(uri, providerIndex, options),
    [CREDENTIAL_PROVIDER_COMMANDS.selectKubeletVersion]: selectKubeletVersion,
  });
}

/** The parts of a report that need the answer: what the cache does with it, and the hidden passwords. */
function answerParts(provider: CredentialProvider, run: CredentialProviderPluginRun, now: number): Pick<PluginRunInput, 'expiry' | 'redacted'> {
  if (!run.ok) return {};
  return { expiry: effectiveCacheExpiry(provider, run.response, now), redacted: redactDockerConfig(run.response.auth) };
}
