/**
 * When the kubelet would refresh a token it requested with a given lifetime (SPEC A.5), as a view
 * for the token panels. The rule itself lives in the kubelet model (src/sim/kubelet/tokenManager.ts):
 * this file only phrases its answer relative to now.
 */
import { MAX_DRAWN_JITTER_SECONDS, refreshWindow } from '../sim/kubelet/tokenManager';
import { formatDuration, isoUtc, relativeTime } from './format';

export interface KubeletRefreshView {
  /** spec.expirationSeconds of the kubelet's request (3607 for kube-api-access). */
  requestedSeconds: number;
  /** status.expirationTimestamp the kubelet stores: request time (≈ iat) + requestedSeconds. */
  statusExpirationMs: number;
  /** Refresh strictly after this instant at the earliest (maximum jitter, 9 s). */
  earliestMs: number;
  /** … and at the latest strictly after this one (jitter 0). */
  latestMs: number;
  /** Which threshold applies: the last 20 % of the lifetime, or the 24 h age limit. */
  rule: '80%' | '24h';
  /** The rule in words, with its SPEC reference (from the kubelet model). */
  why: string;
  /** Relative to now: before the window, inside it, or past it (refreshes at the next pod sync). */
  state: 'notYet' | 'inWindow' | 'due';
  summary: string;
}

export function kubeletRefreshFor(requestedSeconds: number, issuedAtMs: number, nowMs: number): KubeletRefreshView {
  const es = Math.floor(requestedSeconds);
  const statusExpirationMs = issuedAtMs + es * 1000;
  const w = refreshWindow(es, statusExpirationMs);
  if (w.thresholdRule === 'never') throw new Error('unreachable: expirationSeconds is set');
  const { earliest: earliestMs, latest: latestMs } = w;
  const rule = w.thresholdRule;
  const state: KubeletRefreshView['state'] = nowMs > latestMs ? 'due' : nowMs > earliestMs ? 'inWindow' : 'notYet';
  const after = formatDuration((latestMs - issuedAtMs) / 1000);
  const why = rule === '80%' ? `last 20 % of ${es} s` : 'older than 24 h';
  let when: string;
  if (state === 'due') when = `due since ${relativeTime(latestMs, nowMs).replace(/ ago$/, '')}: refreshes at the next pod sync (every 60–90 s) if the kubelet is running`;
  else if (state === 'inWindow') when = 'inside the jitter window now';
  else when = relativeTime(earliestMs, nowMs);
  return {
    requestedSeconds: es,
    statusExpirationMs,
    earliestMs,
    latestMs,
    rule,
    why: w.why,
    state,
    summary: `kubelet refresh ${after} after issue (${why}, up to ${MAX_DRAWN_JITTER_SECONDS} s earlier by jitter), at ${isoUtc(latestMs)}: ${when}`,
  };
}
