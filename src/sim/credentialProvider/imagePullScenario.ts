/**
 * A scenario built from a CredentialProviderConfig (the "Simulate Image Pulls…" lens): the config
 * embedded as written by the kubelet's decoder, one pull stream per provider of an image its first
 * matchImages pattern accepts, a burst at the start and a pull every 10 minutes until the horizon.
 * Providers in service-account-token mode get a pod and an annotated service account, so the token
 * path (token manager, required annotations, per-service-account cache keys) is exercised. The result
 * is scenario file text (YAML) with a comment header, for the user to edit, save and re-run. Pure.
 */
import { stringify } from 'yaml';
import type { JsonObject } from '../fieldRule';
import { formatDateTime } from '../units/datetime';
import { formatDuration } from '../units/duration';
import { usesServiceAccountTokens, type CredentialKubeletVersion, type CredentialProviderConfig } from './config';
import { credentialProviderConfigToJson } from './configJson';
import { PLUGIN_DEFAULTS } from './credentialProviderSpec';
import { urlsMatchStr } from './imageMatch';

export const IMAGE_PULL_DEFAULTS = {
  horizonMs: 12 * 3_600_000,
  everyMs: 10 * 60_000,
  /** Concurrent pulls at the start, as when a deployment's pods land on a node together. */
  burst: 5,
  seed: 1,
  namespace: 'default',
} as const;

export interface ImagePullScenarioInput {
  config: CredentialProviderConfig;
  kubeletVersion: CredentialKubeletVersion;
  serviceAccountTokenGate: boolean;
  /** Virtual start (epoch ms); the caller passes the real now, rounded as it likes. */
  start: number;
  horizonMs?: number;
  everyMs?: number;
  burst?: number;
  seed?: number;
  /** Where the config came from, for the header (a file name). */
  source?: string;
}

export interface ImagePullStream {
  provider: string;
  image: string;
  /** namespace/name of the pod pulling, for service-account-token mode providers. */
  pod?: string;
}

export interface ImagePullScenario {
  /** Scenario file text (YAML), comment header first. */
  text: string;
  name: string;
  streams: ImagePullStream[];
  /** Providers without a pull stream, and why (no pattern gives a sample image that matches). */
  skipped: { provider: string; reason: string }[];
}

/**
 * An image that `pattern` matches (SPEC B.8), or undefined: each `*` becomes "example" and a
 * repository is added unless the pattern has one with a tag or digest. The candidate is checked with
 * the matcher itself, so a sample never claims a match the kubelet would not make.
 */
export function sampleImageFor(pattern: string): string | undefined {
  const slash = pattern.indexOf('/');
  const host = slash < 0 ? pattern : pattern.slice(0, slash);
  const path = slash < 0 ? '' : pattern.slice(slash);
  // Wildcards count only in the host (SPEC B.8). Only `*` can be there in practice: a `?` starts
  // the URL's query and a `[` does not parse as a host, so the matcher decides about those.
  const sampleHost = host.replace(/\*/g, 'example');
  // SPEC B.8: the path is a raw prefix, so anything appended still matches.
  const repo = path === '' ? '/app:1.0' : /[:@]/.test(path) ? '' : path.endsWith('/') ? 'app:1.0' : '/app:1.0';
  const image = `${sampleHost}${path}${repo}`;
  return urlsMatchStr(pattern, image) ? image : undefined;
}

/** A DNS-1123 label from a provider name (pod and service-account names must be one). */
function dnsLabel(name: string, fallback: string): string {
  const label = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return label === '' ? fallback : label;
}

