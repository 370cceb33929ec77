/**
 * The "why" the credential-provider trace carries, in the words a person debugging a node reads in
 * the timeline's details: which lookup served a pull, why a pull got no credentials, what a plugin
 * run was shared by, and what happens to a cache entry. Built once per distinct text where a long
 * run repeats them.
 */
import type { CacheEntryView, ProvideResult } from './pluginProvider';

/** "Registry 123.dkr.ecr.us-east-1.amazonaws.com", "Global", with "· shop/web" in service-account mode. */
export function cacheKeyLabel(entry: Pick<CacheEntryView, 'keyType' | 'baseKey' | 'serviceAccount'>): string {
  const base = entry.keyType === 'Global' ? 'Global' : `${entry.keyType} ${entry.baseKey}`;
  return entry.serviceAccount === undefined ? base : `${base} · ${entry.serviceAccount.namespace}/${entry.serviceAccount.name}`;
}

const ORDER = 'the kubelet looks up the image, then its registry, then the global entry';

// SPEC B.3: the no-credentials outcomes, in the kubelet's order of checks.
const OUTCOME: Readonly<Record<ProvideResult['outcome'], string>> = {
  notMatched: "the image matches none of this provider's matchImages",
  noServiceAccount: 'the pod has no service account and the provider requires one (requireServiceAccount)',
  serviceAccountNotFound: "the pod's service account could not be read, so the plugin was not run",
  annotationMissing: 'the service account lacks an annotation the provider requires, so the plugin was not run',
  tokenError: "the kubelet could not get a service-account token for the plugin (TokenRequest failed and it had no valid one cached)",
  hit: `served from the cache (${ORDER})`,
  execError: 'the plugin run failed: the pull gets no credentials from this provider and nothing is cached',
  invalidCacheKeyType: 'the plugin answered with a cacheKeyType other than Image, Registry or Global: the kubelet drops the answer',
  echoRejected: "the plugin returned the service-account token as a password, which only cacheType Token allows: the kubelet drops the answer",
  fetched: 'not in the cache: the kubelet ran the plugin',
  cacheKeyError: 'the kubelet could not build the cache key for this pull (a value too long for its encoding): no credentials',
};

export const RULES = {
  notMatched: "no provider's matchImages matches this image: the pull goes ahead without plugin credentials",
  hit: (entry: CacheEntryView): string => `served from the ${entry.keyType} cache entry (${ORDER})`,
  outcome: (r: ProvideResult): string => {
    if (r.outcome !== 'fetched') return OUTCOME[r.outcome];
    if (r.notCached === 'zeroDuration') return `${OUTCOME.fetched}; its answer had cacheDuration 0, so nothing was cached`;
    if (r.notCached === 'zeroDefault') return `${OUTCOME.fetched}; its answer had no cacheDuration and defaultCacheDuration is 0, so nothing was cached`;
    return OUTCOME.fetched;
  },
  noLogin: (how: string, keys: readonly string[]): string =>
    `${how}, but none of the logins it returned is for this image${keys.length === 0 ? ' (it returned none)' : ` (they are for ${keys.map((k) => `"${k}"`).join(', ')})`}: the pull goes ahead without credentials`,
  pluginRun: (joined: number): string =>
    joined > 1 ? `one plugin run answered ${joined} pulls that asked for the same image while it ran` : 'the kubelet ran the plugin for this image',
  echo: OUTCOME.echoRejected,
  store: (entry: CacheEntryView): string => `cached under the ${entry.keyType} key until it expires (expired only strictly after its expiry time)`,
  linger: 'expired, but still stored until a read of this key or the next purge (at most every 15 minutes) removes it',
  expireOnRead: 'a read found the entry expired and removed it',
  purge: 'the 15-minute purge removed this expired entry',
} as const;
