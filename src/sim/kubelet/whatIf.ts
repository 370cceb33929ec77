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

/** Ids of the per-source lifetime fields: this prefix and the source's path. */
export const SOURCE_LIFETIME_PREFIX = 'expirationSeconds:';
/** At most this many token sources get a field of their own (a scenario may mount more). */
export const MAX_SOURCE_FIELDS = 20;
/** Paths longer than this get no field (field ids travel to the webview, bounded). */
const MAX_FIELD_PATH = 200;

/**
 * The token sources the form edits one by one: the distinct paths (e.g. "kube-api-access/token",
 * "vault/token") in the order the pods list them. Empty when there is at most one: then the single
 * "Token lifetime" field is unambiguous.
 */
export function tokenSourcePaths(slice: KubeletWhatIfSlice): string[] {
  const paths: string[] = [];
  for (const pod of slice.pods) for (const t of pod.tokens) if (!paths.includes(t.path) && t.path.length <= MAX_FIELD_PATH) paths.push(t.path);
  return paths.length > 1 ? paths.slice(0, MAX_SOURCE_FIELDS) : [];
}

/** The lifetime a source's field shows: its first token's, an unset one counting as the API server's default. */
function sourceLifetime(slice: KubeletWhatIfSlice, path: string): number {
  for (const pod of slice.pods) for (const t of pod.tokens) if (t.path === path) return t.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  return DEFAULT_EXPIRATION_SECONDS;
}

/** A source's name as users know it: the volume ("vault" of "vault/token"), or the whole path when volumes repeat. */
function sourceLabel(path: string, paths: readonly string[]): string {
  const volume = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : path;
  const clash = paths.some((p) => p !== path && (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : p) === volume);
  return clash ? path : volume;
}

function sourceLifetimeField(path: string, paths: readonly string[]): WhatIfField {
  const name = sourceLabel(path, paths);
  return {
    kind: 'integer',
    id: `${SOURCE_LIFETIME_PREFIX}${path}`,
    label: `${name} lifetime (s)`,
    section: SECTION,
    placeholder: `${MIN_EXPIRATION_SECONDS}…`,
    help: `The expirationSeconds of the ${name} token source (${path}) in every pod that mounts it; the other sources keep theirs.`,
    min: MIN_EXPIRATION_SECONDS,
    max: MAX_EXPIRATION_SECONDS,
  };
}

const SYNC_FIELD = KUBELET_WHAT_IF_FIELDS[0] as WhatIfField;

export const kubeletWhatIf: WhatIfSection<KubeletWhatIfSlice> = {
  fields: KUBELET_WHAT_IF_FIELDS,
  /** Several token sources: one lifetime field each, so a change reaches exactly the source the user set. */
  fieldsFor: (s): readonly WhatIfField[] => {
    const paths = tokenSourcePaths(s);
    return paths.length === 0 ? KUBELET_WHAT_IF_FIELDS : [SYNC_FIELD, ...paths.map((p) => sourceLifetimeField(p, paths))];
  },
  read: (s): WhatIfValues => {
    const paths = tokenSourcePaths(s);
    const syncFrequency = formatDuration(s.kubelet.syncFrequencyMs);
    if (paths.length === 0) return { syncFrequency, expirationSeconds: primaryLifetime(s) };
    return { syncFrequency, ...Object.fromEntries(paths.map((p) => [`${SOURCE_LIFETIME_PREFIX}${p}`, sourceLifetime(s, p)])) };
  },
  /**
   * A changed lifetime applies to every token source whose lifetime was the one the form showed:
   * with one field, the scenario's main token kind; with one field per source, that source's tokens
   * only. A source that leaves it unset counts as the API server's default; other sources keep theirs.
   * An unchanged lifetime changes nothing: an unset one stays unset, since setting it would change
   * the kubelet's cache key (SPEC A.2).
   */
  apply: (base, v): KubeletWhatIfSlice => {
    const perSource = !('expirationSeconds' in v);
    const shownAll = perSource ? 0 : primaryLifetime(base);
    const wanted = (t: TokenSource): { shown: number; lifetime: number } | undefined => {
      if (!perSource) return { shown: shownAll, lifetime: integerValue(v, 'expirationSeconds') };
      const id = `${SOURCE_LIFETIME_PREFIX}${t.path}`;
      return id in v ? { shown: sourceLifetime(base, t.path), lifetime: integerValue(v, id) } : undefined;
    };
    const next = (t: TokenSource): TokenSource => {
      const w = wanted(t);
      return w && w.lifetime !== w.shown && (t.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS) === w.shown ? { ...t, expirationSeconds: w.lifetime } : t;
    };
    return {
      kubelet: { ...base.kubelet, syncFrequencyMs: durationValue(v, 'syncFrequency') },
      pods: base.pods.map((pod) => ({ ...pod, tokens: pod.tokens.map(next) })),
    };
  },
};
