import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubeconfig } from '../../../src/sim/execAuth/kubeconfigDocument';
import { execCommandPath, lintKubeconfigs } from '../../../src/sim/execAuth/kubeconfigLint';
import { brief, fixture, lintFixtures, onFakePath } from './kubeconfigFixtures';

function lintText(text: string, resolve = onFakePath, file = '/home/dev/.kube/config') {
  return lintKubeconfigs([parseKubeconfig(text, file)], { resolve, pathOf: 'extensionHost' }).findings;
}

/** A kubeconfig with one context using user `u` of `userYaml` (indented under `user:`). */
function oneUser(userYaml: string): string {
  return `apiVersion: v1
clusters:
- name: c
  cluster: {server: https://c.example.test}
contexts:
- name: c
  context: {cluster: c, user: u}
users:
- name: u
  user:
${userYaml.replace(/^/gm, '    ')}
`;
}

const codes = (text: string, resolve = onFakePath): string[] => lintText(text, resolve).map((f) => f.code);

test('kubeconfigs as aws, gcloud, az + kubelogin and kubectl write them lint clean when their plugins are on PATH', () => {
  for (const name of ['aws-eks.yaml', 'gke.yaml', 'aks-kubelogin.yaml', 'kubectl-set-credentials.yaml']) {
    assert.deepEqual(lintFixtures(name).findings, [], name);
  }
});

test('the users read from the tools\' kubeconfigs: exec fields, args counted, env names only', () => {
  const [aws] = fixture('aws-eks.yaml').users;
  assert.equal(aws?.name, 'arn:aws:eks:eu-west-1:111122223333:cluster/shop');
  assert.equal(aws?.exec?.command?.value, 'aws');
  assert.equal(aws?.exec?.apiVersion?.value, 'client.authentication.k8s.io/v1beta1');
  assert.equal(aws?.exec?.argCount, 8);
  assert.deepEqual(aws?.exec?.env.map((e) => e.name?.value), ['AWS_PROFILE']);
  assert.ok(!JSON.stringify(aws).includes('shop-admin'), 'env values are not kept');
  const [gke] = fixture('gke.yaml').users;
  assert.equal(gke?.exec?.provideClusterInfo?.value, true);
  assert.match(gke?.exec?.installHint?.value ?? '', /^Install gke-gcloud-auth-plugin/);
  const [aks] = fixture('aks-kubelogin.yaml').users;
  assert.equal(aks?.exec?.argCount, 5);
  assert.deepEqual(aks?.exec?.env, []);
  assert.equal(aks?.exec?.provideClusterInfo?.value, false);
  const [dev] = fixture('kubectl-set-credentials.yaml').users;
  assert.equal(dev?.exec?.interactiveMode?.value, 'Never');
});

test('a missing plugin: warning on the command with the extension host\'s PATH named, plus a hint about installHint', () => {
  const findings = lintText(oneUser('exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws'), () => ({ found: false }));
  assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['exec-command-not-found', 'warning'], ['exec-install-hint-missing', 'info']]);
  assert.match(findings[0]?.message ?? '', /exec plugin aws is not on the extension host's PATH \(a terminal's PATH may differ/);
  assert.match(findings[0]?.message ?? '', /exec: executable aws not found/);
  // With an installHint kubectl prints it: no second finding.
  const withHint = codes(oneUser('exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n  installHint: brew install awscli'), () => ({ found: false }));
  assert.deepEqual(withHint, ['exec-command-not-found']);
});

test('a relative command with a slash is looked up next to the kubeconfig file, one without on PATH', () => {
  assert.equal(execCommandPath('aws', '/home/dev/.kube/config'), 'aws');
  assert.equal(execCommandPath('./bin/plugin', '/home/dev/.kube/config'), '/home/dev/.kube/bin/plugin');
  assert.equal(execCommandPath('../tools/plugin', '/home/dev/.kube/config'), '/home/dev/tools/plugin');
  assert.equal(execCommandPath('/opt/plugin', '/home/dev/.kube/config'), '/opt/plugin');
  assert.equal(execCommandPath('bin/plugin', 'config'), 'bin/plugin');
  assert.equal(execCommandPath('../plugin', 'a/config'), 'plugin');
  const asked: string[] = [];
  lintText(oneUser('exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ./bin/plugin'), (c) => {
    asked.push(c);
    return { found: false };
  });
  assert.deepEqual(asked, ['/home/dev/.kube/bin/plugin']);
});

