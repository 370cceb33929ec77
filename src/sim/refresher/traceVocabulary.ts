/**
 * The lanes the client-side refresher model puts in a trace (its requests, writes, validity and
 * refresh windows use the API server's and the kubelet's words). Registered in sim/traceVocabulary.ts.
 */
import type { TraceVocabulary } from '../traceVocabulary';

export const REFRESHER_TRACE = {
  lanes: [
    'refresher', // a client-side refresher such as Calico's
  ],
  spans: [],
  events: [],
} as const satisfies TraceVocabulary;
