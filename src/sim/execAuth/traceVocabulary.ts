/**
 * The lanes, spans and events the exec-auth model puts in a trace. Registered in
 * sim/traceVocabulary.ts; shown by presentation.ts.
 */
import type { TraceVocabulary } from '../traceVocabulary';

export const EXEC_AUTH_TRACE = {
  lanes: [
    'kubeconfigUser', // one kubeconfig user as one client uses it (user × client)
  ],
  spans: [
    'execCredential', // the credential the client uses: obtained → expiry (or replaced earlier)
    'execCredentialExpired', // a long-lived client still holds it past its expiry, until a request makes it run the plugin
    'execPluginRun', // one run of the exec plugin, start → output
  ],
  events: [
    'request', // an API request: status 200, 401, or error (no credentials, nothing sent)
    'pluginRun', // a plugin run ended (ok or failed, with its duration)
    'credsRotated', // the client took in a credential it had not used before
    'unauthorized', // the authenticator handled a 401: ran the plugin, or found it already rotated
    'installHint', // the "plugin not installed" help was shown (rate-limited per process)
    'credentialsRevoked', // the API server stopped accepting every credential issued before now
    'connectionsClosed', // a new client certificate: client-go closed the process's connections (how many requests it cut)
  ],
} as const satisfies TraceVocabulary;
