/**
 * The what-if form of the timeline maps onto a scenario: read the form's values from a scenario,
 * and apply edited values to it. Pure, so the host's re-run is exactly "apply, then run".
 */
import type { WhatIfParams } from '../../protocol';
import { formatDuration, parseDuration } from '../units/duration';
import { REFRESHER_DEFAULTS as DEFAULTS } from '../refresher/section';
import type { RefresherSpec } from '../refresher/refresherSpec';
import type { Scenario } from './types';

function ms(text: string): number {
  const d = parseDuration(text);
  // Params reach here only after checkWhatIfParams, so a bad duration is a programming error.
  if (!d.ok) throw new Error(`what-if: ${d.error}`);
  return d.ms;
}

/** The lifetime the form edits: the first token source's (or the API server default, 3600 s). */
export function primaryLifetime(s: Scenario): number {
  for (const pod of s.pods) for (const t of pod.tokens) if (t.expirationSeconds !== undefined) return t.expirationSeconds;
  return 3600;
}

export function whatIfFromScenario(s: Scenario): WhatIfParams {
  return {
    horizon: formatDuration(s.horizonMs),
    seed: s.seed,
    syncFrequency: formatDuration(s.kubelet.syncFrequencyMs),
    expirationSeconds: primaryLifetime(s),
    outages: s.apiServer.outages.map((o) => ({ from: formatDuration(o.from), to: formatDuration(o.to) })),
    maxTokenExpiration: s.apiServer.maxTokenExpirationSeconds > 0 ? formatDuration(s.apiServer.maxTokenExpirationSeconds * 1000) : '',
    extendTokenExpiration: s.apiServer.extendTokenExpiration,
    refresher: s.refreshers.some((r) => r.kind === 'calico') ? 'calico' : 'none',
  };
}

/**
 * A copy of `base` with the form's values. The lifetime applies to every token source that had the
 * lifetime the form showed (the scenario's main token kind); other token sources keep theirs.
 */
export function applyWhatIf(base: Scenario, p: WhatIfParams): Scenario {
  const shownLifetime = primaryLifetime(base);
  const refreshers: RefresherSpec[] =
    p.refresher === 'calico'
      ? base.refreshers.some((r) => r.kind === 'calico')
        ? base.refreshers
        : [
            {
              kind: 'calico',
              name: 'calico-cni',
              namespace: DEFAULTS.calicoNamespace,
              serviceAccount: DEFAULTS.calicoServiceAccount,
              expirationSeconds: DEFAULTS.calicoExpirationSeconds,
            },
          ]
      : [];
  return {
    ...base,
    seed: p.seed,
    horizonMs: ms(p.horizon),
    kubelet: { ...base.kubelet, syncFrequencyMs: ms(p.syncFrequency) },
    apiServer: {
      ...base.apiServer,
      outages: p.outages.map((o) => ({ from: ms(o.from), to: ms(o.to) })),
      maxTokenExpirationSeconds: p.maxTokenExpiration === '' ? 0 : Math.trunc(ms(p.maxTokenExpiration) / 1000),
      extendTokenExpiration: p.extendTokenExpiration,
    },
    pods: base.pods.map((pod) => ({
      ...pod,
      tokens: pod.tokens.map((t) =>
        t.expirationSeconds === shownLifetime ? { ...t, expirationSeconds: p.expirationSeconds } : t,
      ),
    })),
    refreshers,
  };
}
