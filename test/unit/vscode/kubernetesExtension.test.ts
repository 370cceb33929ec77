/** The Kubernetes-extension adapter against a fake of that extension's exported API broker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KUBERNETES_EXTENSION_ID, KubernetesExtensionAdapter, type ExtensionLookup, type KubeconfigPathV1 } from '../../../src/vscode/kubernetesExtension';

function fakeExtensions(opts: { path?: KubeconfigPathV1; resolve?: (t: unknown) => unknown; missing?: boolean; noConfiguration?: boolean }) {
  const calls: string[] = [];
  let activated = 0;
  const broker = {
    get(component: string, version: string) {
      calls.push(`${component}/${version}`);
      if (component === 'configuration' && !opts.noConfiguration && version === 'v1') return { available: true, api: { getKubeconfigPath: () => opts.path ?? { pathType: 'host', hostPath: '' } } };
      if (component === 'clusterexplorer' && version === 'v1') return { available: true, api: { resolveCommandTarget: opts.resolve ?? (() => undefined) } };
      return { available: false, reason: 'version-unknown' };
    },
  };
  const lookup: ExtensionLookup = {
    getExtension: (id) =>
      opts.missing || id !== KUBERNETES_EXTENSION_ID
        ? undefined
        : { isActive: false, exports: undefined, activate: async () => (activated++, broker) },
  };
  return { lookup, calls, activations: () => activated };
}

test('not installed: nothing is available and nothing throws', async () => {
  const a = new KubernetesExtensionAdapter(fakeExtensions({ missing: true }).lookup);
  assert.equal(a.installed, false);
  assert.equal(await a.kubeconfigPath(), undefined);
  assert.equal(await a.podTarget({ nodeType: 'resource', name: 'x', namespace: 'y', resourceKind: { manifestKind: 'Deployment' } }), undefined);
  assert.equal(await a.onDidChange(() => undefined), undefined);
});

test('the kubeconfig path: a host path is used (v1_1 tried first, then v1); a WSL path or an empty one is not', async () => {
  const f = fakeExtensions({ path: { pathType: 'host', hostPath: '/home/me/.kube/other' } });
  const a = new KubernetesExtensionAdapter(f.lookup);
  assert.equal(a.installed, true);
  assert.equal(f.activations(), 0, 'installed does not activate it');
  assert.equal(await a.kubeconfigPath(), '/home/me/.kube/other');
  assert.deepEqual(f.calls, ['configuration/v1_1', 'configuration/v1']);
  assert.equal(f.activations(), 1);
  assert.equal(await new KubernetesExtensionAdapter(fakeExtensions({ path: { pathType: 'wsl', wslPath: '/root/.kube/config' } }).lookup).kubeconfigPath(), undefined);
  assert.equal(await new KubernetesExtensionAdapter(fakeExtensions({}).lookup).kubeconfigPath(), undefined);
  assert.equal(await new KubernetesExtensionAdapter(fakeExtensions({ noConfiguration: true }).lookup).kubeconfigPath(), undefined);
});

test('a pod node: the raw tree target is resolved through clusterExplorer.v1; a resolved node is taken as is', async () => {
  const raw = { id: 'opaque tree item' };
  const resolved = { nodeType: 'resource', name: 'web-1', namespace: 'shop', resourceKind: { manifestKind: 'Pod', abbreviation: 'pod' }, kubectlContext: 'prod' };
  const a = new KubernetesExtensionAdapter(fakeExtensions({ resolve: (t) => (t === raw ? resolved : undefined) }).lookup);
  assert.deepEqual(await a.podTarget(raw), { name: 'web-1', namespace: 'shop', context: 'prod' });
  assert.deepEqual(await a.podTarget({ ...resolved, kubectlContext: undefined }), { name: 'web-1', namespace: 'shop' });
  assert.equal(await a.podTarget({ ...resolved, resourceKind: { manifestKind: 'Deployment', abbreviation: 'deploy' } }), undefined, 'not a pod');
  assert.equal(await a.podTarget({ nodeType: 'context', name: 'prod' }), undefined);
  const throwing = new KubernetesExtensionAdapter(fakeExtensions({ resolve: () => { throw new Error('boom'); } }).lookup);
  assert.equal(await throwing.podTarget(raw), undefined, 'a failing resolve is "not a pod", not a crash');
});
