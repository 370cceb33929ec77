/**
 * The credential provider's what-if knobs: how long a plugin run takes, how often it fails, and how
 * long the kubelet may cache what it returns. They apply to every provider of the scenario; a scenario
 * without a credentialProvider section is left as it is. Pure; never imports the format or the engine.
 */
import { durationDefault } from '../fieldRule';
import { formatDuration } from '../units/duration';
import { durationValue, integerValue, optionalDurationValue, type WhatIfField, type WhatIfSection, type WhatIfValues } from '../whatIf';
import { PLUGIN_DEFAULTS, type CredentialProviderSpec, type PluginBehaviour } from './credentialProviderSpec';
import { goDurationToMs, msToGoDuration } from './goDuration';
import type { CredentialProviderSlice } from './section';

const SECTION = 'Credential provider';
/** The kubelet kills a plugin after one minute (SPEC B.7): a longer run is never answered. */
export const PLUGIN_TIMEOUT_MS = 60_000;
const MAX_CACHE_MS = 30 * 86_400_000;

export const CREDENTIAL_PROVIDER_WHAT_IF_FIELDS: readonly WhatIfField[] = [
  {
    kind: 'duration',
    id: 'pluginLatency',
    label: 'Plugin run time',
    section: SECTION,
    placeholder: 'e.g. 500ms',
    help: 'How long each run of a credential-provider plugin takes; pulls of the same image meanwhile wait for it.',
    minMs: 0,
    maxMs: PLUGIN_TIMEOUT_MS,
  },
  {
    kind: 'integer',
    id: 'pluginFailurePercent',
    label: 'Plugin failures (%)',
    section: SECTION,
    placeholder: '0…100',
    help: 'Share of plugin runs that fail (the pull gets no credentials and nothing is cached).',
    min: 0,
    max: 100,
  },
  {
    kind: 'optionalDuration',
    id: 'pluginCacheDuration',
    label: 'Plugin cacheDuration',
    section: SECTION,
    placeholder: 'as in the scenario',
    help: 'The cacheDuration every plugin answer carries ("0s": nothing is cached); empty keeps the answers as the scenario has them.',
    minMs: 0,
    maxMs: MAX_CACHE_MS,
    unsetMeaning: 'the answers as the scenario has them',
  },
];

function first(cp: CredentialProviderSpec | undefined): PluginBehaviour | undefined {
  return cp === undefined ? undefined : Object.values(cp.plugins)[0];
}

/** The one cacheDuration every answer carries, in ms; undefined when they differ or some have none. */
function sharedCacheDuration(cp: CredentialProviderSpec | undefined): number | undefined {
  if (cp === undefined) return undefined;
  let shared: number | undefined;
  for (const b of Object.values(cp.plugins)) {
    for (const step of b.steps) {
      if (step.kind !== 'response') continue;
      if (step.cacheDuration === undefined) return undefined;
      const ms = goDurationToMs(step.cacheDuration);
      if (shared !== undefined && shared !== ms) return undefined;
      shared = ms;
    }
  }
  return shared;
}

export const credentialProviderWhatIf: WhatIfSection<CredentialProviderSlice> = {
  fields: CREDENTIAL_PROVIDER_WHAT_IF_FIELDS,
  read: ({ credentialProvider: cp }): WhatIfValues => {
    const b = first(cp);
    const cache = sharedCacheDuration(cp);
    return {
      pluginLatency: formatDuration(b?.latencyMs ?? durationDefault(PLUGIN_DEFAULTS.latency)),
      pluginFailurePercent: Math.round((b?.errorRate ?? PLUGIN_DEFAULTS.errorRate) * 100),
      pluginCacheDuration: cache === undefined ? '' : formatDuration(cache),
    };
  },
  apply: (base, v): CredentialProviderSlice => {
    const cp = base.credentialProvider;
    if (cp === undefined) return base;
    const latencyMs = durationValue(v, 'pluginLatency');
    const percent = integerValue(v, 'pluginFailurePercent');
    const cache = optionalDurationValue(v, 'pluginCacheDuration');
    const shownPercent = Math.round((first(cp)?.errorRate ?? 0) * 100);
    const plugins: Record<string, PluginBehaviour> = {};
    for (const [name, b] of Object.entries(cp.plugins)) {
      plugins[name] = {
        latencyMs,
        // An unchanged percentage keeps each plugin's exact rate (it was rounded for the form).
        errorRate: percent === shownPercent ? b.errorRate : percent / 100,
        steps: cache === undefined || cache === sharedCacheDuration(cp)
          ? b.steps
          : b.steps.map((s) => (s.kind === 'response' ? { ...s, cacheDuration: msToGoDuration(cache) } : s)),
      };
    }
    return { credentialProvider: { ...cp, plugins } };
  },
};
