// The credential-provider model in the engine: pulls against the plugin cache on the virtual clock
// (SPEC B.3–B.6), service-account tokens from the kubelet's token manager of the same run, and the
// composition invariant: adding the section leaves every kubelet lane byte-identical.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../../src/sim/engine/run';
import { loadScenario } from '../../../src/sim/scenario/load';
import type { Scenario } from '../../../src/sim/scenario/types';
import type { Trace, TraceEvent } from '../../../src/sim/trace';

function load(text: string): Scenario {
  const r = loadScenario(text, 'test.yaml');
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.scenario;
}

function example(name: string): Scenario {
  return load(readFileSync(`examples/${name}`, 'utf8'));
}

const pulls = (t: Trace, outcome?: string): TraceEvent[] => t.events.filter((e) => e.type === 'pull' && (outcome === undefined || e.data?.outcome === outcome));
const runs = (t: Trace): TraceEvent[] => t.events.filter((e) => e.type === 'pluginExec');

const HEAD = `seed: 1
start: 2026-03-01T00:00:00Z
horizon: 2h
`;

function ecr(plugin: string, pullsYaml: string, extra = ''): string {
  return `${HEAD}${extra}credentialProvider:
  config:
    apiVersion: kubelet.config.k8s.io/v1
    kind: CredentialProviderConfig
    providers:
      - name: ecr
        matchImages: ["*.dkr.ecr.*.amazonaws.com"]
        defaultCacheDuration: 1h
        apiVersion: credentialprovider.kubelet.k8s.io/v1
  plugins:
    ecr:
${plugin}
  pulls:
${pullsYaml}
`;
}

const IMG = '1.dkr.ecr.us-east-1.amazonaws.com';

