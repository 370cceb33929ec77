// Golden trace digests: every refactor of the engine and the models must leave the traces of the
// examples and of a fixed set of generated scenarios byte for byte unchanged, in both engine modes.
// The digest covers what a run computes (lanes, spans, events, series), not the prose in `meta`.
//
// The generated scenarios are checked in as scenario FILES (test/fixtures/golden/generated-*.yaml),
// so they keep testing the same runs however the in-memory Scenario shape changes. To regenerate
// after an intended behaviour change: KTL_UPDATE_GOLDEN=1 npm test -- --test-name-pattern=golden
// (and say why in the commit message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { formatDiagnostic, loadScenario } from '../../../src/sim/scenario/load';
import { runScenario } from '../../../src/sim/engine/run';
import { scenarioToYaml } from '../../../src/sim/scenario/serialize';
import type { Trace } from '../../../src/sim/trace';
import { scenarioArb } from '../sim/scenarioArb';

function repoRoot(): string {
  let dir = process.cwd();
  while (!(existsSync(join(dir, 'examples')) && existsSync(join(dir, 'package.json')))) {
    assert.notEqual(dirname(dir), dir, 'repository root not found above the working directory');
    dir = dirname(dir);
  }
  return dir;
}

const ROOT = repoRoot();
const FIXTURES = join(ROOT, 'test/fixtures/golden');
const DIGESTS = join(FIXTURES, 'digests.json');
const UPDATE = process.env.KTL_UPDATE_GOLDEN === '1';
const GENERATED = 20;

function digest(trace: Trace): string {
  const { lanes, spans, events, series } = trace;
  return createHash('sha256').update(JSON.stringify({ lanes, spans, events, series })).digest('hex');
}

/** Writes the generated scenario files (only when updating): a fixed fast-check seed, loadable ones only. */
function generate(): void {
  const candidates = fc.sample(scenarioArb({ maxPods: 5, maxHorizonMs: 30 * 3_600_000 }), { seed: 20261202, numRuns: 200 });
  let n = 0;
  for (const s of candidates) {
    if (n === GENERATED) break;
    const text = scenarioToYaml({ ...s, name: `golden generated ${n}` });
    const r = loadScenario(text, 'generated.yaml');
    if (!r.ok) continue;
    writeFileSync(join(FIXTURES, `generated-${String(n).padStart(2, '0')}.yaml`), text);
    n++;
  }
  assert.equal(n, GENERATED, 'not enough loadable generated scenarios');
}

function inputs(): { name: string; text: string }[] {
  const examples = readdirSync(join(ROOT, 'examples'))
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('credential') && !f.startsWith('kubeconfig'))
    .sort()
    .map((f) => ({ name: `examples/${f}`, text: readFileSync(join(ROOT, 'examples', f), 'utf8') }));
  const generated = readdirSync(FIXTURES)
    .filter((f) => f.startsWith('generated-') && f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: `generated/${f}`, text: readFileSync(join(FIXTURES, f), 'utf8') }));
  return [...examples, ...generated];
}

test('golden trace digests: examples and generated scenarios, skip and step mode', () => {
  if (UPDATE) generate();
  const actual: Record<string, string> = {};
  for (const { name, text } of inputs()) {
    const r = loadScenario(text, name);
    assert.ok(r.ok, r.ok ? '' : r.errors.map((d) => formatDiagnostic(name, d)).join('\n'));
    for (const mode of ['skip', 'step'] as const) actual[`${name} ${mode}`] = digest(runScenario(r.scenario, { mode }));
  }
  assert.ok(Object.keys(actual).length >= 2 * (5 + GENERATED), 'fewer golden inputs than expected');
  if (UPDATE) writeFileSync(DIGESTS, `${JSON.stringify(actual, null, 2)}\n`);
  const expected = JSON.parse(readFileSync(DIGESTS, 'utf8')) as Record<string, string>;
  assert.deepEqual(actual, expected, 'a trace changed: if intended, regenerate with KTL_UPDATE_GOLDEN=1 and say why');
});
