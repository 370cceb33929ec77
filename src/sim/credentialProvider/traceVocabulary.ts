/**
 * The lanes, spans and events the credential-provider model puts in a trace. Registered in
 * sim/traceVocabulary.ts; shown by presentation.ts.
 */
import type { TraceVocabulary } from '../traceVocabulary';

export const CREDENTIAL_PROVIDER_TRACE = {
  lanes: [
    'credentialProvider', // one provider of the config: its plugin runs and the pulls it could not serve from cache
    'cacheKey', // one key of a provider's cache (image, registry or global, with the service account in SA mode)
    'imagePulls', // pulls of images no provider matches
  ],
  spans: [
    'cacheEntry', // stored → expiresAt (or replaced / removed earlier)
    'cacheLinger', // expired but still stored, until a read or the 15-minute purge removes it
    'pluginRun', // one run of the plugin, start → answer
  ],
  events: [
    'pull', // one provider's answer for one image pull: hit, miss, noCredentials, error, notMatched
    'pluginExec', // a plugin run ended (with how many pulls joined it)
    'cacheStore',
    'cacheExpire', // an expired entry removed when read
    'cachePurge', // expired entries removed by the 15-minute purge
    'echoRejected', // the plugin returned the service-account token as the password
  ],
} as const satisfies TraceVocabulary;
