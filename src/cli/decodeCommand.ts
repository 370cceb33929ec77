/**
 * `kube-token-lens decode [token|-] [--jwks file|url] [--issuer I] [--audience A] [--json]`: decodes a
 * service-account token, explains its claims and lifetime (human times in the machine's local zone,
 * with the zone, and relative; --json keeps RFC 3339 UTC), and with --jwks verifies it. Exit 0 when decoded (and verified, if asked), 1 when malformed or not verified,
 * 2 for usage errors.
 */
import { parseArgs, stringFlag, UsageError } from './args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from './io';
import { decodeJwt } from '../token/decode';
import { analyzeClaims, VALIDITY_TEXT, type ClaimsView, type ObjectRef, type TimeClaim } from '../token/claims';
import { verifyJwt, type VerifyResult } from '../token/verify';
import { EXPIRY_NAMES, TOKEN_DOCS_URL } from '../token/expiries';
import { formatDuration, formatLocalDateTime } from '../token/format';
import { tokenExpiries } from '../token/tokenTexts';
import { refreshStateText } from '../token/kubeletRefresh';

/** What decode needs beyond the shared CliIO. */
export interface DecodeIO extends CliIO {
  /** GET a URL as text (for --jwks https://…); default: global fetch. */
  fetchText?(url: string): Promise<string>;
  /** The time zone of human times (default: the machine's); tests pin it. */
  timeZone?: string;
}

export const DECODE_USAGE = `Usage: kube-token-lens decode [token|-] [--jwks FILE|URL] [--issuer ISS] [--audience AUD] [--json]

Decodes a Kubernetes service-account token (a JWT) and explains it: claims, times in this machine's time
zone and relative to now (--json: RFC 3339 UTC), the lifetime the requester asked for, the API server's 60 s leeway, and when the kubelet would
refresh it. With no token or "-", reads the token from standard input (safer than the command line).
A "Bearer " prefix and surrounding whitespace are ignored.

  --jwks FILE|URL  verify the signature with this JSON Web Key Set (e.g. saved from /openid/v1/jwks)
  --issuer ISS     with --jwks: also require this issuer
  --audience AUD   with --jwks: also require this audience
  --json           print the analysis as JSON

Exit status: 0 decoded (and verified, with --jwks); 1 malformed or not verified; 2 usage error.
`;

const FLAGS = { jwks: 'string', issuer: 'string', audience: 'string', json: 'boolean', help: 'boolean' } as const;

function timeText(t: TimeClaim | undefined, timeZone: string | undefined): string {
  return t ? `${formatLocalDateTime(t.ms, timeZone)}  (${t.relative})` : '-';
}

function ref(r: ObjectRef | undefined): string {
  if (!r) return '-';
  return `${r.name ?? '?'}${r.uid ? `  (uid ${r.uid})` : ''}`;
}

