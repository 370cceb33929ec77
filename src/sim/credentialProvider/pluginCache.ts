/**
 * One credential provider's cache of plugin answers (SPEC B.5): client-go's ExpirationStore with
 * the plugin provider's expiry policy and its purge-on-lookup. Entries are keyed by the binary
 * keys of cacheKeys.ts. Reads happen at the injected clock's time.
 */
import type { Clock } from '../clock';
import type { CredentialKubeletVersion, DockerConfig, PluginCacheKeyType } from './config';
import { generateCacheKey, globalCacheKey } from './cacheKeys';
import { parseRegistry } from './imageRegistry';

/** SPEC B.5: expired entries nobody reads are removed at most this often, on a lookup. */
export const CACHE_PURGE_INTERVAL_MS = 15 * 60 * 1000;

export interface ServiceAccountCoordinates {
  namespace: string;
  name: string;
  uid: string;
}

/** What the trace may show of an entry: everything but the credentials. */
export interface CacheEntryView {
  /** The encoded key (binary string, see cacheKeys.ts); printableKey() renders it. */
  readonly key: string;
  /** The image, registry or global text the key was built from (SPEC B.3 step 7). */
  readonly baseKey: string;
  /** The cacheKeyType of the answer that stored it. */
  readonly keyType: PluginCacheKeyType;
  /** Set when the key has a service-account part (SPEC B.3 f). */
  readonly serviceAccount?: Readonly<ServiceAccountCoordinates>;
  /** Virtual ms; the entry is expired strictly after this instant. */
  readonly expiresAt: number;
  readonly storedAt: number;
}

interface StoredEntry {
  readonly view: CacheEntryView;
  readonly credentials: Readonly<DockerConfig>;
}

/** Which of the three lookup candidates (SPEC B.5) an entry was found under. */
export type LookupCandidate = 'image' | 'registry' | 'global';

/** Entries removed while looking up: by the purge, and by reading them once expired. */
export interface Housekeeping {
  readonly purged: readonly CacheEntryView[];
  readonly expiredOnRead: readonly CacheEntryView[];
}

export type LookupResult =
  | { ok: true; hit?: { entry: CacheEntryView; credentials: Readonly<DockerConfig>; via: LookupCandidate }; housekeeping: Housekeeping }
  | { ok: false; error: string; housekeeping: Housekeeping };

export class PluginCache {
  private readonly store = new Map<string, StoredEntry>();
  private lastPurgeAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly version: CredentialKubeletVersion,
  ) {
    // SPEC B.5: the purge clock starts when the provider is created.
    this.lastPurgeAt = clock.now();
  }

  /** The time of the last purge (or of creation): the next purge runs on the first lookup strictly after this + 15 min. */
  get lastPurge(): number {
    return this.lastPurgeAt;
  }

  /** SPEC B.5: an entry is expired strictly after expiresAt. */
  isExpired(entry: CacheEntryView, now = this.clock.now()): boolean {
    return now > entry.expiresAt;
  }

  /** ExpirationStore.Add: stores under the entry's key, replacing whatever was there (SPEC B.3 step 10). */
  add(view: CacheEntryView, credentials: Readonly<DockerConfig>): void {
    // Delete first so that entries() lists entries in the order they were last stored.
    this.store.delete(view.key);
    this.store.set(view.key, { view, credentials });
  }

  /** ExpirationStore.GetByKey: an expired entry is deleted and reported as not found. */
  getByKey(key: string, expiredOnRead?: CacheEntryView[]): StoredEntry | undefined {
    const stored = this.store.get(key);
    if (stored === undefined) return undefined;
    if (this.isExpired(stored.view)) {
      this.store.delete(key);
      expiredOnRead?.push(stored.view);
      return undefined;
    }
    return stored;
  }

  /** ExpirationStore.List: every live entry; the expired ones are deleted on the way. Returns the deleted ones. */
  removeExpired(): CacheEntryView[] {
    const removed: CacheEntryView[] = [];
    const now = this.clock.now();
    for (const [key, stored] of this.store) {
      if (this.isExpired(stored.view, now)) {
        this.store.delete(key);
        removed.push(stored.view);
      }
    }
    return removed;
  }

  /**
   * getCachedCredentials (SPEC B.5): purge if more than 15 min have passed since the last purge
   * (strict), then try the image, registry and global keys, each combined with the
   * service-account key, stopping at the first live entry.
   */
  lookup(image: string, serviceAccountKey: string): LookupResult {
    const now = this.clock.now();
    let purged: CacheEntryView[] = [];
    if (now > this.lastPurgeAt + CACHE_PURGE_INTERVAL_MS) {
      purged = this.removeExpired();
      this.lastPurgeAt = now;
    }
    const expiredOnRead: CacheEntryView[] = [];
    const housekeeping: Housekeeping = { purged, expiredOnRead };
    const candidates: ReadonlyArray<readonly [LookupCandidate, string]> = [
      ['image', image],
      ['registry', parseRegistry(image)],
      ['global', globalCacheKey(this.version)],
    ];
    for (const [via, base] of candidates) {
      const key = generateCacheKey(base, serviceAccountKey);
      // Upstream returns at the first key it cannot build; the candidates after it are not read.
      if (!key.ok) return { ok: false, error: `error generating cache key: ${key.error}`, housekeeping };
      const stored = this.getByKey(key.key, expiredOnRead);
      if (stored !== undefined) return { ok: true, hit: { entry: stored.view, credentials: stored.credentials, via }, housekeeping };
    }
    return { ok: true, housekeeping };
  }

  /** Every entry still held, expired-but-not-removed ones included, in the order they were stored. */
  entries(): CacheEntryView[] {
    return [...this.store.values()].map((s) => s.view);
  }

  get size(): number {
    return this.store.size;
  }
}
