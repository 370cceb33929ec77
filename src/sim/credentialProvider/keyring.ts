/**
 * SPEC B.8: the kubelet's BasicDockerKeyring, through which every provider's returned `auth` map
 * (and pull secrets) are looked up for an image. Entries are indexed by host + path after the scheme
 * and a leading `/v1/` or `/v2/` are dropped; the index is de-duplicated and reverse-sorted, so a
 * longer path of the same host is tried first; every index entry that matches the image contributes
 * its credentials, in index order. With no match, a Docker Hub image gets `index.docker.io`'s.
 */
import type { AuthConfig, DockerConfig } from './config';
import { parseGoUrl } from './goUrl';
import { urlsMatchStr } from './imageMatch';
import { compareGoStrings } from './goStringOrder';

const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/** One credential as the keyring holds it: the index key it sits under and the `auth` key it came from. */
export interface KeyringEntry {
  key: string;
  /** The `auth` map key as the plugin wrote it. */
  source: string;
  auth: AuthConfig;
}

export class DockerKeyring {
  private index: string[] = [];
  private readonly creds = new Map<string, KeyringEntry[]>();

  /** Keys whose URL does not parse are skipped, as the kubelet does (it only logs them). */
  add(config: DockerConfig): void {
    for (const [loc, auth] of Object.entries(config)) {
      const key = keyringKey(loc);
      if (key === undefined) continue;
      const list = this.creds.get(key) ?? [];
      list.push({ key, source: loc, auth });
      this.creds.set(key, list);
      this.index.push(key);
    }
    this.index = [...new Set(this.index)].sort(compareGoStrings).reverse();
  }

  /** The index in lookup order (most specific first). */
  keys(): readonly string[] {
    return this.index;
  }

  lookup(image: string): AuthConfig[] {
    return this.lookupEntries(image).map((e) => e.auth);
  }

  /** As lookup, keeping which index key served each credential. */
  lookupEntries(image: string): KeyringEntry[] {
    const found: KeyringEntry[] = [];
    for (const key of this.index) if (urlsMatchStr(key, image)) found.push(...(this.creds.get(key) ?? []));
    if (found.length > 0) return found;
    if (isDefaultRegistryMatch(image)) return [...(this.creds.get(DEFAULT_REGISTRY_HOST) ?? [])];
    return [];
  }
}

/** The index key of an `auth` map key: undefined when it is not a URL the kubelet can parse. */
export function keyringKey(loc: string): string | undefined {
  const value = loc.startsWith('https://') || loc.startsWith('http://') ? loc : `https://${loc}`;
  const parsed = parseGoUrl(value);
  if (!parsed.ok) return undefined;
  // The Docker client treats host/v1/ and host/v2/ as the host itself.
  let path = parsed.url.path;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return path !== '' && path !== '/' ? parsed.url.host + path : parsed.url.host;
}

/** Would this image be pulled from Docker Hub (no registry host before the first '/')? */
export function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf('/');
  const first = slash === -1 ? image : image.slice(0, slash);
  if (first === '') return false;
  if (slash === -1) return true;
  if (first === 'docker.io' || first === DEFAULT_REGISTRY_HOST) return true;
  return !first.includes('.') && !first.includes(':');
}

