/**
 * Read-only Markdown documents kube-token-lens-report:/<n>/<title>.md for results a user reads and
 * copies (Test Image, a plugin's answer). In memory only: the text is dropped when its document is
 * closed, so a revealed password does not outlive the tab that shows it. Never saved, never logged.
 */
import * as vscode from 'vscode';
import { DisposableBase } from './disposable';

export const REPORT_SCHEME = 'kube-token-lens-report';

export class ReportDocuments extends DisposableBase implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 1;

  constructor() {
    super();
    this.own(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this));
    this.own(vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === REPORT_SCHEME) this.texts.delete(d.uri.path);
    }));
  }

  /** Opens a new report beside the active editor; returns its document. */
  async show(title: string, markdown: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${this.next++}/${title.replace(/[^\w.-]+/g, '-').slice(0, 80)}.md` });
    this.texts.set(uri.path, markdown);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return doc;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? 'This report is no longer available: reports live only while their tab is open. Run the command again.';
  }

  protected override onDispose(): void {
    this.texts.clear();
  }
}
