// The scenario format by sections: the registry's sections claim distinct keys, publish their own
// defaults, and serialise what they normalise so that load(serialize(s)) gives back s; a scenario
// may hold only some sections (no pods at all), and one that simulates nothing is told what to add.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsonValue, Rule } from '../../../src/sim/fieldRule';
import { formatDiagnostic, loadScenario } from '../../../src/sim/scenario/load';
import { SCENARIO_RULES, SECTION_KEYS, SUBJECT_KEYS } from '../../../src/sim/scenario/rules';
import { SECTION_LIST } from '../../../src/sim/scenario/sections';
import { scenarioToFile, scenarioToYaml } from '../../../src/sim/scenario/serialize';
import type { Scenario } from '../../../src/sim/scenario/types';

function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'examples')) && existsSync(join(dir, 'package.json'))) return dir;
    assert.notEqual(dirname(dir), dir, 'repository root (with examples/) not found above the working directory');
  }
}

const GOLDEN = join(repoRoot(), 'test/fixtures/golden');
const goldenFiles = (): string[] => readdirSync(GOLDEN).filter((f) => f.endsWith('.yaml')).sort();

function load(text: string, name = 'test.yaml'): { scenario: Scenario; warnings: string[] } {
  const r = loadScenario(text, name);
  assert.ok(r.ok, r.ok ? '' : r.errors.map((d) => formatDiagnostic(name, d)).join('\n'));
  return { scenario: r.scenario, warnings: r.warnings.map((d) => formatDiagnostic(name, d)) };
}

const CORE_KEYS = ['$schema', 'name', 'seed', 'start', 'horizon', 'output'];

test('registry: the five models, in order, each claiming distinct top-level keys', () => {
  assert.deepEqual(
    SECTION_LIST.map((s) => s.id),
    ['kubelet', 'apiserver', 'refresher', 'credentialProvider', 'execAuth'],
  );
  const claimed = SECTION_LIST.flatMap((s) => [...Object.keys(s.settings), ...Object.keys(s.subjects)]);
  assert.equal(new Set(claimed).size, claimed.length, `a key is claimed twice: ${claimed.join(', ')}`);
  for (const key of claimed) assert.ok(!CORE_KEYS.includes(key), `${key} is a core key`);
  assert.deepEqual(Object.keys(SCENARIO_RULES.properties), [...CORE_KEYS.slice(0, -1), ...SECTION_KEYS, 'output']);
  // The file's key order of today: settings of every section, then the things simulated.
  assert.deepEqual(SECTION_KEYS, ['kubelet', 'apiServer', 'signer', 'pods', 'refreshers', 'credentialProvider', 'execAuth']);
  assert.deepEqual(SUBJECT_KEYS, ['pods', 'refreshers', 'credentialProvider', 'execAuth']);
});

test('registry: every default a section declares is the default its rules publish', () => {
  const published = (rules: Readonly<Record<string, Rule>>): JsonValue[] => {
    const out: JsonValue[] = [];
    const visit = (rule: Rule): void => {
      if (rule.default !== undefined) out.push(rule.default);
      if (rule.kind === 'array') visit(rule.items);
      if (rule.kind === 'map') visit(rule.values);
      if (rule.kind === 'object') Object.values(rule.properties).forEach(visit);
    };
    Object.values(rules).forEach(visit);
    return out;
  };
  for (const section of SECTION_LIST) {
    const values = published({ ...section.settings, ...section.subjects });
    for (const [name, value] of Object.entries(section.defaults)) {
      assert.ok(values.some((v) => JSON.stringify(v) === JSON.stringify(value)), `${section.id}: default ${name} is not published by its rules`);
    }
  }
});

