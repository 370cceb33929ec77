/**
 * A decoded CredentialProviderConfig written back as the kubelet reads it (JSON / YAML object), so a
 * scenario built from a config can be saved and loaded again to an equal config. Durations are
 * printed as Go does ("12h0m0s"), which parseGoDuration reads back exactly.
 */
import type { JsonObject } from '../fieldRule';
import type { CredentialProvider, CredentialProviderConfig } from './config';
import { formatGoDuration } from './goDuration';

export function credentialProviderConfigToJson(config: CredentialProviderConfig): JsonObject {
  return { apiVersion: config.apiVersion, kind: config.kind, providers: config.providers.map(providerToJson) };
}

function providerToJson(p: CredentialProvider): JsonObject {
  const out: JsonObject = { name: p.name, matchImages: [...p.matchImages] };
  if (p.defaultCacheDuration !== undefined) out.defaultCacheDuration = formatGoDuration(p.defaultCacheDuration);
  out.apiVersion = p.apiVersion;
  if (p.args !== undefined) out.args = [...p.args];
  if (p.env !== undefined) out.env = p.env.map((e) => ({ name: e.name, value: e.value }));
  const t = p.tokenAttributes;
  if (t !== undefined) {
    const attrs: JsonObject = { serviceAccountTokenAudience: t.serviceAccountTokenAudience };
    if (t.cacheType !== undefined) attrs.cacheType = t.cacheType;
    if (t.requireServiceAccount !== undefined) attrs.requireServiceAccount = t.requireServiceAccount;
    if (t.requiredServiceAccountAnnotationKeys !== undefined) attrs.requiredServiceAccountAnnotationKeys = [...t.requiredServiceAccountAnnotationKeys];
    if (t.optionalServiceAccountAnnotationKeys !== undefined) attrs.optionalServiceAccountAnnotationKeys = [...t.optionalServiceAccountAnnotationKeys];
    out.tokenAttributes = attrs;
  }
  return out;
}
