import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, loadScenario, type Diagnostic } from '../../../src/sim/scenario/load';
import type { Scenario } from '../../../src/sim/scenario/types';

const HEAD = 'start: 2026-01-01T00:00:00Z\nhorizon: 6h\n';

function load(text: string, fileName = 'test.yaml'): Scenario {
  const r = loadScenario(text, fileName);
  assert.ok(r.ok, r.ok ? '' : r.errors.map((d) => formatDiagnostic(fileName, d)).join('\n'));
  return r.scenario;
}

/** Each error as "line:col path: message", in file order. */
function errors(text: string, fileName = 'test.yaml'): string[] {
  const r = loadScenario(text, fileName);
  assert.ok(!r.ok, 'expected errors');
  return r.errors.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`);
}

function only(text: string): string {
  const list = errors(text);
  assert.equal(list.length, 1, list.join('\n'));
  return list[0] ?? '';
}

test('the issue example loads to the exact Scenario', () => {
  const text = `seed: 7
start: 2026-01-01T00:00:00Z
horizon: 6h
kubelet: { syncFrequency: 1m }
apiServer: { extendTokenExpiration: true, outages: [{ from: 2h, to: 3h30m }] }
pods:
  - name: web-0
    namespace: shop
    serviceAccount: web
    tokens:
      - { path: kube-api-access/token, expirationSeconds: 3607 }
      - { path: vault/token, audience: vault, expirationSeconds: 600 }
`;
  const r = loadScenario(text, 'issue-example.yaml');
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, []);
  const s = r.scenario;
  assert.equal(s.pods[0]?.uid.length, 36);
  assert.deepEqual(s, {
    seed: 7,
    start: Date.UTC(2026, 0, 1),
    horizonMs: 6 * 3_600_000,
    kubelet: { syncFrequencyMs: 60_000, version: '1.34' },
    apiServer: {
      issuer: 'https://kubernetes.default.svc.cluster.local',
      audiences: ['https://kubernetes.default.svc.cluster.local'],
      maxTokenExpirationSeconds: 0,
      extendTokenExpiration: true,
      outages: [{ from: 2 * 3_600_000, to: 3.5 * 3_600_000 }],
      errorRate: 0,
      latencyMs: 0,
    },
    pods: [
      {
        name: 'web-0',
        namespace: 'shop',
        serviceAccount: 'web',
        uid: s.pods[0]?.uid,
        tokens: [
          { path: 'kube-api-access/token', expirationSeconds: 3607 },
          { path: 'vault/token', audiences: ['vault'], expirationSeconds: 600 },
        ],
      },
    ],
    refreshers: [],
    output: { maxDetailedLanes: 200, seriesIntervalMs: 60_000 },
  });
});

test('defaults of every optional section', () => {
  const s = load(`${HEAD}pods: []\nsigner: { refreshHint: 1h }\nrefreshers: [{ kind: calico }, { kind: calico, refreshInterval: 30m }]\n`);
  assert.equal(s.seed, 1);
  assert.equal(s.name, undefined);
  assert.deepEqual(s.kubelet, { syncFrequencyMs: 60_000, version: '1.34' });
  assert.equal(s.apiServer.maxTokenExpirationSeconds, 0);
  assert.equal(s.apiServer.extendTokenExpiration, true);
  assert.deepEqual(s.signer, { refreshHintSeconds: 3600, rotations: [], outages: [] });
  assert.deepEqual(s.refreshers, [
    { kind: 'calico', name: 'calico-node', namespace: 'calico-system', serviceAccount: 'calico-cni-plugin', expirationSeconds: 86_400 },
    {
      kind: 'calico',
      name: 'calico-node-1',
      namespace: 'calico-system',
      serviceAccount: 'calico-cni-plugin',
      expirationSeconds: 86_400,
      refreshIntervalMs: 1_800_000,
    },
  ]);
  const p = load(`${HEAD}pods: [{ name: a, tokens: [] }]\napiServer: { issuer: https://i.example, maxTokenExpiration: 24h }\n`);
  assert.deepEqual(p.pods[0]?.namespace, 'default');
  assert.deepEqual(p.pods[0]?.serviceAccount, 'default');
  assert.deepEqual(p.apiServer.audiences, ['https://i.example']);
  assert.equal(p.apiServer.maxTokenExpirationSeconds, 86_400);
});

