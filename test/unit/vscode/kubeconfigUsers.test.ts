// The Kubeconfig Users view's model (src/vscode/kubeconfigUsers.ts): merged users, shadowing, findings per user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeconfigUsersView } from '../../../src/vscode/kubeconfigUsers';
import { readExecCluster, readExecConfig } from '../../../src/plugins/kubeconfigExecUser';
import type { CommandLookup } from '../../../src/sim/execAuth/kubeconfigLint';

const onPath = (command: string): CommandLookup => (command === 'aws' ? { found: true, path: '/usr/bin/aws' } : { found: false });

const FIRST = `apiVersion: v1
kind: Config
current-context: eks
clusters:
  - name: eks
    cluster:
      server: https://eks.example:443
      certificate-authority-data: Q0E=
      extensions:
        - name: client.authentication.k8s.io/exec
          extension: { region: eu-west-1 }
contexts:
  - name: eks
    context: { cluster: eks, user: eks-admin }
  - name: gke
    context: { cluster: eks, user: gke-user }
users:
  - name: eks-admin
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args: [eks, get-token, --cluster-name, secret-cluster-name]
        env: [{ name: AWS_PROFILE, value: prod-secret-profile }]
        provideClusterInfo: true
  - name: static
    user:
      token: abc.def.ghi
`;
const SECOND = `apiVersion: v1
kind: Config
users:
  - name: gke-user
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: gke-gcloud-auth-plugin
  - name: eks-admin
    user:
      token: shadowed
`;

test('every user of every file, exec users first, shadowed definitions last and marked; findings per definition', () => {
  const view = kubeconfigUsersView([{ file: '/k/first', text: FIRST }, { file: '/k/second', text: SECOND }, { file: '/k/gone', readError: 'file does not exist' }], onPath);
  assert.deepEqual(view.rows.map((r) => [r.name, r.auth, r.file, r.shadowedBy ?? '']), [
    ['eks-admin', 'exec', '/k/first', ''],
    ['gke-user', 'exec', '/k/second', ''],
    ['static', 'token', '/k/first', ''],
    ['eks-admin', 'token', '/k/second', '/k/first'],
  ]);
  const eks = view.rows[0];
  assert.deepEqual(eks?.exec, { command: 'aws', commandName: 'aws', apiVersion: 'client.authentication.k8s.io/v1beta1', argCount: 4 });
  assert.equal(eks?.line, 18);
  assert.deepEqual(eks?.findings, []);
  const gke = view.rows[1];
  assert.deepEqual(gke?.findings.map((f) => f.code), ['exec-interactive-mode-missing', 'exec-command-not-found', 'exec-install-hint-missing']);
  assert.match(gke?.findings[1]?.message ?? '', /extension host's PATH \(a terminal's PATH may differ/);
  assert.deepEqual(view.rows[3]?.findings.map((f) => f.code), ['user-shadowed']);
  assert.deepEqual(view.unreadable, [{ file: '/k/gone', message: 'file does not exist' }]);
  assert.ok(!JSON.stringify(view).includes('secret-cluster-name') && !JSON.stringify(view).includes('prod-secret-profile'), 'no arg or env value in the view');
});

test('a file that is not YAML is unreadable with its position; the other files still list their users', () => {
  const view = kubeconfigUsersView([{ file: '/k/broken', text: 'users: [\n' }, { file: '/k/second', text: SECOND }], onPath);
  assert.equal(view.unreadable[0]?.file, '/k/broken');
  assert.equal(view.unreadable[0]?.finding?.code, 'yaml-syntax');
  assert.deepEqual(view.rows.map((r) => r.name), ['gke-user', 'eks-admin']);
});

test('the values a run needs are read only on request: exec with args and env values, and the cluster for provideClusterInfo', () => {
  assert.deepEqual(readExecConfig(FIRST, 'eks-admin'), {
    command: 'aws',
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    args: ['eks', 'get-token', '--cluster-name', 'secret-cluster-name'],
    env: [{ name: 'AWS_PROFILE', value: 'prod-secret-profile' }],
    provideClusterInfo: true,
  });
  assert.equal(readExecConfig(FIRST, 'static'), undefined);
  assert.equal(readExecConfig('not: [yaml', 'x'), undefined);
  assert.deepEqual(readExecCluster(FIRST, 'eks'), { server: 'https://eks.example:443', certificateAuthorityData: 'Q0E=', config: { region: 'eu-west-1' } });
});
