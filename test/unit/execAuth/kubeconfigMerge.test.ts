import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubeconfig } from '../../../src/sim/execAuth/kubeconfigDocument';
import { mergeKubeconfigs } from '../../../src/sim/execAuth/kubeconfigMerge';
import { brief, fixture, lintFixtures } from './kubeconfigFixtures';

const origin = (m: ReturnType<typeof mergeKubeconfigs>, list: 'users' | 'contexts' | 'clusters'): Record<string, string> =>
  Object.fromEntries([...m[list].byName].map(([name, { file }]) => [name, file.replace(/^.*\//, '')]));

test('two files: the first definition of a name wins whole; the first current-context wins', () => {
  const m = mergeKubeconfigs([fixture('merge-a.yaml'), fixture('merge-b.yaml')]);
  assert.deepEqual(origin(m, 'users'), { 'shared-user': 'merge-a.yaml', 'b-user': 'merge-b.yaml' });
  assert.deepEqual(origin(m, 'clusters'), { shared: 'merge-a.yaml', 'b-only': 'merge-b.yaml' });
  assert.deepEqual(origin(m, 'contexts'), { shared: 'merge-a.yaml', b: 'merge-b.yaml' });
  assert.equal(m.currentContext?.entry.value, 'shared');
  assert.match(m.currentContext?.file ?? '', /merge-a\.yaml$/);
  // Kept whole: merge-a's shared-user has no interactiveMode and v1beta1, nothing of merge-b's is mixed in.
  assert.equal(m.users.byName.get('shared-user')?.entry.exec?.apiVersion?.value, 'client.authentication.k8s.io/v1beta1');
  assert.deepEqual(m.users.shadowed.map((s) => [s.entry.name, s.file.replace(/^.*\//, ''), s.winnerFile.replace(/^.*\//, '')]), [
    ['shared-user', 'merge-b.yaml', 'merge-a.yaml'],
  ]);
  assert.deepEqual(m.clusters.shadowed.map((s) => s.entry.name), ['shared']);
});

test('order matters: b before a makes b\'s definitions and current-context win', () => {
  const m = mergeKubeconfigs([fixture('merge-b.yaml'), fixture('merge-a.yaml')]);
  assert.deepEqual(origin(m, 'users'), { 'shared-user': 'merge-b.yaml', 'b-user': 'merge-b.yaml' });
  assert.equal(m.currentContext?.entry.value, 'b');
});

test('three files: later files only add names; a file without current-context does not clear it', () => {
  const m = mergeKubeconfigs([fixture('merge-c.yaml'), fixture('merge-a.yaml'), fixture('merge-b.yaml')]);
  assert.deepEqual(origin(m, 'users'), { 'b-user': 'merge-c.yaml', 'shared-user': 'merge-c.yaml', 'c-user': 'merge-c.yaml' });
  assert.equal(m.currentContext?.entry.value, 'shared', 'merge-c sets none: merge-a\'s is the first');
  assert.deepEqual(m.users.shadowed.map((s) => `${s.entry.name}@${s.file.replace(/^.*\//, '')}<${s.winnerFile.replace(/^.*\//, '')}`), [
    'shared-user@merge-a.yaml<merge-c.yaml',
    'shared-user@merge-b.yaml<merge-c.yaml',
    'b-user@merge-b.yaml<merge-c.yaml',
  ]);
});

test('a path listed twice is read once (client-go deduplicates KUBECONFIG): nothing shadows itself', () => {
  const m = mergeKubeconfigs([fixture('merge-a.yaml'), fixture('merge-a.yaml')]);
  assert.equal(m.files.length, 1);
  assert.deepEqual(m.users.shadowed, []);
});

test('lint over the merge: shadowed definitions are warned about and not linted; the winners are', () => {
  assert.deepEqual(brief(lintFixtures('merge-a.yaml', 'merge-b.yaml').findings), [
    // merge-b's shared-user (v1alpha1) is ignored by kubectl: only the shadowing is reported.
    'merge-b.yaml:17:9 warning user-shadowed',
  ]);
  const three = lintFixtures('merge-c.yaml', 'merge-a.yaml', 'merge-b.yaml');
  assert.deepEqual(brief(three.findings), [
    // Every user is used by some context of some file; merge-c's token users shadow the exec ones.
    'merge-a.yaml:14:9 warning user-shadowed',
    'merge-b.yaml:17:9 warning user-shadowed',
    'merge-b.yaml:22:9 warning user-shadowed',
  ]);
  const shadow = three.findings.find((f) => f.code === 'user-shadowed');
  assert.match(shadow?.message ?? '', /also defined in test\/fixtures\/kubeconfig\/merge-c\.yaml, which comes first in KUBECONFIG/);
  // Each file alone: its own problems.
  assert.deepEqual(brief(lintFixtures('merge-b.yaml').findings), ['merge-b.yaml:17:9 info user-unreferenced', 'merge-b.yaml:20:19 error exec-api-version-removed']);
});

test('a context of one file may use a user of another: that user is referenced', () => {
  const a = parseKubeconfig('contexts:\n- name: x\n  context: {cluster: c, user: u}\n', 'a');
  const b = parseKubeconfig('users:\n- name: u\n  user: {token: t}\n', 'b');
  const m = mergeKubeconfigs([a, b]);
  assert.equal(m.users.byName.get('u')?.file, 'b');
  assert.equal(m.contexts.byName.get('x')?.entry.user?.value, 'u');
});
