// `kube-token-lens match-image`: the shipped examples and real files in a temporary directory, through main().
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { MATCH_IMAGE_USAGE } from '../../src/cli/matchImageCommand';
import { fakeIO, repoRoot } from './fakeIO';

const tmp = mkdtempSync(join(tmpdir(), 'ktl-match-image-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const EXAMPLES = join(repoRoot(), 'examples', 'credential-providers');
const ECR = join(EXAMPLES, 'ecr-credential-provider.yaml');
const GKE = join(EXAMPLES, 'gke-credential-provider.yaml');
const SA = join(EXAMPLES, 'service-account-token-provider.yaml');
const ECR_IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const f = fakeIO();
  const code = await main(argv, f.io);
  return { code, out: f.stdout(), err: f.stderr() };
}

/** The lines of one provider's block (from its header to the blank line after it). */
function block(out: string, provider: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${provider}: `));
  assert.ok(start >= 0, `no block for ${provider} in:\n${out}`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

test('a matching image: which pattern matched, why the others did not, plain mode, the three cache keys in lookup order; exit 0', async () => {
  const r = await run(['match-image', ECR, ECR_IMAGE]);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  assert.equal(r.out.split('\n')[0], `Image ${ECR_IMAGE}  (kubelet 1.34+, service-account tokens for credential providers on)`);
  assert.deepEqual(block(r.out, 'ecr-credential-provider'), [
    'ecr-credential-provider: matches (by "*.dkr.ecr.*.amazonaws.com")',
    '  ✓ "*.dkr.ecr.*.amazonaws.com"  (the kubelet stops here)',
    '  ✗ "*.dkr.ecr.*.amazonaws.com.cn": host has 6 parts, the pattern 7: `*` never matches a dot',
    "  ✗ \"*.dkr.ecr-fips.*.amazonaws.com\": host part 'ecr' does not match 'ecr-fips'",
    '  ✗ "*.dkr.ecr.us-iso-east-1.c2s.ic.gov": host has 6 parts, the pattern 7: `*` never matches a dot',
    '  ✗ "*.dkr.ecr.us-isob-east-1.sc2s.sgov.gov": host has 6 parts, the pattern 7: `*` never matches a dot',
    '  mode: plain (no service-account token: one cache for all pods)',
    '  cache keys the kubelet looks up for this image, in order (the first live entry is used):',
    `    1. Image     "${ECR_IMAGE}"`,
    '    2. Registry  "123456789012.dkr.ecr.eu-west-1.amazonaws.com"',
    '    3. Global    "<global>"',
    "  on a miss the plugin runs; its answer's cacheKeyType (Image, Registry, Global) decides which of these keys it stores the credentials under.",
  ]);
  assert.match(r.out, /\n1 of 1 provider matches\.\n$/);
});

test('--kubelet-version 1.33: the global key is "global"', async () => {
  const r = await run(['match-image', GKE, 'europe-docker.pkg.dev/p/r/i:1', '--kubelet-version', '1.33']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Image europe-docker\.pkg\.dev\/p\/r\/i:1 {2}\(kubelet 1\.33, service-account tokens for credential providers off\)\n/);
  assert.ok(block(r.out, 'auth-provider-gcp').includes('    3. Global    "global"'));
  assert.ok(block(r.out, 'auth-provider-gcp').includes('    2. Registry  "europe-docker.pkg.dev"'));
});

test('service-account-token mode: audience, cacheType, required and optional annotations, the per-service-account keys', async () => {
  const r = await run(['match-image', SA, 'team.registry.example.com/app']);
  assert.equal(r.code, 0);
  assert.deepEqual(block(r.out, 'registry-token-exchange').slice(0, 8), [
    'registry-token-exchange: matches (by "*.registry.example.com")',
    '  ✗ "registry.example.com": host has 4 parts, the pattern 3: `*` never matches a dot',
    '  ✓ "*.registry.example.com"  (the kubelet stops here)',
    '  mode: service-account token (audience "registry.example.com", cacheType ServiceAccount)',
    '    a pod without a service account gets no credentials from this provider',
    '    the service account must have the annotations "registry.example.com/role" (otherwise no credentials)',
    '    annotations passed to the plugin when present: "registry.example.com/team"',
    "    each cache key below also holds the pod's service account (namespace, name, UID and those annotations: every service account has its own entries)",
  ]);
  // cacheType Token and an optional service account, in a file of our own.
  const dir = mkdtempSync(join(tmp, 'token-'));
  const path = join(dir, 'token.yaml');
  writeFileSync(
    path,
    [
      'apiVersion: kubelet.config.k8s.io/v1',
      'kind: CredentialProviderConfig',
      'providers:',
      '  - name: per-token',
      '    matchImages: ["registry.example.com"]',
      '    defaultCacheDuration: 5m',
      '    apiVersion: credentialprovider.kubelet.k8s.io/v1',
      '    tokenAttributes:',
      '      serviceAccountTokenAudience: registry.example.com',
      '      cacheType: Token',
      '      requireServiceAccount: false',
      '',
    ].join('\n'),
  );
  const t = await run(['match-image', path, 'registry.example.com/app']);
  assert.equal(t.code, 0);
  const lines = block(t.out, 'per-token');
  assert.ok(lines.includes('  mode: service-account token (audience "registry.example.com", cacheType Token)'), lines.join('\n'));
  assert.ok(lines.includes('    a pod without a service account is served as in plain mode, from the shared cache'));
  assert.ok(lines.includes("    each cache key below also holds the pod's service account (namespace, name, UID, and the token's hash: every token has its own entries)"));
});

test('a directory config: every provider in file order, the count of those that match', async () => {
  const r = await run(['match-image', EXAMPLES, 'gcr.io/project/image:1']);
  assert.equal(r.code, 0);
  const headers = r.out.split('\n').filter((l) => /^[a-z-]+: (matches|does not match)/.test(l));
  assert.deepEqual(headers, ['ecr-credential-provider: does not match', 'auth-provider-gcp: matches (by "gcr.io")', 'registry-token-exchange: does not match']);
  assert.match(r.out, /\n1 of 3 providers matches\.\n$/);
});

test('two providers matching: both run, their credentials go into one keyring', async () => {
  const dir = mkdtempSync(join(tmp, 'two-'));
  const provider = (name: string, pattern: string) =>
    `  - name: ${name}\n    matchImages: ["${pattern}"]\n    defaultCacheDuration: 1m\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n`;
  writeFileSync(join(dir, 'a.yaml'), `apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n${provider('exact', 'registry.example.com/team')}${provider('wide', '*.example.com')}`);
  const r = await run(['match-image', dir, 'registry.example.com/team/app']);
  assert.equal(r.code, 0);
  assert.match(r.out, /\n2 of 2 providers match\.\nThe kubelet asks every matching provider and puts all their credentials into one keyring/);
});

test('no provider matches: each pattern says why, exit 3', async () => {
  const r = await run(['match-image', ECR, 'registry.example.com:5000/app']);
  assert.equal(r.code, 3);
  assert.equal(r.err, '');
  assert.deepEqual(block(r.out, 'ecr-credential-provider').slice(0, 2), [
    'ecr-credential-provider: does not match',
    '  ✗ "*.dkr.ecr.*.amazonaws.com": the image has port 5000, the pattern none (ports must be equal; wildcards do not apply to ports)',
  ]);
  assert.doesNotMatch(r.out, /cache keys/, 'no cache keys for a provider that does not run');
  assert.match(r.out, /\nNo provider matches registry\.example\.com:5000\/app: the kubelet runs no credential provider plugin for it/);
  // A Docker Hub short name is its own host of one part: nothing here matches it.
  assert.equal((await run(['match-image', EXAMPLES, 'nginx'])).code, 3);
});

test('an image that does not parse: said once up front and for every pattern, exit 3', async () => {
  for (const [image, error] of [
    ['%zz/app', 'parse "https://%zz/app": invalid URL escape "%zz"'],
    ['registry.example.com:abc/app', 'parse "https://registry.example.com:abc/app": invalid port ":abc" after host'],
  ] as const) {
    const r = await run(['match-image', SA, image]);
    assert.equal(r.code, 3, image);
    const lines = r.out.split('\n');
    assert.equal(lines[1], `The image is not a valid reference for the kubelet's matching (${error}): no provider can match it.`);
    assert.deepEqual(block(r.out, 'registry-token-exchange'), [
      'registry-token-exchange: does not match',
      `  ✗ "registry.example.com": the image is not a valid URL: ${error}`,
      `  ✗ "*.registry.example.com": the image is not a valid URL: ${error}`,
    ]);
  }
});

