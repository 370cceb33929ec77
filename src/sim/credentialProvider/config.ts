/**
 * The kubelet's CredentialProviderConfig (kubelet.config.k8s.io v1alpha1 / v1beta1 / v1) after
 * decoding, and the kubelet versions whose credential-provider behaviour the models follow
 * (SPEC B: 1.34+ by default, 1.33 where SPEC notes a difference). Pure types and constants:
 * decoding and validation are in configDecode.ts / configValidation.ts.
 */

/** Which kubelet the rules follow: 1.33 (service-account tokens alpha, no cacheType) or 1.34 and later. */
export type CredentialKubeletVersion = '1.33' | '1.34';
export const CREDENTIAL_KUBELET_VERSIONS: readonly CredentialKubeletVersion[] = ['1.33', '1.34'];
export const DEFAULT_CREDENTIAL_KUBELET_VERSION: CredentialKubeletVersion = '1.34';

/** SPEC B.2: KubeletServiceAccountTokenForCredentialProviders is alpha (off) in 1.33, beta (on) in 1.34. */
export function defaultServiceAccountTokenGate(version: CredentialKubeletVersion): boolean {
  return version !== '1.33';
}

export const CONFIG_KIND = 'CredentialProviderConfig';
export const CONFIG_GROUP = 'kubelet.config.k8s.io';
export const CONFIG_VERSIONS = ['v1alpha1', 'v1beta1', 'v1'] as const;
export type ConfigVersion = (typeof CONFIG_VERSIONS)[number];

/** The plugin protocol's group and versions (a provider's `apiVersion`, SPEC B.2 / B.7). */
export const PROVIDER_API_GROUP = 'credentialprovider.kubelet.k8s.io';
export const PROVIDER_API_VERSIONS = ['credentialprovider.kubelet.k8s.io/v1', 'credentialprovider.kubelet.k8s.io/v1alpha1', 'credentialprovider.kubelet.k8s.io/v1beta1'] as const;
export const PROVIDER_API_V1 = 'credentialprovider.kubelet.k8s.io/v1';

export type ServiceAccountTokenCacheType = 'ServiceAccount' | 'Token';

export interface ExecEnvVar {
  name: string;
  value: string;
}

export interface ServiceAccountTokenAttributes {
  serviceAccountTokenAudience: string;
  /** Required from 1.34 on; any string as decoded (validation says which are allowed). */
  cacheType?: string;
  /** A pointer upstream: undefined is "not set", which validation rejects. */
  requireServiceAccount?: boolean;
  requiredServiceAccountAnnotationKeys?: string[];
  optionalServiceAccountAnnotationKeys?: string[];
}

export interface CredentialProvider {
  name: string;
  matchImages: string[];
  /** Nanoseconds (a Go time.Duration); undefined when the field is absent (validation rejects that). */
  defaultCacheDuration?: bigint;
  apiVersion: string;
  args?: string[];
  env?: ExecEnvVar[];
  tokenAttributes?: ServiceAccountTokenAttributes;
}

/** SPEC B.2 (last line): a provider runs in service-account-token mode only with the gate on and a non-empty audience. */
export function usesServiceAccountTokens(provider: CredentialProvider, serviceAccountTokenGate: boolean): boolean {
  const attrs = provider.tokenAttributes;
  return serviceAccountTokenGate && attrs !== undefined && attrs.serviceAccountTokenAudience !== '';
}

/** SPEC B.3 f / B.4: from 1.34, cacheType Token puts the token's hash in the cache key (and allows the echo, step 6). */
export function cachesPerToken(provider: CredentialProvider, version: CredentialKubeletVersion): boolean {
  return version !== '1.33' && provider.tokenAttributes?.cacheType === 'Token';
}

export interface CredentialProviderConfig {
  /** `kubelet.config.k8s.io/<version>` of the (first) file. */
  apiVersion: string;
  kind: typeof CONFIG_KIND;
  providers: CredentialProvider[];
}

// The plugin protocol (credentialprovider.kubelet.k8s.io), as the kubelet sends and reads it (SPEC B.7).

export const REQUEST_KIND = 'CredentialProviderRequest';
export const RESPONSE_KIND = 'CredentialProviderResponse';

/** One registry login a plugin returns; the password is a secret (never logged or shown unasked). */
export interface AuthConfig {
  username: string;
  password: string;
}

/** What a provider hands the kubelet: auth entries keyed by registry / image pattern (globs allowed). */
export type DockerConfig = Record<string, AuthConfig>;

export const PLUGIN_CACHE_KEY_TYPES = ['Image', 'Registry', 'Global'] as const;
export type PluginCacheKeyType = (typeof PLUGIN_CACHE_KEY_TYPES)[number];

export interface CredentialProviderRequest {
  apiVersion: string;
  kind: typeof REQUEST_KIND;
  image: string;
  /** v1 in service-account-token mode only. */
  serviceAccountToken?: string;
  serviceAccountAnnotations?: Record<string, string>;
}

export interface CredentialProviderResponse {
  apiVersion: string;
  kind: typeof RESPONSE_KIND;
  /** As the plugin wrote it: anything but Image / Registry / Global is rejected by the kubelet (SPEC B.3 step 7). */
  cacheKeyType: string;
  /** Nanoseconds; undefined when the plugin left it out (then the provider's defaultCacheDuration applies). */
  cacheDuration?: bigint;
  auth: DockerConfig;
}
