/**
 * The JSON Schema (draft 2020-12) of the kubelet's CredentialProviderConfig, for editors: completion,
 * hover and the checks a schema can express. It follows the decoder and validator of SPEC B.1 / B.2;
 * rules a schema cannot state (duplicate names, URL parsing of matchImages, keys in both annotation
 * lists) are left to the validator. Pure data, built from the contract's constants (config.ts).
 */
import type { JsonObject, JsonValue } from '../fieldRule';
import { CONFIG_GROUP, CONFIG_KIND, CONFIG_VERSIONS, PROVIDER_API_V1, PROVIDER_API_VERSIONS } from './config';

/**
 * The texts Go's time.ParseDuration accepts without a sign or with `+` (SPEC B.2: a negative
 * defaultCacheDuration is rejected, 0 is allowed): "0", or one or more number+unit parts such as
 * "12h", "1h30m", "1.5h", "500ms", "1µs". Tested against parseGoDuration (goDuration.ts).
 */
export const GO_DURATION_PATTERN = '^[+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';

/**
 * A Kubernetes qualified name (optional DNS-subdomain prefix and `/`, then a name part of
 * alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric). SPEC B.2 checks annotation keys
 * after lower-casing them, so upper case passes here too.
 */
export const QUALIFIED_NAME_PATTERN = '^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';

export const CREDENTIAL_PROVIDER_CONFIG_SCHEMA_ID = 'https://kube-token-lens.invalid/schemas/credential-provider-config.schema.json';

const CONFIG_API_V1 = `${CONFIG_GROUP}/v1`;

