// The execAuth scenario section (src/sim/execAuth/section.ts): defaults, load → normalize →
// serialize → load round trips (minimal and fully written files, the examples), absent lists kept
// apart from empty ones, and the checks' warnings and errors at their places.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatDiagnostic, loadScenario } from '../../../src/sim/scenario/load';
import { scenarioToYaml } from '../../../src/sim/scenario/serialize';
import type { Scenario } from '../../../src/sim/scenario/types';

const HEAD = 'start: 2026-03-02T09:00:00Z\nhorizon: 2h\n';

function load(text: string, name = 'test.yaml'): { scenario: Scenario; warnings: string[] } {
  const r = loadScenario(text, name);
  assert.ok(r.ok, r.ok ? '' : r.errors.map((d) => formatDiagnostic(name, d)).join('\n'));
  return { scenario: r.scenario, warnings: r.warnings.map((d) => formatDiagnostic(name, d)) };
}

function problems(text: string): string[] {
  const r = loadScenario(text, 't.yaml');
  return [...(r.ok ? [] : r.errors), ...r.warnings].map((d) => formatDiagnostic('t.yaml', d));
}

const MINIMAL = `${HEAD}execAuth:
  users:
    - name: dev
      exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin }
      cluster: { server: https://34.1.2.3 }
      clients: [{ name: kubectl }]
`;

test('a minimal user: every default applied, and it round-trips', () => {
  const { scenario, warnings } = load(MINIMAL);
  assert.deepEqual(warnings, []);
  assert.deepEqual(scenario.execAuth, {
    users: [
      {
        name: 'dev',
        exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin' },
        clientGoVersion: '1.24',
        cluster: { server: 'https://34.1.2.3', serverClockAheadMs: 0, revocationsMs: [] },
        plugin: { latencyMs: 1000, errorRate: 0, exitCodes: [0], installed: true },
        clients: [{ name: 'kubectl', process: 'long-lived', terminal: false, stdinUnavailable: false, requests: { atMs: 0, burst: 1, concurrency: 1, latencyMs: 100 } }],
      },
    ],
  });
  assert.deepStrictEqual(load(scenarioToYaml(scenario)).scenario, scenario);
  // Without execAuth the slice is absent, and nothing is written.
  assert.equal(load(`${HEAD}refreshers: [{ kind: calico }]\n`).scenario.execAuth, undefined);
  assert.doesNotMatch(scenarioToYaml(load(`${HEAD}refreshers: [{ kind: calico }]\n`).scenario), /execAuth/);
});

test('a fully written user round-trips; empty lists stay empty and absent ones absent (client-go tells them apart)', () => {
  const text = `${HEAD}execAuth:
  users:
    - name: eks
      clientGoVersion: "1.22"
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: aws
        args: []
        env: [{ name: AWS_PROFILE, value: prod }]
        interactiveMode: Never
        installHint: install the AWS CLI
        provideClusterInfo: true
      cluster: { server: https://x.eks.amazonaws.com, serverClockAhead: 30s, revocations: [30m, 1h] }
      plugin:
        credentialLifetime: 15m
        diskCache: { latency: 50ms }
        latency: 2s
        errorRate: 0.1
        exitCodes: [0, 0, 3]
        installed: true
      clients:
        - name: kubectl
          process: invocations
          terminal: true
          stdinUnavailable: true
          requests: { at: 1m, every: 2m, count: 10, burst: 3, concurrency: 2, latency: 250ms }
        - name: controller
`;
  const { scenario, warnings } = load(text);
  assert.deepEqual(warnings, []);
  const u = scenario.execAuth?.users[0];
  assert.deepEqual(u?.exec.args, []);
  assert.deepEqual(u?.plugin.diskCache, { refreshWhenLessThanMs: 60_000, hitLatencyMs: 50 });
  assert.deepEqual(u?.cluster.revocationsMs, [1_800_000, 3_600_000]);
  assert.deepEqual(u?.clients[0]?.requests, { atMs: 60_000, everyMs: 120_000, count: 10, burst: 3, concurrency: 2, latencyMs: 250 });
  const again = load(scenarioToYaml(scenario)).scenario;
  assert.deepStrictEqual(again, scenario);
  assert.equal(scenarioToYaml(again), scenarioToYaml(scenario));
});

test('the examples load without warnings and round-trip', () => {
  for (const f of ['examples/exec-auth-kubectl-vs-ide.yaml', 'examples/exec-auth-revocation.yaml']) {
    const { scenario, warnings } = load(readFileSync(f, 'utf8'), f);
    assert.deepEqual(warnings, [], f);
    assert.deepStrictEqual(load(scenarioToYaml(scenario), f).scenario, scenario, f);
  }
});

