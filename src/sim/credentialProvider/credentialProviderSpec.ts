/**
 * The credential provider's part of the normalized Scenario: the kubelet's CredentialProviderConfig
 * (decoded), how each provider's plugin behaves when the kubelet runs it, the service accounts the
 * kubelet's informer sees, and the image pulls. Durations of the simulation are integer ms; the
 * plugin's own cacheDuration stays a Go duration (bigint ns) as it writes it.
 */
import type { CredentialKubeletVersion, CredentialProviderConfig } from './config';

/** One answer of a plugin run: a response, or a failed run. */
export type PluginStep =
  | {
      kind: 'response';
      cacheKeyType: string;
      /** undefined: the response has no cacheDuration (the provider's defaultCacheDuration applies). */
      cacheDuration?: bigint;
      /** Registry patterns the plugin returns logins for; the simulated passwords are generated. */
      auth: { pattern: string; username: string }[];
      /** The plugin returns the service-account token itself as the password. */
      echoToken: boolean;
    }
  | { kind: 'failure'; exitCode: number; stderr: string };

export interface PluginBehaviour {
  /** How long one run takes, start to answer. */
  latencyMs: number;
  /** Run n answers with steps[n mod length]. */
  steps: PluginStep[];
  /** Chance that a run fails (exit code 1) instead of answering with its step. */
  errorRate: number;
}

export interface ServiceAccountSpec {
  namespace: string;
  name: string;
  /** What the kubelet's informer reports; undefined: the API server's own UID for the account. */
  uid?: string;
  annotations: Record<string, string>;
}

export interface PullSpec {
  /** Pulled together at each pull time, one pull per image (a pod with several containers). */
  images: string[];
  /** A pod of the scenario's `pods`; undefined: no pod service account (a static pod). */
  pod?: { namespace: string; name: string };
  /** Offset from start of the first pull, ms. */
  atMs: number;
  /** Repeat every this long (ms) until the horizon or `count` pulls; undefined: once. */
  everyMs?: number;
  count?: number;
  /** Concurrent copies of each pull (pods on the node starting at the same moment). */
  burst: number;
}

export interface CredentialProviderSpec {
  kubeletVersion: CredentialKubeletVersion;
  serviceAccountTokenGate: boolean;
  config: CredentialProviderConfig;
  /** The file (or directory) the config was read from, relative to the scenario; undefined: embedded. */
  configFile?: string;
  /** Behaviour of each provider's plugin, by provider name (every provider has one). */
  plugins: Record<string, PluginBehaviour>;
  serviceAccounts: ServiceAccountSpec[];
  pulls: PullSpec[];
}

/** What a provider's plugin does when the scenario does not say. */
export const PLUGIN_DEFAULTS = {
  latency: '500ms',
  cacheKeyType: 'Registry',
  username: 'simulated',
  errorRate: 0,
  burst: 1,
} as const;
