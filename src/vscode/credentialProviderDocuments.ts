/**
 * Kubelet CredentialProviderConfig documents in the editor, known by content whatever their file
 * name: the kubelet's own decoding and validation as diagnostics while typing (the kubelet version
 * and feature gate from the credentialProvider.* settings), the lenses that test, simulate and run
 * the config, and a status bar item naming the rules in use. Follows scenarioDocuments.ts.
 */
import * as vscode from 'vscode';
import { loadCredentialProviderConfig, looksLikeCredentialProviderConfigText, type LoadedConfig } from '../sim/credentialProvider/configDecode';
import { credentialProviderSettings, onSettingsChange } from './configuration';
import { rulesText } from './credentialProviderReports';
import { DisposableBase } from './disposable';
import type { CredentialProviderRules } from './settings';

export const KUBELET_DIAGNOSTIC_SOURCE = 'Kube Token Lens (kubelet)';
/** Context key for `when` clauses: the active editor holds a CredentialProviderConfig. */
export const CREDENTIAL_PROVIDER_CONTEXT_KEY = 'kubeTokenLens.credentialProviderConfig';

export const CREDENTIAL_PROVIDER_COMMANDS = {
  testImage: 'kubeTokenLens.credentialProvider.testImage',
  simulatePulls: 'kubeTokenLens.credentialProvider.simulatePulls',
  runPlugin: 'kubeTokenLens.credentialProvider.runPlugin',
  selectKubeletVersion: 'kubeTokenLens.credentialProvider.selectKubeletVersion',
} as const;

const LANGUAGES = ['yaml', 'json', 'jsonc'];
const DEBOUNCE_MS = 300;

/** A CredentialProviderConfig by content: a top-level `kind: CredentialProviderConfig` (any file name). */
export function looksLikeCredentialProviderConfig(doc: vscode.TextDocument): boolean {
  return LANGUAGES.includes(doc.languageId) && looksLikeCredentialProviderConfigText(doc.getText());
}

export class CredentialProviderDocuments extends DisposableBase implements vscode.CodeLensProvider {
  private readonly diagnostics = this.own(vscode.languages.createDiagnosticCollection('kube-token-lens-kubelet'));
  private readonly lensesChanged = this.own(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly status = this.own(vscode.window.createStatusBarItem('kubeTokenLens.credentialProviderRules', vscode.StatusBarAlignment.Right, 100));

  constructor() {
    super();
    this.status.name = 'Token Lens: kubelet rules for credential providers';
    this.status.command = CREDENTIAL_PROVIDER_COMMANDS.selectKubeletVersion;
    this.own(vscode.languages.registerCodeLensProvider(LANGUAGES.map((language) => ({ language })), this));
    this.own(vscode.workspace.onDidOpenTextDocument((d) => this.check(d)));
    this.own(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.own(vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)));
    this.own(vscode.window.onDidChangeActiveTextEditor(() => this.updateActive()));
    // Another kubelet version judges differently: re-check everything open.
    this.own(onSettingsChange(['credentialProvider.kubeletVersion', 'credentialProvider.serviceAccountTokenGate'], () => this.recheckAll()));
    this.recheckAll();
  }

  /** The rules in use now (settings). */
  rules(): CredentialProviderRules {
    return credentialProviderSettings();
  }

  /** The kubelet's view of the document, under the rules in use. */
  load(doc: vscode.TextDocument): LoadedConfig {
    const rules = this.rules();
    return loadCredentialProviderConfig([{ path: doc.fileName, text: doc.getText() }], {
      kubeletVersion: rules.kubeletVersion,
      serviceAccountTokenGate: rules.serviceAccountTokenGate,
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!looksLikeCredentialProviderConfig(doc)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const rules = this.rules();
    const lenses = [
      new vscode.CodeLens(top, { command: CREDENTIAL_PROVIDER_COMMANDS.testImage, title: '$(search) Test Image…', tooltip: 'Which providers the kubelet asks for an image, and the cache keys it tries', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { command: CREDENTIAL_PROVIDER_COMMANDS.simulatePulls, title: '$(graph-line) Simulate Image Pulls…', tooltip: 'Open a timeline of image pulls through these providers and their cache', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { command: CREDENTIAL_PROVIDER_COMMANDS.runPlugin, title: '$(play) Run Provider Plugin…', tooltip: 'Run a real plugin binary as the kubelet would (trusted workspace, after a confirmation)', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { command: CREDENTIAL_PROVIDER_COMMANDS.selectKubeletVersion, title: `$(versions) Kubelet ${rules.kubeletVersion}`, tooltip: `Judged by ${rulesText(rules)}: click to switch` }),
    ];
    // Per provider, where it is written: run that provider's plugin.
    const loaded = this.load(doc);
    loaded.providerSources.forEach((s, index) => {
      const name = loaded.config?.providers[index]?.name;
      if (name === undefined) return;
      const at = new vscode.Range(s.range.line - 1, 0, s.range.line - 1, 0);
      lenses.push(new vscode.CodeLens(at, { command: CREDENTIAL_PROVIDER_COMMANDS.runPlugin, title: `$(play) Run ${name}…`, tooltip: `Run the plugin binary ${name} as the kubelet would`, arguments: [doc.uri, index] }));
    });
    return lenses;
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(doc);
      }, DEBOUNCE_MS),
    );
  }

  private recheckAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.check(doc);
    this.updateActive();
  }

  /** Publishes the kubelet's findings as diagnostics; returns the load, or undefined for other documents. */
  check(doc: vscode.TextDocument): LoadedConfig | undefined {
    if (!looksLikeCredentialProviderConfig(doc)) {
      this.diagnostics.delete(doc.uri);
      if (doc === vscode.window.activeTextEditor?.document) this.updateActive();
      return undefined;
    }
    const loaded = this.load(doc);
    this.diagnostics.set(
      doc.uri,
      loaded.findings.map((f) => {
        const start = new vscode.Position(f.range.line - 1, f.range.column - 1);
        const end = new vscode.Position(f.range.endLine - 1, f.range.endColumn - 1);
        const d = new vscode.Diagnostic(
          new vscode.Range(start, end.isAfter(start) ? end : start.translate(0, 1)),
          f.message,
          f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
        );
        d.source = KUBELET_DIAGNOSTIC_SOURCE;
        if (f.field !== '') d.code = f.field;
        return d;
      }),
    );
    this.lensesChanged.fire();
    if (doc === vscode.window.activeTextEditor?.document) this.updateActive();
    return loaded;
  }

  /** The status bar item and the `when` context key follow the active editor. */
  private updateActive(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const active = doc !== undefined && looksLikeCredentialProviderConfig(doc);
    void vscode.commands.executeCommand('setContext', CREDENTIAL_PROVIDER_CONTEXT_KEY, active);
    if (!active) {
      this.status.hide();
      return;
    }
    const rules = this.rules();
    this.status.text = `$(versions) Kubelet ${rules.kubeletVersion}`;
    this.status.tooltip = `CredentialProviderConfig judged by ${rulesText(rules)}. Click to switch.`;
    this.status.show();
  }

  protected override onDispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