test('the broken fixture: every exec rule at its line:column', () => {
  assert.deepEqual(brief(lintFixtures('broken.yaml').findings), [
    'broken.yaml:40:5 error exec-interactive-mode-missing',
    'broken.yaml:46:19 error exec-api-version-removed',
    'broken.yaml:51:19 error exec-api-version-invalid',
    'broken.yaml:53:24 error exec-interactive-mode-invalid',
    'broken.yaml:58:16 error exec-command-missing',
    'broken.yaml:66:9 error exec-args-malformed',
    'broken.yaml:70:9 error exec-env-malformed',
    'broken.yaml:72:16 error exec-env-malformed',
    'broken.yaml:73:15 warning exec-env-duplicate',
    'broken.yaml:75:9 error exec-env-malformed',
    'broken.yaml:78:5 warning exec-never-runs',
    'broken.yaml:86:16 warning exec-command-not-found',
    'broken.yaml:86:16 info exec-install-hint-missing',
    'broken.yaml:87:27 warning exec-provide-cluster-info-unused',
    'broken.yaml:88:9 info user-unreferenced',
    'broken.yaml:92:16 warning exec-command-not-found',
  ]);
});

test('apiVersion: v1 and v1beta1 accepted, v1alpha1 removed in 1.24, others client-go\'s message, missing its validation message', () => {
  const exec = (apiVersion: string, extra = ''): string => oneUser(`exec:\n  command: aws\n${apiVersion}${extra}`);
  assert.deepEqual(codes(exec('  apiVersion: client.authentication.k8s.io/v1beta1')), []);
  assert.deepEqual(codes(exec('  apiVersion: client.authentication.k8s.io/v1', '\n  interactiveMode: IfAvailable')), []);
  const removed = lintText(exec('  apiVersion: client.authentication.k8s.io/v1alpha1'));
  assert.deepEqual(removed.map((f) => f.code), ['exec-api-version-removed']);
  assert.match(removed[0]?.message ?? '', /removed in Kubernetes 1\.24/);
  const invalid = lintText(exec('  apiVersion: client.authentication.k8s.io/v1beta2'));
  assert.equal(invalid[0]?.message, 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v1beta2"');
  const missing = lintText(exec(''));
  assert.equal(missing[0]?.message, 'apiVersion must be specified for u to use exec authentication plugin');
  assert.equal(missing[0]?.severity, 'error');
});

test('interactiveMode: required for v1, defaulted for v1beta1 and v1alpha1, case-sensitive values', () => {
  const exec = (v: string, mode?: string): string =>
    oneUser(`exec:\n  command: aws\n  apiVersion: client.authentication.k8s.io/${v}${mode === undefined ? '' : `\n  interactiveMode: ${mode}`}`);
  const v1 = lintText(exec('v1'));
  assert.equal(v1[0]?.message, 'interactiveMode must be specified for u to use exec authentication plugin');
  assert.deepEqual(codes(exec('v1', '""')), ['exec-interactive-mode-missing']);
  assert.deepEqual(codes(exec('v1beta1')), []);
  for (const mode of ['Never', 'IfAvailable', 'Always']) assert.deepEqual(codes(exec('v1', mode)), [], mode);
  for (const mode of ['never', 'ifAvailable', 'Sometimes']) assert.deepEqual(codes(exec('v1beta1', mode)), ['exec-interactive-mode-invalid'], mode);
});

test('command: empty or absent is client-go\'s validation error', () => {
  assert.deepEqual(codes(oneUser('exec:\n  apiVersion: client.authentication.k8s.io/v1beta1')), ['exec-command-missing']);
  const empty = lintText(oneUser('exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ""'));
  assert.equal(empty[0]?.message, 'command must be specified for u to use exec authentication plugin');
});

test('provideClusterInfo: fine with a context on a defined cluster; a warning with none', () => {
  const exec = 'exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n  provideClusterInfo: true';
  assert.deepEqual(codes(oneUser(exec)), []);
  assert.deepEqual(codes(oneUser(exec).replace('cluster: c, user: u', 'cluster: elsewhere, user: u')), ['exec-provide-cluster-info-unused']);
  // No context at all: both that and the unreferenced user.
  assert.deepEqual(codes(oneUser(exec).replace('user: u}', 'user: other}')).sort(), ['exec-provide-cluster-info-unused', 'user-unreferenced']);
  assert.deepEqual(codes(oneUser(exec.replace('true', 'false')).replace('cluster: c, user: u', 'cluster: elsewhere, user: u')), []);
  assert.deepEqual(codes(oneUser(exec.replace('true', '"yes"'))), ['structure']);
});

test('env: not a list, an entry not a mapping, no name, a non-string value, a repeated name; values never in messages', () => {
  const env = (yaml: string): string => oneUser(`exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n  env:${yaml}`);
  assert.deepEqual(codes(env(' {A: b}')), ['exec-env-malformed']);
  assert.deepEqual(codes(env('\n  - A=b')), ['exec-env-malformed']);
  assert.deepEqual(codes(env('\n  - {value: secret-1}')), ['exec-env-malformed']);
  assert.deepEqual(codes(env('\n  - {name: "", value: secret-1}')), ['exec-env-malformed']);
  assert.deepEqual(codes(env('\n  - {name: N, value: 12345}')), ['exec-env-malformed']);
  assert.deepEqual(codes(env('\n  - {name: N, value: a}\n  - {name: N, value: secret-2}')), ['exec-env-duplicate']);
  assert.deepEqual(codes(env('\n  - {name: N}')), [], 'a missing value is an empty one');
  assert.deepEqual(codes(env(' null')), []);
  const all = lintText(env('\n  - {value: secret-1}\n  - {name: N, value: 12345}\n  - {name: N, value: secret-2}'));
  for (const f of all) assert.ok(!/secret-|12345/.test(f.message), f.message);
});

test('args: counted, and a non-string argument is reported by position, never by value', () => {
  const f = lintText(oneUser('exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n  args: [get-token, 424242]'));
  assert.deepEqual(f.map((x) => x.code), ['exec-args-malformed']);
  assert.match(f[0]?.message ?? '', /argument 2/);
  assert.ok(!(f[0]?.message ?? '').includes('424242'));
  assert.deepEqual(codes(oneUser('exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n  args: --all')), ['exec-args-malformed']);
});

test('static credentials beside exec: the plugin never runs (SPEC C.2)', () => {
  const exec = 'exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws';
  for (const [field, what] of [
    ['token: not-a-real-token', /a token/],
    ['tokenFile: /var/run/token', /a tokenFile/],
    ['username: admin', /a username\/password/],
    ['client-certificate-data: Zm9v', /a client certificate/],
    ['client-certificate: /etc/cert.pem', /a client certificate/],
  ] as const) {
    const f = lintText(oneUser(`${field}\n${exec}`));
    assert.deepEqual(f.map((x) => x.code), ['exec-never-runs'], field);
    assert.match(f[0]?.message ?? '', what);
    assert.ok(!(f[0]?.message ?? '').includes('not-a-real-token'));
  }
  assert.deepEqual(codes(oneUser(`token: ""\n${exec}`)), [], 'an empty token is no token');
});

test('auth-provider: gcp and azure removed in 1.26 with what to install; oidc fine; unknown names; not with exec', () => {
  const gcp = lintFixtures('gke-legacy.yaml').findings;
  assert.deepEqual(brief(gcp), ['gke-legacy.yaml:24:13 error auth-provider-removed']);
  assert.match(gcp[0]?.message ?? '', /gke-gcloud-auth-plugin/);
  const azure = lintFixtures('aks-legacy.yaml').findings;
  assert.deepEqual(brief(azure), ['aks-legacy.yaml:25:13 error auth-provider-removed']);
  assert.match(azure[0]?.message ?? '', /kubelogin convert-kubeconfig/);
  assert.deepEqual(codes(oneUser('auth-provider:\n  name: oidc\n  config: {idp-issuer-url: https://idp.example.test}')), []);
  assert.deepEqual(codes(oneUser('auth-provider:\n  name: openstack')), ['auth-provider-unknown']);
  assert.deepEqual(
    codes(oneUser('auth-provider:\n  name: oidc\nexec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws')),
    ['exec-with-auth-provider'],
  );
});

test('a user no context uses is an info finding; users without exec are otherwise left alone', () => {
  const text = oneUser('token: not-a-real-token').replace('user: u}', 'user: other}');
  const f = lintText(text);
  assert.deepEqual(f.map((x) => [x.code, x.severity, x.user]), [['user-unreferenced', 'info', 'u']]);
});

test('structure kubectl refuses: a duplicate name in one file, a list that is not a list, a name that is not a string', () => {
  const dup = lintText(`users:\n- name: u\n  user: {}\n- name: u\n  user: {}\n`);
  assert.deepEqual(dup.map((f) => [f.code, f.range.line, f.range.column]), [['user-unreferenced', 2, 9], ['duplicate-name', 4, 9]]);
  assert.deepEqual(codes('users: {u: {}}\n'), ['structure']);
  assert.deepEqual(codes('users:\n- user: {}\n'), ['structure']);
  assert.deepEqual(codes('users:\n- name: 7\n  user: {}\n'), ['structure']);
  assert.deepEqual(codes('users:\n- name: u\n  user: [exec]\n'), ['structure']);
  assert.deepEqual(codes('- just a list\n'), ['structure']);
  assert.deepEqual(codes(''), [], 'an empty file is an empty kubeconfig');
  assert.deepEqual(codes('users:\n- name: u\n  user:\n    exec: aws\n'), ['user-unreferenced', 'structure']);
});

test('YAML that does not parse: one yaml-syntax error, nothing else read', () => {
  const doc = fixture('not-yaml.yaml');
  assert.equal(doc.parsed, false);
  assert.ok(doc.problems.length > 0);
  assert.ok(doc.problems.every((p) => p.code === 'yaml-syntax' && p.severity === 'error'));
  assert.deepEqual(doc.users, []);
});
