/**
 * The lanes, spans and events the API server model (and the token files of its clients) put in a
 * trace. Registered in sim/traceVocabulary.ts; shown by presentation.ts.
 */
import type { TraceVocabulary } from '../traceVocabulary';

export const API_SERVER_TRACE = {
  lanes: [
    'apiServer', // the TokenRequest endpoint (outages, error rates)
    'signer', // the external JWT signer's key cache
  ],
  spans: [
    'validity', // a token's validity as its client sees it (issue → status expiry)
    'outage', // an API-server or signer outage
  ],
  events: [
    'tokenRequest', // a client called TokenRequest (ok true/false, error text)
    'tokenExpired', // the token in a client's file is past its status expiry (apiserver/tokenFile.ts)
    'tokenRejected', // the API server's verification of a token failed (e.g. signing key dropped)
    'outageStart',
    'outageEnd',
    'keyRotated',
    'keySync',
  ],
} as const satisfies TraceVocabulary;
