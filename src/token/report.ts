/**
 * A token as a Markdown report: header, claims (times in the reader's time zone), lifetime and the
 * kubelet's refresh window, and the verification result. It never contains the token itself, so the
 * report can be shown, copied or shared without leaking the credential.
 */
import type { DecodedJwt } from './decode';
import { analyzeClaims } from './claims';
import type { VerifyResult } from './verify';

export interface TokenReport {
  title: string;
  decoded: DecodedJwt;
  verification?: { against: string; result: VerifyResult };
}

/** Escapes what Markdown would otherwise read as formatting, links or HTML (claims are untrusted input). */
const esc = (s: string): string => s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);

/** Markdown about a token: header, claims with times in the user's zone, lifetime, verification. Never the token itself. */
export function tokenReportMarkdown(r: TokenReport, now: number): string {
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

