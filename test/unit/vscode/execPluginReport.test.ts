// The Run Exec Plugin Now report (src/vscode/execPluginReport.ts): expiry, certificate, claims, errors; the token only when revealed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execPluginReportMarkdown } from '../../../src/vscode/execPluginReport';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const base = { command: 'aws', resolved: '/usr/bin/aws', argCount: 4, interactiveMode: 'IfAvailable', durationMs: 812.4, exitCode: 0, stderr: '', stderrTruncated: false };

test('a token with an expiry and JWT claims: when it expires and in how long; the token hidden until revealed', () => {
  const run = { ...base, ok: true as const, status: { hasToken: true, expirationTimestamp: NOW + 15 * 60_000, remainingMs: 15 * 60_000, claims: { sub: 'alice', exp: NOW / 1000 + 900 } }, secret: { token: 'SECRET-TOKEN' } };
  const text = execPluginReportMarkdown({ userName: 'eks-admin', file: '/k/config', run, now: NOW });
  assert.match(text, /^# Run Exec Plugin: user `eks-admin`/);
  assert.match(text, /\*\*Command\*\*: `aws` \(runs `\/usr\/bin\/aws`\), 4 arguments \(values not shown/);
  assert.match(text, /\*\*Expires\*\*: 2026-12-01T12:15:00Z \(in 15 min\)/);
  assert.match(text, /\*\*exp\*\*: 2026-12-01T12:15:00Z/);
  assert.match(text, /"sub": "alice"/);
  assert.match(text, /812 ms, exit code 0/);
  assert.ok(!text.includes('SECRET-TOKEN'));
  assert.match(execPluginReportMarkdown({ userName: 'eks-admin', file: '/k/config', run, now: NOW, revealedToken: 'SECRET-TOKEN' }), /\*\*Token\*\*: `SECRET-TOKEN`/);
});

test('no expiry, a certificate; failures say client-go\'s error, stderr and what to do', () => {
  const cert = { ...base, ok: true as const, status: { hasToken: false, certificate: { subject: 'O=system:masters, CN=alice', notAfter: NOW + 86_400_000 } }, secret: {} };
  const text = execPluginReportMarkdown({ userName: 'u', file: '/k', run: cert, now: NOW });
  assert.match(text, /no expirationTimestamp: client-go uses these credentials until a request gets a 401/);
  assert.match(text, /subject `O=system:masters, CN=alice`, NotAfter 2026-12-02T12:00:00Z \(in 1 d\)/);
  const failed = { ...base, exitCode: 1, stderr: 'run aws sso login\n', ok: false as const, stage: 'exit' as const, error: 'exec: executable aws failed with exit code 1' };
  const f = execPluginReportMarkdown({ userName: 'u', file: '/k', run: failed, now: NOW });
  assert.match(f, /## ✖ The plugin failed\n\n```text\nexec: executable aws failed with exit code 1\n```/);
  assert.match(f, /## stderr\n\n```text\nrun aws sso login\n```/);
  const always = { command: 'kubelogin', argCount: 0, interactiveMode: 'Always', ok: false as const, stage: 'interactive' as const, error: 'exec plugin cannot support interactive mode: standard input is not a terminal' };
  assert.match(execPluginReportMarkdown({ userName: 'u', file: '/k', run: always, now: NOW }), /kubectl in a terminal would run it interactively/);
  const missing = { command: 'kubelogin', argCount: 0, interactiveMode: 'Never', ok: false as const, stage: 'notFound' as const, error: 'exec: executable kubelogin not found' };
  assert.match(execPluginReportMarkdown({ userName: 'u', file: '/k', run: missing, now: NOW, path: '/usr/bin:/bin' }), /PATH as the extension host sees it: `\/usr\/bin:\/bin`/);
});

test("a token the plugin prints to stderr is masked in the report's stderr block", () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const text = execPluginReportMarkdown({
    userName: 'u',
    file: 'k.yaml',
    now: 0,
    path: '/usr/bin',
    run: { ok: false, stage: 'exit', error: 'exec: executable p failed with exit code 1', command: 'p', argCount: 0, interactiveMode: 'IfAvailable', exitCode: 1, stderr: `debug: got ${jwt}\n` },
  } as unknown as Parameters<typeof execPluginReportMarkdown>[0]);
  assert.ok(!text.includes(jwt), text);
  assert.match(text, /\[redacted\]/);
});
