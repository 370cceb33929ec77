/**
 * Fault switches of the demo API server, for tests and demos: added latency, forced 401 / 403 / 500,
 * dropped connections, per resource or global, TokenRequest or SelfSubjectAccessReview switched off.
 * A 403 rule is also what the demo's SelfSubjectAccessReview consults: forbidding
 * `{ verb: 'list', resource: 'namespaces', fail: 403 }` or `{ verb: 'create', resource: 'pods/exec', fail: 403 }`
 * is an RBAC role that lacks that permission, seen the same way by the review and by the request.
 */

export type FaultFailure = 401 | 403 | 500 | 'drop';

export interface FaultRule {
  /**
   * Which requests: a resource as the API names it ("pods", "serviceaccounts/token", "tokenreviews",
   * "namespaces", "pods/tokens" for the demo token endpoint …). Omitted: every request, discovery included.
   */
  resource?: string;
  /** get, list, create, … Omitted: any verb. */
  verb?: string;
  /** Only requests in this namespace. */
  namespace?: string;
  /** Extra delay before answering, ms. */
  latencyMs?: number;
  /** Fail the request: 401 Unauthorized, 403 Forbidden, 500 InternalError, or destroy the socket. */
  fail?: FaultFailure;
  /** For 500: the cause in the Status message (default "demo fault: injected internal error"). */
  message?: string;
  /** How many requests the rule affects before it removes itself; omitted: until removed. */
  times?: number;
}

export interface RequestTarget {
  /** "pods", "serviceaccounts/token" …; undefined for non-resource paths (discovery, /version). */
  resource?: string;
  verb: string;
  namespace?: string;
}

export class DemoFaults {
  /** Latency added to every request, ms. */
  latencyMs = 0;
  /** false: the TokenRequest endpoint is absent (404, and discovery lists no serviceaccounts/token). */
  tokenRequestEnabled = true;
  /** false: the SelfSubjectAccessReview endpoint is absent (404, and discovery lists no authorization.k8s.io). */
  accessReviewEnabled = true;
  private readonly active: FaultRule[] = [];

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const r = { ...rule };
    this.active.push(r);
    return () => {
      const i = this.active.indexOf(r);
      if (i >= 0) this.active.splice(i, 1);
    };
  }

  get rules(): readonly FaultRule[] {
    return this.active;
  }

  /** Removes every rule, latency and switch. */
  clear(): void {
    this.active.length = 0;
    this.latencyMs = 0;
    this.tokenRequestEnabled = true;
    this.accessReviewEnabled = true;
  }

  /** Whether a 403 rule applies to the request (without consuming `times`): what an access review reports. */
  forbids(t: RequestTarget): boolean {
    return this.active.some((rule) => rule.fail === 403 && this.matches(rule, t));
  }

  private matches(rule: FaultRule, t: RequestTarget): boolean {
    if (rule.resource !== undefined && rule.resource !== t.resource) return false;
    if (rule.verb !== undefined && rule.verb !== t.verb) return false;
    if (rule.namespace !== undefined && rule.namespace !== t.namespace) return false;
    return true;
  }

  /** Total latency for a request and the first failing rule that applies (consuming `times`). */
  evaluate(t: RequestTarget): { latencyMs: number; failure?: FaultRule } {
    let latencyMs = this.latencyMs;
    let failure: FaultRule | undefined;
    for (const rule of [...this.active]) {
      if (!this.matches(rule, t)) continue;
      if (rule.fail !== undefined && failure !== undefined) continue;
      latencyMs += rule.latencyMs ?? 0;
      if (rule.fail !== undefined) failure = rule;
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times <= 0) this.active.splice(this.active.indexOf(rule), 1);
      }
    }
    return failure ? { latencyMs, failure } : { latencyMs };
  }
}
