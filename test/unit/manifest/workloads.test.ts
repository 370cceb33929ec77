// Manifest text → documents with positions → workloads; every problem at file:line:col.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatManifestProblem, parseManifestDocuments } from '../../../src/manifest/manifestDocuments';
import { readManifest } from '../../../src/manifest/workloads';
import { manifest } from './fixtures';

function errorsOf(text: string): string[] {
  const r = readManifest(text);
  assert.equal(r.ok, false, 'expected problems');
  return r.ok ? [] : r.errors.map((e) => formatManifestProblem('m.yaml', e));
}

test('documents keep their index and range; empty documents are skipped but counted', () => {
  const r = parseManifestDocuments('---\n# nothing\n---\nkind: A\n---\n\n  kind: B\n  x: 1\n---\n');
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.documents.map((d) => [d.index, d.object.kind, d.range.line, d.range.column]),
    [
      [1, 'A', 4, 1],
      [2, 'B', 7, 3],
    ],
  );
  assert.deepEqual(r.documents[1]?.rangeAt(['x']), { line: 8, column: 6, endLine: 8, endColumn: 7 });
  // A missing path points at the nearest node that exists.
  assert.equal(r.documents[1]?.rangeAt(['x', 'y', 0]).line, 8);
});

test('invalid YAML: every syntax error at file:line:col, nothing else checked', () => {
  // The parser notices the unclosed list where the text ends.
  assert.deepEqual(errorsOf('kind: Pod\nspec: [1, 2\n'), ['m.yaml:3:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  assert.match(errorsOf('a: 1\na: 2\n')[0] ?? '', /^m\.yaml:2:1: YAML syntax: Map keys must be unique/);
});

test('a document that is not a mapping is an error; the other documents are still checked', () => {
  assert.deepEqual(errorsOf('- a\n---\nplain text\n---\nkind: Pod\nmetadata: {name: p}\nspec: {volumes: 3}\n'), [
    'm.yaml:1:1: document 1 is a list, not a Kubernetes object (a mapping with apiVersion and kind)',
    'm.yaml:3:1: document 2 is the text "plain text", not a Kubernetes object (a mapping with apiVersion and kind)',
    'm.yaml:7:17: spec.volumes: expected a list, got the number 3',
  ]);
});

test('pod spec fields of the wrong type, wherever the kind keeps its pod spec', () => {
  const text = `kind: List
items:
  - kind: CronJob
    metadata: {name: c}
    spec:
      jobTemplate:
        spec:
          template:
            spec:
              automountServiceAccountToken: "no"
              containers:
                - name: a
                  volumeMounts: [{name: t}]
              volumes:
                - name: t
                  projected: {sources: [{serviceAccountToken: {expirationSeconds: 300}}]}
  - kind: Deployment
    metadata: {name: d, annotations: {a: 1}}
    spec: {replicas: -1}
  - kind: Pod
    metadata: {name: p}
    spec: {containers: [{name: a}]}
    status: {startTime: "yesterday"}
`;
  assert.deepEqual(errorsOf(text), [
    'm.yaml:10:45: items[0].spec.jobTemplate.spec.template.spec.automountServiceAccountToken: expected true or false, got the text "no"',
    'm.yaml:13:34: items[0].spec.jobTemplate.spec.template.spec.containers[0].volumeMounts[0].mountPath: this field is required',
    'm.yaml:16:63: items[0].spec.jobTemplate.spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken.path: this field is required',
    'm.yaml:16:83: items[0].spec.jobTemplate.spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: 300: may not specify a duration less than 10 minutes',
    'm.yaml:18:42: items[1].metadata.annotations.a: expected a string, got the number 1',
    'm.yaml:19:22: items[1].spec.replicas: expected a whole number ≥ 0, got the number -1',
    'm.yaml:19:11: items[1].spec.template: this mapping is required',
    'm.yaml:23:25: items[2].status.startTime: "yesterday" is not an RFC 3339 date-time such as "2026-01-01T00:00:00Z"',
  ].sort((a, b) => lineCol(a) - lineCol(b)));
});

function lineCol(s: string): number {
  const [, line = '0', col = '0'] = /^m\.yaml:(\d+):(\d+):/.exec(s) ?? [];
  return Number(line) * 1000 + Number(col);
}

test('unknown kinds are skipped, not errors; a document without kind too', () => {
  const r = readManifest('kind: Service\nmetadata: {name: s}\n---\nfoo: bar\n---\nkind: ConfigMap\n');
  assert.ok(r.ok);
  assert.deepEqual(r.workloads, []);
  assert.deepEqual(
    r.skipped.map((s) => [s.kind, s.name, s.range.line]),
    [
      ['Service', 's', 1],
      ['(no kind)', '', 4],
      ['ConfigMap', '', 6],
    ],
  );
});

test('replicas per kind: spec.replicas (default 1), Job parallelism, DaemonSet and CronJob counted as 1', () => {
  const wl = (kind: string, spec: string): { replicas: number; replicasSource: string } => {
    const r = readManifest(`kind: ${kind}\nmetadata: {name: w}\nspec:\n${spec}`);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    const [w] = r.workloads;
    assert.ok(w);
    return { replicas: w.replicas, replicasSource: w.replicasSource };
  };
  const tpl = '  template: {spec: {containers: [{name: a}]}}\n';
  assert.deepEqual(wl('Deployment', `  replicas: 3\n${tpl}`), { replicas: 3, replicasSource: 'spec.replicas' });
  assert.deepEqual(wl('StatefulSet', tpl), { replicas: 1, replicasSource: 'spec.replicas not set: Kubernetes defaults it to 1' });
  assert.deepEqual(wl('ReplicaSet', `  replicas: 0\n${tpl}`), { replicas: 0, replicasSource: 'spec.replicas' });
  assert.deepEqual(wl('ReplicationController', `  replicas: 2\n${tpl}`), { replicas: 2, replicasSource: 'spec.replicas' });
  assert.deepEqual(wl('Job', `  parallelism: 5\n${tpl}`), { replicas: 5, replicasSource: 'spec.parallelism' });
  assert.deepEqual(wl('Job', tpl), { replicas: 1, replicasSource: 'spec.parallelism not set: Kubernetes defaults it to 1' });
  assert.equal(wl('DaemonSet', `  replicas: 9\n${tpl}`).replicas, 1);
  assert.match(wl('DaemonSet', tpl).replicasSource, /^DaemonSet: one pod per node/);
  assert.match(wl('CronJob', '  jobTemplate: {spec: {parallelism: 4, template: {spec: {containers: [{name: a}]}}}}\n').replicasSource, /^CronJob: one Job per schedule/);
});

test('kubectl get pods -o yaml: a List of pods, each with its namespace, uid, start time and own range', () => {
  const r = readManifest(manifest('kubectl-get-pods.yaml'));
  assert.ok(r.ok);
  assert.deepEqual(
    r.workloads.map((w) => [w.kind, w.namespace, w.namespaceSet, w.name, w.template, w.podMetadata.uid, w.startTime, w.startTimeMs, w.path, w.range.line]),
    [
      ['Pod', 'shop', true, 'cart-7d9c6b5f4-k2x8p', false, '9b2f7c1e-5a4d-4e8b-8c3f-1d2e3f4a5b01', '2026-01-01T08:00:00Z', Date.UTC(2026, 0, 1, 8), 'items[0]', 5],
      ['Pod', 'shop', true, 'pricing-0', false, '3e8d1f2a-6b7c-4d9e-8f01-a2b3c4d5e602', '2026-01-02T09:30:05Z', Date.UTC(2026, 0, 2, 9, 30, 5), 'items[1]', 64],
    ],
  );
});

test('no namespace: "default", and the workload says it was not set', () => {
  const r = readManifest(manifest('no-expiration-seconds.yaml'));
  assert.ok(r.ok);
  assert.deepEqual(r.workloads.map((w) => [w.namespace, w.namespaceSet]), [['default', false]]);
});
