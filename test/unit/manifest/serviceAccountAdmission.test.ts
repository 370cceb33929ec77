// SPEC D.3: ServiceAccount admission's token defaults, as upstream applies them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { admitServiceAccount, automountDecision, kubeApiAccessVolume, MIRROR_POD_ANNOTATION } from '../../../src/manifest/serviceAccountAdmission';
import { SA_MOUNT_PATH, type PodSpecShape } from '../../../src/manifest/podTokenSources';

const suffix = (): string => 'abcde';
const never = (): string => assert.fail('no new volume name may be drawn');

test('a plain pod gets kube-api-access-<suffix>, mounted read-only at the SA path in init containers first', () => {
  const spec: PodSpecShape = { initContainers: [{ name: 'init' }], containers: [{ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] };
  const r = admitServiceAccount({ spec }, { volumeSuffix: suffix });
  assert.equal(r.addedVolume, 'kube-api-access-abcde');
  assert.deepEqual(r.mountedIn, ['init', 'app']);
  assert.deepEqual(r.spec.volumes, [kubeApiAccessVolume('kube-api-access-abcde')]);
  assert.deepEqual(r.spec.containers?.[0]?.volumeMounts, [
    { name: 'data', mountPath: '/data' },
    { name: 'kube-api-access-abcde', readOnly: true, mountPath: SA_MOUNT_PATH },
  ]);
  assert.deepEqual(r.decision, { automount: true, why: 'default' });
  assert.equal(r.serviceAccount, 'default');
  const [src] = r.tokenSources;
  assert.ok(src);
  assert.equal(src.expirationSeconds, 3607);
  assert.equal(src.audience, undefined);
  assert.equal(src.addedByAdmission, true);
  assert.equal(src.isKubeApiAccess, true);
  // The input is not changed.
  assert.deepEqual(spec, { initContainers: [{ name: 'init' }], containers: [{ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] });
});

test('the volume is exactly the API server\'s: token 3607 s, root CA, namespace, mode 0644', () => {
  assert.deepEqual(kubeApiAccessVolume('kube-api-access-q'), {
    name: 'kube-api-access-q',
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  });
});

test('an existing kube-api-access-* volume is reused: no name drawn, no volume added, missing mounts added', () => {
  const spec: PodSpecShape = {
    volumes: [{ name: 'kube-api-access-old12', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }],
    containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'kube-api-access-old12', mountPath: SA_MOUNT_PATH }] }],
  };
  const r = admitServiceAccount({ spec }, { volumeSuffix: never });
  assert.equal(r.addedVolume, undefined);
  assert.deepEqual(r.mountedIn, ['a']);
  assert.equal(r.spec.volumes?.length, 1);
  assert.deepEqual(r.tokenSources.map((s) => [s.volume, s.addedByAdmission, s.mounts.map((m) => m.container)]), [['kube-api-access-old12', false, ['a', 'b']]]);
});

test('upstream: when every container already has something at the SA path, no volume is added', () => {
  const spec: PodSpecShape = {
    volumes: [{ name: 'legacy', secret: { secretName: 'default-token-abcde' } }],
    containers: [{ name: 'a', volumeMounts: [{ name: 'legacy', mountPath: SA_MOUNT_PATH }] }],
  };
  const r = admitServiceAccount({ spec }, { volumeSuffix: suffix });
  assert.equal(r.addedVolume, undefined);
  assert.deepEqual(r.mountedIn, []);
  assert.deepEqual(r.spec.volumes, spec.volumes);
  assert.deepEqual(r.tokenSources, []);
  // A pod with no containers at all needs no volume either.
  assert.equal(admitServiceAccount({ spec: {} }, { volumeSuffix: suffix }).addedVolume, undefined);
});

test('who decides automount: the pod, then its ServiceAccount, then the default; mirror pods never', () => {
  assert.deepEqual(automountDecision({ automountServiceAccountToken: false }, null, true), { automount: false, why: 'pod' });
  assert.deepEqual(automountDecision({ automountServiceAccountToken: true }, null, false), { automount: true, why: 'pod' });
  assert.deepEqual(automountDecision({}, null, false), { automount: false, why: 'serviceAccount' });
  assert.deepEqual(automountDecision({}, null, true), { automount: true, why: 'serviceAccount' });
  assert.deepEqual(automountDecision({}, undefined), { automount: true, why: 'default' });
  assert.deepEqual(automountDecision({ automountServiceAccountToken: true }, { [MIRROR_POD_ANNOTATION]: 'x' }), { automount: false, why: 'mirrorPod' });
  const off = admitServiceAccount({ spec: { automountServiceAccountToken: false, containers: [{ name: 'a' }] } }, { volumeSuffix: never });
  assert.deepEqual([off.addedVolume, off.mountedIn, off.tokenSources], [undefined, [], []]);
});

test('property: admission is idempotent, and every (init) container ends with exactly one mount at the SA path', () => {
  const container = fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), atSaPath: fc.boolean() });
  fc.assert(
    fc.property(fc.array(container, { maxLength: 4 }), fc.array(container, { maxLength: 3 }), fc.boolean(), (cs, inits, hasVolume) => {
      const build = (list: typeof cs) => list.map((c) => ({ name: c.name, ...(c.atSaPath ? { volumeMounts: [{ name: 'other', mountPath: SA_MOUNT_PATH }] } : {}) }));
      const spec: PodSpecShape = { containers: build(cs), initContainers: build(inits), ...(hasVolume ? { volumes: [{ name: 'kube-api-access-zzzzz' }] } : {}) };
      const once = admitServiceAccount({ spec }, { volumeSuffix: suffix });
      const twice = admitServiceAccount({ spec: once.spec }, { volumeSuffix: suffix });
      assert.deepEqual(twice.spec, once.spec);
      assert.deepEqual(twice.mountedIn, []);
      for (const c of [...(once.spec.containers ?? []), ...(once.spec.initContainers ?? [])]) {
        assert.equal((c.volumeMounts ?? []).filter((m) => m.mountPath === SA_MOUNT_PATH).length, 1);
      }
      const needed = [...inits, ...cs].some((c) => !c.atSaPath);
      assert.equal(once.addedVolume !== undefined, needed && !hasVolume);
    }),
  );
});
