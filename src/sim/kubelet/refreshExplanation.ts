/**
 * `explain-refresh`: when the kubelet refreshes a token with a given expirationSeconds, and why
 * (SPEC A.5). The instants come from the engine's own refreshWindow() so that this text and the
 * simulation can never disagree; the arithmetic shown alongside spells out how they arise.
 */
import { refreshWindow, type KubeletVersion } from './tokenManager';
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';
import { formatDateTime as iso } from '../units/datetime';
import { formatDuration } from '../units/duration';

export type { KubeletVersion };

export interface ExplainInput {
  /** expirationSeconds of the projected token / TokenRequest. */
  ttl: number;
  /** Issue time, epoch ms; without it, instants are offsets from issue. */
  issued?: number;
  version: KubeletVersion;
}

export interface Explanation {
  /** Offsets from issue, seconds: refresh strictly after earliest (jitter 9 s) … latest (jitter 0). */
  earliestOffsetSeconds: number;
  latestOffsetSeconds: number;
  thresholdRule: '80%' | '24h';
  text: string;
}

export type ExplainResult = { ok: true; explanation: Explanation } | { ok: false; error: string };

const DAY_S = 86_400;

export function explainRefresh(input: ExplainInput): ExplainResult {
  const { ttl, version } = input;
  if (ttl < MIN_EXPIRATION_SECONDS) {
    return {
      ok: false,
      error:
        `the API server rejects this request (SPEC D.1): spec.expirationSeconds: Invalid value: ${ttl}: ` +
        'may not specify a duration less than 10 minutes',
    };
  }
  if (ttl > MAX_EXPIRATION_SECONDS) {
    return {
      ok: false,
      error:
        `the API server rejects this request (SPEC D.1): spec.expirationSeconds: Invalid value: ${ttl}: ` +
        'may not specify a duration larger than 2^32 seconds',
    };
  }
  const jittered = version !== '1.19';
  // Anchor at the real issue time when given, else at 0 so that instants read as offsets.
  const iatMs = input.issued ?? 0;
  // Before 1.20 there is no jitter (SPEC A.9): the engine collapses the window to its jitter-0 end.
  const w = refreshWindow(ttl, iatMs + ttl * 1000, version);
  if (w.thresholdRule === 'never') return { ok: false, error: 'the kubelet never refreshes this token' };
  const latestS = (w.latest - iatMs) / 1000;
  const earliestS = (w.earliest - iatMs) / 1000;

  const twenty = Math.floor((ttl * 20) / 100);
  const eighty = ttl - twenty;
  const by80 = eighty < DAY_S;
  const lines: string[] = [];
  const at = (s: number): string => `iat+${s} s (${formatDuration(s * 1000)})`;
  lines.push(`Token with expirationSeconds ${ttl} (${formatDuration(ttl * 1000)}), kubelet ${version} rules (SPEC A.5${jittered ? '' : ', A.9'}):`);
  lines.push('');
  lines.push('At every check the kubelet refreshes its cached token if');
  lines.push(`  now > exp − floor(ES·20/100) s${jittered ? ' − jitter' : ''}   (the last 20 % of the lifetime), or`);
  lines.push(`  now > iat + 24h${jittered ? ' − jitter' : ''}                   (older than 24 h),`);
  lines.push('where exp is the TokenRequest status.expirationTimestamp (not the JWT\'s exp claim), iat = exp − ES,');
  lines.push(
    jittered
      ? 'jitter = trunc(U·10) s, a whole number of seconds in 0..9 drawn afresh on every check, and ">" is strict:'
      : 'no jitter before kubelet 1.20, and ">" is strict:',
  );
  lines.push('at exactly the threshold it does not refresh yet.');
  lines.push('');
  lines.push(`  floor(${ttl}·20/100) = ${twenty} s, so the 80 % rule fires after iat + ${ttl} − ${twenty} = ${at(eighty)}`);
  lines.push(`  the 24 h rule fires after ${at(DAY_S)}`);
  lines.push(
    by80
      ? `  → the 80 % rule comes first (it does whenever ES < 30 h).`
      : eighty === DAY_S
        ? '  → both rules give the same instant.'
        : `  → the 24 h rule comes first (ES > 30 h).`,
  );
  lines.push('');
  if (jittered) {
    lines.push(`Refresh window: strictly after ${at(earliestS)} with jitter 9 s … strictly after ${at(latestS)} with jitter 0.`);
  } else {
    lines.push(`Refresh: strictly after ${at(latestS)}.`);
  }
  if (input.issued !== undefined) {
    lines.push(
      jittered
        ? `Issued ${iso(iatMs)}: refresh strictly after ${iso(iatMs + earliestS * 1000)} … ${iso(iatMs + latestS * 1000)}; the token expires ${iso(iatMs + ttl * 1000)}.`
        : `Issued ${iso(iatMs)}: refresh strictly after ${iso(iatMs + latestS * 1000)}; the token expires ${iso(iatMs + ttl * 1000)}.`,
    );
  }
  lines.push(
    'The check only runs when the pod syncs (every syncFrequency × [1, 1.5), 60–90 s by default), so the new token',
  );
  lines.push('reaches the file at the first sync after the threshold; if that TokenRequest fails the old token is kept while it is valid.');
  if (ttl === 3607) {
    lines.push('');
    lines.push('Note (kube-api-access, SPEC A.8, D.1): for a pod-bound 3607 s request whose audiences are all the API server\'s,');
    lines.push('with --service-account-extend-token-expiration (default true) the API server signs a JWT valid for one year');
    lines.push('(exp = iat + 365 d, kubernetes.io.warnafter = iat + 3607) but reports status.expirationTimestamp = iat + 3607 s,');
    lines.push('so the kubelet still refreshes at ≈48 min as above. A max-token-expiration below 3607 s disables the extension.');
  }
  return {
    ok: true,
    explanation: {
      earliestOffsetSeconds: earliestS,
      latestOffsetSeconds: latestS,
      thresholdRule: w.thresholdRule,
      text: `${lines.join('\n')}\n`,
    },
  };
}
