/**
 * When the kubelet would refresh a token it requested with a given lifetime (SPEC A.5), as a view
 * for the token panels. The rule itself lives in the kubelet model (src/sim/kubelet/tokenManager.ts):
 * this file only phrases its answer relative to now, in words a Kubernetes user reads (the model's own
 * `why` carries SPEC references for traces and stays there).
 */
import { MAX_DRAWN_JITTER_SECONDS, refreshWindow } from '../sim/kubelet/tokenManager';
import { formatDuration, formatDurationShort, formatLocalDateTime, relativeTime } from './format';

export type KubeletRefreshState = 'notYet' | 'inWindow' | 'due';

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
  /** The rule in plain words (no internal references): shown in hovers and reports. */
  why: string;
  /** Relative to now: before the window, inside it, or past it (refreshes at the next pod sync). Machine value. */
  state: KubeletRefreshState;
  /** One sentence: when, by which rule, and where now stands. */
  summary: string;
}

/** The refresh rule in words: "once 80 % of its 1 h 7 s lifetime has passed (48 min 6 s after issue), up to 9 s earlier at random". */
export function refreshRuleText(requestedSeconds: number, rule: '80%' | '24h', offsetSeconds: number): string {
  const jitter = `up to ${MAX_DRAWN_JITTER_SECONDS} s earlier at random`;
  return rule === '80%'
    ? `the kubelet refreshes it once 80 % of its ${formatDuration(requestedSeconds)} lifetime has passed (${formatDuration(offsetSeconds)} after issue), ${jitter}`
    : `the kubelet refreshes it once it is older than 24 h, ${jitter} (for lifetimes over 30 h the 24 h limit comes before 80 %)`;
}

/** Where now stands against the refresh window, in words: "in 38 min", "now", "overdue: at the next pod sync …". */
export function refreshStateText(view: Pick<KubeletRefreshView, 'state' | 'earliestMs' | 'latestMs'>, nowMs: number): string {
  switch (view.state) {
    case 'due':
      return `overdue by ${formatDurationShort((nowMs - view.latestMs) / 1000)}: a running kubelet refreshes it at its next pod sync (every 60–90 s)`;
    case 'inWindow':
      return 'now: the kubelet may refresh it at any check';
    case 'notYet':
      return relativeTime(view.earliestMs, nowMs);
  }
}

export function kubeletRefreshFor(requestedSeconds: number, issuedAtMs: number, nowMs: number, timeZone?: string): KubeletRefreshView {
  const es = Math.floor(requestedSeconds);
  const statusExpirationMs = issuedAtMs + es * 1000;
  const w = refreshWindow(es, statusExpirationMs);
  if (w.thresholdRule === 'never') throw new Error('unreachable: expirationSeconds is set');
  const { earliest: earliestMs, latest: latestMs } = w;
  const rule = w.thresholdRule;
  const state: KubeletRefreshState = nowMs > latestMs ? 'due' : nowMs > earliestMs ? 'inWindow' : 'notYet';
  const why = refreshRuleText(es, rule, (latestMs - issuedAtMs) / 1000);
  const when = refreshStateText({ state, earliestMs, latestMs }, nowMs);
  return {
    requestedSeconds: es,
    statusExpirationMs,
    earliestMs,
    latestMs,
    rule,
    why,
    state,
    summary: `Kubelet refresh at ${formatLocalDateTime(latestMs, timeZone)} (${when}): ${why}`,
  };
}
