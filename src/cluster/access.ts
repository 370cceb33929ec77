/**
 * What an action needs from RBAC, said the way `kubectl auth can-i` and the API server's 403s say it,
 * and the answer of a SelfSubjectAccessReview (authorization.k8s.io/v1). Pure: no cluster calls.
 */

/** One permission: a verb on a resource (optionally a subresource) in a namespace. */
export interface ResourceAccess {
  verb: string;
  resource: string;
  subresource?: string;
  /** API group; '' or omitted: the core group. */
  group?: string;
  namespace?: string;
  name?: string;
}

/** status of a SelfSubjectAccessReview. */
export interface AccessReviewResult {
  allowed: boolean;
  /** An authorizer denied outright (RBAC never does: it only fails to allow). */
  denied: boolean;
  reason?: string;
  evaluationError?: string;
}

/** "create pods/exec", "get secrets" (with ".group" for a non-core group). */
export function describeAccess(a: ResourceAccess): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return `${a.verb} ${resource}${a.group ? `.${a.group}` : ''}`;
}

/**
 * The sentence for a missing permission: what is missing, where, what it is needed for, and what to ask
 * for, e.g. "You cannot create pods/exec in namespace shop (needed to read the token file). Ask …".
 */
export function missingAccessMessage(a: ResourceAccess, neededFor: string, review: AccessReviewResult): string {
  const where = a.namespace ? ` in namespace ${a.namespace}` : ' cluster-wide';
  const what = describeAccess(a);
  const scope = a.namespace ? `a Role in namespace ${a.namespace}` : 'a ClusterRole';
  const object = a.name ? ` (resourceNames: ${a.name})` : '';
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const why = review.reason ? ` The cluster says: ${review.reason}.` : '';
  const errorNote = review.evaluationError ? ` (The authorizer also reported: ${review.evaluationError}.)` : '';
  return (
    `You cannot ${what}${where} (needed to ${neededFor}). ` +
    `Ask a cluster administrator for ${scope} that allows verb "${a.verb}" on resource "${resource}"${a.group ? ` in API group "${a.group}"` : ''}${object}, bound to your user.` +
    why +
    errorNote
  );
}
