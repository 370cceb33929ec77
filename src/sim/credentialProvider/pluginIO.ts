/**
 * The bytes between the kubelet and a credential provider plugin (SPEC B.7): the request it writes
 * on the plugin's stdin, how strictly it reads the response from stdout, and what the response
 * means for the plugin cache (SPEC B.3 steps 7 and 9). Pure: the process itself is run by
 * src/plugins/credentialProviderPlugin.ts.
 */
import {
  PLUGIN_CACHE_KEY_TYPES,
  PROVIDER_API_GROUP,
  PROVIDER_API_V1,
  PROVIDER_API_VERSIONS,
  REQUEST_KIND,
  RESPONSE_KIND,
  type AuthConfig,
  type CredentialProvider,
  type CredentialProviderResponse,
  type DockerConfig,
} from './config';
import { formatGoDuration, goDurationToMs, parseGoDuration } from './goDuration';
import { goJsonString, isJsonObject, parseStrictJson, type JsonObject, type JsonValue } from '../units/goJson';
import { compareGoStrings } from './goStringOrder';

/** SPEC B.7: the kubelet gives every plugin run one minute, then kills it. */
export const PLUGIN_EXEC_TIMEOUT_MS = 60_000;

/** The service-account part of a v1 request (SPEC B.3 step 2): the token and the collected annotations. */
export interface PluginServiceAccount {
  token: string;
  annotations: Record<string, string>;
}

/**
 * SPEC B.7: the exact newline-terminated JSON the kubelet writes: kind, apiVersion, image, and in
 * v1, when `sa` is given (service-account-token mode), serviceAccountToken and
 * serviceAccountAnnotations, each left out when empty (omitempty). Older apiVersions have no such
 * fields, so the kubelet's conversion drops them. Keys of the annotations are sorted in byte order
 * and strings escaped as Go's json.Encoder does, so the bytes match the kubelet's.
 */
export function encodePluginRequest(provider: CredentialProvider, image: string, sa?: PluginServiceAccount): string {
  let out = `{"kind":${goJsonString(REQUEST_KIND)},"apiVersion":${goJsonString(provider.apiVersion)},"image":${goJsonString(image)}`;
  if (sa !== undefined && provider.apiVersion === PROVIDER_API_V1) {
    if (sa.token !== '') out += `,"serviceAccountToken":${goJsonString(sa.token)}`;
    const keys = Object.keys(sa.annotations).sort(compareGoStrings);
    if (keys.length > 0) {
      const pairs = keys.map((k) => `${goJsonString(k)}:${goJsonString(sa.annotations[k] ?? '')}`);
      out += `,"serviceAccountAnnotations":{${pairs.join(',')}}`;
    }
  }
  return `${out}}\n`;
}

export type PluginResponseDecode =
  | { ok: true; response: CredentialProviderResponse; warnings: string[] }
  | { ok: false; error: string };

const DECODE_ERROR = 'error decoding credential provider plugin response from stdout';
const GVK_ERROR = 'error reading GVK from response';
const RESPONSE_FIELDS = ['kind', 'apiVersion', 'cacheKeyType', 'cacheDuration', 'auth'];
const AUTH_FIELDS = ['username', 'password'];

/**
 * SPEC B.7: reads a plugin's stdout as strictly as the kubelet: the apiVersion must equal the
 * provider's exactly, then kind, group, every field's type, no unknown or repeated field. Errors
 * never quote stdout (it may hold passwords); our reason follows the kubelet's message in plain
 * words. The one exception is the kubelet's own apiVersion mismatch message, which quotes the
 * plugin's apiVersion, and only when that text looks like an apiVersion.
 */