/** One text, two renderings: `description` for plain clients (backticks dropped), `markdownDescription` for hovers. */
function describe(markdown: string): JsonObject {
  return { description: markdown.replace(/`/g, ''), markdownDescription: markdown };
}

const stringList = (itemDescription?: string): JsonObject => ({
  type: 'array',
  items: itemDescription === undefined ? { type: 'string' } : { type: 'string', ...describe(itemDescription) },
});

const ANNOTATION_KEYS: JsonObject = {
  type: 'array',
  uniqueItems: true, // SPEC B.2: a duplicate key is an error
  items: { type: 'string', pattern: QUALIFIED_NAME_PATTERN },
};

/** tokenAttributes: service-account-token mode (SPEC B.2, B.3 step 2). */
const TOKEN_ATTRIBUTES: JsonObject = {
  ...describe(
    'Turns on service-account-token mode: for each pull the kubelet requests a token for the pod\'s service account (audience below, bound to the pod) and passes it and the chosen annotations to the plugin. Only in `kubelet.config.k8s.io/v1` files and only for providers with `apiVersion: credentialprovider.kubelet.k8s.io/v1`; ignored unless the feature gate `KubeletServiceAccountTokenForCredentialProviders` is on (beta, on by default from 1.34; off in 1.33, where setting it is an error).',
  ),
  type: 'object',
  properties: {
    serviceAccountTokenAudience: {
      ...describe('The audience of the service-account token the kubelet requests for the plugin. Required and must not be empty: an empty audience turns service-account-token mode off.'),
      type: 'string',
      minLength: 1,
      examples: ['sts.amazonaws.com', 'api://AzureADTokenExchange'],
    },
    cacheType: {
      ...describe(
        'How the plugin\'s answers are cached in service-account-token mode. `ServiceAccount`: one cache entry per service account (namespace, name, UID and the chosen annotations), shared by every pod using it; the plugin must not return the token itself as a password (the kubelet drops such answers). `Token`: one entry per token, so every new token means a new plugin call; use it when the returned credentials are tied to the token. Required from kubelet 1.34; a 1.33 kubelet does not know this field and rejects the file.',
      ),
      type: 'string',
      enum: ['ServiceAccount', 'Token'],
      markdownEnumDescriptions: [
        'Cache per service account and its annotations (the token is not part of the key).',
        'Cache per token: a new token means a new plugin call.',
      ],
    },
    requireServiceAccount: {
      ...describe(
        'Whether a pod must have a service account for this provider to run. `true`: pods without one get no credentials from this provider (the plugin is not called). `false`: such pods are served without a token, sharing the ordinary (non-service-account) cache. Must be set; `false` is not allowed together with `requiredServiceAccountAnnotationKeys`.',
      ),
      type: 'boolean',
    },
    requiredServiceAccountAnnotationKeys: {
      ...describe(
        'Annotations of the service account that must be present: their values are passed to the plugin and become part of the cache key. If one is missing, the pod gets no credentials from this provider. Each key is a qualified name (e.g. `eks.amazonaws.com/role-arn`), checked in lower case; no duplicates, and not also listed as optional.',
      ),
      ...ANNOTATION_KEYS,
      examples: [['eks.amazonaws.com/role-arn']],
    },
    optionalServiceAccountAnnotationKeys: {
      ...describe('Annotations of the service account passed to the plugin (and into the cache key) when present; missing ones are skipped. Qualified names, no duplicates, not also listed as required.'),
      ...ANNOTATION_KEYS,
    },
  },
  required: ['serviceAccountTokenAudience', 'cacheType', 'requireServiceAccount'],
  additionalProperties: false, // SPEC B.1: strict decoding
  // SPEC B.2: requireServiceAccount cannot be false when requiredServiceAccountAnnotationKeys is set.
  if: { properties: { requireServiceAccount: { const: false } }, required: ['requireServiceAccount'] },
  then: { properties: { requiredServiceAccountAnnotationKeys: { maxItems: 0 } } },
};

/** The fields every config version has (SPEC B.2). */
const PROVIDER_PROPERTIES: JsonObject = {
  name: {
    ...describe(
      'The plugin\'s name: the kubelet runs the executable of this name in `--image-credential-provider-bin-dir` (the file must exist there when the kubelet starts). Unique across the config (and across every file of a config directory); no `/`, no spaces, not `.` or `..`.',
    ),
    type: 'string',
    pattern: '^[^/ ]*$',
    not: { enum: ['.', '..'] },
    examples: ['ecr-credential-provider', 'acr-credential-provider', 'gcp-credential-provider'],
  },
  matchImages: {
    ...describe(
      'Image patterns this plugin is asked about; an image matching none of them never calls it. A pattern is a registry host with optional port and path: `*` matches within one dot-separated part of the host and **never a dot** (`*.registry.io` matches `a.registry.io` but not `a.b.registry.io`, and not `registry.io`), the image must have the same number of host parts, a **port must match exactly** (`registry.io` does not match `registry.io:5000`, nor the reverse), and a path is a **plain string prefix** (`registry.io/team` also matches `registry.io/teammates/app`). No wildcards in port or path. At least one pattern is required.',
    ),
    type: 'array',
    minItems: 1,
    items: {
      type: 'string',
      ...describe('A registry pattern: host parts may use `*` (never matching a dot), `?` or `[...]`; port and path are matched literally (path as a string prefix).'),
    },
    examples: [['*.dkr.ecr.*.amazonaws.com', '*.dkr.ecr.*.amazonaws.com.cn'], ['*.azurecr.io'], ['gcr.io', '*.gcr.io', '*.pkg.dev'], ['registry.example.com:5000/team']],
  },
  defaultCacheDuration: {
    ...describe(
      'How long the kubelet caches the plugin\'s credentials when the plugin\'s answer has no `cacheDuration`. A Go duration such as `12h`, `1h30m`, `90s` or `500ms` (no `d` unit). `0` means "do not cache": the plugin runs on every image pull. Required; negative values are rejected. A `cacheDuration` in the plugin\'s answer always wins, and a `cacheDuration` of 0 there also means "not cached".',
    ),
    type: 'string',
    pattern: GO_DURATION_PATTERN,
    examples: ['12h', '1h', '0'],
  },
  apiVersion: {
    ...describe(
      'The version of the request/response the plugin speaks (`CredentialProviderRequest` on stdin, `CredentialProviderResponse` on stdout). The plugin\'s answer must carry exactly this apiVersion or the kubelet discards it. `tokenAttributes` needs `credentialprovider.kubelet.k8s.io/v1`.',
    ),
    type: 'string',
    enum: [...PROVIDER_API_VERSIONS],
    default: PROVIDER_API_V1,
  },
  args: {
    ...describe('Arguments passed to the plugin executable, one per item.'),
    ...stringList(),
    examples: [['get-credentials']],
  },
  env: {
    ...describe('Environment variables for the plugin, added after the kubelet\'s own environment: a name set here wins over the kubelet\'s value.'),
    type: 'array',
    items: {
      type: 'object',
      properties: {
        name: { ...describe('The variable\'s name.'), type: 'string', examples: ['AWS_PROFILE'] },
        value: { ...describe('The variable\'s value (stored in clear text in this file: do not put secrets here).'), type: 'string' },
      },
      required: ['name', 'value'],
      additionalProperties: false,
    },
  },
};

const PROVIDER_REQUIRED = ['name', 'matchImages', 'defaultCacheDuration', 'apiVersion'];

const PROVIDER_DESCRIPTION = describe('One credential-provider plugin: which images it serves, how to run it and how long its answers are cached.');

/** The JSON Schema of CredentialProviderConfig files (a fresh object each call: callers may not share mutations). */
export function credentialProviderConfigSchema(): JsonObject {
  const providersDescription = describe(
    'The plugins the kubelet may run for an image pull, in order. Every provider whose `matchImages` match the image is asked, and all their credentials are tried. At least one is required.',
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CREDENTIAL_PROVIDER_CONFIG_SCHEMA_ID,
    title: 'Kubelet CredentialProviderConfig',
    ...describe(
      'The file given to the kubelet with `--image-credential-provider-config` (a file, or in newer kubelets a directory of `.json`/`.yaml`/`.yml` files read in name order). Decoded strictly: an unknown or misspelt field makes the kubelet fail to start.',
    ),
    type: 'object',
    properties: {
      kind: { ...describe('Always `CredentialProviderConfig`.'), const: CONFIG_KIND },
      apiVersion: {
        ...describe('The config format\'s version. `tokenAttributes` (service-account-token mode) exists only in `kubelet.config.k8s.io/v1`.'),
        type: 'string',
        enum: CONFIG_VERSIONS.map((v) => `${CONFIG_GROUP}/${v}`),
        default: CONFIG_API_V1,
      },
      providers: { ...providersDescription, type: 'array', minItems: 1 },
    },
    required: ['kind', 'apiVersion', 'providers'],
    additionalProperties: false, // SPEC B.1: strict decoding
    // SPEC B.1: tokenAttributes is a known field only in kubelet.config.k8s.io/v1.
    if: { properties: { apiVersion: { const: CONFIG_API_V1 } }, required: ['apiVersion'] },
    then: { properties: { providers: { items: { $ref: '#/$defs/providerV1' } } } },
    else: { properties: { providers: { items: { $ref: '#/$defs/provider' } } } },
    $defs: {
      provider: {
        ...PROVIDER_DESCRIPTION,
        type: 'object',
        properties: PROVIDER_PROPERTIES,
        required: PROVIDER_REQUIRED,
        additionalProperties: false,
      },
      providerV1: {
        ...PROVIDER_DESCRIPTION,
        type: 'object',
        properties: { ...PROVIDER_PROPERTIES, tokenAttributes: TOKEN_ATTRIBUTES },
        required: PROVIDER_REQUIRED,
        additionalProperties: false,
        // SPEC B.2: tokenAttributes is only supported for provider API credentialprovider.kubelet.k8s.io/v1.
        if: { required: ['tokenAttributes'] },
        then: { properties: { apiVersion: { const: PROVIDER_API_V1 } } },
      },
    },
  };
}

/**
 * The same schema as a part of another document's schema (the scenario file embeds a config): no
 * $schema / $id, and its $defs written in place, since a `#/$defs/…` reference would resolve against
 * the embedding document's root.
 */
export function embeddedCredentialProviderConfigSchema(): JsonObject {
  const { $schema: _schema, $id: _id, $defs, ...rest } = credentialProviderConfigSchema();
  const defs = ($defs ?? {}) as JsonObject;
  const inline = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(inline);
    if (v === null || typeof v !== 'object') return v;
    const ref = v.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return inline(defs[ref.slice('#/$defs/'.length)] ?? {});
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inline(x)]));
  };
  return inline(rest) as JsonObject;
}
