import * as vscode from 'vscode';
import { tokenReportMarkdown, type TokenReport as Report } from '../token/report';
import { DisposableBase } from './disposable';

export const TOKEN_REPORT_SCHEME = 'kube-token-lens-token';

/** Read-only documents kube-token-lens-token:/<id>.md holding token reports (in memory only). */
export class TokenReports extends DisposableBase implements vscode.TextDocumentContentProvider {
  private readonly reports = new Map<string, Report>();
  private readonly changed = this.own(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private next = 1;

  constructor() {
    super();
    this.own(vscode.workspace.registerTextDocumentContentProvider(TOKEN_REPORT_SCHEME, this));
  }

  async show(report: Report): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: TOKEN_REPORT_SCHEME, path: `/${this.next++}/${report.title.replace(/[^\w.-]+/g, '-')}.md` });
    this.reports.set(uri.path, report);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const report = this.reports.get(uri.path);
    return report ? tokenReportMarkdown(report, Date.now()) : 'This token report is no longer available (reports live only as long as the window).';
  }

  protected override onDispose(): void {
    this.reports.clear();
  }
}
