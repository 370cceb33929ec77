/**
 * Asks the cluster, before a credential action, whether the user may do it (SelfSubjectAccessReview),
 * so that a missing permission is said plainly up front instead of after a confirmation and a failed call.
 */
import type * as vscode from 'vscode';
import { missingAccessMessage, type ResourceAccess } from '../cluster/access';
import type { ClusterClient } from '../cluster/clusterClient';
import { errorText } from './commandGuard';

/** The permission each pre-checked action needs, and what for (the end of "needed to …"). */
export const ACTION_ACCESS = {
  readTokenFromPod: (namespace: string): { access: ResourceAccess; neededFor: string } => ({
    access: { verb: 'create', resource: 'pods', subresource: 'exec', namespace },
    neededFor: 'read the token file',
  }),
  requestToken: (namespace: string, serviceAccount: string): { access: ResourceAccess; neededFor: string } => ({
    access: { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace, name: serviceAccount },
    neededFor: `request a token for service account ${serviceAccount}`,
  }),
  readSecret: (namespace: string, secret: string): { access: ResourceAccess; neededFor: string } => ({
    access: { verb: 'get', resource: 'secrets', namespace, name: secret },
    neededFor: `read the token of Secret ${secret}`,
  }),
};

/**
 * Throws an error saying exactly what is missing when the review says no. When the review API is not
 * served or fails, the action goes on as before: its own 403, if any, still explains.
 */
export async function requireAccess(
  client: Pick<ClusterClient, 'accessReview'>,
  need: { access: ResourceAccess; neededFor: string },
  log: Pick<vscode.LogOutputChannel, 'info'>,
): Promise<void> {
  let review;
  try {
    review = await client.accessReview(need.access);
  } catch (err) {
    log.info(`access check not available, going on: ${errorText(err)}`);
    return;
  }
  if (!review.allowed) throw new Error(missingAccessMessage(need.access, need.neededFor, review));
}