test('nil vs [] audiences stay different (SPEC A.2)', () => {
  const s = load(`${HEAD}pods:
  - name: a
    tokens:
      - { path: none, expirationSeconds: 3607 }
      - { path: empty, audiences: [], expirationSeconds: 3607 }
      - { path: one, audience: vault, expirationSeconds: 600 }
      - { path: two, audiences: [b, a], expirationSeconds: 600 }
      - { path: blank, audience: "", expirationSeconds: 600 }
`);
  const tokens = s.pods[0]?.tokens ?? [];
  assert.equal(tokens[0]?.audiences, undefined);
  assert.ok(!('audiences' in (tokens[0] ?? {})));
  assert.deepEqual(tokens[1]?.audiences, []);
  assert.deepEqual(tokens[2]?.audiences, ['vault']);
  assert.deepEqual(tokens[3]?.audiences, ['b', 'a']);
  assert.equal(tokens[4]?.audiences, undefined);
});

test('replicas expand into name-0..name-(n-1), each with its own deterministic uid', () => {
  const text = `${HEAD}pods:\n  - { name: web, namespace: shop, replicas: 3, tokens: [{ path: t, expirationSeconds: 3607 }] }\n  - { name: db, uid: fixed-uid, tokens: [] }\n`;
  const s = load(text);
  assert.deepEqual(
    s.pods.map((p) => `${p.namespace}/${p.name}`),
    ['shop/web-0', 'shop/web-1', 'shop/web-2', 'default/db'],
  );
  const uids = s.pods.map((p) => p.uid);
  assert.equal(new Set(uids).size, 4);
  assert.equal(uids[3], 'fixed-uid');
  for (const uid of uids.slice(0, 3)) assert.match(uid, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // Same text, same uids; and the tokens are not shared objects between replicas.
  assert.deepEqual(load(text).pods.map((p) => p.uid), uids);
  assert.notEqual(s.pods[0]?.tokens, s.pods[1]?.tokens);
  // replicas: 1 still names the pod name-0 (the rule is "replicas stamps out name-i").
  assert.equal(load(`${HEAD}pods: [{ name: x, replicas: 1, tokens: [] }]\n`).pods[0]?.name, 'x-0');
});

test('JSON input, with positions', () => {
  const json = JSON.stringify(
    { start: '2026-01-01T00:00:00Z', horizon: '1h', pods: [{ name: 'a', tokens: [{ path: 't', expirationSeconds: 3607 }] }] },
    null,
    '\t',
  );
  assert.equal(load(json, 'x.json').pods[0]?.name, 'a');
  const bad = '{\n  "start": "2026-01-01T00:00:00Z",\n  "horizon": "1h",\n  "pods": [],\n  "sed": 3\n}\n';
  assert.deepEqual(errors(bad, 'x.json'), ['5:3 sed: unknown property "sed" (did you mean "seed"?)']);
  const syntax = loadScenario('{\n  "start": "2026-01-01T00:00:00Z",\n  "pods": [\n}\n', 'x.json');
  assert.ok(!syntax.ok);
  assert.match(syntax.errors[0]?.message ?? '', /^JSON syntax: /);
  assert.ok((syntax.errors[0]?.line ?? 0) >= 3);
});

test('YAML syntax errors carry their position', () => {
  assert.deepEqual(errors('a: [1, 2\nb: 1\n'), ['2:1 : YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  assert.deepEqual(errors(`${HEAD}pods: []\nhorizon: 1h\n`), ['4:1 : YAML syntax: Map keys must be unique']);
  assert.deepEqual(errors(`${HEAD}pods: []\n---\nx: 1\n`), ['4:1 : YAML syntax: Source contains multiple documents: a scenario file holds one document']);
  const tab = errors('pods:\n\t- name: x\n');
  assert.match(tab[0] ?? '', /^2:1 : YAML syntax: /);
});

test('unknown property: at the key, with a suggestion or the allowed names', () => {
  assert.equal(
    only(`${HEAD}pods:\n  - name: a\n    tokens:\n      - path: t\n        expirationSecond: 3607\n`),
    '7:9 pods[0].tokens[0].expirationSecond: unknown property "expirationSecond" (did you mean "expirationSeconds"?)',
  );
  assert.equal(
    only(`${HEAD}pods: []\nkubelet: { colour: red }\n`),
    '4:12 kubelet.colour: unknown property "colour"; allowed here: syncFrequency, version',
  );
});

test('wrong types: at the value', () => {
  assert.equal(only(`seed: "7"\n${HEAD}pods: []\n`), '1:7 seed: expected an integer, got string "7"');
  assert.equal(only(`seed: 1.5\n${HEAD}pods: []\n`), '1:7 seed: expected an integer, got number 1.5');
  assert.equal(only(`${HEAD}pods: {}\n`), '3:7 pods: expected a list, got an object');
  assert.equal(only(`${HEAD}pods: []\napiServer: { extendTokenExpiration: yes }\n`), '4:37 apiServer.extendTokenExpiration: expected true or false, got string "yes"');
  assert.equal(only(`${HEAD}pods: []\nkubelet:\n`), '4:9 kubelet: expected an object, got an empty value (null)');
  assert.equal(only(`${HEAD}pods: [{ name: 7, tokens: [] }]\n`), '3:16 pods[0].name: expected a string, got number 7');
});

test('durations and date-times: the parser says what is wrong', () => {
  assert.equal(
    only('start: 2026-01-01T00:00:00Z\nhorizon: 6\npods: []\n'),
    '2:10 horizon: expected a duration such as "90s", "48m" or "1h30m", got number 6 (add a unit, e.g. "6s")',
  );
  assert.equal(
    only(`${HEAD}pods: []\nkubelet: { syncFrequency: 1.5m }\n`),
    '4:27 kubelet.syncFrequency: fractions are not supported in duration "1.5m": combine units instead, e.g. "1h30m" for 1.5h',
  );
  assert.equal(
    only('start: 2026-01-01\nhorizon: 1h\npods: []\n'),
    '1:8 start: "2026-01-01" has no time of day: write e.g. "2026-01-01T00:00:00Z"',
  );
  assert.equal(only('start: 1767225600\nhorizon: 1h\npods: []\n'), '1:8 start: expected an RFC 3339 date-time such as "2026-01-01T00:00:00Z", got number 1767225600');
});

test('missing required properties: at the parent key or item', () => {
  assert.deepEqual(errors('seed: 1\n'), [
    '1:1 start: missing required property "start"',
    '1:1 horizon: missing required property "horizon"',
    '1:1 pods: missing required property "pods"',
  ]);
  assert.equal(only(`${HEAD}pods:\n  - tokens: []\n`), '4:5 pods[0].name: missing required property "name"');
  assert.equal(only(`${HEAD}pods: []\nsigner: {}\n`), '4:1 signer.refreshHint: missing required property "refreshHint"');
  assert.equal(
    only(`${HEAD}pods: []\napiServer:\n  outages:\n    - { from: 1h }\n`),
    '6:7 apiServer.outages[0].to: missing required property "to"',
  );
});

test('enums and ranges, with the reason', () => {
  assert.equal(
    only(`${HEAD}pods: []\nkubelet: { version: 1.20 }\n`),
    '4:21 kubelet.version: expected one of "1.19", "1.20", "1.34", got number 1.20; quote it: YAML reads an unquoted 1.20 as the number 1.2',
  );
  assert.equal(
    only(`${HEAD}pods: []\nkubelet: { version: "1.25" }\n`),
    '4:21 kubelet.version: must be one of "1.19", "1.20", "1.34", got "1.25"; quote it: YAML reads an unquoted 1.20 as the number 1.2',
  );
  assert.equal(
    only(`${HEAD}pods: [{ name: a, tokens: [{ path: t, expirationSeconds: 599 }] }]\n`),
    '3:58 pods[0].tokens[0].expirationSeconds: must be ≥ 600, got 599; the API server rejects lifetimes under 10 minutes or over 2^32 seconds (SPEC D.1)',
  );
  assert.equal(only(`${HEAD}pods: []\napiServer: { errorRate: 1.5 }\n`), '4:25 apiServer.errorRate: must be ≤ 1, got 1.5');
  assert.equal(only(`seed: -1\n${HEAD}pods: []\n`), '1:7 seed: must be ≥ 0, got -1');
  assert.equal(only(`${HEAD}pods: [{ name: "", tokens: [] }]\n`), '3:16 pods[0].name: must not be empty');
  assert.equal(only(`${HEAD}pods: []\nrefreshers: [{ kind: calicoo }]\n`), '4:22 refreshers[0].kind: must be one of "calico", got "calicoo"');
});

test('semantic rules', () => {
  assert.equal(
    only(`${HEAD}pods: [{ name: a, tokens: [{ path: t, audience: x, audiences: [y], expirationSeconds: 600 }] }]\n`),
    '3:52 pods[0].tokens[0].audiences: "audiences" cannot be used together with "audience": use one of them',
  );
  assert.equal(
    only(`${HEAD}pods: []\napiServer: { outages: [{ from: 3h, to: 2h }] }\n`),
    '4:40 apiServer.outages[0].to: outage must end after it starts: from 3h is not before to 2h',
  );
  assert.equal(
    only(`${HEAD}pods: []\napiServer: { maxTokenExpiration: 30m }\n`),
    '4:34 apiServer.maxTokenExpiration: maxTokenExpiration must be 0 (no cap) or between 1h and 2^32 seconds (SPEC D.4)',
  );
  assert.equal(load(`${HEAD}pods: []\napiServer: { maxTokenExpiration: 0 }\n`).apiServer.maxTokenExpirationSeconds, 0);
  assert.equal(load(`${HEAD}pods: []\napiServer: { maxTokenExpiration: "0" }\n`).apiServer.maxTokenExpirationSeconds, 0);
  assert.equal(
    only(`${HEAD}pods: []\napiServer: { maxTokenExpiration: 1h500ms }\n`),
    '4:34 apiServer.maxTokenExpiration: maxTokenExpiration must be a whole number of seconds, got 1h500ms',
  );
  assert.equal(only('start: 2026-01-01T00:00:00Z\nhorizon: 0s\npods: []\n'), '2:10 horizon: horizon must be greater than 0');
  assert.equal(only(`${HEAD}pods: []\nsigner: { refreshHint: 0s }\n`), '4:24 signer.refreshHint: refreshHint must be greater than 0');
  assert.equal(
    only(`${HEAD}pods: []\nsigner: { refreshHint: 1h, rotations: [{ at: 2h }, { at: 1h }] }\n`),
    '4:58 signer.rotations[1].at: rotations must be listed in increasing time order',
  );
  assert.deepEqual(errors(`${HEAD}pods:\n  - { name: web, replicas: 2, uid: u, tokens: [{ path: t }, { path: t }] }\n  - { name: web-1, tokens: [] }\n`), [
    '4:31 pods[0].uid: uid cannot be set when replicas > 1: each replica gets its own uid derived from its name',
    '4:69 pods[0].tokens[1].path: duplicate token path "t" in this pod (also pods[0].tokens[0])',
    '5:13 pods[1].name: duplicate pod default/web-1 (also from pods[0])',
  ]);
  assert.equal(
    only(`${HEAD}pods:\n  - { name: a, uid: u, tokens: [] }\n  - { name: b, uid: u, tokens: [] }\n`),
    '5:21 pods[1].uid: duplicate uid "u" (also pods[0])',
  );
  assert.equal(only(`${HEAD}pods: [{ name: a, replicas: 60000, tokens: [] }, { name: b, replicas: 50000, tokens: [] }]\n`), '3:7 pods: too many pods after expanding replicas: 110000 (at most 100000)');
});

test('warnings do not stop loading', () => {
  const r = loadScenario(
    `${HEAD}pods: [{ name: a, deleteAt: 7h, tokens: [{ path: t }] }]\napiServer: { maxTokenExpiration: 1h, outages: [{ from: 1h, to: 3h }, { from: 2h, to: 4h }, { from: 8h, to: 9h }] }\n`,
    'w.yaml',
  );
  assert.ok(r.ok);
  assert.deepEqual(
    r.warnings.map((d: Diagnostic) => `${d.line}:${d.column} ${d.path}: ${d.message}`),
    [
      '3:29 pods[0].deleteAt: deleteAt (7h) is at or after the horizon (6h): it never happens in this run',
      '3:42 pods[0].tokens[0]: no expirationSeconds: the API server gives this token its default lifetime (3600 s) and the kubelet refreshes it at 80 % of that; the request leaves the field unset, so its kubelet cache entry differs from an explicit 3600',
      '4:34 apiServer.maxTokenExpiration: maxTokenExpiration 1h is below 3607 s: kube-api-access tokens are clamped first and so never extended (SPEC D.1 steps 7–8, D.4)',
      '4:70 apiServer.outages[1]: outage overlaps apiServer.outages[0] (1h–3h)',
      '4:100 apiServer.outages[2].from: this outage (8h) is at or after the horizon (6h): it never happens in this run',
    ],
  );
  assert.equal(r.scenario.pods[0]?.tokens[0]?.expirationSeconds, undefined);
});

test('all errors are reported together, structural and semantic, in file order', () => {
  const text = `seed: -1
start: 2026-01-01
horizon: 6
kubelet: { syncFrequency: 1.5m, version: 1.20, foo: 1 }
apiServer:
  maxTokenExpiration: 30m
  outages: [{ from: 3h, to: 2h }, {from: 1h}]
pods:
  - name: web
    tokens:
      - { path: a, audience: x, audiences: [y], expirationSeconds: 599 }
  - nme: x
    tokens: {}
`;
  assert.deepEqual(
    errors(text).map((e) => e.split(': ')[0]),
    [
      '1:7 seed',
      '2:8 start',
      '3:10 horizon',
      '4:27 kubelet.syncFrequency',
      '4:42 kubelet.version',
      '4:48 kubelet.foo',
      '6:23 apiServer.maxTokenExpiration',
      '7:29 apiServer.outages[0].to',
      '7:35 apiServer.outages[1].to',
      '11:33 pods[0].tokens[0].audiences',
      '11:68 pods[0].tokens[0].expirationSeconds',
      '12:5 pods[1].nme',
      '12:5 pods[1].name',
      '13:13 pods[1].tokens',
    ],
  );
  // An invalid expirationSeconds is not reported as "not set" too.
  const r = loadScenario(text, 'x.yaml');
  assert.ok(!r.ok);
  assert.deepEqual(r.warnings, []);
});

test('odd documents: empty, not an object, non-string keys, aliases', () => {
  assert.deepEqual(errors(''), ['1:1 : the scenario is empty: expected an object with start, horizon and pods']);
  assert.deepEqual(errors('# nothing\n'), ['1:1 : the scenario is empty: expected an object with start, horizon and pods']);
  assert.deepEqual(errors('- 1\n'), ['1:1 : expected an object, got a list']);
  assert.equal(only(`${HEAD}pods: []\n1: x\n`), '4:1 : property names must be strings, got 1');
  assert.equal(only(`${HEAD}pods: []\n[a]: x\n`), '4:1 : property names must be strings, got a list');
  const s = load(`${HEAD}x-tokens: &t\npods:\n  - { name: a, tokens: &tok [{ path: t, expirationSeconds: 3607 }] }\n  - { name: b, tokens: *tok }\n`.replace('x-tokens: &t\n', ''));
  assert.deepEqual(s.pods[1]?.tokens, [{ path: 't', expirationSeconds: 3607 }]);
  // A wrong value behind an alias is reported where the alias is used.
  assert.equal(only(`${HEAD}name: &n web\nseed: *n\npods: []\n`), '4:7 seed: expected an integer, got string "web"');
});

test('formatDiagnostic: file:line:col: severity: message (path)', () => {
  const d: Diagnostic = { message: 'bad', path: 'pods[0]', line: 3, column: 5, severity: 'error' };
  assert.equal(formatDiagnostic('a.yaml', d), 'a.yaml:3:5: error: bad (pods[0])');
  assert.equal(formatDiagnostic('a.yaml', { ...d, path: '' }), 'a.yaml:3:5: error: bad');
});
