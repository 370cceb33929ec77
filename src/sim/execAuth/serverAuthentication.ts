/**
 * How the cluster's API server judges the bearer token an exec user's request carries, as the
 * scenario describes it: revocations (every credential issued before one is rejected from then on)
 * and a clock that runs ahead of the client's (it sees credentials expire earlier). Not an upstream
 * algorithm: the simplest server that produces the 401s client-go reacts to (SPEC C.3 step 5).
 *
 * Timing: a request is sent at `sentAt` and answered at `answeredAt`. Expiry is judged on arrival,
 * with the server's clock; a revocation fails every request the server has not answered yet, so
 * requests in flight when it happens fail too.
 */
import type { ExecClusterSpec } from './execAuthSpec';
import type { IssuedCredential } from './simulatedPlugin';

export type ServerVerdict = { ok: true } | { ok: false; reason: 'revoked' | 'expired' | 'unknown'; revokedAt?: number };

export function judgeRequest(cluster: ExecClusterSpec, start: number, credential: IssuedCredential | undefined, sentAt: number, answeredAt: number): ServerVerdict {
  if (credential === undefined) return { ok: false, reason: 'unknown' };
  for (const offset of cluster.revocationsMs) {
    const at = start + offset;
    if (credential.issuedAt < at && at <= answeredAt) return { ok: false, reason: 'revoked', revokedAt: at };
  }
  // Strict, like the client's own check (SPEC C.4): still valid at the expiry instant.
  if (credential.expiresAt !== undefined && sentAt + cluster.serverClockAheadMs > credential.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true };
}
