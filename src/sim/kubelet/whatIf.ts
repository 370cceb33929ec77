/**
 * The kubelet's what-if knobs: its sync frequency and the lifetime of the token the timeline follows.
 * Pure: the host and the format package's composer (scenario/whatIf.ts) use it; it never imports them.
 */
import { DEFAULT_EXPIRATION_SECONDS, MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from '../apiserver/tokenRequest';
import { formatDuration } from '../units/duration';
import { durationValue, integerValue, type WhatIfField, type WhatIfSection, type WhatIfValues } from '../whatIf';
import type { KubeletSpec, PodSpec, TokenSource } from './kubeletSpec';

/** The part of a scenario the kubelet's what-if reads and writes. */
export interface KubeletWhatIfSlice {
  kubelet: KubeletSpec;
  pods: PodSpec[];
}

const SECTION = 'Kubelet';

/** Bounds of --sync-frequency the form offers: 1 s … 1 d. */
export const SYNC_FREQUENCY_MIN_MS = 1_000;
export const SYNC_FREQUENCY_MAX_MS = 86_400_000;

export const KUBELET_WHAT_IF_FIELDS: readonly WhatIfField[] = [
  {
    kind: 'duration',
    id: 'syncFrequency',
    label: 'Sync frequency',
    section: SECTION,
    placeholder: 'e.g. 1m',
    help: "The kubelet's --sync-frequency: how often it re-syncs each pod and asks for a new token when one is due.",
    minMs: SYNC_FREQUENCY_MIN_MS,
    maxMs: SYNC_FREQUENCY_MAX_MS,
  },
  {
    kind: 'integer',
    id: 'expirationSeconds',
    label: 'Token lifetime (s)',
    section: SECTION,
    placeholder: `${MIN_EXPIRATION_SECONDS}…`,
    help: "The expirationSeconds of the projected token; every token source with the same lifetime changes with it (an unset one counts as the API server's default, 3600 s).",
    min: MIN_EXPIRATION_SECONDS,
    max: MAX_EXPIRATION_SECONDS,
  },
];

/** The lifetime the form edits: the first token source's, or the API server's default (3600 s). */
export function primaryLifetime(slice: KubeletWhatIfSlice): number {
  for (const pod of slice.pods) for (const t of pod.tokens) if (t.expirationSeconds !== undefined) return t.expirationSeconds;
  return DEFAULT_EXPIRATION_SECONDS;
}

export const kubeletWhatIf: WhatIfSection<KubeletWhatIfSlice> = {
  fields: KUBELET_WHAT_IF_FIELDS,
  read: (s): WhatIfValues => ({
    syncFrequency: formatDuration(s.kubelet.syncFrequencyMs),
    expirationSeconds: primaryLifetime(s),
  }),
  /**
   * A changed lifetime applies to every token source whose lifetime was the one the form showed (the
   * scenario's main token kind), counting a source that leaves it unset as the API server's default;
   * other sources keep theirs. An unchanged lifetime changes nothing: an unset one stays unset, since
   * setting it would change the kubelet's cache key (SPEC A.2).
   */
  apply: (base, v): KubeletWhatIfSlice => {
    const shown = primaryLifetime(base);
    const lifetime = integerValue(v, 'expirationSeconds');
    const changes = (t: TokenSource): boolean => lifetime !== shown && (t.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS) === shown;
    return {
      kubelet: { ...base.kubelet, syncFrequencyMs: durationValue(v, 'syncFrequency') },
      pods: base.pods.map((pod) => ({
        ...pod,
        tokens: pod.tokens.map((t) => (changes(t) ? { ...t, expirationSeconds: lifetime } : t)),
      })),
    };
  },
};
