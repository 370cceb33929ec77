/**
 * The lanes, spans and events the kubelet model puts in a trace. Registered in
 * sim/traceVocabulary.ts; shown by presentation.ts.
 */
import type { TraceVocabulary } from '../traceVocabulary';

export const KUBELET_TRACE = {
  lanes: [
    'token', // one projected token source of one pod
  ],
  spans: [
    'refreshWindow', // where the kubelet may refresh: threshold minus the jitter range
  ],
  events: [
    'tokenWritten', // a new token reached the pod's file
    'tokenServedStale', // refresh failed, the old still-valid token was kept
    'syncFailed', // a pod sync failed (token could not be fetched) and was re-queued
    'podDeleted',
    'cacheCleanup',
  ],
} as const satisfies TraceVocabulary;
