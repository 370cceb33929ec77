// The texts of the Test Image and Run Provider Plugin lenses (src/vscode/credentialProviderReports.ts)
// and the credentialProvider.* settings → rules rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCredentialProviderConfig } from '../../../src/sim/credentialProvider/configDecode';
import { explainImage } from '../../../src/sim/credentialProvider/imageExplain';
import { usesServiceAccountTokens } from '../../../src/sim/credentialProvider/config';
import { effectiveCacheExpiry } from '../../../src/sim/credentialProvider/pluginIO';
import { redactDockerConfig, type CredentialProviderPluginRun } from '../../../src/plugins/credentialProviderPlugin';
import { code, firstErrorText, imageTestMarkdown, pluginRunMarkdown } from '../../../src/vscode/credentialProviderReports';
import { credentialProviderRules, settingValue } from '../../../src/vscode/settings';

const TEXT = `apiVersion: kubelet.config.k8s.io/v1
kind: CredentialProviderConfig
providers:
  - name: ecr-credential-provider
    matchImages: ["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn"]
    defaultCacheDuration: 12h
    apiVersion: credentialprovider.kubelet.k8s.io/v1
  - name: registry-token-exchange
    matchImages: ["registry.example.com"]
    defaultCacheDuration: 10m
    apiVersion: credentialprovider.kubelet.k8s.io/v1
    tokenAttributes:
      serviceAccountTokenAudience: registry.example.com
      cacheType: ServiceAccount
      requireServiceAccount: true
`;
const loaded = loadCredentialProviderConfig([{ path: 'c.yaml', text: TEXT }], { kubeletVersion: '1.34' });
const config = loaded.config!;
const RULES = { kubeletVersion: '1.34', serviceAccountTokenGate: true } as const;

function testImage(image: string, rules: { kubeletVersion: '1.33' | '1.34'; serviceAccountTokenGate: boolean } = RULES): string {
  return imageTestMarkdown({ ...rules, image, source: 'c.yaml', providers: config.providers, matches: explainImage(config, image), serviceAccountMode: (p) => usesServiceAccountTokens(p, rules.serviceAccountTokenGate) });
}

