// Every fixture manifest → exactly the rows the API server's admission and issuance give (SPEC D.1, D.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issuanceOf, podTokensOf, tokenRowsOf } from '../../../src/manifest/tokenRows';
import { readManifest } from '../../../src/manifest/workloads';
import { EXPECTED_ROWS, manifest, manifestFiles } from './fixtures';

function rowsOf(text: string) {
  const read = readManifest(text);
  assert.ok(read.ok, JSON.stringify(!read.ok && read.errors));
  return tokenRowsOf(podTokensOf(read));
}

test('every fixture manifest has its expected rows, and every expectation its fixture', () => {
  assert.deepEqual(manifestFiles(), Object.keys(EXPECTED_ROWS).sort());
  for (const file of manifestFiles()) assert.deepEqual(rowsOf(manifest(file)), EXPECTED_ROWS[file], file);
});

test('a projected row has exactly the documented keys; only legacy rows add legacySecret', () => {
  const keys = ['kind', 'namespace', 'name', 'volume', 'path', 'audience', 'expirationSeconds', 'issuedSeconds', 'extended', 'containers', 'addedByAdmission'];
  for (const file of manifestFiles()) {
    for (const row of rowsOf(manifest(file))) assert.deepEqual(Object.keys(row), row.legacySecret ? [...keys, 'legacySecret'] : keys, file);
  }
});

test('issuance with default flags (SPEC D.1): only a 3607 s token without audience is extended to a year', () => {
  const of = (expirationSeconds: number | undefined, audience?: string) =>
    issuanceOf({ expirationSeconds: expirationSeconds ?? 3600, expirationSecondsDefaulted: expirationSeconds === undefined, ...(audience ? { audience } : {}) });
  assert.deepEqual(of(3607), { issuedSeconds: 3607, jwtLifetimeSeconds: 31_536_000, extended: true });
  assert.deepEqual(of(3607, 'vault'), { issuedSeconds: 3607, jwtLifetimeSeconds: 3607, extended: false });
  assert.deepEqual(of(undefined), { issuedSeconds: 3600, jwtLifetimeSeconds: 3600, extended: false });
  assert.deepEqual(of(3608), { issuedSeconds: 3608, jwtLifetimeSeconds: 3608, extended: false });
  // An audience equal to the API server's own (its issuer, by default) counts as no audience.
  assert.equal(of(3607, 'https://kubernetes.default.svc.cluster.local').extended, true);
});

test('the ServiceAccount of the same file decides only for its namespace', () => {
  const text = manifest('automount-disabled.yaml').replace(/namespace: tools\nautomount/, 'namespace: elsewhere\nautomount');
  // The ServiceAccount moved to another namespace: sa-says-no now gets the default token.
  assert.deepEqual(
    rowsOf(text).map((r) => r.name),
    ['sa-says-no', 'pod-overrides-sa'],
  );
});

test('a subPath mount is still a mount; a source nobody mounts has no containers', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: n}
spec:
  automountServiceAccountToken: false
  containers:
    - name: a
      volumeMounts: [{name: t, mountPath: /token, subPath: token}]
  volumes:
    - name: t
      projected: {sources: [{serviceAccountToken: {path: token, audience: x, expirationSeconds: 7200}}]}
    - name: unused
      projected: {sources: [{serviceAccountToken: {path: token, audience: y, expirationSeconds: 7200}}]}
`;
  assert.deepEqual(
    rowsOf(text).map((r) => [r.volume, r.containers]),
    [
      ['t', ['a']],
      ['unused', []],
    ],
  );
});
