// The Outage Blast Radius page in headless Chromium under the real CSP: the header and kinds table with
// the fixture's numbers, the herd chart painted, sorting (mouse and keyboard), filtering, paging,
// openTimeline with the right indices, the buttons, host errors and malformed messages, themes, and
// a large result staying responsive.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openWebview, type WebviewPage } from './webviewPage';
import { handResult, largeResult, quietResult, OUTAGE_START } from './blastRadiusFixtures';
import { parseBlastRadiusPageMessage } from '../../src/blastRadiusProtocol';
import type { AffectedToken } from '../../src/sim/blastRadius/blastRadiusResult';

const TITLE = 'Outage Blast Radius: 3h from 14:00 UTC';
const SCOPE = 'Demo cluster, all namespaces';

async function waitReady(view: WebviewPage): Promise<void> {
  await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
}

async function posted(view: WebviewPage): Promise<Array<Record<string, unknown>>> {
  return (await view.posted()) as Array<Record<string, unknown>>;
}

/** Distinct colours in a sample of the herd chart's canvas: a blank canvas has one. */
function canvasColours(view: WebviewPage): Promise<number> {
  return view.page.evaluate(() => {
    const canvas = document.querySelector('#br-herd-chart canvas') as HTMLCanvasElement | null;
    if (!canvas) return 0;
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add(((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number));
    return seen.size;
  });
}

async function statusText(view: WebviewPage): Promise<string> {
  return (await view.page.locator('#br-affected-status').textContent()) ?? '';
}

async function columnTexts(view: WebviewPage, column: number): Promise<string[]> {
  return view.page.locator(`#br-affected-table tbody tr td:nth-child(${column})`).allTextContents();
}

describe('blast radius page (dark theme, hand-made result with 3,000 affected tokens)', () => {
  let view: WebviewPage;
  const result = handResult();
  before(async () => {
    view = await openWebview({ bundle: 'blastRadius', theme: 'dark' });
    await waitReady(view);
    await view.sendAndPaint({ type: 'showResult', title: TITLE, scope: SCOPE, result });
  });
  after(async () => {
    await view.close();
  });

  test('says ready first, then shows the header: title, scope, outage, runs and anchors, ranges not a forecast', async () => {
    assert.deepEqual((await posted(view))[0], { type: 'ready' });
    assert.equal(await view.page.getByRole('heading', { level: 1 }).textContent(), TITLE);
    assert.equal(await view.page.locator('#br-scope').textContent(), SCOPE);
    assert.equal(await view.page.locator('#br-outage').textContent(), '2026-03-10 14:00:00 UTC to 17:00:00 UTC (3h)');
    assert.equal(await view.page.locator('#br-sampled').textContent(), '20 runs · 3,800 pods · 3,800 tokens');
    assert.match((await view.page.locator('#br-anchors').textContent()) ?? '', /900 pods from the real issue time.*2,600 pods from their start time.*300 pods without a known start/);
    assert.equal(await view.page.locator('#br-statement').textContent(), "These numbers are ranges over 20 sampled runs of every pod's history, not a forecast.");
  });

  test("the kinds table carries the fixture's numbers, and the extended kind says what its expiry means", async () => {
    const rows = view.page.locator('#br-kinds-table tbody tr');
    assert.equal(await rows.count(), 4);
    const cells = async (key: string): Promise<string[]> => view.page.locator(`#br-kinds-table tr[data-kind="${key}"] td`).allTextContents();
    const api = await cells('api|3607|ext');
    assert.match(api[0] ?? '', /^API server audience, 3607 s requested → kubelet refreshes on 1h7s; JWT valid 1 year \(extended\)/);
    assert.match(api[0] ?? '', /the API server still accepts the token/);
    assert.deepEqual(api.slice(1, 6), ['2,000', '2,000', '1,500', '300', '200']);
    assert.equal(api[6], '14:01:02–14:02:20 UTCbetween 1m2s and 2m20s after the outage starts');
    assert.equal(api[7], '1,580–1,720');
    const vault = await cells('vault|600');
    assert.equal(vault[0], 'audience vault, 600 s');
    assert.deepEqual(vault.slice(1, 6), ['800', '800', '800', '0', '0']);
    assert.equal(vault[7], '800');
    assert.equal(await view.page.locator('#br-kinds-table .br-extended-note').count(), 1);
  });

  test('the herd chart is painted, with its facts and the in-flight sentence', async () => {
    assert.ok((await canvasColours(view)) > 3, 'the herd canvas has more than a background');
    const series = await view.page.evaluate(() => {
      const chart = (window as unknown as { __ktl: { chart: { getOption(): { series: Array<{ id: string; data: unknown[] }> } } } }).__ktl.chart;
      return chart.getOption().series.map((s) => [s.id, s.data.length]);
    });
    assert.deepEqual(series, [
      ['low', 240],
      ['band', 240],
      ['mean', 240],
    ]);
    assert.equal(await view.page.locator('#br-herd-peak').textContent(), 'between 540 and 620 TokenRequests per second');
    assert.equal(await view.page.locator('#br-herd-duration').textContent(), 'between 14s and 17s after the outage ends');
    assert.equal(await view.page.locator('#br-herd-catchup').textContent(), '2,890–3,000');
    assert.match((await view.page.locator('#br-herd-sentence').textContent()) ?? '', /200 mutating requests .* at the peak of 620 per second that limit is reached if a TokenRequest takes longer than 322 ms\.$/);
    // Hovering the chart shows our DOM tooltip (no ECharts HTML tooltip under this CSP).
    const box = await view.page.locator('#br-herd-chart').boundingBox();
    assert.ok(box);
    await view.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await view.page.locator('#ktl-tooltip').waitFor({ state: 'visible' });
    assert.match((await view.page.locator('#ktl-tooltip').textContent()) ?? '', /after the outage ends.*TokenRequests\/s/);
    await view.page.mouse.move(1, 1);
    await view.screenshot('blast-radius-dark');
  });

  test('the affected table shows a page of rows, in the result order, and pages on', async () => {
    assert.equal(await statusText(view), 'Showing 1–100 of 3,000 affected tokens.');
    assert.equal(await view.page.locator('#br-affected-table tbody tr').count(), 100);
    const first = result.affected[0] as AffectedToken;
    const row = view.page.locator('#br-affected-table tbody tr').first();
    assert.equal(await row.getAttribute('data-index'), '0');
    assert.equal(await row.locator('td').nth(1).textContent(), first.pod);
    assert.equal(await view.page.locator('th[data-col="expiry"]').getAttribute('aria-sort'), 'ascending');
    await view.page.click('#br-page-next');
    assert.equal(await statusText(view), 'Showing 101–200 of 3,000 affected tokens.');
    assert.equal(await view.page.locator('#br-affected-table tbody tr').first().getAttribute('data-index'), '100');
    await view.page.click('#br-page-prev');
    assert.ok(await view.page.locator('#br-page-prev').isDisabled());
  });

  test('sorts by a header: click, then Enter and Space on the focused header; aria-sort follows', async () => {
    const pods = result.affected.map((t) => t.pod);
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const sorted = [...pods].sort(collator.compare);
    await view.page.click('th[data-col="pod"] button');
    assert.equal(await view.page.locator('th[data-col="pod"]').getAttribute('aria-sort'), 'ascending');
    assert.equal(await view.page.locator('th[data-col="expiry"]').getAttribute('aria-sort'), 'none');
    assert.deepEqual(await columnTexts(view, 2), sorted.slice(0, 100));
    await view.page.click('th[data-col="pod"] button');
    assert.equal(await view.page.locator('th[data-col="pod"]').getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await columnTexts(view, 2), [...sorted].reverse().slice(0, 100));

    // Keyboard: the header button keeps focus after a re-render.
    await view.page.focus('th[data-col="namespace"] button');
    await view.page.keyboard.press('Enter');
    assert.equal(await view.page.locator('th[data-col="namespace"]').getAttribute('aria-sort'), 'ascending');
    assert.equal((await columnTexts(view, 1))[0], 'auth');
    await view.page.keyboard.press('Space');
    assert.equal(await view.page.locator('th[data-col="namespace"]').getAttribute('aria-sort'), 'descending');
    assert.equal((await columnTexts(view, 1))[0], 'shop');
    // Verdict descending: tokens that expire in every run first.
    await view.page.click('th[data-col="verdict"] button');
    await view.page.click('th[data-col="verdict"] button');
    assert.equal((await columnTexts(view, 5))[0], 'expires in every run');
    // Back to the result order.
    await view.page.click('th[data-col="expiry"] button');
    assert.equal(await view.page.locator('#br-affected-table tbody tr').first().getAttribute('data-index'), '0');
  });

  test('filters by namespace, pod or audience text, and says how many are shown', async () => {
    await view.page.fill('#br-filter', 'vault');
    await view.page.waitForFunction(() => document.querySelector('#br-affected-status')?.textContent?.includes('filtered'));
    assert.equal(await statusText(view), 'Showing 1–100 of 800 affected tokens (filtered from 3,000).');
    const kinds = await columnTexts(view, 4);
    assert.ok(kinds.every((k) => k === 'vault, 10m'), kinds.join(','));

    await view.page.fill('#br-filter', 'PAYMENTS');
    await view.page.press('#br-filter', 'Enter');
    const expected = result.affected.filter((t) => t.namespace === 'payments').length;
    assert.equal(await statusText(view), `Showing 1–100 of ${expected.toLocaleString('en-US')} affected tokens (filtered from 3,000).`);
    assert.ok((await columnTexts(view, 1)).every((ns) => ns === 'payments'));

    await view.page.fill('#br-filter', 'no-such-pod-anywhere');
    await view.page.press('#br-filter', 'Enter');
    assert.equal(await statusText(view), 'Showing 0 of 3,000 affected tokens.');
    assert.equal(await view.page.locator('#br-affected-table tbody td.br-empty-cell').textContent(), 'No affected token matches the filter.');
    await view.page.fill('#br-filter', '');
    await view.page.press('#br-filter', 'Enter');
    assert.equal(await statusText(view), 'Showing 1–100 of 3,000 affected tokens.');
  });

  test('a row\'s Timeline button posts openTimeline with that token\'s indices', async () => {
    await view.page.fill('#br-filter', 'vault');
    await view.page.press('#br-filter', 'Enter');
    const row = view.page.locator('#br-affected-table tbody tr').nth(3);
    const index = Number(await row.getAttribute('data-index'));
    const token = result.affected[index] as AffectedToken;
    await row.getByRole('button', { name: /Open the timeline of/ }).click();
    const opens = await view.postedOfType('openTimeline');
    assert.deepEqual(opens.at(-1), { type: 'openTimeline', podIndex: token.podIndex, tokenIndex: 1 });
    assert.equal(token.tokenIndex, 1);
    // What the page posts is what the host accepts.
    assert.ok(parseBlastRadiusPageMessage(opens.at(-1)).ok);
    await view.page.fill('#br-filter', '');
    await view.page.press('#br-filter', 'Enter');
  });

  test('Change outage…, Export JSON and Export CSV post their messages', async () => {
    await view.page.click('#br-change-outage');
    await view.page.click('#br-export-json');
    await view.page.click('#br-export-csv');
    const last = (await posted(view)).slice(-3);
    assert.deepEqual(last, [{ type: 'changeOutage' }, { type: 'export', format: 'json' }, { type: 'export', format: 'csv' }]);
    for (const m of last) assert.ok(parseBlastRadiusPageMessage(m).ok);
  });

  test('a malformed host message is reported with the field that is wrong, and the view stays', async () => {
    const before = (await posted(view)).length;
    const bad = structuredClone(result) as unknown as { affected: Array<{ expiryMs: { min: unknown } }> };
    (bad.affected[12] as { expiryMs: { min: unknown } }).expiryMs.min = 'soon';
    await view.send({ type: 'showResult', title: 'broken', scope: 'x', result: bad });
    await view.send({ type: 'launchMissiles' });
    await view.page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length >= n + 2, before);
    const reports = (await posted(view)).slice(before) as Array<{ type: string; message: string }>;
    assert.equal(reports[0]?.type, 'reportError');
    assert.match(reports[0]?.message ?? '', /result\.affected\[12\]\.expiryMs\.min must be a finite number/);
    assert.match(reports[1]?.message ?? '', /unknown message type "launchMissiles"/);
    assert.equal(await view.page.getByRole('heading', { level: 1 }).textContent(), TITLE);
    assert.equal(await statusText(view), 'Showing 1–100 of 3,000 affected tokens.');
  });

  test('busy shows progress with its message; an error from the host is a banner over what is shown', async () => {
    await view.send({ type: 'busy', on: true, message: 'Sampling 20 runs of 3,800 pods…' });
    await view.page.locator('#br-progress').waitFor({ state: 'visible' });
    assert.equal(await view.page.locator('#br-progress-text').textContent(), 'Sampling 20 runs of 3,800 pods…');
    assert.ok(await view.page.locator('#br-change-outage').isDisabled());
    await view.send({ type: 'error', message: 'The analysis failed: the cluster did not answer.' });
    await view.page.locator('#br-banner').waitFor({ state: 'visible' });
    assert.equal(await view.page.locator('#br-banner-text').textContent(), 'The analysis failed: the cluster did not answer.');
    assert.ok(await view.page.locator('#br-progress').isHidden());
    assert.equal(await view.page.locator('#br-kinds-table tbody tr').count(), 4);
    assert.equal(await statusText(view), 'Showing 1–100 of 3,000 affected tokens.');
    await view.screenshot('blast-radius-error');
    await view.page.click('#br-banner button');
    assert.ok(await view.page.locator('#br-banner').isHidden());
  });

  test('light and high-contrast themes repaint the chart in their colours', async () => {
    for (const theme of ['light', 'hc'] as const) {
      await view.setTheme(theme);
      await view.page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      const bg = await view.page.evaluate(() => (window as unknown as { __ktl: { chart: { getOption(): { backgroundColor: string } } } }).__ktl.chart.getOption().backgroundColor);
      assert.equal(bg, theme === 'light' ? '#ffffff' : '#000000');
      await view.screenshot(`blast-radius-${theme}`);
    }
    await view.setTheme('dark');
  });
});

