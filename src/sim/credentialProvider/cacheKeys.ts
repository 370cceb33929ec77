/**
 * The byte strings the kubelet's credential-provider plugin cache uses as keys (SPEC B.4): the
 * service-account part, the full cache key and the singleflight key, built the way Go's
 * golang.org/x/crypto/cryptobyte builder lays them out, plus the base keys of SPEC B.3 step 7.
 *
 * Representation: a key is a JS string of code units 0–255, one per byte ("binary string").
 * Upstream keys are Go strings, i.e. byte sequences compared byte by byte. A binary string keeps
 * exactly that: two keys are `===` iff their bytes are equal, they work as Map keys by value (a
 * Uint8Array would compare by identity), and `<` on them is bytewise order, which is what Go's
 * sorted annotation keys need. Text going in (image, namespace, annotation values …) is first
 * turned into its UTF-8 bytes, as Go's `[]byte(s)` does; an already-built key going in is copied
 * as is, never re-encoded.
 */
import type { CredentialKubeletVersion, PluginCacheKeyType } from './config';
import { parseRegistry } from './imageRegistry';
import { sha256Hex } from './sha256';

export type KeyResult = { ok: true; key: string } | { ok: false; error: string };

/** SPEC B.3 step 7: the Global base key; 1.34 changed it to a name no image or registry can have. */
export function globalCacheKey(version: CredentialKubeletVersion): string {
  return version === '1.33' ? 'global' : '<global>';
}

/** SPEC B.3 step 7: the base key for a cacheKeyType the plugin answered. */
export function baseCacheKey(keyType: PluginCacheKeyType, image: string, version: CredentialKubeletVersion): string {
  switch (keyType) {
    case 'Image':
      return image;
    case 'Registry':
      return parseRegistry(image);
    case 'Global':
      return globalCacheKey(version);
  }
}

const encoder = new TextEncoder();

/** Go's `[]byte(s)`: the UTF-8 bytes of a string (lone surrogates become U+FFFD, as in Go's JSON decoding). */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** The UTF-8 bytes of `s` as a binary string. ASCII (every image, name and UID in practice) is its own encoding. */
export function binaryOf(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 0x80;
  if (ascii) return s;
  let out = '';
  for (const byte of utf8Bytes(s)) out += String.fromCharCode(byte);
  return out;
}

/** SPEC B.3 e: `sha256:<hex>` of the token, or "" for an empty token. */
export function serviceAccountTokenHash(token: string): string {
  return token === '' ? '' : `sha256:${sha256Hex(utf8Bytes(token))}`;
}

const MAX_UINT16 = 0xffff;

function uint16(n: number): string {
  return String.fromCharCode((n >>> 8) & 0xff, n & 0xff);
}

function uint32(n: number): string {
  return String.fromCharCode((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/**
 * A cryptobyte.Builder reduced to what the keys use: 2-byte length-prefixed strings and a 4-byte
 * count. Like cryptobyte, the first child too long for its prefix makes the error sticky and every
 * later add a no-op; `build` then reports it with cryptobyte's own text.
 */
class KeyBuilder {
  private out = '';
  private error: string | undefined;

  /** `str(x)` of SPEC B.4 for text: its UTF-8 bytes. */
  text(value: string): this {
    return this.bytes(binaryOf(value));
  }

  /** `str(x)` of SPEC B.4 for bytes already encoded (a key inside a key). */
  bytes(binary: string): this {
    if (this.error !== undefined) return this;
    if (binary.length > MAX_UINT16) {
      this.error = `cryptobyte: pending child length ${binary.length} exceeds 2-byte length prefix`;
      return this;
    }
    this.out += uint16(binary.length) + binary;
    return this;
  }

  /** `annotations(m)` of SPEC B.4: the count, then key/value pairs with keys in ascending byte order. */
  annotations(m: Readonly<Record<string, string>>): this {
    if (this.error !== undefined) return this;
    const pairs = Object.keys(m).map((k) => [binaryOf(k), binaryOf(m[k] as string)] as const);
    // Binary strings compare code unit by code unit, i.e. byte by byte: Go's sort of the keys.
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.out += uint32(pairs.length);
    for (const [k, v] of pairs) this.bytes(k).bytes(v);
    return this;
  }

  build(): KeyResult {
    return this.error === undefined ? { ok: true, key: this.out } : { ok: false, error: this.error };
  }
}

export interface ServiceAccountKeyParams {
  namespace: string;
  name: string;
  uid: string;
  annotations: Readonly<Record<string, string>>;
  /**
   * Present only when the provider's cacheType is Token (1.34+): the token hash then becomes part
   * of the key, so each token gets its own entries (SPEC B.4). Pod name and UID are never encoded.
   */
  tokenHash?: string;
}

/** SPEC B.4 generateServiceAccountCacheKey. */
export function generateServiceAccountCacheKey(p: ServiceAccountKeyParams): KeyResult {
  const b = new KeyBuilder().text(p.namespace).text(p.name).text(p.uid).annotations(p.annotations);
  if (p.tokenHash !== undefined) b.text('token').text(p.tokenHash);
  return b.build();
}

/** SPEC B.4 generateCacheKey: `str(base) str(sa)`; `serviceAccountKey` is "" outside service-account mode. */
export function generateCacheKey(baseKey: string, serviceAccountKey: string): KeyResult {
  return new KeyBuilder().text(baseKey).bytes(serviceAccountKey).build();
}

/** SPEC B.4 / B.6 generateSingleFlightKey (service-account mode with a service account name only). */
export function generateSingleFlightKey(image: string, tokenHash: string, annotations: Readonly<Record<string, string>>): KeyResult {
  return new KeyBuilder().text(image).text(tokenHash).annotations(annotations).build();
}

/**
 * A binary key in readable form, for traces and messages: printable ASCII as is, quotes and
 * backslashes escaped, every other byte as \xNN (Go's %q would show valid UTF-8 as characters;
 * here every non-ASCII byte is escaped, which keeps distinct keys distinct).
 */
export function printableKey(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += key[i];
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}