describe('credential-provider model', () => {
  test('a burst of one image joins one plugin run (singleflight); later pulls hit the entry until it expires', () => {
    const t = runScenario(load(ecr('      latency: 2s\n      responses: [{ cacheKeyType: Image, cacheDuration: 30m }]', `    - { image: ${IMG}/a:1, at: 1m, burst: 8 }\n    - { image: ${IMG}/a:1, at: 10m, every: 10m }`)));
    const first = runs(t)[0];
    assert.equal(first?.data?.joined, 8, 'eight pulls, one run');
    assert.equal(first?.t, Date.parse('2026-03-01T00:01:02Z'));
    const misses = pulls(t, 'miss');
    assert.equal(misses.filter((e) => e.t === first?.t).length, 8);
    // Stored at 1m02s for 30m: pulls at 10m, 20m, 30m hit; the one at 40m finds it expired and runs the plugin.
    // Its lookup first purges (more than 15 min since the purge at 20m), which removes the expired entry.
    const hits = pulls(t, 'hit');
    assert.deepEqual(hits.slice(0, 3).map((e) => (e.t - t.meta.start) / 60_000), [10, 20, 30]);
    assert.ok(misses.some((e) => e.t === t.meta.start + 40 * 60_000 + 2000), 'the 40m pull misses and waits for its run');
    assert.ok(t.events.some((e) => e.type === 'cachePurge' && e.t === t.meta.start + 40 * 60_000), 'the purge on that lookup removes the expired entry');
    const entry = t.spans.find((s) => s.kind === 'cacheEntry');
    assert.equal(entry && (entry.end - entry.start) / 60_000, 30);
  });

  test('Registry-keyed answers serve other images of the registry; pulls of different images during a run are not joined', () => {
    const t = runScenario(load(ecr('      latency: 1s\n      responses: [{ cacheKeyType: Registry }]', `    - { images: [${IMG}/a:1, ${IMG}/b:1, ${IMG}/c:1], at: 1m }\n    - { image: ${IMG}/d:1, at: 5m }`)));
    assert.equal(runs(t).length, 3, 'three images at once: three runs (the key type is unknown until the plugin answers)');
    const d = pulls(t).find((e) => e.data?.image === `${IMG}/d:1`);
    assert.equal(d?.data?.outcome, 'hit');
    assert.match(String(d?.data?.key), /^Registry 1\.dkr\.ecr\.us-east-1\.amazonaws\.com/);
  });

  test('cacheDuration 0 is never cached: every pull runs the plugin again', () => {
    const t = runScenario(load(ecr('      latency: 100ms\n      responses: [{ cacheKeyType: Image, cacheDuration: 0s }]', `    - { image: ${IMG}/a:1, at: 1m, every: 1m, count: 5 }`)));
    assert.equal(runs(t).length, 5);
    assert.equal(pulls(t, 'hit').length, 0);
    assert.ok(pulls(t, 'miss').every((e) => e.data?.notCached === 'zeroDuration'));
    assert.equal(t.events.filter((e) => e.type === 'cacheStore').length, 0);
  });

  test('a failing plugin gives no credentials and caches nothing; the next answer is cached again', () => {
    const t = runScenario(load(ecr('      latency: 0s\n      responses: [{ exitCode: 2, stderr: "AccessDenied" }, { cacheKeyType: Image }]', `    - { image: ${IMG}/a:1, at: 1m, every: 1m, count: 3 }`)));
    assert.deepEqual(pulls(t).map((e) => e.data?.outcome), ['error', 'miss', 'hit']);
    assert.match(String(runs(t)[0]?.error), /exit status 2, stderr: AccessDenied/);
  });

  test('an expired entry nobody reads lingers until the 15-minute purge removes it', () => {
    // Stored at 1m for 1m; another image's lookups trigger the purge once more than 15 min have passed since the last.
    const t = runScenario(
      load(ecr('      latency: 0s\n      responses: [{ cacheKeyType: Image, cacheDuration: 1m }, { cacheKeyType: Image, cacheDuration: 1h }]', `    - { image: ${IMG}/a:1, at: 1m }\n    - { image: ${IMG}/b:1, at: 5m, every: 5m }`)),
    );
    const purge = t.events.find((e) => e.type === 'cachePurge');
    assert.equal(purge && (purge.t - t.meta.start) / 60_000, 20, 'the first lookup strictly after 15 min from the start');
    const linger = t.spans.find((s) => s.kind === 'cacheLinger');
    assert.deepEqual(linger && [(linger.start - t.meta.start) / 60_000, (linger.end - t.meta.start) / 60_000], [2, 20]);
  });

  test('an image no provider matches is shown once per pull, with no plugin run', () => {
    const t = runScenario(load(ecr('      latency: 0s', `    - { image: docker.io/library/busybox:1, at: 1m, every: 30m }`)));
    assert.equal(runs(t).length, 0);
    assert.equal(pulls(t, 'notMatched').length, 4);
    assert.ok(t.lanes.some((l) => l.kind === 'imagePulls'));
  });

  test('service-account mode during an API-server outage: cached answers first, then no credentials once the token has expired', () => {
    const t = runScenario(example('sa-token-pulls-outage.yaml'));
    const start = t.meta.start;
    const web = pulls(t).filter((e) => e.data?.pod === 'shop/web-0');
    const inOutage = (e: TraceEvent): boolean => e.t >= start + 3_600_000 && e.t < start + 3.5 * 3_600_000;
    assert.ok(web.some((e) => inOutage(e) && (e.data?.outcome === 'hit' || e.data?.outcome === 'miss')), 'pulls still get credentials early in the outage');
    const failed = web.filter((e) => e.data?.outcome === 'noCredentials');
    assert.ok(failed.length > 0 && failed.every(inOutage), 'no credentials only inside the outage');
    assert.match(String(failed[0]?.rule), /could not get a service-account token/);
    assert.match(String(failed[0]?.error), /^Error getting service account token shop\/web: /, 'the kubelet\'s own log line');
    assert.ok(web.some((e) => e.t > start + 3.5 * 3_600_000 && e.data?.outcome !== 'noCredentials'), 'credentials again after it');
    // shop/batch's service account lacks the required annotation: never a plugin run for it.
    const batch = pulls(t).filter((e) => e.data?.pod === 'shop/batch');
    assert.ok(batch.length > 0 && batch.every((e) => e.data?.outcome === 'noCredentials' && /lacks an annotation/.test(e.rule)));
  });

  test('the echoed token is rejected unless cacheType is Token', () => {
    const text = (cacheType: string): string => `${HEAD}pods:
  - { name: web-0, namespace: shop, serviceAccount: web, tokens: [{ path: t, expirationSeconds: 3600 }] }
credentialProvider:
  config:
    apiVersion: kubelet.config.k8s.io/v1
    kind: CredentialProviderConfig
    providers:
      - name: exchange
        matchImages: ["registry.example.com"]
        defaultCacheDuration: 10m
        apiVersion: credentialprovider.kubelet.k8s.io/v1
        tokenAttributes: { serviceAccountTokenAudience: registry.example.com, cacheType: ${cacheType}, requireServiceAccount: true }
  plugins:
    exchange: { latency: 0s, responses: [{ cacheKeyType: Registry, echoServiceAccountToken: true }] }
  pulls:
    - { image: registry.example.com/a:1, pod: shop/web-0, at: 1m, every: 5m, count: 3 }
`;
    const sa = runScenario(load(text('ServiceAccount')));
    assert.equal(sa.events.filter((e) => e.type === 'echoRejected').length, 3);
    assert.ok(pulls(sa).every((e) => e.data?.outcome === 'noCredentials'));
    const token = runScenario(load(text('Token')));
    assert.equal(token.events.filter((e) => e.type === 'echoRejected').length, 0);
    assert.deepEqual(pulls(token).map((e) => e.data?.outcome), ['miss', 'hit', 'hit']);
  });

  test('composition: adding a credential-provider section leaves every kubelet lane byte-identical (skip and step)', () => {
    const withCp = example('sa-token-pulls-outage.yaml');
    const { credentialProvider: _cp, ...without } = withCp;
    for (const mode of ['skip', 'step'] as const) {
      const a = runScenario(withCp, { mode });
      const b = runScenario(without as Scenario, { mode });
      const kubeletLanes = b.lanes.filter((l) => l.kind === 'token').map((l) => l.id);
      assert.ok(kubeletLanes.length === 3);
      const on = (t: Trace, lane: string): string => JSON.stringify([t.events.filter((e) => e.lane === lane), t.spans.filter((s) => s.lane === lane)]);
      for (const lane of kubeletLanes) assert.equal(on(a, lane), on(b, lane), `${mode}: ${lane}`);
    }
  });

  test('skip equals step and the same seed gives the same trace, on every credential-provider example', () => {
    for (const f of ['registry-cache-burst.yaml', 'zero-duration-plugin.yaml', 'sa-token-pulls-outage.yaml']) {
      const s = example(f);
      const skip = JSON.stringify(runScenario(s, { mode: 'skip' }));
      assert.equal(skip, JSON.stringify(runScenario(s, { mode: 'step' })), f);
      assert.equal(skip, JSON.stringify(runScenario(s)), f);
    }
  });

  test('series count every pull, every plugin run and every pull not served from the cache', () => {
    const t = runScenario(example('registry-cache-burst.yaml'));
    const total = (name: string): number => (t.series.find((s) => s.name === name)?.values ?? []).reduce((a, b) => a + b, 0);
    assert.equal(total('imagePulls'), 40 + 19 + 1); // the burst, web every 45m from 30m to 14h, busybox
    assert.equal(total('pluginExecs'), runs(t).length);
    assert.equal(total('pullMisses'), pulls(t).filter((e) => e.data?.outcome !== 'hit').length);
  });
});