test('a result where nothing was held back says so', async () => {
  const view = await openWebview({ bundle: 'blastRadius', theme: 'light' });
  try {
    await waitReady(view);
    await view.sendAndPaint({ type: 'showResult', title: 'Five minutes', scope: 'Demo cluster, namespace shop', result: quietResult() });
    assert.equal(await view.page.locator('#br-herd-none').textContent(), 'No refresh was held back');
    assert.equal(await view.page.locator('#br-kinds-table tbody tr td').nth(6).textContent(), 'none during the outage');
    assert.equal(await statusText(view), 'Showing 0 of 0 affected tokens.');
    assert.equal(await view.page.locator('#br-outage').textContent(), `2026-03-10 14:00:00 UTC to 14:05:00 UTC (5m)`);
    assert.ok(OUTAGE_START > 0);
  } finally {
    await view.close();
  }
});

test('30,000 affected tokens stay responsive: shown, sorted and filtered within a second each, one page in the DOM', async () => {
  const view = await openWebview({ bundle: 'blastRadius' });
  try {
    await waitReady(view);
    const big = largeResult(10);
    assert.equal(big.affected.length, 30_000);
    // Sent as JSON text and timed inside the page: Playwright's own argument serialisation of 30,000
    // objects takes far longer than the page does, and is not what a user waits for.
    const json = JSON.stringify({ type: 'showResult', title: 'Big', scope: 'Demo cluster, all namespaces', result: big });
    const shown = await view.page.evaluate(
      (text) =>
        new Promise<number>((resolve) => {
          const message: unknown = JSON.parse(text);
          const t0 = performance.now();
          window.addEventListener('ktl-painted', () => resolve(performance.now() - t0), { once: true });
          window.postMessage(message, '*');
        }),
      json,
    );
    // Validated, rendered and the chart painted (measured ≈1 s on the 2-core machine).
    assert.ok(shown < 4_000, `shown in ${shown} ms`);
    assert.equal(await statusText(view), 'Showing 1–100 of 30,000 affected tokens.');
    assert.equal(await view.page.locator('#br-affected-table tbody tr').count(), 100);
    const sortMs = await view.page.evaluate(() => {
      const t = performance.now();
      (document.querySelector('th[data-col="pod"] button') as HTMLButtonElement).click();
      return performance.now() - t;
    });
    assert.ok(sortMs < 1_000, `sorted in ${sortMs} ms`);
    const filterMs = await view.page.evaluate(() => {
      const input = document.querySelector('#br-filter') as HTMLInputElement;
      input.value = 'worker';
      const t = performance.now();
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      return performance.now() - t;
    });
    assert.ok(filterMs < 1_000, `filtered in ${filterMs} ms`);
    assert.match(await statusText(view), /of [\d,]+ affected tokens \(filtered from 30,000\)/);
  } finally {
    await view.close();
  }
});
