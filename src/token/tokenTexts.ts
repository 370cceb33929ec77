/**
 * The words every view uses for a decoded token: which expiries it has (named by EXPIRY_NAMES), its
 * claims as rows, its lifetime in one line. The tree, its hovers, the token report and the CLI all
 * read these, so a time is called the same thing, in the same units and zone, everywhere. Pure: now
 * and the time zone are parameters (no zone means the runtime's own).
 */
import { VALIDITY_TEXT, type ClaimsView, type TimeClaim } from './claims';
import { EXPIRY_NAMES, expiryRelative, TOKEN_DOCS_URL, type ExpiryKind } from './expiries';
import { formatDuration, formatLocalDateTime, relativeTime } from './format';
import { refreshStateText } from './kubeletRefresh';

export interface TextOptions {
  /** The TokenRequest's status.expirationTimestamp when known (read from the kubelet's files, or minted). */
  statusExpirationMs?: number;
  timeZone?: string;
}

export interface ExpiryLine {
  kind: ExpiryKind;
  ms: number;
  /** "Kubelet expiry in 51 min". */
  relative: string;
  /** "2026-12-02 15:51:00 GMT+1". */
  at: string;
}

/** A kubelet (status) expiry this close to the JWT expiry is the same instant for the reader. */
const SAME_INSTANT_MS = 1000;

/**
 * The token's expiries, the one driving the kubelet's refresh first: for a kube-api-access token both
 * the kubelet's ≈1 h and the JWT's year; for a token whose kubelet expiry is its JWT expiry, only that.
 */
export function tokenExpiries(view: ClaimsView, nowMs: number, opts: TextOptions = {}): ExpiryLine[] {
  const line = (kind: ExpiryKind, ms: number): ExpiryLine => ({ kind, ms, relative: expiryRelative(kind, ms, nowMs), at: formatLocalDateTime(ms, opts.timeZone) });
  const lines: ExpiryLine[] = [];
  const status = opts.statusExpirationMs ?? view.lifetime.kubeletRefresh?.statusExpirationMs;
  const exp = view.exp?.ms;
  if (status !== undefined && Number.isFinite(status) && (exp === undefined || Math.abs(status - exp) > SAME_INSTANT_MS)) lines.push(line('statusExpiry', status));
  if (exp !== undefined) lines.push(line('jwtExp', exp));
  const warn = view.kubernetes?.warnafter;
  if (warn) lines.push(line('warnAfter', warn.ms));
  return lines;
}

/** The short form for a tree row's description: "Kubelet expiry in 51 min · JWT expiry in 364 d", or "never expires". */
export function expirySummary(view: ClaimsView, nowMs: number, opts: TextOptions = {}): string {
  if (view.lifetime.neverExpires) return 'never expires (no JWT expiry)';
  const parts = tokenExpiries(view, nowMs, opts)
    .filter((l) => l.kind !== 'warnAfter')
    .map((l) => l.relative);
  if (view.lifetime.validity !== 'valid') parts.unshift(VALIDITY_TEXT[view.lifetime.validity]);
  return parts.join(' · ');
}

/** The kubelet refresh in a few words for a row: "refresh in 38 min", "refresh now", "refresh overdue". */
export function refreshShort(view: ClaimsView, nowMs: number): string | undefined {
  const r = view.lifetime.kubeletRefresh;
  if (!r) return undefined;
  if (r.state === 'due') return 'refresh overdue';
  if (r.state === 'inWindow') return 'refresh now';
  return `refresh ${relativeTime(r.earliestMs, nowMs)}`;
}

/** Hover / report lines: each expiry with its time and what it means, then the findings. Plain text. */
export function lifetimeLines(view: ClaimsView, nowMs: number, opts: TextOptions = {}): string[] {
  // The notes already carry the kubelet's refresh (its summary), in the same words.
  const lines = tokenExpiries(view, nowMs, opts).map((l) => `${l.relative} (${l.at}): ${EXPIRY_NAMES[l.kind].explain}`);
  return [...lines, ...view.lifetime.notes];
}