export function decodePluginResponse(expectedApiVersion: string, stdout: string): PluginResponseDecode {
  const parsed = parseStrictJson(stdout);
  if (!parsed.ok) return { ok: false, error: `${GVK_ERROR}: the plugin's output is not valid JSON: ${parsed.reason}` };
  const doc = parsed.value;

  // First the kubelet reads only apiVersion and kind, leniently (keys matched case-insensitively).
  if (doc !== null && !isJsonObject(doc)) return { ok: false, error: `${GVK_ERROR}: the plugin's output is not a JSON object` };
  const gvText = doc === null ? '' : lenientString(doc, 'apiVersion');
  const kindText = doc === null ? '' : lenientString(doc, 'kind');
  if (gvText === undefined) return { ok: false, error: `${GVK_ERROR}: apiVersion is not a string` };
  if (kindText === undefined) return { ok: false, error: `${GVK_ERROR}: kind is not a string` };
  const gv = parseGroupVersion(gvText);
  if (gv === undefined) return { ok: false, error: `${GVK_ERROR}: apiVersion has more than one '/'` };
  const actual = gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
  if (actual !== expectedApiVersion) {
    const shown = looksLikeApiVersion(actual) ? actual : '(not shown: it does not look like an apiVersion)';
    return {
      ok: false,
      error: `apiVersion from credential plugin response did not match expected apiVersion:${expectedApiVersion}, actual apiVersion:${shown}`,
    };
  }

  // Then the strict decode: any failure here is one message, with our reason after it.
  const strict = decodeStrict(doc, gv, parsed.duplicateKeys);
  if (typeof strict === 'string') return { ok: false, error: `${DECODE_ERROR}: ${strict}` };
  return { ok: true, response: strict, warnings: responseWarnings(strict) };
}

/** Go's encoding/json into a struct: last key that matches case-insensitively; null leaves it unset. */
function lenientString(doc: JsonObject, field: string): string | undefined {
  let value = '';
  const want = field.toLowerCase();
  for (const [k, v] of doc) {
    if (k.toLowerCase() !== want || v === null) continue;
    if (typeof v !== 'string') return undefined;
    value = v;
  }
  return value;
}

/** apimachinery's ParseGroupVersion: "" and "/" are empty, "v1" has no group, two slashes fail. */
function parseGroupVersion(text: string): { group: string; version: string } | undefined {
  if (text === '' || text === '/') return { group: '', version: '' };
  const parts = text.split('/');
  if (parts.length === 1) return { group: '', version: text };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return undefined;
}

function looksLikeApiVersion(text: string): boolean {
  return text.length <= 100 && /^[a-z0-9.-]*(\/[a-z0-9.-]*)?$/.test(text);
}