function table(rows: Array<[string, string]>, indent = '  '): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`).join('\n');
}

const KIND_TEXT: Record<ClaimsView['kind'], string> = {
  bound: 'bound service-account token (TokenRequest)',
  legacySecret: 'legacy Secret-based service-account token',
  other: 'not a Kubernetes service-account token',
};

function human(header: Record<string, unknown>, view: ClaimsView, verification: VerifyResult | undefined, now: number, timeZone: string | undefined): string {
  const time = (t: TimeClaim | undefined): string => timeText(t, timeZone);
  const out: string[] = [];
  out.push('Header');
  out.push(table(Object.entries(header).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
  out.push('');
  out.push('Claims');
  const rows: Array<[string, string]> = [
    ['iss', view.iss ?? '-'],
    ['sub', view.sub ? `${view.sub}${view.serviceAccount ? `  (service account ${view.serviceAccount.namespace}/${view.serviceAccount.name})` : ''}` : '-'],
    ['aud', view.aud.length ? view.aud.join(', ') : '-'],
    ['iat', time(view.iat)],
    ['nbf', time(view.nbf)],
    ['exp', time(view.exp)],
  ];
  if (view.jti) rows.push(['jti', view.jti]);
  out.push(table(rows));
  const k = view.kubernetes;
  if (k) {
    out.push('  kubernetes.io');
    const krows: Array<[string, string]> = [];
    if (k.namespace) krows.push(['namespace', k.namespace]);
    if (k.serviceaccount) krows.push(['serviceaccount', ref(k.serviceaccount)]);
    if (k.pod) krows.push(['pod', ref(k.pod)]);
    if (k.node) krows.push(['node', ref(k.node)]);
    if (k.secret) krows.push(['secret', ref(k.secret)]);
    if (k.warnafter) krows.push(['warnafter', time(k.warnafter)]);
    out.push(table(krows, '    '));
  }
  if (view.legacy) {
    out.push('  legacy claims (kubernetes.io/serviceaccount/…)');
    out.push(
      table(
        [
          ['namespace', view.legacy.namespace ?? '-'],
          ['secret.name', view.legacy.secretName ?? '-'],
          ['service-account.name', view.legacy.serviceAccountName ?? '-'],
          ['service-account.uid', view.legacy.serviceAccountUid ?? '-'],
        ],
        '    ',
      ),
    );
  }
  if (view.otherClaims.length) out.push(`  other claims: ${view.otherClaims.join(', ')}`);
  out.push('');
  out.push('Lifetime');
  const l = view.lifetime;
  const lrows: Array<[string, string]> = [
    ['kind', KIND_TEXT[view.kind]],
    ['validity', l.validity === 'valid' ? 'valid (times only; 60 s leeway)' : VALIDITY_TEXT[l.validity]],
  ];
  if (l.issuedLifetimeSeconds !== undefined) lrows.push(['issued for', `${formatDuration(l.issuedLifetimeSeconds)} (exp − iat)`]);
  if (l.requestedLifetimeSeconds !== undefined && l.requestedLifetimeSeconds !== l.issuedLifetimeSeconds) lrows.push(['requested', formatDuration(l.requestedLifetimeSeconds)]);
  // Every time says which expiry it is (the same names as the editor's views).
  for (const e of tokenExpiries(view, now, timeZone !== undefined ? { timeZone } : {})) lrows.push([EXPIRY_NAMES[e.kind].label.toLowerCase(), `${e.at}  (${e.relative})`]);
  if (l.neverExpires) lrows.push(['expires', 'never (no exp claim)']);
  if (l.kubeletRefresh) {
    const r = l.kubeletRefresh;
    lrows.push(['kubelet refresh', `${formatLocalDateTime(r.earliestMs, timeZone)} … ${formatLocalDateTime(r.latestMs, timeZone)}  (${refreshStateText(r, now)})`]);
  }
  out.push(table(lrows));
  for (const n of l.notes) out.push(`  - ${n}`);
  out.push(`  More: ${TOKEN_DOCS_URL}`);
  if (verification) {
    out.push('');
    out.push('Verification');
    out.push(verification.ok ? `  OK: signature verified${verification.kid ? ` with kid ${verification.kid}` : ''}; times accepted (60 s leeway)` : `  FAILED: ${verification.reason}`);
  }
  return `${out.join('\n')}\n`;
}

/** How long `--jwks <url>` waits for the issuer's keys. */
export const JWKS_TIMEOUT_MS = 10_000;

/** GET `url` as text; an endpoint that never answers fails after `timeoutMs` instead of hanging the command. */
export async function fetchText(url: string, timeoutMs = JWKS_TIMEOUT_MS): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch((e: unknown) => {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) throw new Error(`no answer within ${timeoutMs / 1000} s`);
    throw e;
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return res.text();
}

async function readJwks(io: DecodeIO, source: string): Promise<unknown> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    text = await (io.fetchText ?? fetchText)(source);
  } else {
    text = await io.readFile(source);
  }
  const parsed = JSON.parse(text) as unknown;
  return parsed;
}

export async function decodeCommand(args: string[], io: DecodeIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, FLAGS);
    if (parsed.positionals.length > 1) throw new UsageError(`expected at most one token, got ${parsed.positionals.length} arguments`);
    if (!parsed.flags.has('jwks') && (parsed.flags.has('issuer') || parsed.flags.has('audience'))) throw new UsageError('--issuer and --audience need --jwks');
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`kube-token-lens decode: ${err.message}\n\n${DECODE_USAGE}`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (parsed.flags.has('help')) {
    io.stdout(DECODE_USAGE);
    return EXIT_OK;
  }
  const arg = parsed.positionals[0] ?? '-';
  let text: string;
  try {
    text = arg === '-' ? await io.readStdin() : arg;
  } catch (err) {
    io.stderr(`kube-token-lens decode: cannot read the token from standard input: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
  const decoded = decodeJwt(text);
  if (!decoded.ok) {
    io.stderr(`kube-token-lens decode: malformed token (${decoded.where}): ${decoded.error}\n`);
    return EXIT_FAILURE;
  }
  const now = io.now();
  const view = analyzeClaims(decoded.payload, now, io.timeZone);
  let verification: VerifyResult | undefined;
  const jwksSource = stringFlag(parsed, 'jwks');
  if (jwksSource !== undefined) {
    let jwks: unknown;
    try {
      jwks = await readJwks(io, jwksSource);
    } catch (err) {
      io.stderr(`kube-token-lens decode: cannot read the JWKS ${jwksSource}: ${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT_FAILURE;
    }
    const issuer = stringFlag(parsed, 'issuer');
    const audience = stringFlag(parsed, 'audience');
    verification = await verifyJwt(decoded.token, jwks, { nowMs: now, ...(issuer !== undefined ? { issuer } : {}), ...(audience !== undefined ? { audience } : {}) });
  }
  if (parsed.flags.has('json')) {
    const out: Record<string, unknown> = { header: decoded.header, payload: decoded.payload, analysis: view };
    if (verification) out.verification = verification.ok ? { ok: true, kid: verification.kid ?? null } : { ok: false, kind: verification.kind, reason: verification.reason };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout(human(decoded.header, view, verification, now, io.timeZone));
  }
  if (verification && !verification.ok) {
    io.stderr(`kube-token-lens decode: verification failed: ${verification.reason}\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}
