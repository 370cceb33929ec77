// How fast the credential-provider model runs image pulls on the virtual clock, and what a big run
// holds in memory: a node pulling from two registries all day, from one burst-free stream to a
// pull every second, with and without a plugin answer that is never cached. Prints figures only.
import { runScenarioWithStats } from '../src/sim/engine/run';
import { loadScenario } from '../src/sim/scenario/load';

function scenario(every: string, cacheDuration: string, maxDetailedLanes: number): string {
  return `seed: 1
start: 2026-03-01T00:00:00Z
horizon: 1d
output: { maxDetailedLanes: ${maxDetailedLanes} }
credentialProvider:
  config:
    apiVersion: kubelet.config.k8s.io/v1
    kind: CredentialProviderConfig
    providers:
      - { name: ecr, matchImages: ["*.dkr.ecr.*.amazonaws.com"], defaultCacheDuration: 12h, apiVersion: credentialprovider.kubelet.k8s.io/v1 }
      - { name: gcr, matchImages: ["*.pkg.dev"], defaultCacheDuration: 1m, apiVersion: credentialprovider.kubelet.k8s.io/v1 }
  plugins:
    ecr: { latency: 800ms, responses: [{ cacheKeyType: Image, cacheDuration: ${cacheDuration} }] }
    gcr: { latency: 300ms, responses: [{ cacheKeyType: Registry }] }
  pulls:
    - { images: [1.dkr.ecr.us-east-1.amazonaws.com/a:1, 1.dkr.ecr.us-east-1.amazonaws.com/b:1, europe-docker.pkg.dev/p/r/c:1], every: ${every}, burst: 2 }
`;
}

const cases: Array<[string, string, string, number]> = [
  ['every 1m, cached 30m', '1m', '30m', 100],
  ['every 1s, cached 30m', '1s', '30m', 100],
  ['every 1s, never cached (0s)', '1s', '0s', 100],
  ['every 1s, never cached, no lane detail', '1s', '0s', 0],
];
for (const [label, every, cache, detail] of cases) {
  const loaded = loadScenario(scenario(every, cache, detail), 'bench.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const { trace, stats } = runScenarioWithStats(loaded.scenario);
  const ms = performance.now() - t0;
  const heap = process.memoryUsage().heapUsed - before;
  const pulls = (trace.series.find((s) => s.name === 'imagePulls')?.values ?? []).reduce((a, b) => a + b, 0);
  const runs = (trace.series.find((s) => s.name === 'pluginExecs')?.values ?? []).reduce((a, b) => a + b, 0);
  console.log(
    `${label.padEnd(42)} ${String(pulls).padStart(8)} pulls ${String(runs).padStart(7)} plugin runs ` +
      `${ms.toFixed(0).padStart(6)} ms  ${Math.round(pulls / (ms / 1000)).toLocaleString('en-US').padStart(10)} pulls/s  ` +
      `${String(stats.traceEvents).padStart(8)} events  heap +${(heap / 1048576).toFixed(0)} MiB`,
  );
}
