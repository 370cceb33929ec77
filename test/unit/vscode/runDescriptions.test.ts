// How runs are named and compared (src/vscode/runDescriptions.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareRuns, describeWhatIfChanges, whatIfRunTitle } from '../../../src/vscode/runDescriptions';
import { runScenario } from '../../../src/sim/engine/run';
import { loadScenario } from '../../../src/sim/scenario/load';
import { applyWhatIf, whatIfContractFor, whatIfFromScenario } from '../../../src/sim/scenario/whatIf';

function shop() {
  const loaded = loadScenario(readFileSync('examples/shop-outage.yaml', 'utf8'), 'shop-outage.yaml');
  assert.ok(loaded.ok);
  return loaded.scenario;
}

test('a what-if is named by what differs from its baseline, in human units', () => {
  const base = shop();
  const before = whatIfFromScenario(base);
  const after = { ...before, horizon: '1d', outages: [{ from: '2h', to: '6h' }], 'expirationSeconds:vault/token': 1200, extendTokenExpiration: false };
  const changes = describeWhatIfChanges(whatIfContractFor(base).fields, before, after);
  assert.deepEqual(changes, ['Horizon 6 h → 1 d', 'vault lifetime 600 → 1200', 'Extend token expiration on → off', 'API-server outages 2 h–4 h → 2 h–6 h']);
  assert.equal(whatIfRunTitle('shop', ['Horizon 6 h → 1 d']), 'shop — what-if: Horizon 6 h → 1 d');
  assert.deepEqual(describeWhatIfChanges(whatIfContractFor(base).fields, before, before), [], 'nothing changed');
});

test('two runs compared: both values per figure, the differing ones first', () => {
  const base = shop();
  const longer = applyWhatIf(base, { ...whatIfFromScenario(base), outages: [{ from: '2h', to: '6h' }] });
  assert.ok(longer.ok);
  const c = compareRuns({ title: 'base', trace: runScenario(base) }, { title: 'longer', trace: runScenario(longer.scenario) });
  assert.equal(c.leftTitle, 'base');
  assert.equal(c.rightTitle, 'longer');
  const firstSame = c.rows.findIndex((r) => !r.differs);
  assert.ok(firstSame > 0 && c.rows.slice(firstSame).every((r) => !r.differs), 'differences first');
  const failures = c.rows.find((r) => r.label === 'Request failures (total)');
  assert.ok(failures && failures.differs && Number(failures.right) > Number(failures.left), JSON.stringify(failures));
  assert.deepEqual(c.rows.find((r) => r.label === 'Lanes'), { label: 'Lanes', left: '11', right: '11', differs: false });
});
