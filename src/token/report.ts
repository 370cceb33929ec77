/**
 * A token as a Markdown report: header, claims (times in the reader's time zone), lifetime and the
 * kubelet's refresh window, and the verification result. It never contains the token itself, so the
 * report can be shown, copied or shared without leaking the credential.
 */
import type { DecodedJwt } from './decode';
import { analyzeClaims, VALIDITY_TEXT } from './claims';
import { TOKEN_DOCS_URL } from './expiries';
import { formatDuration, formatLocalDateTime } from './format';
import { lifetimeLines } from './tokenTexts';
import type { VerifyResult } from './verify';

export interface TokenReport {
  title: string;
  decoded: DecodedJwt;
  /** The TokenRequest's status.expirationTimestamp when known: the kubelet's expiry. */
  statusExpirationMs?: number;
  verification?: { against: string; result: VerifyResult };
}

/** Escapes what Markdown would otherwise read as formatting, links or HTML (claims are untrusted input). */
const esc = (s: string): string => s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);

/** Markdown about a token: header, claims with times in the user's zone, lifetime, verification. Never the token itself. */
export function tokenReportMarkdown(r: TokenReport, now: number, timeZone?: string): string {
  const view = analyzeClaims(r.decoded.payload, now, timeZone);
  const t = (x: { ms: number; relative: string } | undefined): string => (x ? `${formatLocalDateTime(x.ms, timeZone)} (${x.relative})` : '–');
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
    `- validity for the API server (which allows 60 s of clock skew): **${l.neverExpires ? 'never expires' : VALIDITY_TEXT[l.validity]}**`,
  ];
  if (l.requestedLifetimeSeconds !== undefined) {
    const issued = l.issuedLifetimeSeconds;
    lines.push(`- requested lifetime: ${formatDuration(l.requestedLifetimeSeconds)}${issued !== undefined && issued !== l.requestedLifetimeSeconds ? `; the JWT is valid for ${formatDuration(issued)}` : ''}`);
  }
  const opts = { ...(r.statusExpirationMs !== undefined ? { statusExpirationMs: r.statusExpirationMs } : {}), ...(timeZone !== undefined ? { timeZone } : {}) };
  for (const line of lifetimeLines(view, now, opts)) lines.push(`- ${esc(line)}`);
  lines.push('', `More about service-account tokens: <${TOKEN_DOCS_URL}>`);
  if (r.verification) {
    const v = r.verification.result;
    lines.push('', '## Signature', '', v.ok ? `**Verified** against ${esc(r.verification.against)}${v.kid ? ` (kid ${esc(v.kid)})` : ''}.` : `**Not verified** against ${esc(r.verification.against)}: ${esc(v.reason)}`);
  }
  lines.push('', '_The token value is not shown here. Use “Copy Token” on the tree item to copy it._', '');
  return lines.join('\n');
}

