// `kube-token-lens check-config`: real files in a temporary directory and the shipped examples, through main().
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { CHECK_CONFIG_USAGE } from '../../src/cli/checkConfigCommand';
import { fakeIO, repoRoot } from './fakeIO';

const tmp = mkdtempSync(join(tmpdir(), 'ktl-check-config-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh directory under tmp with these files. */
function dir(files: Record<string, string>): string {
  const d = join(tmp, `d${n++}`);
  mkdirSync(d);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function file(text: string, name = 'config.yaml'): string {
  return join(dir({ [name]: text }), name);
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const f = fakeIO();
  const code = await main(argv, f.io);
  return { code, out: f.stdout(), err: f.stderr() };
}

const HEAD = 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n';

function provider(name: string, extra = ''): string {
  return `  - name: ${name}\n    matchImages: ["*.example.com"]\n    defaultCacheDuration: 10m\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n${extra}`;
}

const EXAMPLES = join(repoRoot(), 'examples', 'credential-providers');

test('the shipped examples are valid for 1.34: one summary line, exit 0', async () => {
  for (const [name, providers] of [['ecr-credential-provider.yaml', 1], ['gke-credential-provider.yaml', 1], ['service-account-token-provider.yaml', 1]] as const) {
    const r = await run(['check-config', join(EXAMPLES, name)]);
    assert.equal(r.code, 0, name);
    assert.equal(r.out, `valid: ${providers} provider\n`);
    assert.equal(r.err, '');
  }
  const all = await run(['check-config', EXAMPLES]);
  assert.equal(all.code, 0);
  assert.equal(all.out, 'valid: 3 providers\n');
});

test('errors: file:line:col: error: message (path), every one at once, then the count; exit 1', async () => {
  const path = file(
    [
      'apiVersion: kubelet.config.k8s.io/v1',
      'kind: CredentialProviderConfig',
      'providers:',
      '  - name: a/b',
      '    matchImages: ["%invalid%"]',
      '    defaultCacheDuration: "-1m"',
      '    apiVersion: credentialprovider.kubelet.k8s.io/v2',
      '',
    ].join('\n'),
  );
  const r = await run(['check-config', path]);
  assert.equal(r.code, 1);
  assert.equal(r.err, '');
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    `${path}:4:11: error: providers.name: Invalid value: "a/b": provider name cannot contain '/' (providers[0].name)`,
    `${path}:5:19: error: providers.matchImages: Invalid value: "%invalid%": match image is invalid: parse "https://%invalid%": invalid URL escape "%in" (providers[0].matchImages[0])`,
    `${path}:6:27: error: providers.defaultCacheDuration: Invalid value: "-1m0s": must be greater than or equal to 0 (providers[0].defaultCacheDuration)`,
    `${path}:7:17: error: providers.apiVersion: Unsupported value: "credentialprovider.kubelet.k8s.io/v2": supported values: "credentialprovider.kubelet.k8s.io/v1", "credentialprovider.kubelet.k8s.io/v1alpha1", "credentialprovider.kubelet.k8s.io/v1beta1" (providers[0].apiVersion)`,
    '4 errors',
  ]);
});

test('a decoding error points at the unknown key; a YAML syntax error has a position too', async () => {
  const path = file(`${HEAD}${provider('ecr')}    matchImage: ["x"]\n`);
  const r = await run(['check-config', path]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.trimEnd().split('\n'), [`${path}:8:5: error: strict decoding error: unknown field "providers[0].matchImage" (providers[0].matchImage)`, '1 error']);
  // JSON counts the same way: the column of the key's opening quote.
  const line5 = '    {"name": "j", "matchImages": ["x.io"], "defaultCacheDuration": "1m", "apiVersion": "credentialprovider.kubelet.k8s.io/v1", "extra": 1}';
  const json = file(`{\n  "apiVersion": "kubelet.config.k8s.io/v1",\n  "kind": "CredentialProviderConfig",\n  "providers": [\n${line5}\n  ]\n}\n`, 'config.json');
  const j = await run(['check-config', json]);
  assert.equal(j.code, 1);
  assert.equal(j.out, `${json}:5:${line5.indexOf('"extra"') + 1}: error: strict decoding error: unknown field "providers[0].extra" (providers[0].extra)\n1 error\n`);
  const syntax = file('kind: CredentialProviderConfig\nproviders: [\n');
  const s = await run(['check-config', syntax]);
  assert.equal(s.code, 1);
  assert.match(s.out, new RegExp(`^${escape(syntax)}:\\d+:\\d+: error: YAML syntax: `));
  assert.match(s.out, /\n1 error\n$/);
});

test('warnings alone: printed as warning:, the summary counts them, exit 0', async () => {
  const path = file(`${HEAD}${provider('zero').replace('10m', '0s')}`);
  const r = await run(['check-config', path]);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    `${path}:6:27: warning: defaultCacheDuration is 0: nothing from this provider is cached unless the plugin's response sets cacheDuration, so the plugin runs on every image pull. (providers[0].defaultCacheDuration)`,
    'valid: 1 provider, 1 warning',
  ]);
  // Errors and warnings together: both counted, still exit 1.
  const mixed = file(`${HEAD}${provider('zero').replace('10m', '0s')}${provider('a b')}`);
  const m = await run(['check-config', mixed]);
  assert.equal(m.code, 1);
  assert.match(m.out, /\n1 error, 1 warning\n$/);
});

