/**
 * SelfSubjectAccessReview (authorization.k8s.io/v1) as the API server answers it: "may I do this?",
 * for the user who asks. Upstream (k8s.io/api/authorization/v1 types, pkg/registry/authorization):
 * - spec holds exactly one of resourceAttributes / nonResourceAttributes, else 422 Invalid;
 * - status.allowed says yes; status.denied is set only by an authorizer that denies outright (RBAC never
 *   does: it has no opinion when no rule matches, so a missing permission is allowed=false, denied unset);
 * - status.reason says why, status.evaluationError what went wrong while deciding.
 * The demo's authorizer: the admin (system:masters) may do everything, service accounts only discovery,
 * and a 403 fault rule for the same verb / resource / namespace turns a yes into a missing permission,
 * so a test that forbids an action sees the review and the action agree.
 */
import type { DemoFaults } from './faults';
import { invalid } from './status';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface AccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringFields(o: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (typeof o[k] === 'string') out[k] = o[k];
  return out;
}

const RESOURCE_KEYS = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const;

/** Answers a SelfSubjectAccessReview body for the asking user (`isAdmin`: the demo admin): the object the API server returns (201). */
export function selfSubjectAccessReview(body: unknown, isAdmin: boolean, faults: DemoFaults): Record<string, unknown> {
  const spec = isRecord(body) && isRecord(body.spec) ? body.spec : {};
  const ra = isRecord(spec.resourceAttributes) ? (stringFields(spec.resourceAttributes, RESOURCE_KEYS) as ResourceAttributes) : undefined;
  const nra = isRecord(spec.nonResourceAttributes) ? stringFields(spec.nonResourceAttributes, ['path', 'verb']) : undefined;
  if ((ra === undefined) === (nra === undefined)) {
    throw invalid({ group: AUTHORIZATION_GROUP, kind: 'SelfSubjectAccessReview' }, '', [
      { field: 'spec.resourceAttributes', value: '', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' },
    ]);
  }
  let status: AccessReviewStatus;
  if (ra) {
    const resource = ra.subresource ? `${ra.resource ?? ''}/${ra.subresource}` : ra.resource;
    const target = { verb: ra.verb ?? '', ...(resource !== undefined ? { resource } : {}), ...(ra.namespace ? { namespace: ra.namespace } : {}) };
    if (!isAdmin) status = { allowed: false, reason: '' };
    else if (faults.forbids(target)) status = { allowed: false, reason: 'demo fault: no RBAC rule grants this' };
    else status = { allowed: true, reason: '' };
  } else {
    // Discovery paths are open to every authenticated user (system:discovery).
    status = isAdmin || nra?.verb === 'get' ? { allowed: true, reason: '' } : { allowed: false, reason: '' };
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec: ra ? { resourceAttributes: ra } : { nonResourceAttributes: nra },
    status,
  };
}
