import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { demoClusterCommand, type DemoClusterIO } from '../../src/cli/demoClusterCommand';
import { ClusterClient } from '../../src/cluster/clusterClient';

function fake(stop: Promise<void>) {
  let out = '';
  let err = '';
  const written = new Map<string, string>();
  const secret = new Set<string>();
  const io: DemoClusterIO = {
    stdout: (t) => void (out += t),
    stdoutChunks: async (chunks) => {
      for (const t of chunks) out += t;
    },
    stderr: (t) => void (err += t),
    readFile: () => Promise.reject(new Error('no files')),
    writeFile: (p, d, options) => {
      written.set(p, d);
      if (options?.secret) secret.add(p);
      return Promise.resolve();
    },
    removeFile: (p) => {
      written.delete(p);
      return Promise.resolve();
    },
    readStdin: () => Promise.resolve(''),
    readAsset: () => Promise.reject(new Error('no assets')),
    now: () => Date.now(),
    isTTY: false,
    waitForInterrupt: () => stop,
  };
  return { io, out: () => out, err: () => err, written, secret };
}

test('demo-cluster: serves until interrupted; the written kubeconfig works', async () => {
  let interrupt!: () => void;
  const f = fake(new Promise<void>((r) => (interrupt = r)));
  let names: string[] = [];
  f.io.onStarted = () => {
    const kc = new KubeConfig();
    kc.loadFromString(f.written.get('/tmp/demo.kubeconfig') ?? '');
    assert.ok(f.secret.has('/tmp/demo.kubeconfig'), 'the kubeconfig holds the admin token: written owner-only');
    void new ClusterClient(kc, 'kube-token-lens-demo')
      .listNamespaces()
      .then((ns) => (names = ns.map((n) => n.name)))
      .finally(interrupt);
  };
  const code = await demoClusterCommand(['--pods', '5', '--write-kubeconfig', '/tmp/demo.kubeconfig'], f.io);
  assert.equal(code, 0, f.err());
  assert.match(f.out(), /^Demo cluster listening on https:\/\/127\.0\.0\.1:\d+\nkubeconfig: \/tmp\/demo\.kubeconfig \(context kube-token-lens-demo\)\n/);
  assert.match(f.out(), /\n29 pods in 7 namespaces\. Press Ctrl-C to stop\.\nDemo cluster stopped\.\n$/);
  assert.ok(names.includes('payments'));
});

test('demo-cluster: bad flags exit 2', async () => {
  for (const args of [['--pods', '-1'], ['--pods', 'many'], ['--port', '70000'], ['--key-alg', 'HS256'], ['extra'], ['--nope']]) {
    const f = fake(Promise.resolve());
    assert.equal(await demoClusterCommand(args, f.io), 2, args.join(' '));
    assert.match(f.err(), /^kube-token-lens demo-cluster: .*\n\nUsage: kube-token-lens demo-cluster/);
  }
});

test('demo-cluster: the default kubeconfig (a temporary file) is removed when it stops; a named one is kept', async () => {
  const f = fake(Promise.resolve());
  let path: string | undefined;
  f.io.onStarted = () => {
    path = [...f.written.keys()][0];
  };
  assert.equal(await demoClusterCommand(['--pods', '0'], f.io), 0, f.err());
  assert.ok(path && /kube-token-lens-demo-\d+\.kubeconfig$/.test(path), String(path));
  assert.equal(f.written.has(path), false, 'no credential left behind');
  assert.match(f.out(), /Demo cluster stopped; removed .*kube-token-lens-demo-\d+\.kubeconfig\.\n$/);
  const named = fake(Promise.resolve());
  assert.equal(await demoClusterCommand(['--pods', '0', '--write-kubeconfig', '/tmp/mine.kubeconfig'], named.io), 0);
  assert.ok(named.written.has('/tmp/mine.kubeconfig'));
});