test('Test Image: the matching provider, the entry that matched, why the others do not, the keys tried in order', () => {
  assert.ok(loaded.valid);
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4';
  const md = testImage(image);
  assert.match(md, /\*\*1 of 2 providers matches\*\*: `ecr-credential-provider`/);
  assert.match(md, /## ✔ `ecr-credential-provider` matches\n\nMatched by the matchImages entry `\*\.dkr\.ecr\.\*\.amazonaws\.com`/);
  assert.match(md, /## ✘ `registry-token-exchange` does not match/);
  assert.match(md, /- `\*\.dkr\.ecr\.\*\.amazonaws\.com\.cn`: no: /, 'each entry has its verdict');
  const keys = [...md.matchAll(/^\d\. (the image|its registry|the global key): `([^`]+)`/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(keys, [
    ['the image', image],
    ['its registry', '123456789012.dkr.ecr.us-east-1.amazonaws.com'],
    ['the global key', '<global>'],
  ]);
  assert.match(md, /its answer's `cacheKeyType` decides which of these keys/);
  assert.match(md, /defaultCacheDuration, 12h0m0s/);
  assert.doesNotMatch(md, /Service-account-token mode/, 'the ECR provider is not in token mode');
});

test('Test Image: 1.33 uses the "global" key; a token-mode provider says its keys carry the service account', () => {
  const md = testImage('registry.example.com/shop/web:2.1', { kubeletVersion: '1.33', serviceAccountTokenGate: true });
  assert.match(md, /the global key: `global`/);
  assert.match(md, /Service-account-token mode: each key is combined with the pulling pod's service account/);
  assert.match(md, /kubelet 1\.33 rules/);
});

test('Test Image: no provider matches → said plainly', () => {
  assert.match(testImage('docker.io/library/busybox:1.36'), /\*\*No provider matches this image\*\*/);
});

test('firstErrorText: file:line:col of the first error, warnings skipped', () => {
  const bad = loadCredentialProviderConfig([{ path: 'x.yaml', text: TEXT.replace('    defaultCacheDuration: 12h\n', '') }], { kubeletVersion: '1.34' });
  assert.match(firstErrorText(bad.findings) ?? '', /^x\.yaml:4:\d+: providers\.defaultCacheDuration: Required value$/);
  assert.equal(firstErrorText(loaded.findings), undefined);
});

const provider = config.providers[0]!;
const NOW = Date.UTC(2026, 2, 1, 8, 0, 0);
const PASSWORD = 'eyJwYXlsb2FkIjoic2VjcmV0LXBhc3N3b3JkIn0';
const answered: CredentialProviderPluginRun = {
  ok: true,
  binary: '/opt/bin/ecr-credential-provider',
  response: { apiVersion: 'credentialprovider.kubelet.k8s.io/v1', kind: 'CredentialProviderResponse', cacheKeyType: 'Registry', cacheDuration: 12n * 3_600_000_000_000n, auth: { '*.dkr.ecr.us-east-1.amazonaws.com': { username: 'AWS', password: PASSWORD } } },
  warnings: [],
  stderr: '',
  durationMs: 123.4,
  exitCode: 0,
};

test('Run Provider Plugin: the answer with the password hidden, the expiry as a date-time and "in 12h"', () => {
  if (!answered.ok) throw new Error('unreachable');
  const md = pluginRunMarkdown({ ...RULES, provider, image: '1.dkr.ecr.us-east-1.amazonaws.com/a:1', run: answered, now: NOW, withoutToken: false, expiry: effectiveCacheExpiry(provider, answered.response, NOW), redacted: redactDockerConfig(answered.response.auth) });
  assert.ok(!md.includes(PASSWORD), 'the password is not in the report');
  assert.match(md, /\*\*cacheKeyType\*\*: `Registry`, stored under `1\.dkr\.ecr\.us-east-1\.amazonaws\.com`/);
  assert.match(md, /\*\*cacheDuration\*\*: `12h0m0s`/);
  assert.match(md, /\*\*Cached until\*\*: 2026-03-01T20:00:00Z \(in 12h\)/);
  assert.match(md, /\| `\*\.dkr\.ecr\.us-east-1\.amazonaws\.com` \| `AWS` \| •••• \(39 characters\) \|/);
  assert.match(md, /## ✔ Answered in 123ms/);
  const shown = pluginRunMarkdown({ ...RULES, provider, image: 'x', run: answered, now: NOW, withoutToken: false, redacted: redactDockerConfig(answered.response.auth), revealed: answered.response.auth });
  assert.ok(shown.includes(PASSWORD), 'revealed only when asked');
  assert.match(shown, /passwords shown on your request/);
});

test('Run Provider Plugin: absent cacheDuration names the default; 0s is not cached; token mode without a token is said', () => {
  if (!answered.ok) throw new Error('unreachable');
  const absent = { ...answered.response, cacheDuration: undefined };
  const md = pluginRunMarkdown({ ...RULES, provider, image: 'x/y', run: { ...answered, response: absent }, now: NOW, withoutToken: true, expiry: effectiveCacheExpiry(provider, absent, NOW), redacted: {} });
  assert.match(md, /absent, so the provider's defaultCacheDuration applies \(12h0m0s\)/);
  assert.match(md, /This run sent none/);
  assert.match(md, /None: the plugin returned an empty `auth`/);
  const zero = { ...answered.response, cacheDuration: 0n };
  assert.match(pluginRunMarkdown({ ...RULES, provider, image: 'x/y', run: { ...answered, response: zero }, now: NOW, withoutToken: false, expiry: effectiveCacheExpiry(provider, zero, NOW) }), /\*\*Cached until\*\*: not cached: the plugin set cacheDuration to 0s/);
});

test('Run Provider Plugin: a failure shows the error, the exit code and stderr verbatim in a block', () => {
  const failed: CredentialProviderPluginRun = { ok: false, binary: '/opt/bin/p', stage: 'exit', error: 'error execing credential provider plugin p for image x: exit status 3: no role', stderr: 'no role ```\n', durationMs: 20, exitCode: 3 };
  const md = pluginRunMarkdown({ ...RULES, provider, image: 'x', run: failed, now: NOW, withoutToken: false });
  assert.match(md, /## ✘ Failed in 20ms, exit code 3\n\nerror execing credential provider plugin p for image x: exit status 3/);
  assert.match(md, /### stderr\n\n````text\nno role ```\n````/);
});

test('code spans survive backticks', () => {
  assert.equal(code('a'), '`a`');
  assert.equal(code('a`b'), '``a`b``');
  assert.equal(code('`x'), '`` `x ``');
});

test('settings → rules: the gate follows the version unless forced; wrong values fall back', () => {
  assert.deepEqual(credentialProviderRules('1.34', 'default'), { kubeletVersion: '1.34', serviceAccountTokenGate: true });
  assert.deepEqual(credentialProviderRules('1.33', 'default'), { kubeletVersion: '1.33', serviceAccountTokenGate: false });
  assert.deepEqual(credentialProviderRules('1.33', 'on'), { kubeletVersion: '1.33', serviceAccountTokenGate: true });
  assert.deepEqual(credentialProviderRules('1.34', 'off'), { kubeletVersion: '1.34', serviceAccountTokenGate: false });
  assert.equal(settingValue('credentialProvider.kubeletVersion', '1.30'), '1.34');
  assert.equal(settingValue('credentialProvider.kubeletVersion', 1.33), '1.34', 'an unquoted number is not a version');
  assert.equal(settingValue('credentialProvider.serviceAccountTokenGate', 'yes'), 'default');
});