test('a directory: .json/.yaml/.yml regular files in Go string order, providers concatenated, a duplicate name refused where it is repeated', async () => {
  const d = dir({
    'b.yaml': `${HEAD}${provider('shared')}`,
    'a.yml': `${HEAD}${provider('first')}${provider('shared')}`,
    'C.json': JSON.stringify({ apiVersion: 'kubelet.config.k8s.io/v1', kind: 'CredentialProviderConfig', providers: [{ name: 'upper', matchImages: ['x.io'], defaultCacheDuration: '1m', apiVersion: 'credentialprovider.kubelet.k8s.io/v1' }] }),
    'ignored.YAML': 'not: read',
    'notes.txt': 'not read either',
  });
  mkdirSync(join(d, 'sub.yaml'));
  symlinkSync(join(d, 'b.yaml'), join(d, 'link.yaml'));
  const json = await run(['check-config', d, '--json']);
  const parsed = JSON.parse(json.out) as { files: string[]; providers: { name: string; file: string; line: number }[] };
  // 'C' (0x43) sorts before 'a' (0x61); directories, symbolic links and other extensions are skipped.
  assert.deepEqual(parsed.files, [join(d, 'C.json'), join(d, 'a.yml'), join(d, 'b.yaml')]);
  assert.deepEqual(
    parsed.providers.map((p) => [p.name, p.file, p.line]),
    [
      ['upper', join(d, 'C.json'), 1],
      ['first', join(d, 'a.yml'), 4],
      ['shared', join(d, 'a.yml'), 8],
      ['shared', join(d, 'b.yaml'), 4],
    ],
  );
  const r = await run(['check-config', d]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.trimEnd().split('\n'), [`${join(d, 'b.yaml')}:4:11: error: duplicate provider name "shared" found in configuration file(s) (providers[0].name)`, '1 error']);
  // 1.33 reads the files too; there validation reports the duplicate with its own text.
  const old = await run(['check-config', d, '--kubelet-version', '1.33']);
  assert.equal(old.code, 1);
  assert.match(old.out, new RegExp(`^${escape(join(d, 'b.yaml'))}:4:11: error: providers.name: Duplicate value: "shared"`));
});

test('--kubelet-version 1.33 and 1.34 judge tokenAttributes differently', async () => {
  const sa = (cacheType: string) =>
    `${HEAD}${provider('sa', `    tokenAttributes:\n      serviceAccountTokenAudience: registry.example.com\n${cacheType}      requireServiceAccount: false\n`)}`;
  const withCacheType = file(sa('      cacheType: Token\n'));
  const withoutCacheType = file(sa(''));

  const new34 = await run(['check-config', withCacheType, '--kubelet-version', '1.34']);
  assert.equal(new34.code, 0);
  assert.equal(new34.out, 'valid: 1 provider\n');
  // 1.33's v1 API has no cacheType: strict decoding refuses it.
  const old33 = await run(['check-config', withCacheType, '--kubelet-version', '1.33', '--feature-gate', 'on']);
  assert.equal(old33.code, 1);
  assert.deepEqual(old33.out.trimEnd().split('\n'), [
    `${withCacheType}:10:7: error: strict decoding error: unknown field "providers[0].tokenAttributes.cacheType" (providers[0].tokenAttributes.cacheType)`,
    '1 error',
  ]);

  // Without cacheType: valid in 1.33 (gate on), required in 1.34.
  assert.equal((await run(['check-config', withoutCacheType, '--kubelet-version=1.33', '--feature-gate=on'])).out, 'valid: 1 provider\n');
  const missing = await run(['check-config', withoutCacheType]);
  assert.equal(missing.code, 1);
  assert.match(missing.out, /:8:5: error: providers\.tokenAttributes\.cacheType: Required value: cacheType is required to be set when tokenAttributes is specified\. Supported values are: ServiceAccount, Token \(providers\[0\]\.tokenAttributes\.cacheType\)\n1 error\n$/);

  // The gate: off by default in 1.33 (tokenAttributes forbidden), and selectable in 1.34.
  const gateOff = await run(['check-config', withoutCacheType, '--kubelet-version', '1.33']);
  assert.equal(gateOff.code, 1);
  // The error points at tokenAttributes' contents; the advice says what the gate being off means.
  assert.match(gateOff.out, /:9:7: error: providers\.tokenAttributes: Forbidden: tokenAttributes is not supported when KubeletServiceAccountTokenForCredentialProviders feature gate is disabled/);
  assert.match(gateOff.out, /:9:7: warning: tokenAttributes has no effect while the KubeletServiceAccountTokenForCredentialProviders feature gate is off/);
  assert.match(gateOff.out, /\n1 error, 1 warning\n$/);
  const off34 = await run(['check-config', withCacheType, '--feature-gate', 'off']);
  assert.equal(off34.code, 1);
  assert.match(off34.out, /Forbidden: tokenAttributes is not supported when KubeletServiceAccountTokenForCredentialProviders feature gate is disabled/);
});

