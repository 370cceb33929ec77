/**
 * Listing benchmark of the cluster layer (prints figures, never fails on time): the demo cluster with
 * 5,000 pods in one namespace (plus its 11 curated pods), listed over HTTPS through ClusterClient
 * (@kubernetes/client-node) in pages of 500, side by side with `kubectl get pods -A -o json` against the
 * same server (kubectl also pages by 500). The server runs in a worker thread so that its work does not
 * share the event loop with the client being measured.
 *
 * Build and run:
 *   npx esbuild --bundle --platform=node --format=cjs --packages=external bench/cluster-list.ts --outfile=/tmp/cluster-list.js && node /tmp/cluster-list.js
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { startDemoCluster } from '../src/cluster/demo';
import { ClusterClient, type PodSummary } from '../src/cluster/clusterClient';

const PODS = 5000;
const PAGE = 500;
const RUNS = 3;

interface Ready {
  kubeconfig: string;
  url: string;
  pods: number;
  startMs: number;
}

async function serve(): Promise<void> {
  const t = performance.now();
  const cluster = await startDemoCluster({ pods: (workerData as { pods: number }).pods, podNamespace: 'load' });
  const ready: Ready = { kubeconfig: cluster.kubeconfigYaml(), url: cluster.url, pods: cluster.store.count('pods'), startMs: performance.now() - t };
  parentPort?.postMessage(ready);
  parentPort?.on('message', () => void cluster.stop().then(() => process.exit(0)));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number): string => `${x.toFixed(0)} ms`;

async function listAll(client: ClusterClient): Promise<PodSummary[]> {
  const items: PodSummary[] = [];
  let cont: string | undefined;
  do {
    const page = await client.listPods(undefined, { limit: PAGE, ...(cont ? { continueToken: cont } : {}) });
    items.push(...page.items);
    cont = page.continueToken;
  } while (cont);
  return items;
}

function kubectl(dir: string, kubeconfig: string): Promise<{ ms: number; items: number; error?: string }> {
  return new Promise((resolve) => {
    const t = performance.now();
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'pods', '-A', '-o', 'json'],
      { env: { ...process.env, HOME: dir, KUBECONFIG: '' }, maxBuffer: 512 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const elapsed = performance.now() - t;
        if (err) return resolve({ ms: elapsed, items: 0, error: stderr.trim() || err.message });
        resolve({ ms: elapsed, items: (JSON.parse(stdout) as { items: unknown[] }).items.length });
      },
    );
  });
}

async function main(): Promise<void> {
  const worker = new Worker(__filename, { workerData: { pods: PODS } });
  const ready = await new Promise<Ready>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  console.log(`demo cluster: ${ready.pods} pods (${PODS} in namespace "load"), started in ${ms(ready.startMs)} at ${ready.url}`);

  const kc = new KubeConfig();
  kc.loadFromString(ready.kubeconfig);
  const client = new ClusterClient(kc, 'kube-token-lens-demo', { timeoutMs: 60_000 });
  await client.listNamespaces(); // warm the connection

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const first: number[] = [];
  const full: number[] = [];
  let held: PodSummary[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const page = await client.listPods(undefined, { limit: PAGE });
    first.push(performance.now() - t);
    if (page.items.length !== PAGE) throw new Error(`first page has ${page.items.length} items`);
    t = performance.now();
    held = await listAll(client);
    full.push(performance.now() - t);
    if (held.length !== ready.pods) throw new Error(`listed ${held.length} of ${ready.pods} pods`);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  const ours = { first: median(first), full: median(full) };
  console.log(`ClusterClient (client-node), pages of ${PAGE}, median of ${RUNS}:`);
  console.log(`  first page: ${ms(ours.first)}   full list (${held.length} pods, ${Math.ceil(held.length / PAGE)} requests): ${ms(ours.full)}`);
  console.log(`  memory: ${mb(heapAfter - heapBefore)} heap growth while holding ${held.length} summaries; process RSS ${mb(process.memoryUsage().rss)} (server worker included)`);
  const sources = held.reduce((n, p) => n + p.tokenSources.length, 0);
  console.log(`  ${sources} projected token sources summarised`);

  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    console.log('kubectl: not installed');
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'ktl-bench-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, ready.kubeconfig);
      await kubectl(dir, kubeconfig); // warm the discovery cache
      const runs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await kubectl(dir, kubeconfig);
        if (r.error) {
          console.log(`kubectl: failed: ${r.error}`);
          break;
        }
        if (r.items !== ready.pods) console.log(`kubectl listed ${r.items} pods (expected ${ready.pods})`);
        runs.push(r.ms);
      }
      if (runs.length === RUNS) {
        const k = median(runs);
        console.log(`kubectl get pods -A -o json (chunks of 500, process start included), median of ${RUNS}: ${ms(k)}`);
        console.log(`ratio kubectl / ClusterClient full list: ${(k / ours.full).toFixed(2)}×`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  worker.postMessage('stop');
  await new Promise((resolve) => worker.once('exit', resolve));
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  void serve();
}
