/**
 * The lint of the kubeconfig files in use as diagnostics in those files while they are open in an
 * editor: the same findings as the Kubeconfig Users view, from the editor's text (unsaved edits
 * included), merged with the other files of the list as kubectl merges them. Follows
 * credentialProviderDocuments.ts.
 */
import * as vscode from 'vscode';
import type { FindingSeverity } from '../sim/execAuth/kubeconfigFinding';
import { DisposableBase } from './disposable';
import type { KubeconfigState } from './kubeconfigState';

export const KUBECONFIG_DIAGNOSTIC_SOURCE = 'Kube Token Lens (kubeconfig)';
const DEBOUNCE_MS = 300;

const SEVERITY: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class KubeconfigDiagnostics extends DisposableBase {
  private readonly diagnostics = this.own(vscode.languages.createDiagnosticCollection('kube-token-lens-kubeconfig'));
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly kubeconfig: KubeconfigState) {
    super();
    this.own(vscode.workspace.onDidOpenTextDocument(() => this.schedule()));
    this.own(vscode.workspace.onDidChangeTextDocument(() => this.schedule()));
    this.own(vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)));
    // A file saved or changed on disk, or another file list (the setting): lint again.
    this.own(kubeconfig.onDidChange(() => this.schedule()));
    this.check();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, DEBOUNCE_MS);
  }

  /** Re-lints the list with the open editors' texts and publishes each open kubeconfig's findings. */
  check(): void {
    if (this.disposed) return;
    const files = new Set(this.kubeconfig.files());
    const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && files.has(d.fileName));
    this.diagnostics.clear();
    if (open.length === 0) return;
    const texts = new Map(open.map((d) => [d.fileName, d.getText()]));
    const load = this.kubeconfig.users((file) => texts.get(file));
    if (load.status !== 'loaded') return;
    for (const doc of open) {
      this.diagnostics.set(
        doc.uri,
        load.view.findings
          .filter((f) => f.file === doc.fileName)
          .map((f) => {
            const start = new vscode.Position(f.range.line - 1, f.range.column - 1);
            const end = new vscode.Position(f.range.endLine - 1, f.range.endColumn - 1);
            const d = new vscode.Diagnostic(new vscode.Range(start, end.isAfter(start) ? end : start.translate(0, 1)), f.message, SEVERITY[f.severity]);
            d.source = KUBECONFIG_DIAGNOSTIC_SOURCE;
            d.code = f.code;
            return d;
          }),
      );
    }
  }

  protected override onDispose(): void {
    clearTimeout(this.timer);
  }
}