export interface ClaimRow {
  label: string;
  value: string;
  icon?: string;
  tooltip?: string;
}

/** The lifetime analysis, then the registered and kubernetes.io claims, as label/value rows. */
export function claimRows(view: ClaimsView, nowMs: number, opts: TextOptions = {}): ClaimRow[] {
  const rows: ClaimRow[] = [];
  const add = (label: string, value: string | undefined, icon?: string, tooltip?: string): void => {
    if (value === undefined || value === '') return;
    rows.push({ label, value, ...(icon ? { icon } : {}), ...(tooltip ? { tooltip } : {}) });
  };
  const time = (t: TimeClaim | undefined): string | undefined => (t ? `${formatLocalDateTime(t.ms, opts.timeZone)} (${t.relative})` : undefined);
  const l = view.lifetime;
  const ok = l.validity === 'valid' && !l.neverExpires;
  add('validity', l.neverExpires ? 'never expires' : VALIDITY_TEXT[l.validity], ok ? 'pass' : 'warning', [...l.notes, `More: ${TOKEN_DOCS_URL}`].join('\n'));
  for (const e of tokenExpiries(view, nowMs, opts)) {
    add(EXPIRY_NAMES[e.kind].label, `${relativeTime(e.ms, nowMs)} (${e.at})`, e.kind === 'jwtExp' ? 'watch' : e.kind === 'statusExpiry' ? 'sync' : 'bell', EXPIRY_NAMES[e.kind].explain);
  }
  if (l.requestedLifetimeSeconds !== undefined) {
    const issued = l.issuedLifetimeSeconds;
    const value = issued !== undefined && issued !== l.requestedLifetimeSeconds ? `requested ${formatDuration(l.requestedLifetimeSeconds)}, JWT valid for ${formatDuration(issued)}` : formatDuration(l.requestedLifetimeSeconds);
    const tooltip = l.extended
      ? `The kubelet asked for ${formatDuration(l.extended.requestedSeconds)}; the API server made the JWT valid for ${formatDuration(l.extended.extendedSeconds)} so that old clients keep working, and records late uses. The kubelet still refreshes it at about 80 % of ${formatDuration(l.extended.requestedSeconds)}.`
      : undefined;
    add('lifetime', value, 'history', tooltip);
  }
  if (l.kubeletRefresh) add('kubelet refresh', `${refreshStateText(l.kubeletRefresh, nowMs)} (by ${formatLocalDateTime(l.kubeletRefresh.latestMs, opts.timeZone)})`, 'sync', l.kubeletRefresh.why);
  add('iss', view.iss, 'symbol-key');
  add('sub', view.sub, 'symbol-key');
  add('aud', view.aud.join(', '), 'symbol-key');
  add('iat', time(view.iat), 'symbol-key');
  add('nbf', time(view.nbf), 'symbol-key');
  add('exp', time(view.exp), 'symbol-key', EXPIRY_NAMES.jwtExp.explain);
  add('jti', view.jti, 'symbol-key');
  const k = view.kubernetes;
  if (k) {
    add('kubernetes.io/namespace', k.namespace, 'symbol-field');
    add('kubernetes.io/serviceaccount', k.serviceaccount ? `${k.serviceaccount.name ?? '?'} (${k.serviceaccount.uid ?? '?'})` : undefined, 'symbol-field');
    add('kubernetes.io/pod', k.pod ? `${k.pod.name ?? '?'} (${k.pod.uid ?? '?'})` : undefined, 'symbol-field');
    add('kubernetes.io/node', k.node ? `${k.node.name ?? '?'}${k.node.uid ? ` (${k.node.uid})` : ''}` : undefined, 'symbol-field');
    add('kubernetes.io/secret', k.secret ? `${k.secret.name ?? '?'} (${k.secret.uid ?? '?'})` : undefined, 'symbol-field');
    add('kubernetes.io/warnafter', time(k.warnafter), 'symbol-field', EXPIRY_NAMES.warnAfter.explain);
  }
  return rows;
}
