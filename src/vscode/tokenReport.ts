import * as vscode from 'vscode';
import type { DecodedJwt } from '../token/decode';
import { analyzeClaims } from '../token/claims';
import type { VerifyResult } from '../token/verify';

export const TOKEN_REPORT_SCHEME = 'kube-token-lens-token';

interface Report {
  title: string;
  decoded: DecodedJwt;
  verification?: { against: string; result: VerifyResult };
}

const esc = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);

/** Markdown about a token: header, claims with times in the user's zone, lifetime, verification. Never the token itself. */
export function tokenReportMarkdown(r: Report, now: number): string {
  const view = analyzeClaims(r.decoded.payload, now);
  const t = (x: { ms: number; relative: string } | undefined): string => (x ? `${new Date(x.ms).toLocaleString()} (${x.relative})` : '–');
  const rows: Array<[string, string]> = [
    ['iss', view.iss ?? '–'],
    ['sub', view.sub ?? '–'],
    ['aud', view.aud.join(', ') || '–'],
    ['iat', t(view.iat)],
    ['nbf', t(view.nbf)],
    ['exp', view.lifetime.neverExpires ? 'none: **never expires**' : t(view.exp)],
    ['jti', view.jti ?? '–'],
  ];
  const k = view.kubernetes;
  if (k) {
    if (k.namespace) rows.push(['kubernetes.io/namespace', k.namespace]);
    if (k.serviceaccount) rows.push(['kubernetes.io/serviceaccount', `${k.serviceaccount.name ?? '?'} (${k.serviceaccount.uid ?? '?'})`]);
    if (k.pod) rows.push(['kubernetes.io/pod', `${k.pod.name ?? '?'} (${k.pod.uid ?? '?'})`]);
    if (k.node) rows.push(['kubernetes.io/node', `${k.node.name ?? '?'}${k.node.uid ? ` (${k.node.uid})` : ''}`]);
    if (k.secret) rows.push(['kubernetes.io/secret', `${k.secret.name ?? '?'} (${k.secret.uid ?? '?'})`]);
    if (k.warnafter) rows.push(['kubernetes.io/warnafter', t(k.warnafter)]);
  }
  const l = view.lifetime;
  const lines = [
    `# ${esc(r.title)}`,
    '',
    `Header: \`alg\` ${r.decoded.header.alg ?? '–'}, \`kid\` ${r.decoded.header.kid ?? '–'}, \`typ\` ${r.decoded.header.typ ?? '–'}`,
    '',
    '| claim | value |',
    '|---|---|',
    ...rows.map(([a, b]) => `| ${esc(a)} | ${esc(b)} |`),
    '',
    '## Lifetime',
    '',
    `- validity (API server, 60 s leeway): **${l.neverExpires ? 'never expires' : l.validity}**`,
  ];
  if (l.remainingMs !== undefined) lines.push(`- remaining: ${Math.round(l.remainingMs / 1000)} s`);
  if (l.requestedLifetimeSeconds !== undefined) lines.push(`- requested lifetime: ${l.requestedLifetimeSeconds} s; issued: ${l.issuedLifetimeSeconds ?? '?'} s`);
  if (l.kubeletRefresh) lines.push(`- kubelet refresh: after ${new Date(l.kubeletRefresh.earliestMs).toLocaleString()} … ${new Date(l.kubeletRefresh.latestMs).toLocaleString()} (${esc(l.kubeletRefresh.why)})`);
  for (const note of l.notes) lines.push(`- ${esc(note)}`);
  if (r.verification) {
    const v = r.verification.result;
    lines.push('', '## Signature', '', v.ok ? `**Verified** against ${esc(r.verification.against)}${v.kid ? ` (kid ${esc(v.kid)})` : ''}.` : `**Not verified** against ${esc(r.verification.against)}: ${esc(v.reason)}`);
  }
  lines.push('', '_The token value is not shown here. Use “Copy Token” on the tree item to copy it._', '');
  return lines.join('\n');
}

/** Read-only documents kube-token-lens-token:/<id>.md holding token reports (in memory only). */
export class TokenReports implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, Report>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private next = 1;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(TOKEN_REPORT_SCHEME, this);

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

  dispose(): void {
    this.reports.clear();
    this.changed.dispose();
    this.registration.dispose();
  }
}
