/**
 * Explain Refresh Timing as a Markdown report a user reads beside their work (not a modal): when the
 * kubelet refreshes a projected token of a given lifetime, in plain words, with the refresh window in
 * local time. The instants come from the kubelet model's own refreshWindow (via explainRefresh), so
 * the report and the simulation cannot disagree. Pure: the time zone and "now" are parameters.
 */
import { explainRefresh, type KubeletVersion } from '../sim/kubelet/refreshExplanation';
import { KUBELET_DEFAULTS } from '../sim/kubelet/section';
import { EXPIRY_NAMES } from '../token/expiries';
import { formatDuration, formatLocalDateTime } from '../token/format';

/** The lifetime the API server gives kube-api-access tokens a year-long JWT for (SPEC A.8, D.1). */
const KUBE_API_ACCESS_SECONDS = 3607;

export type RefreshReport = { ok: true; title: string; markdown: string } | { ok: false; error: string };

/**
 * The report for a token of `ttl` seconds issued at `issuedMs` (the real issue time when known, else
 * "now": a token requested now). `timeZone` undefined = the runtime's own zone.
 */
export function refreshReport(o: { ttl: number; issuedMs: number; issuedIsNow: boolean; timeZone?: string; version?: KubeletVersion }): RefreshReport {
  const version = o.version ?? KUBELET_DEFAULTS.version;
  const result = explainRefresh({ ttl: o.ttl, issued: o.issuedMs, version });
  if (!result.ok) {
    // The model's message cites the spec; say the same in plain words here.
    return { ok: false, error: /never/.test(result.error) ? 'The kubelet never refreshes a token without a lifetime.' : `The API server rejects a lifetime of ${o.ttl} s: it must be between 10 minutes and about 136 years (2^32 seconds).` };
  }
  const e = result.explanation;
  const local = (offsetSeconds: number): string => formatLocalDateTime(o.issuedMs + offsetSeconds * 1000, o.timeZone);
  const life = formatDuration(o.ttl);
  const jittered = e.earliestOffsetSeconds !== e.latestOffsetSeconds;
  const when = o.issuedIsNow ? `If the token is issued now (${local(0)})` : `The token was issued ${local(0)}`;
  const lines = [
    `# Kubelet refresh of a ${life} token`,
    '',
    `A projected service-account token with \`expirationSeconds: ${o.ttl}\` (${life}), kubelet ${version} rules.`,
    '',
    '## When it is refreshed',
    '',
    e.thresholdRule === '80%'
      ? `The kubelet asks for a new token once **80 % of the lifetime** has passed: after **${formatDuration(e.latestOffsetSeconds)}**.`
      : `The kubelet asks for a new token once it is **24 hours old** (that comes before 80 % of a lifetime over 30 h): after **${formatDuration(e.latestOffsetSeconds)}**.`,
    jittered
      ? `Each check subtracts a random 0–9 s, so the refresh falls between ${formatDuration(e.earliestOffsetSeconds)} and ${formatDuration(e.latestOffsetSeconds)} after issue.`
      : 'Kubelets before 1.20 add no random delay.',
    '',
    `${when}:`,
    '',
    `- **Refresh window:** ${jittered ? `${local(e.earliestOffsetSeconds)} – ${local(e.latestOffsetSeconds)}` : local(e.latestOffsetSeconds)}`,
    `- **${EXPIRY_NAMES.statusExpiry.label}:** ${local(o.ttl)} (${life} after issue)`,
    '',
    'The kubelet checks only when it syncs the pod (every 60–90 s by default), so the new token reaches the',
    'file at the first sync after the window. If that request fails, the pod keeps the old token while it is still valid,',
    'and the kubelet tries again at the next sync.',
  ];
  if (o.ttl === KUBE_API_ACCESS_SECONDS) {
    lines.push(
      '',
      '## kube-api-access tokens',
      '',
      `A ${life} lifetime is what the default \`kube-api-access-*\` volume asks for. With the API server's default`,
      'settings its JWT is valid for a year, but the kubelet is told the short expiry above and refreshes on that schedule.',
      `${EXPIRY_NAMES.statusExpiry.explain}`,
    );
  }
  return { ok: true, title: `Refresh timing of a ${life} token`, markdown: `${lines.join('\n')}\n` };
}