test('two providers matching one image each run their own plugin at the same time (each has its own singleflight group)', () => {
  const t = runScenario(load(`${HEAD}credentialProvider:
  config:
    apiVersion: kubelet.config.k8s.io/v1
    kind: CredentialProviderConfig
    providers:
      - { name: first, matchImages: ["*.example.com"], defaultCacheDuration: 1h, apiVersion: credentialprovider.kubelet.k8s.io/v1 }
      - { name: second, matchImages: ["registry.example.com"], defaultCacheDuration: 1h, apiVersion: credentialprovider.kubelet.k8s.io/v1beta1 }
  plugins:
    first: { latency: 1s }
    second: { latency: 3s }
  pulls:
    - { image: registry.example.com/a:1, at: 1m, burst: 2 }
    - { image: registry.example.com/a:1, at: 10m }
`));
  const byLane = (lane: string): TraceEvent[] => t.events.filter((e) => e.lane.startsWith(lane));
  assert.deepEqual(runs(t).map((e) => [e.lane, e.data?.joined, (e.t - t.meta.start) / 1000]), [
    ['credential-provider/first', 2, 61],
    ['credential-provider/second', 2, 63],
  ]);
  assert.equal(byLane('credential-provider/first/').filter((e) => e.type === 'pull' && e.data?.outcome === 'hit').length, 1);
  assert.equal(byLane('credential-provider/second/').filter((e) => e.type === 'pull' && e.data?.outcome === 'hit').length, 1);
});

test("an answer whose logins are for other registries gives the pull nothing: the keyring finds no login for the image", () => {
  const t = runScenario(load(ecr(
    '      latency: 0s\n      responses: [{ cacheKeyType: Global, auth: { "*.dkr.ecr.us-east-1.amazonaws.com": { username: AWS } } }]',
    `    - { image: ${IMG}/a:1, at: 1m }\n    - { image: 2.dkr.ecr.eu-west-1.amazonaws.com/b:1, at: 2m }`,
  )));
  const [east, west] = pulls(t);
  assert.equal(east?.data?.outcome, 'miss');
  assert.equal(east?.ok, true);
  // The Global entry serves the eu-west-1 image, but none of its logins is for that registry.
  assert.equal(west?.data?.outcome, 'noCredentials');
  assert.equal(west?.data?.cache, 'hit');
  assert.equal(west?.ok, false);
  assert.match(String(west?.rule), /none of the logins it returned is for this image \(they are for "\*\.dkr\.ecr\.us-east-1\.amazonaws\.com"\)/);
});
