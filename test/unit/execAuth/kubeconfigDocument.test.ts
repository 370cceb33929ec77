import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseKubeconfig } from '../../../src/sim/execAuth/kubeconfigDocument';
import { lintKubeconfigs } from '../../../src/sim/execAuth/kubeconfigLint';
import type { SourceRange } from '../../../src/sim/units/sourcePosition';
import { fixture } from './kubeconfigFixtures';

const at = (r: SourceRange | undefined): string => (r ? `${r.line}:${r.column}-${r.endLine}:${r.endColumn}` : 'none');

test('positions: each field of an exec user at its line:column (1-based, end exclusive)', () => {
  const doc = fixture('aws-eks.yaml');
  const [user] = doc.users;
  assert.equal(at(user?.nameRange), '16:9-16:56');
  assert.equal(at(user?.exec?.range), '18:5-18:9');
  assert.equal(at(user?.exec?.apiVersion?.range), '19:19-19:55');
  assert.equal(at(user?.exec?.command?.range), '29:16-29:19');
  assert.equal(at(user?.exec?.env[0]?.name?.range), '31:15-31:26');
  assert.equal(at(doc.currentContext?.range), '12:18-12:65');
  assert.equal(at(doc.contexts[0]?.user?.range), '10:11-10:58');
  assert.equal(doc.lineCount, 33, 'the empty line after the last newline counts');
});

test('positions: a multi-line value is pointed at on its first line', () => {
  const [user] = fixture('gke.yaml').users;
  assert.equal(at(user?.exec?.installHint?.range), '21:20-21:84');
  const [aks] = fixture('aks-kubelogin.yaml').users;
  assert.equal(aks?.exec?.installHint?.range.line, 28);
  assert.equal(aks?.exec?.installHint?.range.endLine, 28);
});

test('positions: tokens and certificates are pointed at by their key, and their values are not kept', () => {
  const doc = parseKubeconfig('users:\n- name: u\n  user:\n    token: abc.def.ghi\n    client-certificate-data: Zm9v\n', 'f');
  assert.equal(at(doc.users[0]?.token?.range), '4:5-4:10');
  assert.equal(at(doc.users[0]?.clientCertificate?.range), '5:5-5:28');
  assert.ok(!JSON.stringify(doc).includes('abc.def.ghi'));
  assert.ok(!JSON.stringify(doc).includes('Zm9v'));
});

test('positions: UTF-16 columns and CRLF line ends', () => {
  const doc = parseKubeconfig('users:\r\n- name: "é😀"\r\n  user:\r\n    exec: {command: x}\r\n', 'f');
  assert.equal(at(doc.users[0]?.nameRange), '2:9-2:14');
  assert.equal(at(doc.users[0]?.exec?.command?.range), '4:21-4:22');
});

// ---- Property: whatever the editor holds mid-edit, parsing and lint never throw and stay in the file ----

const VALID = `apiVersion: v1
clusters:
- cluster: {server: https://c.example.test}
  name: c
contexts:
- context: {cluster: c, user: u}
  name: c
current-context: c
users:
- name: u
  user:
    token: t
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: [a, "1"]
      env:
      - {name: A, value: b}
      interactiveMode: Never
      provideClusterInfo: true
    auth-provider: {name: gcp}
- name: v
  user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: ""}}
`;

const SPECIAL = [...':-[]{},#&*!|>\'"%@`?\n\r\t 0123456789.'].map((c) => c.charCodeAt(0));
const mutation = fc.record({
  at: fc.nat({ max: VALID.length }),
  kind: fc.constantFrom('replace', 'insert', 'delete'),
  byte: fc.oneof(fc.constantFrom(...SPECIAL), fc.integer({ min: 0, max: 0xffff })),
});

function mutate(text: string, ms: readonly { at: number; kind: string; byte: number }[]): string {
  let s = text;
  for (const m of ms) {
    const i = Math.min(m.at, s.length);
    const c = String.fromCharCode(m.byte);
    if (m.kind === 'insert') s = s.slice(0, i) + c + s.slice(i);
    else if (m.kind === 'delete') s = s.slice(0, i) + s.slice(i + 1);
    else s = s.slice(0, i) + c + s.slice(i + 1);
  }
  return s;
}

function inside(text: string, r: SourceRange): boolean {
  const lines = text.split('\n');
  const lineOk = (line: number, column: number): boolean => line >= 1 && line <= lines.length && column >= 1 && column <= (lines[line - 1]?.length ?? 0) + 1;
  const ordered = r.endLine > r.line || (r.endLine === r.line && r.endColumn >= r.column);
  return lineOk(r.line, r.column) && lineOk(r.endLine, r.endColumn) && ordered;
}

const texts = fc.oneof(
  fc.array(mutation, { minLength: 1, maxLength: 8 }).map((ms) => mutate(VALID, ms)),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.array(fc.constantFrom('users:', '- name: u', '  user:', '    exec:', '      command: x', '  - ', '{', ']', 'contexts: [', '&a', '*a', '<<: *a', '  '), { maxLength: 12 }).map((l) => l.join('\n')),
);

test('property: random YAML never throws, and every finding\'s range is inside its file', () => {
  fc.assert(
    fc.property(texts, fc.boolean(), (text, found) => {
      const doc = parseKubeconfig(text, 'k.yaml');
      const { findings } = lintKubeconfigs([doc, parseKubeconfig(VALID, 'other.yaml')], {
        resolve: () => (found ? { found: true, path: '/bin/x' } : { found: false }),
        pathOf: 'cli',
      });
      for (const f of findings) {
        assert.ok(inside(f.file === 'k.yaml' ? text : VALID, f.range), `${f.code} at ${at(f.range)} outside ${JSON.stringify(text)}`);
        assert.ok(f.message.length > 0);
      }
    }),
    { numRuns: 400 },
  );
});