test('registry: each serialiser writes only its own keys, and together they round-trip every golden file', () => {
  const files = goldenFiles();
  assert.ok(files.length >= 20);
  for (const f of files) {
    const text = readFileSync(join(GOLDEN, f), 'utf8');
    const { scenario } = load(text, f);
    for (const section of SECTION_LIST) {
      const own = [...Object.keys(section.settings), ...Object.keys(section.subjects)];
      for (const key of Object.keys(section.serialize(scenario))) assert.ok(own.includes(key), `${section.id} wrote "${key}" in ${f}`);
    }
    const again = load(scenarioToYaml(scenario), `${f} (saved)`);
    assert.deepStrictEqual(again.scenario, scenario, f);
    // The golden files were written by scenarioToYaml before the format was split into sections.
    assert.equal(scenarioToYaml(scenario), text, `${f}: the saved text changed`);
  }
});

test('registry: the examples round-trip through the serialisers too', () => {
  const dir = join(repoRoot(), 'examples');
  for (const f of readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n) && !n.startsWith('credential') && !n.startsWith('kubeconfig'))) {
    const { scenario } = load(readFileSync(join(dir, f), 'utf8'), f);
    assert.deepStrictEqual(load(scenarioToYaml(scenario), f).scenario, scenario, f);
  }
});

const HEAD = 'start: 2026-01-01T00:00:00Z\nhorizon: 6h\n';

test('a scenario without pods: only refreshers', () => {
  const { scenario, warnings } = load(`${HEAD}refreshers:\n  - kind: calico\n`);
  assert.deepEqual(warnings, []);
  assert.deepEqual(scenario.pods, []);
  assert.equal(scenario.refreshers[0]?.name, 'calico-node');
  assert.deepEqual(scenario.kubelet, { syncFrequencyMs: 60_000, version: '1.34' });
  // Saving writes `pods: []` (as it always did), which loads back to the same scenario.
  assert.deepEqual(scenarioToFile(scenario).pods, []);
  assert.deepStrictEqual(load(scenarioToYaml(scenario)).scenario, scenario);
});

test('pods: [] still loads, with settings only and nothing else', () => {
  const { scenario, warnings } = load(`${HEAD}pods: []\napiServer: { latency: 1s }\n`);
  assert.deepEqual(warnings, []);
  assert.deepEqual(scenario.pods, []);
  assert.deepEqual(scenario.refreshers, []);
  assert.equal(scenario.apiServer.latencyMs, 1000);
});

test('a scenario with nothing to simulate: the missing pods error of old, and a warning naming every choice', () => {
  for (const text of [HEAD, `${HEAD}kubelet: { syncFrequency: 1m }\napiServer: {}\n`]) {
    const r = loadScenario(text, 'empty.yaml');
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.map((d) => formatDiagnostic('empty.yaml', d)),
      ['empty.yaml:1:1: error: missing required property "pods" (pods)'],
    );
    assert.deepEqual(
      r.warnings.map((d) => formatDiagnostic('empty.yaml', d)),
      ['empty.yaml:1:1: warning: nothing to simulate: add "pods", "refreshers", "credentialProvider" or "execAuth"'],
    );
  }
  // A pods key whose value is wrong counts as written: only the type error.
  const wrong = loadScenario(`${HEAD}pods: 3\n`, 'wrong.yaml');
  assert.ok(!wrong.ok);
  assert.deepEqual(wrong.errors.map((d) => d.message), ['expected a list, got number 3']);
  assert.deepEqual(wrong.warnings, []);
});

// Type-level: the normalized Scenario composed from the registry has exactly today's fields.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const scenarioKeys: Equal<
  keyof Scenario,
  'name' | 'seed' | 'start' | 'horizonMs' | 'kubelet' | 'apiServer' | 'signer' | 'pods' | 'refreshers' | 'credentialProvider' | 'execAuth' | 'output'
> = true;
const signerOptional: Equal<undefined extends Scenario['signer'] ? true : false, true> = true;
const podsRequired: Equal<undefined extends Scenario['pods'] ? true : false, false> = true;

test('the Scenario type keeps its fields (checked by tsc)', () => {
  assert.ok(scenarioKeys && signerOptional && podsRequired);
});