test('checks: the warnings of SPEC C.1 and C.6 at the exec stanza, duplicates, ranges', () => {
  const user = (exec: string, extra = ''): string =>
    `${HEAD}execAuth:\n  users:\n    - name: u\n      exec: ${exec}\n      cluster: { server: https://e }\n      clients: [{ name: c${extra} }]\n`;
  assert.deepEqual(problems(user('{ apiVersion: client.authentication.k8s.io/v1, command: p }')), [
    't.yaml:6:13: warning: interactiveMode must be specified for u to use exec authentication plugin: every plugin run fails (execAuth.users[0].exec)',
  ]);
  assert.deepEqual(problems(user('{ apiVersion: client.authentication.k8s.io/v1alpha1, command: p }')), [
    't.yaml:6:27: warning: client-go 1.24 refuses this user (exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"): every request fails (execAuth.users[0].exec.apiVersion)',
  ]);
  assert.deepEqual(problems(user('{ apiVersion: client.authentication.k8s.io/v1beta1, command: p, interactiveMode: Sometimes }')), [
    't.yaml:6:94: warning: unknown interactiveMode "Sometimes" (Never, IfAvailable or Always): every plugin run fails (execAuth.users[0].exec.interactiveMode)',
  ]);
  assert.deepEqual(problems(user('{ apiVersion: client.authentication.k8s.io/v1beta1, command: p }', ', requests: { every: 0s } ')), [
    't.yaml:8:47: error: every must be greater than 0 (execAuth.users[0].clients[0].requests.every)',
  ]);
  assert.deepEqual(problems(user('{ apiVersion: client.authentication.k8s.io/v1beta1, command: p }', ' }, { name: c')), [
    't.yaml:8:38: error: duplicate client "c" (also execAuth.users[0].clients[0]) (execAuth.users[0].clients[1].name)',
  ]);
  const twice = `${HEAD}execAuth:\n  users:\n    - { name: u, exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: p }, cluster: { server: s, revocations: [3h] }, clients: [{ name: c }] }\n    - { name: u, exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: p }, cluster: { server: s }, clients: [{ name: c, requests: { every: 1ms } }] }\n`;
  const found = problems(twice);
  assert.ok(found.some((p) => /duplicate user "u"/.test(p)), found.join('\n'));
  assert.ok(found.some((p) => /the revocation \(3h\) is at or after the horizon/.test(p)), found.join('\n'));
  assert.ok(found.some((p) => /too many requests in this run: 7200002 /.test(p)), found.join('\n'));
});

test('a user read from a kubeconfig file: the stanza without argument or env values; clear errors otherwise', () => {
  const eks = readFileSync('test/fixtures/kubeconfig/aws-eks.yaml', 'utf8');
  const reader = (files: Record<string, string>) => (path: string, what: { noun: string; directories: boolean }) => {
    const text = files[path];
    return text === undefined ? { ok: false as const, error: `cannot read ${what.noun} ${path}: no such file or directory` } : { ok: true as const, included: { directory: false, files: [{ path, text }] } };
  };
  const scenario = (user: string): string => `seed: 1
start: 2026-03-02T09:00:00Z
horizon: 1h
execAuth:
  users:
    - name: ${user}
      kubeconfig: kube/eks.yaml
      cluster: { server: https://eks.example }
      clients: [{ name: kubectl, process: invocations, requests: { every: 10m } }]
`;
  const ok = loadScenario(scenario('arn:aws:eks:eu-west-1:111122223333:cluster/shop'), 's.yaml', reader({ 'kube/eks.yaml': eks }));
  assert.ok(ok.ok, ok.ok ? '' : ok.errors.map((e) => e.message).join('\n'));
  const exec = ok.scenario.execAuth?.users[0]?.exec;
  assert.equal(exec?.command, 'aws');
  assert.equal(exec?.apiVersion, 'client.authentication.k8s.io/v1beta1');
  assert.deepEqual(exec?.args, ['arg-1', 'arg-2', 'arg-3', 'arg-4', 'arg-5', 'arg-6', 'arg-7', 'arg-8']);
  assert.deepEqual(exec?.env, [{ name: 'AWS_PROFILE', value: 'not-read' }]);
  assert.equal(ok.scenario.execAuth?.users[0]?.kubeconfig, 'kube/eks.yaml');
  const messages = (text: string, files: Record<string, string> | undefined): string[] => {
    const r = loadScenario(text, 's.yaml', files === undefined ? undefined : reader(files));
    return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
  };
  assert.deepEqual(messages(scenario('nobody'), { 'kube/eks.yaml': eks }), ['7:19 no user "nobody" in kube/eks.yaml (its users: "arn:aws:eks:eu-west-1:111122223333:cluster/shop")']);
  assert.deepEqual(messages(scenario('x'), {}), ['7:19 cannot read the kubeconfig kube/eks.yaml: no such file or directory']);
  assert.deepEqual(messages(scenario('x'), undefined), ['7:19 kubeconfig can only be read when the scenario is opened from a file; write the exec stanza under exec instead']);
  const noExec = 'apiVersion: v1\nkind: Config\nusers:\n- name: plain\n  user:\n    token: not-a-real-token\n';
  assert.deepEqual(messages(scenario('plain'), { 'kube/eks.yaml': noExec }), ['7:19 user "plain" in kube/eks.yaml has no exec stanza: client-go never runs a plugin for it']);
});

test('credentials: static and returns: certificate round-trip; their defaults stay out of the normalized scenario', () => {
  const text = `${HEAD}execAuth:
  users:
    - name: u
      exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: p }
      cluster: { server: https://e }
      plugin: { returns: certificate }
      clients: [{ name: own-token, credentials: static }, { name: plugin, credentials: exec }]
`;
  const { scenario, warnings } = load(text);
  assert.deepEqual(warnings, []);
  const u = scenario.execAuth?.users[0];
  assert.equal(u?.plugin.returns, 'certificate');
  assert.equal(u?.clients[0]?.credentials, 'static');
  assert.equal(u?.clients[1] !== undefined && 'credentials' in u.clients[1], false);
  const saved = scenarioToYaml(scenario);
  assert.match(saved, /returns: certificate/);
  assert.match(saved, /credentials: static/);
  assert.deepStrictEqual(load(saved).scenario, scenario);
  const token = load(text.replace('returns: certificate', 'returns: token')).scenario;
  assert.equal(token.execAuth?.users[0]?.plugin.returns, undefined);
  assert.doesNotMatch(scenarioToYaml(token), /returns:/);
  assert.ok(problems(text.replace('credentials: static', 'credentials: both')).some((p) => p.includes('credentials')));
});
