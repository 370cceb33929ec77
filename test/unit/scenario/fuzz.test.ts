// Robustness: whatever a user's editor holds mid-edit, the loader answers (never throws) and every
// diagnostic points inside the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadScenario, type Diagnostic } from '../../../src/sim/scenario/load';

const VALID = `# a comment
name: shop
seed: 7
start: 2026-01-01T00:00:00Z
horizon: 6h
kubelet: { syncFrequency: 1m, version: "1.20" }
apiServer:
  maxTokenExpiration: 24h
  outages: [{ from: 2h, to: 3h30m }]
signer: { refreshHint: 5m, rotations: [{ at: 1h, dropOldKeyAfter: 30m }] }
pods:
  - name: web
    namespace: shop
    replicas: 2
    tokens:
      - { path: kube-api-access/token, expirationSeconds: 3607 }
      - path: vault/token
        audiences: [vault]
        expirationSeconds: 600
refreshers: [{ kind: calico, refreshInterval: 1h }]
output: { maxDetailedLanes: 10, seriesInterval: 5m }
`;

const SPECIAL = [...':-[]{},#&*!|>\'"%@`?\n\t 0123456789.eEhms'].map((c) => c.charCodeAt(0));

type Mutation = { at: number; kind: 'replace' | 'insert' | 'delete'; byte: number };

const mutation = fc.record({
  at: fc.nat({ max: VALID.length }),
  kind: fc.constantFrom<Mutation['kind']>('replace', 'insert', 'delete'),
  byte: fc.oneof(fc.constantFrom(...SPECIAL), fc.integer({ min: 0, max: 255 })),
});

function mutate(text: string, mutations: Mutation[]): string {
  const bytes = [...Buffer.from(text, 'utf8')];
  for (const m of mutations) {
    const at = Math.min(m.at, bytes.length);
    if (m.kind === 'insert') bytes.splice(at, 0, m.byte);
    else if (m.kind === 'delete') bytes.splice(at, 1);
    else if (at < bytes.length) bytes[at] = m.byte;
  }
  // Decoding invalid UTF-8 gives U+FFFD, as an editor or fs.readFile(…, 'utf8') would.
  return Buffer.from(bytes).toString('utf8');
}

function checkInside(text: string, d: Diagnostic): void {
  const lines = text.split('\n');
  assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length, `line ${d.line} of ${lines.length}`);
  assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column}`);
  assert.ok(d.column <= (lines[d.line - 1]?.length ?? 0) + 1, `column ${d.column} past the end of line ${d.line}`);
  assert.ok(d.message.length > 0);
}

test('the unmutated text is valid', () => {
  const r = loadScenario(VALID, 'fuzz.yaml');
  assert.ok(r.ok, JSON.stringify(r));
});

test('random byte mutations never throw; results are ok or errors positioned inside the text', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
      const text = mutate(VALID, mutations);
      const r = loadScenario(text, 'fuzz.yaml');
      if (r.ok) {
        for (const w of r.warnings) checkInside(text, w);
        return;
      }
      assert.ok(r.errors.length >= 1);
      for (const d of [...r.errors, ...r.warnings]) checkInside(text, d);
    }),
    { numRuns: 1500 },
  );
});
