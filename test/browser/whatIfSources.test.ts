// The what-if form of a scenario whose pods mount several token sources (issue 14): one lifetime
// field per source, labelled by the source, and a change posts exactly that source's value; plus the
// run notes above the chart (a capped-horizon notice, the comparison of two runs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openWebview, type WebviewPage } from './webviewPage';
import { parseWebviewMessage, type ComparisonData } from '../../src/protocol';
import { runScenario } from '../../src/sim/engine/run';
import { loadScenario } from '../../src/sim/scenario/load';
import { applyWhatIf, whatIfContractFor, whatIfFromScenario } from '../../src/sim/scenario/whatIf';
import type { Scenario } from '../../src/sim/scenario/types';
import type { WhatIfValues } from '../../src/sim/whatIf';

const KAA = 'expirationSeconds:kube-api-access/token';
const VAULT = 'expirationSeconds:vault/token';

function shopOutage(): Scenario {
  const loaded = loadScenario(readFileSync('examples/shop-outage.yaml', 'utf8'), 'shop-outage.yaml');
  assert.ok(loaded.ok);
  return loaded.scenario;
}

/** The element of a field by its id (ids hold ":" and "/", so no CSS id selector). */
const field = (id: string): string => `[id="wf-${id}"]`;

describe('what-if form with several token sources', () => {
  let view: WebviewPage;
  const scenario = shopOutage();
  before(async () => {
    view = await openWebview({ theme: 'dark' });
    await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
    await view.sendAndPaint({
      type: 'showTrace',
      title: 'Shop during a 2 h API-server outage',
      trace: runScenario(scenario),
      whatIf: { ...whatIfContractFor(scenario), values: whatIfFromScenario(scenario) },
      notice: 'Simulated time capped at 7 d: the longest token (vault) refreshes every 8 min.',
    });
  });
  after(async () => {
    await view.close();
  });

  test('one lifetime field per source, labelled by its name, each showing that source’s lifetime', async () => {
    assert.equal(await view.page.locator(`label[for="wf-${KAA}"]`).textContent(), 'kube-api-access lifetime (s)');
    assert.equal(await view.page.locator(`label[for="wf-${VAULT}"]`).textContent(), 'vault lifetime (s)');
    assert.equal(await view.page.locator(field(KAA)).evaluate((e) => (e as HTMLInputElement).value), '3607');
    assert.equal(await view.page.locator(field(VAULT)).evaluate((e) => (e as HTMLInputElement).value), '600');
    assert.equal(await view.page.locator('[id="wf-expirationSeconds"]').count(), 0, 'no single field that would change only one source');
    assert.match((await view.page.locator(`[id="wf-${VAULT}-help"]`).textContent()) ?? '', /vault token source .* the other sources keep theirs/);
  });

  test('changing the Vault lifetime posts that value only, and the re-run changes the Vault tokens only', async () => {
    await view.page.locator(`${field(VAULT)} input`).fill('1200');
    await view.page.locator(`${field(VAULT)} input`).press('Enter');
    await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'rerun'));
    const reruns = await view.postedOfType<{ type: 'rerun'; values: WhatIfValues }>('rerun');
    assert.equal(reruns.length, 1);
    assert.deepEqual(reruns[0]!.values, { ...whatIfFromScenario(scenario), [VAULT]: 1200 });
    assert.ok(parseWebviewMessage(reruns[0]).ok);
    // What the host does with it (timelinePanel.ts → applyWhatIf against this scenario's form).
    const applied = applyWhatIf(scenario, reruns[0]!.values);
    assert.ok(applied.ok, applied.ok ? '' : JSON.stringify(applied.problems));
    const lifetimes = new Set(applied.scenario.pods.flatMap((p) => p.tokens.map((t) => `${t.path}=${t.expirationSeconds}`)));
    assert.deepEqual([...lifetimes].sort(), ['kube-api-access/token=3607', 'vault/token=1200']);
    await view.screenshot('what-if-sources');
  });

  test('the notice about how the run was set up is shown above the chart', async () => {
    assert.equal(await view.page.locator('#ktl-run-notice').isVisible(), true);
    assert.match((await view.page.locator('#ktl-run-notice').textContent()) ?? '', /capped at 7 d/);
    assert.equal(await view.page.locator('#ktl-compare').isVisible(), false, 'no comparison yet');
  });

  test('one side of a comparison: both runs named, the differing figures first and marked', async () => {
    const comparison: ComparisonData = {
      side: 'right',
      leftTitle: 'Baseline',
      rightTitle: 'Baseline — what-if: API-server outages 2 h–4 h → 2 h–6 h',
      rows: [
        { label: 'Request failures (total)', left: '4961', right: '10729', differs: true },
        { label: 'Lanes', left: '11', right: '11', differs: false },
      ],
    };
    await view.sendAndPaint({ type: 'showTrace', title: comparison.rightTitle, trace: runScenario(scenario), whatIf: { ...whatIfContractFor(scenario), values: whatIfFromScenario(scenario) }, comparison });
    assert.equal(await view.page.locator('#ktl-run-notice').isVisible(), false, 'the notice went with its trace');
    assert.match((await view.page.locator('.ktl-compare-title').textContent()) ?? '', /Compared with “Baseline” \(left\): 1 figure differs/);
    const rows = await view.page.locator('.ktl-compare-table tbody tr').allTextContents();
    assert.deepEqual(rows, ['≠ Request failures (total)496110729', 'Lanes1111']);
    assert.equal(await view.page.locator('.ktl-compare-differs').count(), 1);
    await view.screenshot('runs-compare-strip');
  });
});