function decodeStrict(doc: JsonObject | null, gv: { group: string; version: string }, duplicateKeys: number): CredentialProviderResponse | string {
  if (doc === null) return 'the output is null';
  if (gv.group !== PROVIDER_API_GROUP) return `the group of apiVersion must be ${PROVIDER_API_GROUP}`;
  const apiVersion = `${gv.group}/${gv.version}`;
  if (!(PROVIDER_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    return `apiVersion must be one of ${PROVIDER_API_VERSIONS.join(', ')}`;
  }
  const kind = doc.get('kind');
  const cacheKeyType = doc.get('cacheKeyType');
  const cacheDuration = doc.get('cacheDuration');
  const auth = doc.get('auth');
  // Type errors first, as Go's decoder reports them before the strict checks.
  if (kind !== undefined && kind !== null && typeof kind !== 'string') return 'kind must be a string';
  if (cacheKeyType !== undefined && cacheKeyType !== null && typeof cacheKeyType !== 'string') return 'cacheKeyType must be a string';
  let durationNs: bigint | undefined;
  if (cacheDuration !== undefined && cacheDuration !== null) {
    if (typeof cacheDuration !== 'string') return 'cacheDuration must be a duration string such as "5m" or "12h"';
    const d = parseGoDuration(cacheDuration);
    if (!d.ok) return 'cacheDuration is not a valid duration (write it as Go does, such as "5m", "1h30m" or "300ms")';
    durationNs = d.ns;
  }
  if (auth !== undefined && auth !== null && !isJsonObject(auth)) return 'auth must be an object';
  const entries = decodeAuth(auth);
  if (typeof entries === 'string') return entries;

  if (countUnknown(doc, RESPONSE_FIELDS) > 0) {
    return `the response has a field the kubelet does not know (names are case-sensitive; allowed: ${RESPONSE_FIELDS.join(', ')})`;
  }
  if (duplicateKeys > 0) return 'a field is given twice in one object';
  if (kind !== RESPONSE_KIND) return `kind must be ${RESPONSE_KIND}`;
  const response: CredentialProviderResponse = {
    apiVersion,
    kind: RESPONSE_KIND,
    cacheKeyType: typeof cacheKeyType === 'string' ? cacheKeyType : '',
    auth: entries,
  };
  if (durationNs !== undefined) response.cacheDuration = durationNs;
  return response;
}

function decodeAuth(auth: JsonValue | undefined): DockerConfig | string {
  const out: DockerConfig = {};
  if (!isJsonObject(auth)) return out;
  let n = 0;
  for (const [registry, entry] of auth) {
    n++;
    const config: AuthConfig = { username: '', password: '' };
    if (entry !== null) {
      if (!isJsonObject(entry)) return `auth entry ${n} must be an object with username and password`;
      for (const field of AUTH_FIELDS) {
        const v = entry.get(field);
        if (v === undefined || v === null) continue;
        if (typeof v !== 'string') return `the ${field} of auth entry ${n} must be a string`;
        config[field as keyof AuthConfig] = v;
      }
      if (countUnknown(entry, AUTH_FIELDS) > 0) {
        return `auth entry ${n} has a field the kubelet does not know (names are case-sensitive; allowed: ${AUTH_FIELDS.join(', ')})`;
      }
    }
    // defineProperty: a registry key such as "__proto__" stays a plain entry.
    Object.defineProperty(out, registry, { value: config, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function countUnknown(obj: JsonObject, allowed: readonly string[]): number {
  let n = 0;
  for (const k of obj.keys()) if (!allowed.includes(k)) n++;
  return n;
}

const ONE_SECOND_NS = 1_000_000_000n;

/** Plain-language notes on a response the kubelet accepts but that will not do what its author meant. */
function responseWarnings(r: CredentialProviderResponse): string[] {
  const warnings: string[] = [];
  if (r.cacheKeyType === '') {
    warnings.push('The response has no cacheKeyType: the kubelet drops the whole answer, so pulls get no credentials from this plugin. Set it to Image, Registry or Global.');
  } else if (!(PLUGIN_CACHE_KEY_TYPES as readonly string[]).includes(r.cacheKeyType)) {
    warnings.push('cacheKeyType is not Image, Registry or Global (it is case-sensitive): the kubelet drops the whole answer, so pulls get no credentials from this plugin.');
  }
  const d = r.cacheDuration;
  if (d === 0n) {
    warnings.push('cacheDuration is 0s: the kubelet does not cache these credentials and runs the plugin again on every pull of a matching image.');
  } else if (d !== undefined && d < 0n) {
    warnings.push(`cacheDuration is negative (${formatGoDuration(d)}): the kubelet stores the credentials already expired, so the plugin runs again on every pull.`);
  } else if (d !== undefined && d < ONE_SECOND_NS) {
    warnings.push(`cacheDuration is ${formatGoDuration(d)}, under one second: the credentials leave the cache almost at once, so nearly every pull runs the plugin again.`);
  }
  if (Object.keys(r.auth).length === 0) {
    warnings.push('auth is empty: the plugin returned no credentials, so matching pulls go ahead without any from this provider (and the kubelet caches that empty answer like any other).');
  }
  return warnings;
}

export type CacheExpiry = { cached: false; why: string } | { cached: true; expiresAt: number };

/**
 * What the kubelet's cache does with an accepted response at virtual time `now` (ms). SPEC B.3 step 7:
 * an invalid cacheKeyType is dropped before anything is stored; step 9: cacheDuration present and 0
 * means "do not cache", absent means the provider's defaultCacheDuration, and a default of 0 also
 * means "do not cache". The entry expires when now > expiresAt (SPEC B.5), so a negative duration
 * stores an entry that is already expired. (The echoed-token rule of step 6 needs the token: the
 * cache model applies it.)
 */
export function effectiveCacheExpiry(provider: CredentialProvider, response: CredentialProviderResponse, now: number): CacheExpiry {
  if (!(PLUGIN_CACHE_KEY_TYPES as readonly string[]).includes(response.cacheKeyType)) {
    return { cached: false, why: 'the kubelet drops an answer whose cacheKeyType is not Image, Registry or Global, so nothing is cached' };
  }
  let ns = response.cacheDuration;
  if (ns === 0n) return { cached: false, why: 'the plugin set cacheDuration to 0s, which tells the kubelet not to cache the answer' };
  if (ns === undefined) {
    ns = provider.defaultCacheDuration;
    if (ns === undefined) return { cached: false, why: 'the plugin left cacheDuration out and the provider has no defaultCacheDuration (the kubelet rejects such a config)' };
    if (ns === 0n) return { cached: false, why: "the plugin left cacheDuration out and the provider's defaultCacheDuration is 0s, so the kubelet does not cache the answer" };
  }
  return { cached: true, expiresAt: now + goDurationToMs(ns) };
}
