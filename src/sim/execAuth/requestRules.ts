/**
 * The "why" the exec-auth trace carries, in the words a person debugging a kubeconfig user reads in
 * the timeline's details: why a request carried the credential it did, why the server answered 401,
 * why the plugin ran, and what the authenticator did about a 401.
 */
import { formatDuration } from '../units/duration';
import type { RunTrigger } from './authenticator';
import type { ServerVerdict } from './serverAuthentication';

export const EXEC_RULES = {
  // SPEC C.4
  cached: 'client-go used the credential cached in this process (valid until strictly after its expirationTimestamp; no early refresh)',
  // SPEC C.3 step 2
  noCredentials: 'client-go could not get credentials, so the request was not sent',
  ok: 'the API server accepted the bearer token',
  okCertificate: 'the API server accepted the client certificate',
  // SPEC C.2 / C.3 step 1
  staticCredentials:
    'the client has its own credentials (a token next to exec in the kubeconfig user, or an Authorization header it sets itself), so client-go sent them and never consulted the plugin',
  // SPEC C.5 step 7
  connectionsClosed: 'the plugin returned a different client certificate: client-go closed every connection it had opened, cutting the requests still waiting for an answer',
  connectionCut: 'the connection carrying this request was closed because the client certificate changed: the request failed (client-go does not retry it)',
  rejected: (v: Extract<ServerVerdict, { ok: false }>, skewMs: number): string => {
    if (v.reason === 'revoked') return 'the API server no longer accepts credentials issued before its revocation (requests still in flight fail too)';
    if (v.reason === 'expired') return `the API server's clock runs ${formatDuration(skewMs)} ahead, so it saw the credential as expired while the client did not`;
    return 'the API server does not know this credential';
  },
  // SPEC C.4 / C.3 step 5
  pluginRun: (trigger: RunTrigger): string =>
    trigger === 'request'
      ? 'no usable credential in this process (none yet, or expired): client-go ran the plugin while the other requests waited'
      : 'a 401 answered a request made with the cached credential: client-go ran the plugin once for every 401 of that credential',
  fromDisk: 'the plugin answered from its disk cache: the same credential, with the same expiry',
  // SPEC C.3 step 5
  unauthorized: {
    refresh: 'the credential used is still the cached one: client-go runs the plugin (the 401 itself is returned to the caller, not retried)',
    alreadyRotated: 'the credential was already replaced since this request was sent: nothing to do',
    queued: 'a plugin run is in progress: decided again when it ends',
    error: 'the plugin could not be started for a refresh (only logged by client-go)',
  },
  rotated: 'client-go replaced the cached credential with the plugin\'s new one',
  // SPEC C.8
  installHint: 'the command was not found: client-go adds the install help, at most 10 times an hour per process',
  revoked: 'from now on the API server rejects every credential issued before',
  credential: 'the credential this client used: obtained → expirationTimestamp (or replaced earlier)',
  expiredHeld: 'expired, still cached in the process until a request makes client-go run the plugin',
} as const;