test('an invalid config: its errors as check-config prints them, on stderr, exit 1', async () => {
  // 1.33's v1 API has no cacheType: the example is invalid there.
  const r = await run(['match-image', SA, 'registry.example.com/app', '--kubelet-version', '1.33', '--feature-gate', 'on']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.deepEqual(r.err.trimEnd().split('\n'), [
    `${SA}:15:7: error: strict decoding error: unknown field "providers[0].tokenAttributes.cacheType" (providers[0].tokenAttributes.cacheType)`,
    '1 error',
    'kube-token-lens match-image: the config is invalid: the kubelet would not start with it (see kube-token-lens check-config)',
  ]);
  const dir = mkdtempSync(join(tmp, 'empty-'));
  const empty = await run(['match-image', dir, 'registry.example.com/app']);
  assert.equal(empty.code, 1);
  assert.match(empty.err, /: error: no configuration files found in directory\n/);
});

test('a valid config with warnings: the warnings on stderr, the answer on stdout', async () => {
  const dir = mkdtempSync(join(tmp, 'warn-'));
  const path = join(dir, 'zero.yaml');
  writeFileSync(
    path,
    'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: zero\n    matchImages: ["registry.example.com"]\n    defaultCacheDuration: 0s\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n',
  );
  const r = await run(['match-image', path, 'registry.example.com/app']);
  assert.equal(r.code, 0);
  assert.match(r.err, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:27: warning: defaultCacheDuration is 0: `));
  assert.match(r.err, /\nvalid: 1 provider, 1 warning\n$/);
  assert.match(r.out, /^zero: matches \(by "registry\.example\.com"\)$/m);
});

test('an unreadable config: the reason, exit 1', async () => {
  const missing = join(tmp, 'nope');
  const r = await run(['match-image', missing, 'registry.example.com/app']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(r.err, `kube-token-lens match-image: cannot read the credential provider config ${missing}: no such file or directory\n`);
});

test('usage errors: message and match-image usage on stderr, exit 2; --help on stdout', async () => {
  const cases: [string[], RegExp][] = [
    [['match-image'], /needs a config \(file or directory\) and an image/],
    [['match-image', ECR], /needs a config \(file or directory\) and an image/],
    [['match-image', ECR, 'a', 'b'], /takes one config and one image/],
    [['match-image', ECR, ''], /the image is empty/],
    [['match-image', ECR, 'a', '--kubelet-version', '1.32'], /--kubelet-version must be one of 1\.33, 1\.34/],
    [['match-image', ECR, 'a', '--feature-gate', 'true'], /--feature-gate must be on or off/],
    [['match-image', ECR, 'a', '--json'], /unknown option --json/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, message);
    assert.ok(r.err.startsWith('kube-token-lens match-image: '));
    assert.ok(r.err.endsWith(MATCH_IMAGE_USAGE));
  }
  const help = await run(['match-image', '--help']);
  assert.equal(help.code, 0);
  assert.equal(help.out, MATCH_IMAGE_USAGE);
});
