/**
 * A client's token file (a pod's projected token, Calico's kubeconfig) seen from the expiry the API
 * server returned: when the token in it is replaced or the file goes away, the time it sat past
 * status.expirationTimestamp is counted in the expiredTokens level and, on lanes with detail, reported
 * as a tokenExpired event dated at the first expired instant (SPEC A.4: expired ⇔ now > exp, strict).
 */
import type { Level } from '../series';
import type { TraceBuilder } from '../traceBuilder';
import type { IssuePlan } from './tokenIssuer';
import type { IssuedTokenRequest } from './tokenRequest';

const RULE_EXPIRED = 'SPEC A.4: now > status.expirationTimestamp (strict) and no newer token has reached the file';
const RULE_EXPIRED_EXTENDED =
  'SPEC A.4: now > status.expirationTimestamp (strict) and no newer token has reached the file; the JWT itself was extended ' +
  '(SPEC D.1 step 8), so the API server still accepts it until jwtExpiresAt, auditing it as stale after warnafter (SPEC D.2)';

export class TokenFileExpiry {
  private readonly expired: Level;

  constructor(
    private readonly trace: TraceBuilder,
    private readonly end: number,
  ) {
    this.expired = trace.series.level('expiredTokens');
  }

  /**
   * The file's token `previous` is replaced (or the file goes away) at `at`. `plan` is the issuer's plan
   * for the file's request, when known: an extended token (SPEC D.1 step 8) past the expiry the client
   * was told is still accepted by the API server, and the event says so.
   */
  replaced(laneId: string, detailed: boolean, previous: IssuedTokenRequest | undefined, at: number, plan?: IssuePlan): void {
    if (previous === undefined) return;
    const exp = previous.status.expirationTimestamp;
    this.expired.addStretch(exp + 1, at);
    if (!detailed || !(exp + 1 < at && exp + 1 <= this.end)) return;
    if (plan?.ok && plan.extended) {
      const jwtExp = exp + (plan.jwtLifetimeSeconds - plan.expirationSeconds) * 1000;
      this.trace.event({ t: exp + 1, lane: laneId, type: 'tokenExpired', rule: RULE_EXPIRED_EXTENDED, data: { expirationTimestamp: exp, jwtExpiresAt: jwtExp } });
    } else {
      this.trace.event({ t: exp + 1, lane: laneId, type: 'tokenExpired', rule: RULE_EXPIRED, data: { expirationTimestamp: exp } });
    }
  }

  /** The fast path's bulk form of replaced() for lanes without detail. */
  countStretch(expiration: number, replacedAt: number): void {
    this.expired.addStretch(expiration + 1, replacedAt);
  }
}