export function imagePullScenario(input: ImagePullScenarioInput): ImagePullScenario {
  const horizonMs = input.horizonMs ?? IMAGE_PULL_DEFAULTS.horizonMs;
  const everyMs = input.everyMs ?? IMAGE_PULL_DEFAULTS.everyMs;
  const burst = input.burst ?? IMAGE_PULL_DEFAULTS.burst;
  const ns = IMAGE_PULL_DEFAULTS.namespace;
  const streams: ImagePullStream[] = [];
  const skipped: ImagePullScenario['skipped'] = [];
  const pods: JsonObject[] = [];
  const serviceAccounts: JsonObject[] = [];
  const plugins: JsonObject = {};
  const pulls: JsonObject[] = [];
  const usedNames = new Set<string>();

  input.config.providers.forEach((provider, i) => {
    plugins[provider.name] = { latency: PLUGIN_DEFAULTS.latency, responses: [{ cacheKeyType: PLUGIN_DEFAULTS.cacheKeyType }] };
    const first = provider.matchImages[0];
    const image = first === undefined ? undefined : sampleImageFor(first);
    if (image === undefined) {
      skipped.push({ provider: provider.name, reason: first === undefined ? 'it has no matchImages' : `no sample image matches its first matchImages pattern "${first}"` });
      return;
    }
    const stream: ImagePullStream = { provider: provider.name, image };
    const pull: JsonObject = { image };
    if (usesServiceAccountTokens(provider, input.serviceAccountTokenGate)) {
      let base = dnsLabel(provider.name, `provider-${i}`);
      while (usedNames.has(base)) base = `${base}-${i}`;
      usedNames.add(base);
      const sa = `${base}-puller`;
      const pod = `${base}-puller`;
      pods.push({ name: pod, namespace: ns, serviceAccount: sa, tokens: [{ path: 'kube-api-access/token', expirationSeconds: 3607 }] });
      const attrs = provider.tokenAttributes;
      const annotations: Record<string, string> = {};
      // Required keys must be there or the kubelet never runs the plugin (SPEC B.3 step 2c); the
      // optional ones are sent when present, so the sample has them too.
      for (const k of [...(attrs?.requiredServiceAccountAnnotationKeys ?? []), ...(attrs?.optionalServiceAccountAnnotationKeys ?? [])]) annotations[k] = 'example';
      serviceAccounts.push({ namespace: ns, name: sa, annotations });
      stream.pod = `${ns}/${pod}`;
      pull.pod = stream.pod;
    }
    streams.push(stream);
    pulls.push({ ...pull, at: '0s', burst }, { ...pull, at: formatDuration(everyMs), every: formatDuration(everyMs) });
  });

  const name = `image pulls through ${input.config.providers.map((p) => p.name).join(', ') || 'no provider'}`;
  const file: JsonObject = {
    name,
    seed: input.seed ?? IMAGE_PULL_DEFAULTS.seed,
    start: formatDateTime(input.start),
    horizon: formatDuration(horizonMs),
  };
  if (pods.length > 0) file.pods = pods;
  const cp: JsonObject = {
    kubeletVersion: input.kubeletVersion,
    serviceAccountTokenGate: input.serviceAccountTokenGate,
    config: credentialProviderConfigToJson(input.config),
    plugins,
  };
  if (serviceAccounts.length > 0) cp.serviceAccounts = serviceAccounts;
  cp.pulls = pulls;
  file.credentialProvider = cp;

  const header = [
    `Image pulls built by Kube Token Lens from ${input.source ?? 'a CredentialProviderConfig'} (kubelet ${input.kubeletVersion} rules,`,
    `service-account tokens for credential providers ${input.serviceAccountTokenGate ? 'on' : 'off'}).`,
    `Each provider's plugin answers with the defaults (cacheKeyType ${PLUGIN_DEFAULTS.cacheKeyType}, no cacheDuration, so the`,
    `provider's defaultCacheDuration applies): edit credentialProvider.plugins to try other answers.`,
    `Pulls: ${burst} at once at the start, then one every ${formatDuration(everyMs)} for ${formatDuration(horizonMs)}.`,
    ...streams.map((s) => `  ${s.provider}: ${s.image}${s.pod === undefined ? '' : ` by pod ${s.pod} (service-account token mode)`}`),
    ...skipped.map((s) => `  ${s.provider}: no pulls, ${s.reason}`),
  ];
  const text = `${header.map((l) => `# ${l}`.trimEnd()).join('\n')}\n${stringify(file, { lineWidth: 0 })}`;
  return { text, name, streams, skipped };
}
