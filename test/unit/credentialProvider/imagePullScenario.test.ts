import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCredentialProviderConfig } from '../../../src/sim/credentialProvider/configDecode';
import type { CredentialKubeletVersion, CredentialProviderConfig } from '../../../src/sim/credentialProvider/config';
import { imagePullScenario, sampleImageFor } from '../../../src/sim/credentialProvider/imagePullScenario';
import { urlsMatchStr } from '../../../src/sim/credentialProvider/imageMatch';
import { loadScenario } from '../../../src/sim/scenario/load';
import { runScenario } from '../../../src/sim/engine/run';

const START = Date.UTC(2026, 2, 1, 8, 0, 0);
const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples', 'credential-providers');

function config(text: string, version: CredentialKubeletVersion = '1.34'): CredentialProviderConfig {
  const loaded = loadCredentialProviderConfig([{ path: 'c.yaml', text }], { kubeletVersion: version });
  assert.ok(loaded.valid && loaded.config, loaded.findings.map((f) => f.message).join('; '));
  return loaded.config;
}

function example(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

function loadAndRun(text: string) {
  const loaded = loadScenario(text, 'built.yaml');
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; '));
  return { scenario: loaded.scenario, trace: runScenario(loaded.scenario) };
}

test('sample images match their pattern (SPEC B.8): wildcards filled, a repository added', () => {
  assert.equal(sampleImageFor('*.dkr.ecr.*.amazonaws.com'), 'example.dkr.ecr.example.amazonaws.com/app:1.0');
  assert.equal(sampleImageFor('registry.example.com'), 'registry.example.com/app:1.0');
  assert.equal(sampleImageFor('registry.example.com:5000/team'), 'registry.example.com:5000/team/app:1.0');
  assert.equal(sampleImageFor('registry.example.com/team/'), 'registry.example.com/team/app:1.0');
  assert.equal(sampleImageFor('registry.example.com/team/web:1.2'), 'registry.example.com/team/web:1.2');
  assert.equal(sampleImageFor('us-*-docker.pkg.dev'), 'us-example-docker.pkg.dev/app:1.0');
  assert.equal(sampleImageFor('%zz'), undefined, 'a pattern that does not parse matches nothing');
});

test('property: a sample image, when there is one, is matched by its pattern', () => {
  const part = fc.stringMatching(/^[a-z0-9*-]{1,8}$/);
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), fc.option(fc.stringMatching(/^(\/[a-z0-9]{1,5}){1,2}\/?$/), { nil: undefined }), (parts, path) => {
      const pattern = `${parts.join('.')}${path ?? ''}`;
      const image = sampleImageFor(pattern);
      if (image !== undefined) assert.ok(urlsMatchStr(pattern, image), `${pattern} ↛ ${image}`);
    }),
  );
});

test('an ECR-style config: loads, runs, one stream per provider with a burst then every 10 minutes for 12 h', () => {
  const built = imagePullScenario({ config: config(example('ecr-credential-provider.yaml')), kubeletVersion: '1.34', serviceAccountTokenGate: true, start: START, source: 'ecr.yaml' });
  assert.match(built.text, /^# Image pulls built by Kube Token Lens from ecr\.yaml \(kubelet 1\.34 rules,/);
  const { scenario, trace } = loadAndRun(built.text);
  assert.equal(scenario.horizonMs, 12 * 3_600_000);
  assert.equal(scenario.start, START);
  const cp = scenario.credentialProvider;
  assert.ok(cp);
  assert.equal(built.streams.length, cp.config.providers.length);
  assert.equal(cp.pulls.length, 2 * built.streams.length);
  assert.deepEqual(cp.pulls.slice(0, 2).map((p) => [p.atMs, p.everyMs, p.burst]), [[0, undefined, 5], [600_000, 600_000, 1]]);
  const pulls = trace.events.filter((e) => e.type === 'pull');
  // 5 at the start + 72 every 10 minutes (10 min … 12 h inclusive) per stream.
  const pulled = (trace.series.find((s) => s.name === 'imagePulls')?.values ?? []).reduce((a, b) => a + b, 0);
  assert.equal(pulled, 77 * built.streams.length);
  assert.ok(trace.events.some((e) => e.type === 'pluginExec'), 'the plugin runs');
  assert.ok(trace.events.some((e) => e.type === 'cacheStore'), 'its answer is cached');
  assert.ok(!pulls.some((e) => e.data?.outcome === 'notMatched' && built.streams.some((s) => s.image === e.data?.image)), 'every sample image is matched');
});

test('service-account-token mode: a pod and an annotated service account exercise the token path', () => {
  const built = imagePullScenario({ config: config(example('service-account-token-provider.yaml')), kubeletVersion: '1.34', serviceAccountTokenGate: true, start: START, horizonMs: 3_600_000 });
  assert.equal(built.streams.length, 1);
  assert.equal(built.streams[0]?.pod, 'default/registry-token-exchange-puller');
  const { scenario, trace } = loadAndRun(built.text);
  assert.deepEqual(scenario.pods.map((p) => `${p.namespace}/${p.name}:${p.serviceAccount}`), ['default/registry-token-exchange-puller:registry-token-exchange-puller']);
  const sa = scenario.credentialProvider?.serviceAccounts[0];
  assert.deepEqual(sa?.annotations, { 'registry.example.com/role': 'example', 'registry.example.com/team': 'example' });
  assert.ok(trace.events.some((e) => e.type === 'tokenRequest'), 'the kubelet asks its token manager for the pod\'s token');
  const fetched = trace.events.filter((e) => e.type === 'pull' && e.ok === true);
  assert.ok(fetched.length > 0, 'pulls get credentials');
});

test('with the gate off (1.33 default) the same provider gets no pod: no token mode', () => {
  const text = example('ecr-credential-provider.yaml');
  const built = imagePullScenario({ config: config(text, '1.33'), kubeletVersion: '1.33', serviceAccountTokenGate: false, start: START, horizonMs: 3_600_000 });
  assert.ok(!built.text.includes('\npods:'));
  const { scenario } = loadAndRun(built.text);
  assert.equal(scenario.credentialProvider?.kubeletVersion, '1.33');
  assert.equal(scenario.credentialProvider?.serviceAccountTokenGate, false);
});

test('a provider without a usable sample image is named in the header as skipped; the others still pull', () => {
  // Only a config the kubelet rejects can get here (validation refuses patterns that do not parse):
  // the builder must still not throw or invent a match.
  const valid = config(example('ecr-credential-provider.yaml'));
  const broken: CredentialProviderConfig = { ...valid, providers: [{ ...valid.providers[0]!, name: 'odd', matchImages: ['%zz'] }, ...valid.providers] };
  const built = imagePullScenario({ config: broken, kubeletVersion: '1.34', serviceAccountTokenGate: true, start: START, horizonMs: 3_600_000 });
  assert.deepEqual(built.skipped.map((s) => s.provider), ['odd']);
  assert.equal(built.streams.length, valid.providers.length);
  assert.match(built.text, /# {3}odd: no pulls, no sample image matches its first matchImages pattern "%zz"/);
});