test('--json: stable field names for the run, the providers and every finding', async () => {
  const path = file(`${HEAD}${provider('zero').replace('10m', '0s')}${provider('a b')}`);
  const r = await run(['check-config', path, '--json']);
  assert.equal(r.code, 1, 'the same exit status as the text output');
  assert.equal(r.err, '');
  const out = JSON.parse(r.out) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['path', 'kubeletVersion', 'serviceAccountTokenGate', 'directory', 'files', 'valid', 'providers', 'errors', 'warnings', 'summary', 'findings']);
  assert.deepEqual(
    { ...out, findings: undefined },
    {
      path,
      kubeletVersion: '1.34',
      serviceAccountTokenGate: true,
      directory: false,
      files: [path],
      valid: false,
      providers: [
        { name: 'zero', file: path, line: 4, column: 5 },
        { name: 'a b', file: path, line: 8, column: 5 },
      ],
      errors: 1,
      warnings: 1,
      summary: '1 error, 1 warning',
      findings: undefined,
    },
  );
  assert.deepEqual(out.findings, [
    {
      severity: 'warning',
      message: "defaultCacheDuration is 0: nothing from this provider is cached unless the plugin's response sets cacheDuration, so the plugin runs on every image pull.",
      file: path,
      line: 6,
      column: 27,
      endLine: 6,
      endColumn: 29,
      field: 'providers.defaultCacheDuration',
      path: 'providers[0].defaultCacheDuration',
    },
    {
      severity: 'error',
      message: 'providers.name: Invalid value: "a b": provider name cannot contain spaces',
      file: path,
      line: 8,
      column: 11,
      endLine: 8,
      endColumn: 14,
      field: 'providers.name',
      path: 'providers[1].name',
    },
  ]);
  const valid = JSON.parse((await run(['check-config', join(EXAMPLES, 'gke-credential-provider.yaml'), '--json', '--kubelet-version', '1.33'])).out) as Record<string, unknown>;
  assert.equal(valid.valid, true);
  assert.equal(valid.serviceAccountTokenGate, false);
  assert.deepEqual(valid.findings, []);
});

test('an empty directory: the kubelet\'s message, what it looks for, exit 1', async () => {
  const d = dir({ 'README.md': 'no configs here' });
  const r = await run(['check-config', d]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    `${d}: error: no configuration files found in directory`,
    `${d}: note: the kubelet reads the regular files ending .json, .yaml, .yml in this directory (case-sensitive) and found none`,
    '1 error',
  ]);
  const json = JSON.parse((await run(['check-config', d, '--json'])).out) as { findings: unknown[] };
  assert.deepEqual(json.findings, [{ severity: 'error', message: 'no configuration files found in directory', file: d, line: 0, column: 0, endLine: 0, endColumn: 0, field: '', path: '' }]);
});

test('an unreadable path: the reason on stderr, nothing on stdout, exit 1', async () => {
  const missing = join(tmp, 'missing.yaml');
  const r = await run(['check-config', missing]);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(r.err, `kube-token-lens check-config: cannot read the credential provider config ${missing}: no such file or directory\n`);
  const j = await run(['check-config', missing, '--json']);
  assert.equal(j.code, 1);
  assert.equal(j.out, '');
  if (process.getuid?.() !== 0) {
    // Root reads anything: the permission case only means something for other users.
    const locked = file(`${HEAD}${provider('x')}`);
    chmodSync(locked, 0o000);
    const p = await run(['check-config', locked]);
    assert.equal(p.code, 1);
    assert.match(p.err, /: permission denied\n$/);
  }
});

test('usage errors: message and check-config usage on stderr, exit 2; --help on stdout', async () => {
  const cases: [string[], RegExp][] = [
    [['check-config'], /needs a config file or directory/],
    [['check-config', 'a.yaml', 'b.yaml'], /takes one config file or directory/],
    [['check-config', 'a.yaml', '--kubelet-version', '1.35'], /--kubelet-version must be one of 1\.33, 1\.34/],
    [['check-config', 'a.yaml', '--feature-gate', 'yes'], /--feature-gate must be on or off, not "yes"/],
    [['check-config', 'a.yaml', '--kubelet-version'], /--kubelet-version needs a value/],
    [['check-config', 'a.yaml', '--bogus'], /unknown option --bogus/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, message);
    assert.ok(r.err.startsWith('kube-token-lens check-config: '));
    assert.ok(r.err.endsWith(CHECK_CONFIG_USAGE));
    assert.equal(r.out, '');
  }
  const help = await run(['check-config', '--help']);
  assert.equal(help.code, 0);
  assert.equal(help.out, CHECK_CONFIG_USAGE);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
