/** The pre-check before credential actions: a "no" stops with the missing permission; a failed review does not stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTION_ACCESS, requireAccess } from '../../../src/vscode/accessCheck';
import { ClusterError } from '../../../src/cluster/clusterErrors';
import type { AccessReviewResult, ResourceAccess } from '../../../src/cluster/access';

const log = { lines: [] as string[], info(m: string) { this.lines.push(m); } };

test('a denied review throws the sentence that names what is missing, for each action', async () => {
  const asked: ResourceAccess[] = [];
  const client = { accessReview: async (a: ResourceAccess): Promise<AccessReviewResult> => (asked.push(a), { allowed: false, denied: false }) };
  await assert.rejects(requireAccess(client, ACTION_ACCESS.readTokenFromPod('shop'), log), /^Error: You cannot create pods\/exec in namespace shop \(needed to read the token file\)\. Ask /);
  await assert.rejects(requireAccess(client, ACTION_ACCESS.requestToken('shop', 'web'), log), /You cannot create serviceaccounts\/token in namespace shop \(needed to request a token for service account web\)/);
  await assert.rejects(requireAccess(client, ACTION_ACCESS.readSecret('payments', 'old-token'), log), /You cannot get secrets in namespace payments \(needed to read the token of Secret old-token\)/);
  assert.deepEqual(asked.map((a) => a.name), [undefined, 'web', 'old-token']);
});

test('an allowed review, or a review API that fails, lets the action go on', async () => {
  await requireAccess({ accessReview: async () => ({ allowed: true, denied: false }) }, ACTION_ACCESS.readTokenFromPod('shop'), log);
  await requireAccess(
    { accessReview: async () => { throw new ClusterError({ kind: 'notFound', status: 404, message: 'the server could not find the requested resource (404)' }); } },
    ACTION_ACCESS.readTokenFromPod('shop'),
    log,
  );
  assert.match(log.lines.at(-1) ?? '', /access check not available, going on/);
});
