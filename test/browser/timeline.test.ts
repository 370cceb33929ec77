// The timeline webview in headless Chromium under the real CSP: rendering, clock and stepping,
// zoom, lanes, theming, validation of host messages, the what-if form, exports and state restore.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openWebview, type WebviewPage } from './webviewPage';
import { HAND_VALUES, handEventTimes, handTrace, handWhatIf, syntheticTrace, T0 } from './traces';
import { parseWebviewMessage } from '../../src/protocol';
import { checkWhatIf } from '../../src/sim/scenario/whatIf';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../src/sim/engine/run';
import { loadScenario } from '../../src/sim/scenario/load';
import type { WhatIfValues, WhatIfWindow } from '../../src/sim/whatIf';
import { CHART_HUES } from '../../webview/theme';

const S = 1000;

interface ChartSummary {
  background: string;
  /** Events per marker category / items per legend entry. */
  legend: Record<string, number>;
  series: Array<{ id: string; type: string; name?: string; count: number; color?: string }>;
  dataZoom: Array<{ id: string; start?: number; end?: number; startValue?: number; endValue?: number }>;
  ariaEnabled: boolean;
}

/** What the ECharts instance holds (ids, data sizes, colours, zoom), read inside the page. */
function chartSummary(view: WebviewPage): Promise<ChartSummary> {
  return view.page.evaluate(() => {
    type Opt = {
      backgroundColor: string;
      series: Array<{ id: string; type: string; name?: string; data?: unknown[]; itemStyle?: { color?: string } }>;
      dataZoom: Array<{ id: string; start?: number; end?: number; startValue?: number; endValue?: number }>;
    };
    const ktl = (window as unknown as { __ktl: { chart: { getOption(): Opt }; app: { chartView: { legendEntries(): Array<{ name: string; count: number }> } } } }).__ktl;
    const chart = ktl.chart;
    const o = chart.getOption();
    return {
      legend: Object.fromEntries(ktl.app.chartView.legendEntries().map((e) => [e.name, e.count])),
      background: o.backgroundColor,
      ariaEnabled: Boolean((window as unknown as { __ktl: { chart: { getDom(): HTMLElement } } }).__ktl.chart.getDom().getAttribute('aria-label')?.includes('Token timeline')),
      series: o.series.map((s) => ({ id: s.id, type: s.type, name: s.name, count: s.data?.length ?? 0, color: s.itemStyle?.color })),
      dataZoom: o.dataZoom.map((d) => ({ id: d.id, start: d.start, end: d.end, startValue: d.startValue, endValue: d.endValue })),
    };
  });
}

async function showHand(view: WebviewPage, extra: Record<string, unknown> = {}): Promise<void> {
  await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  await view.sendAndPaint({ type: 'showTrace', title: 'Hand-made: web-0, web-1, calico', trace: handTrace(), ...extra });
}

async function now(view: WebviewPage): Promise<number> {
  return (await view.snapshot()).now as number;
}

describe('timeline (dark theme, hand-made trace)', () => {
  let view: WebviewPage;
  before(async () => {
    view = await openWebview({ theme: 'dark' });
    await showHand(view, { whatIf: handWhatIf(), anchorNow: T0 + 2 * 3600 * S + 20 * 60 * S });
  });
  after(async () => {
    await view.close();
  });

  test('renders lanes, spans and markers (chart data and the accessible lane table)', async () => {
    const chart = await chartSummary(view);
    const byId = new Map(chart.series.map((s) => [s.id, s]));
    // Spans and markers: one chart item per lane and style / category, each drawn as one path.
    assert.equal(byId.get('span:validity')?.count, 3);
    assert.equal(byId.get('span:refreshWindow')?.count, 2);
    assert.equal(byId.get('span:outage')?.count, 1);
    assert.deepEqual([chart.legend['Token validity'], chart.legend['Refresh window'], chart.legend['Outage']], [7, 4, 1]);
    assert.equal(byId.get('mk:requestOk')?.count, 3);
    assert.equal(byId.get('mk:requestFailed')?.count, 2);
    assert.equal(byId.get('mk:outage')?.count, 1);
    assert.deepEqual(
      [chart.legend['Token request'], chart.legend['Request failed'], chart.legend['Written to pod'], chart.legend['Stale serve'], chart.legend['Expired'], chart.legend['Outage start / end']],
      [7, 4, 6, 2, 1, 2],
    );
    assert.equal(byId.get('agg:tokenRequests')?.count, 36);
    assert.ok(chart.ariaEnabled, 'ECharts aria is on');

    const rows = view.page.locator('#ktl-lanes [role=row][data-lane]');
    assert.equal(await rows.count(), 4);
    assert.deepEqual(await view.page.locator('#ktl-lanes .ktl-lane-name').allTextContents(), ['API server', 'web-0 · web-0 token', 'web-1 · web-1 token', 'calico-cni']);
    assert.equal(await view.page.locator('#ktl-lanes').getAttribute('aria-rowcount'), '5');
    // anchorNow (2h20m, inside the outage) put the cursor there: the state column says so.
    assert.equal(await now(view), T0 + 8400 * S);
    assert.deepEqual(await view.page.locator('#ktl-lanes [data-lane]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state)), ['outage', 'valid', 'expired', 'valid']);
    const legend = await view.page.locator('#ktl-legend .ktl-chip').allTextContents();
    assert.ok(legend.includes('Token request') && legend.includes('Stale serve') && legend.includes('Refresh window'), legend.join(','));
    await view.screenshot('timeline-dark');
  });

  test('next / previous event land on the exact event times, from start and from end', async () => {
    const times = handEventTimes();
    await view.page.click('#ktl-to-start');
    assert.equal(await now(view), T0);
    const seen: number[] = [];
    for (let i = 0; i < times.length; i++) {
      await view.page.click('#ktl-next');
      seen.push(await now(view));
    }
    assert.deepEqual(seen, times);
    // Past the last event: the cursor stays.
    await view.page.click('#ktl-next');
    assert.equal(await now(view), times[times.length - 1]);

    await view.page.click('#ktl-to-end');
    assert.equal(await now(view), T0 + 6 * 3600 * S);
    const back: number[] = [];
    for (let i = 0; i < 3; i++) {
      await view.page.click('#ktl-prev');
      back.push(await now(view));
    }
    assert.deepEqual(back, [T0 + 9010 * S, T0 + 9010 * S, T0 + 9000 * S]);
    // The stepped-to event is selected and its rule is shown.
    assert.equal(await view.page.locator('#ktl-details-name').textContent(), 'Outage ended');
    assert.match((await view.page.locator('#ktl-details-rule').textContent()) ?? '', /scenario outage until 2h30m/);

    // Keyboard shortcuts do the same.
    await view.page.locator('#ktl-timeline').click({ position: { x: 5, y: 5 } });
    await view.page.keyboard.press('[');
    assert.equal(await now(view), T0 + 8700 * S);
    await view.page.keyboard.press(']');
    assert.equal(await now(view), T0 + 9000 * S);
  });

  test('with no stepping position, next/prev search strictly after/before the cursor', async () => {
    // Drag-free way to put the cursor between events: the readout slider.
    await view.page.click('#ktl-to-start');
    await view.page.focus('#ktl-now');
    await view.page.keyboard.press('PageUp'); // +10 % of the visible window (6h) = 36 min
    assert.equal(await now(view), T0 + 2160 * S);
    await view.page.click('#ktl-next');
    assert.equal(await now(view), T0 + 2880 * S);
    await view.page.focus('#ktl-now');
    await view.page.keyboard.press('PageUp'); // 2880 + 2160 = 5040 s
    await view.page.click('#ktl-prev');
    assert.equal(await now(view), T0 + 3700 * S);
  });

  test('the lane state column follows the cursor (expired after failed refreshes)', async () => {
    await view.page.click('#ktl-to-start');
    // Step to the 11th event: web-1's tokenExpired at 3607 s.
    for (let i = 0; i < 11; i++) await view.page.click('#ktl-next');
    assert.equal(await now(view), T0 + 3607 * S);
    const web1 = view.page.locator('#ktl-lanes [data-lane="2"]');
    assert.equal(await web1.getAttribute('data-state'), 'expired');
    await view.page.click('#ktl-prev'); // 3000 s: refresh failing, old token kept
    assert.equal(await web1.getAttribute('data-state'), 'stale');
    assert.match((await web1.locator('.ktl-lt-remaining').textContent()) ?? '', /Kubelet expiry in 10 min 7 s/);
  });

  test('the cursor can be dragged on the chart', async () => {
    await view.page.click('#ktl-zoom-fit');
    await view.page.click('#ktl-to-start');
    const box = await view.page.locator('#ktl-chart').boundingBox();
    assert.ok(box);
    const layout = await view.page.evaluate(() => (window as unknown as { __ktl: { app: { chartView: { layout: Record<string, number> } } } }).__ktl.app.chartView.layout);
    const plotWidth = layout.width! - layout.left! - layout.right!;
    const x0 = box.x + layout.left!;
    const y = box.y + layout.lanesTop! + 10;
    await view.page.mouse.move(x0, y);
    await view.page.mouse.down();
    await view.page.mouse.move(x0 + plotWidth / 4, y, { steps: 8 });
    await view.page.mouse.move(x0 + plotWidth / 2, y, { steps: 8 });
    await view.page.mouse.up();
    const t = await now(view);
    const expected = T0 + 3 * 3600 * S;
    assert.ok(Math.abs(t - expected) < 3 * 60 * S, `cursor at ${new Date(t).toISOString()}, expected about ${new Date(expected).toISOString()}`);
  });

  test('zoom: wheel, buttons and fit change the dataZoom window', async () => {
    await view.page.click('#ktl-zoom-fit');
    let snap = await view.snapshot();
    assert.deepEqual(snap.x, [T0, T0 + 6 * 3600 * S]);
    const box = await view.page.locator('#ktl-chart').boundingBox();
    assert.ok(box);
    const lanesTop = await view.page.evaluate(() => (window as unknown as { __ktl: { app: { chartView: { layout: { lanesTop: number } } } } }).__ktl.app.chartView.layout.lanesTop);
    await view.page.mouse.move(box.x + box.width / 2, box.y + lanesTop + 20);
    for (let i = 0; i < 5; i++) await view.page.mouse.wheel(0, -200);
    await view.page.waitForTimeout(200);
    snap = await view.snapshot();
    const [a, b] = snap.x as [number, number];
    assert.ok(b - a < 6 * 3600 * S * 0.8, `wheel zoomed in: span ${(b - a) / 60000} min`);
    const dz = (await chartSummary(view)).dataZoom.find((d) => d.id === 'xInside');
    assert.ok(dz && (dz.end ?? 100) - (dz.start ?? 0) < 80, `dataZoom start/end ${dz?.start}/${dz?.end}`);

    await view.page.click('#ktl-zoom-fit');
    await view.page.click('#ktl-to-start');
    await view.page.click('#ktl-zoom-in');
    snap = await view.snapshot();
    assert.deepEqual(snap.x, [T0, T0 + 3 * 3600 * S], 'zoom-in halves the window around the cursor');
    // Down to seconds: 14 halvings of 3 h reach the 1 s minimum.
    for (let i = 0; i < 16; i++) await view.page.click('#ktl-zoom-in');
    snap = await view.snapshot();
    const span = (snap.x as number[])[1]! - (snap.x as number[])[0]!;
    assert.equal(span, 1000, 'the window stops at one second');
    await view.page.keyboard.press('0');
    assert.deepEqual((await view.snapshot()).x, [T0, T0 + 6 * 3600 * S]);
  });

  test('hovering a marker shows our tooltip with the rule; clicking selects it', async () => {
    await view.page.click('#ktl-zoom-fit');
    const point = await view.page.evaluate(
      ([t, lane]) => {
        const chart = (window as unknown as { __ktl: { chart: { convertToPixel(f: unknown, v: unknown): number[]; getDom(): HTMLElement } } }).__ktl.chart;
        const [x, y] = chart.convertToPixel({ gridIndex: 1 }, [t, lane]);
        const r = chart.getDom().getBoundingClientRect();
        // Outcome markers (expiry) sit 5 px below the lane centre.
        return { x: r.left + x!, y: r.top + y! + 5 };
      },
      [T0 + 3607 * S, 2] as const,
    );
    await view.page.mouse.move(point.x - 30, point.y);
    await view.page.mouse.move(point.x, point.y, { steps: 3 });
    const tip = view.page.locator('#ktl-tooltip');
    await tip.waitFor({ state: 'visible' });
    assert.match((await tip.textContent()) ?? '', /Token expired.*exp reached: 3607 s after issue/s);
    await view.page.mouse.click(point.x, point.y);
    assert.deepEqual((await view.snapshot()).selection, { kind: 'event', index: 10 });
    assert.equal(await view.page.locator('#ktl-details-name').textContent(), 'Token expired');
    const selects = await view.postedOfType<{ lane: string; t: number }>('selectEvent');
    assert.deepEqual(selects.at(-1), { type: 'selectEvent', lane: 'shop/web-1/token', t: T0 + 3607 * S, eventType: 'tokenExpired' });
    await view.page.mouse.move(point.x, point.y + 200);

    // Spans too: the outage band on the API-server lane, and web-0's second validity (lower slot).
    const px = (t: number, lane: number): Promise<{ x: number; y: number }> =>
      view.page.evaluate(
        ([t, lane]) => {
          const chart = (window as unknown as { __ktl: { chart: { convertToPixel(f: unknown, v: unknown): number[]; getDom(): HTMLElement } } }).__ktl.chart;
          const [x, y] = chart.convertToPixel({ gridIndex: 1 }, [t, lane]);
          const r = chart.getDom().getBoundingClientRect();
          return { x: r.left + x!, y: r.top + y! };
        },
        [t, lane] as const,
      );
    const outage = await px(T0 + 8100 * S, 0);
    await view.page.mouse.move(outage.x, outage.y + 2, { steps: 2 });
    await tip.waitFor({ state: 'visible' });
    assert.match((await tip.textContent()) ?? '', /Outage.*Duration30 min.*scenario outage 2h–2h30m/s);
    const validity = await px(T0 + 4000 * S, 1);
    await view.page.mouse.click(validity.x, validity.y + 5);
    assert.deepEqual((await view.snapshot()).selection, { kind: 'span', index: 3 });
    assert.equal(await view.page.locator('#ktl-details-name').textContent(), 'Token validity');
    await view.page.mouse.move(validity.x, validity.y + 300);
  });

  test('keyboard: lane table with roving tabindex, arrows between events, Enter selects', async () => {
    await view.page.click('#ktl-to-start');
    await view.page.locator('#ktl-lanes [data-lane="0"]').focus();
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'ktl-lane-1');
    assert.equal(await view.page.locator('#ktl-lane-1').getAttribute('tabindex'), '0');
    assert.equal(await view.page.locator('#ktl-lane-0').getAttribute('tabindex'), '-1');
    await view.page.keyboard.press('ArrowRight'); // web-0's first event after the start: 2880 s (t=0 events are not after the cursor)
    assert.equal(await now(view), T0 + 2880 * S);
    await view.page.keyboard.press('ArrowRight');
    assert.equal(await now(view), T0 + 2880 * S); // its tokenWritten at the same time
    await view.page.keyboard.press('ArrowRight');
    assert.equal(await now(view), T0 + 5760 * S);
    await view.page.keyboard.press('ArrowLeft');
    assert.equal(await now(view), T0 + 2880 * S);
    await view.page.keyboard.press('Enter');
    const snap = await view.snapshot();
    assert.deepEqual(snap.selection, { kind: 'event', index: 6 });
    assert.equal(await view.page.locator('#ktl-details-name').textContent(), "Token written to the pod's file");
    assert.match((await view.page.locator('#ktl-live').textContent()) ?? '', /on web-0 · web-0 token/);
    await view.page.keyboard.press('Escape');
    assert.equal((await view.snapshot()).selection, null);
  });

  test('play advances the virtual clock at the chosen speed; pause stops it', async () => {
    await view.page.click('#ktl-to-start');
    await view.page.click('#ktl-play');
    await view.page.waitForTimeout(500);
    await view.page.click('#ktl-play');
    const snap = await view.snapshot();
    assert.equal(snap.playing, false);
    const advanced = (snap.now as number) - T0;
    // Default speed for 6 h is 10 min/s: ~0.5 s of play ≈ 5 min of virtual time.
    assert.equal(snap.speed, 600_000);
    assert.ok(advanced > 60 * S && advanced < 20 * 60 * S, `advanced ${advanced / 1000} s`);
  });

  test('malformed host messages are rejected with precise errors and leave the view unchanged', async () => {
    const before = await view.snapshot();
    const bad = handTrace();
    bad.events[3] = { ...bad.events[3]!, lane: 'nope' };
    const postedBefore = (await view.posted()).length;
    await view.send({ type: 'showTrace', title: 'bad lane', trace: bad });
    await view.send({ type: 'showTrace', title: 'bad t', trace: { ...handTrace(), events: [{ t: 'soon', lane: 'apiserver', type: 'x', rule: 'r' }] } });
    await view.send({ type: 'showTrace', title: 'bad params', trace: handTrace(), whatIf: handWhatIf({ ...HAND_VALUES, expirationSeconds: 60 }) });
    await view.send({ type: 'busy', on: 'yes' });
    await view.send('hello');
    await view.page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length >= n + 5, postedBefore);
    const errors = ((await view.posted()) as Array<{ type: string; message?: string }>).slice(postedBefore).map((m) => m.message ?? m.type);
    assert.match(errors[0]!, /trace\.events\[3\]\.lane "nope" is not in trace\.lanes/);
    assert.match(errors[1]!, /trace\.events\[0\] must have numeric t/);
    assert.match(errors[2]!, /showTrace\.whatIf\.values\.expirationSeconds must be between 600 and 4294967296, got 60/);
    assert.match(errors[3]!, /busy\.on must be true or false/);
    assert.match(errors[4]!, /message is not an object/);
    assert.equal(await view.page.locator('#ktl-title').textContent(), 'Hand-made: web-0, web-1, calico');
    const afterSnap = await view.snapshot();
    assert.deepEqual([afterSnap.now, afterSnap.x, afterSnap.lanes], [before.now, before.x, before.lanes]);
  });

  test('host error and busy messages show a banner and a busy state', async () => {
    await view.send({ type: 'busy', on: true });
    await view.page.locator('#ktl-progress').waitFor({ state: 'visible' });
    assert.equal(await view.page.locator('#ktl-timeline').getAttribute('aria-busy'), 'true');
    await view.send({ type: 'error', message: 'simulation failed: outage ends before it starts' });
    await view.page.locator('#ktl-banner').waitFor({ state: 'visible' });
    assert.match((await view.page.locator('#ktl-banner').textContent()) ?? '', /outage ends before it starts/);
    await view.send({ type: 'busy', on: false });
    await view.page.locator('#ktl-progress').waitFor({ state: 'hidden' });
  });
});

describe('what-if form, exports and state', () => {
  let view: WebviewPage;
  before(async () => {
    view = await openWebview({ theme: 'dark' });
    await showHand(view, { whatIf: handWhatIf() });
  });
  after(async () => {
    await view.close();
  });

  test('the form renders the host contract by section and shows its values; a valid change posts a rerun and shows busy', async () => {
    const sections = [...new Set(handWhatIf().fields.map((f) => f.section))];
    assert.deepEqual(sections.slice(0, 4), ['Simulation', 'Kubelet', 'API server', 'Token refreshers']);
    assert.deepEqual(await view.page.locator('.ktl-form-section-title').allTextContents(), sections);
    // Every field of the contract has its control, label and help text.
    for (const f of handWhatIf().fields) {
      assert.equal(await view.page.locator(`#wf-${f.id}`).count(), 1, f.id);
      assert.equal(await view.page.locator(`#wf-${f.id}-help`).textContent(), f.help);
    }
    assert.equal(await view.page.locator('label[for="wf-expirationSeconds"]').textContent(), 'Token lifetime (s)');
    assert.equal(await view.page.locator('#wf-expirationSeconds').getAttribute('type'), 'number');
    assert.equal(await view.page.locator('#wf-extendTokenExpiration').evaluate((e) => (e as HTMLInputElement).checked), true);
    assert.equal(await view.page.locator('#wf-refresher').evaluate((e) => (e as HTMLInputElement).value), 'calico');
    assert.equal(await view.page.locator('#wf-maxTokenExpiration').getAttribute('placeholder'), 'empty = no cap');
    assert.equal(await view.page.locator('#wf-horizon').evaluate((e) => (e as HTMLInputElement).value), '6h');
    assert.equal(await view.page.locator('#wf-seed').evaluate((e) => (e as HTMLInputElement).value), '7');
    assert.equal(await view.page.locator('.wf-window-from').evaluate((e) => (e as HTMLInputElement).value), '2h');
    await view.page.locator('#wf-seed input').fill('42');
    await view.page.locator('#wf-seed input').press('Enter');
    await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'rerun'));
    const reruns = await view.postedOfType<{ type: 'rerun'; values: WhatIfValues }>('rerun');
    assert.equal(reruns.length, 1);
    assert.deepEqual(reruns[0]!.values, { ...HAND_VALUES, seed: 42 });
    assert.ok(parseWebviewMessage(reruns[0]).ok, 'the host-side parser accepts it');
    assert.ok(checkWhatIf(reruns[0]!.values).ok, "and so does the host's re-check against the models' fields");
    await view.page.locator('#ktl-progress').waitFor({ state: 'visible' });
    // The host answers with the new trace: busy ends, the form shows the new values.
    await view.sendAndPaint({ type: 'showTrace', title: 'Hand-made (seed 42)', trace: handTrace(), whatIf: handWhatIf({ ...HAND_VALUES, seed: 42 }) });
    await view.page.locator('#ktl-progress').waitFor({ state: 'hidden' });
    assert.equal(await view.page.locator('#ktl-title').textContent(), 'Hand-made (seed 42)');
  });

  test('invalid values are flagged and not posted; outages can be added', async () => {
    const count = async (): Promise<number> => (await view.postedOfType('rerun')).length;
    const before = await count();
    await view.page.locator('#wf-horizon input').fill('6x');
    await view.page.locator('#wf-horizon input').press('Enter');
    await view.page.locator('#wf-horizon-error').waitFor({ state: 'visible' });
    assert.match((await view.page.locator('#wf-horizon-error').textContent()) ?? '', /unknown unit "x"/);
    assert.equal(await view.page.locator('#wf-horizon').getAttribute('invalid'), '');
    await view.page.waitForTimeout(400);
    assert.equal(await count(), before);

    await view.page.locator('#wf-horizon input').fill('12h');
    await view.page.locator('#wf-horizon input').press('Enter');
    await view.page.click('#wf-outages-add');
    await view.page.locator('.wf-window-from input').nth(1).fill('3h');
    await view.page.locator('.wf-window-to input').nth(1).fill('2h');
    await view.page.locator('.wf-window-to input').nth(1).press('Enter');
    await view.page.waitForTimeout(400);
    assert.match((await view.page.locator('#wf-outages-error').textContent()) ?? '', /Outage 2 to: must be after from \(3h\)/);
    assert.equal(await view.page.locator('.wf-window-to').nth(1).getAttribute('invalid'), '');
    // The API server's check across models: an outage past the horizon is marked at its start.
    await view.page.locator('.wf-window-from input').nth(1).fill('13h');
    await view.page.locator('.wf-window-to input').nth(1).fill('14h');
    await view.page.locator('.wf-window-to input').nth(1).press('Enter');
    await view.page.waitForTimeout(400);
    assert.match((await view.page.locator('#wf-outages-error').textContent()) ?? '', /Outage 2 from: starts at or after the horizon \(12h\)/);
    assert.equal(await view.page.locator('.wf-window-from').nth(1).getAttribute('invalid'), '');
    await view.page.locator('.wf-window-from input').nth(1).fill('3h');
    await view.page.locator('.wf-window-to input').nth(1).fill('4h');
    await view.page.locator('.wf-window-to input').nth(1).press('Enter');
    await view.page.waitForFunction(() =>
      (window as unknown as { __posted: Array<{ type: string; values?: WhatIfValues }> }).__posted.some((m) => m.type === 'rerun' && (m.values?.outages as WhatIfWindow[] | undefined)?.[1]?.to === '4h'),
    );
    const last = (await view.postedOfType<{ values: WhatIfValues }>('rerun')).at(-1)!;
    assert.deepEqual(last.values.outages, [
      { from: '2h', to: '2h30m' },
      { from: '3h', to: '4h' },
    ]);
    assert.equal(last.values.horizon, '12h');
    await view.send({ type: 'busy', on: false });
  });

  test('save scenario, CSV and JSON export post their messages', async () => {
    await view.page.click('#wf-save');
    await view.page.click('#ktl-export-csv');
    await view.page.click('#ktl-export-json');
    const saves = await view.postedOfType<{ values: WhatIfValues }>('saveScenario');
    assert.equal(saves.length, 1);
    assert.ok(parseWebviewMessage(saves[0]).ok);
    assert.deepEqual((await view.postedOfType('export')).map((m) => m.format), ['csv', 'json']);
  });

  test('export PNG posts a valid PNG data URL and leaves the view as it was', async () => {
    const layoutBefore = await view.page.evaluate(() => (window as unknown as { __ktl: { app: { chartView: { layout: unknown } } } }).__ktl.app.chartView.layout);
    await view.page.click('#ktl-export-png');
    await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'exportPng'));
    const [msg] = await view.postedOfType<{ dataUrl: string }>('exportPng');
    assert.ok(msg!.dataUrl.startsWith('data:image/png;base64,iVBORw0KGgo'));
    const parsed = parseWebviewMessage(msg);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    const bytes = Buffer.from(msg!.dataUrl.slice('data:image/png;base64,'.length), 'base64');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync('test-results/browser', { recursive: true });
    writeFileSync('test-results/browser/export.png', bytes);
    // PNG IHDR: width at byte 16, height at 20 (pixelRatio 2).
    assert.ok(bytes.readUInt32BE(16) > 1000 && bytes.readUInt32BE(20) > 500);
    assert.deepEqual(await view.page.evaluate(() => (window as unknown as { __ktl: { app: { chartView: { layout: unknown } } } }).__ktl.app.chartView.layout), layoutBefore);
  });

  test('state is saved with setState and restores the view in a new page', async () => {
    await view.page.click('#ktl-to-start');
    await view.page.click('#ktl-zoom-in');
    for (let i = 0; i < 5; i++) await view.page.click('#ktl-next');
    await view.page.click('#ktl-legend .ktl-chip[data-name="Token request"]');
    await view.page.waitForTimeout(700);
    const snap = await view.snapshot();
    const state = (await view.state()) as { version: number; view: { now: number; zoom: number[]; hidden: string[] }; trace?: unknown; whatIf?: unknown };
    assert.equal(state.version, 1);
    assert.equal(state.view.now, snap.now);
    assert.deepEqual(state.view.zoom, snap.x);
    assert.deepEqual(state.view.hidden, ['Token request']);
    assert.ok(state.trace, 'a small trace is kept in the state');

    const restored = await openWebview({ theme: 'light', state });
    try {
      await restored.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
      const r = await restored.snapshot();
      assert.equal(r.now, snap.now);
      assert.deepEqual(r.x, snap.x);
      assert.deepEqual(r.hidden, ['Token request']);
      assert.equal(await restored.page.locator('#ktl-title').textContent(), await view.page.locator('#ktl-title').textContent());
      // The host answers `ready` with the same trace: the restored view is kept.
      await restored.sendAndPaint({ type: 'showTrace', title: 'Hand-made (seed 42)', trace: handTrace(), whatIf: state.whatIf });
      const r2 = await restored.snapshot();
      assert.deepEqual([r2.now, r2.x], [snap.now, snap.x]);
      assert.equal(await restored.page.locator('#ktl-legend .ktl-chip[aria-pressed=false]').count(), 1);
    } finally {
      await restored.close();
    }
  });

  test('state saved before the form was generic (old `params`) does not break the page', async () => {
    const state = (await view.state()) as Record<string, unknown>;
    const { whatIf: _form, ...rest } = state;
    const old = { ...rest, params: HAND_VALUES };
    const restored = await openWebview({ theme: 'dark', state: old });
    try {
      await restored.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
      assert.equal(await restored.page.locator('#ktl-title').textContent(), state.title);
      // No form to show until the host sends one; then it is live.
      assert.equal(await restored.page.locator('#wf-note').isVisible(), true);
      assert.equal(await restored.page.locator('#wf-run').evaluate((e) => (e as HTMLElement & { disabled: boolean }).disabled), true);
      await restored.sendAndPaint({ type: 'showTrace', title: 'Hand-made', trace: handTrace(), whatIf: handWhatIf() });
      assert.equal(await restored.page.locator('#wf-note').isVisible(), false);
      assert.equal(await restored.page.locator('#wf-horizon').evaluate((e) => (e as HTMLInputElement).value), '6h');
      const errors = ((await restored.posted()) as Array<{ type: string }>).filter((m) => m.type === 'reportError');
      assert.deepEqual(errors, []);
    } finally {
      await restored.close();
    }
  });
});

describe('themes', () => {
  test('switching the body class and variables re-colours the chart live (dark → light → high contrast)', async () => {
    const view = await openWebview({ theme: 'dark' });
    try {
      await showHand(view, { whatIf: handWhatIf() });
      await view.page.click('#ktl-to-start');
      for (let i = 0; i < 11; i++) await view.page.click('#ktl-next');
      let chart = await chartSummary(view);
      assert.equal(chart.background, '#1f1f1f');
      // Outside high contrast the hues are the colour-blind-safe ones (webview/theme.ts), not the theme's chart colours.
      assert.equal(chart.series.find((s) => s.id === 'mk:requestOk')?.color, CHART_HUES.dark.green);

      await view.setTheme('light');
      chart = await chartSummary(view);
      assert.equal(chart.background, '#ffffff');
      assert.equal(chart.series.find((s) => s.id === 'mk:requestOk')?.color, CHART_HUES.light.green);
      assert.equal(chart.series.find((s) => s.id === 'mk:requestOk')?.count, 3, 'data kept');
      await view.screenshot('timeline-light');

      await view.setTheme('hc');
      chart = await chartSummary(view);
      assert.equal(chart.background, '#000000');
      assert.equal(chart.series.find((s) => s.id === 'mk:requestFailed')?.color, '#f48771');
      assert.equal((await view.snapshot()).palette && ((await view.snapshot()).palette as { contrastBorder: string }).contrastBorder, '#6fc3df');
      await view.screenshot('timeline-high-contrast');
    } finally {
      await view.close();
    }
  });
});

describe('edge cases', () => {
  test('an empty trace, and event types / span kinds this view does not know, render without errors', async () => {
    const view = await openWebview({ theme: 'dark' });
    try {
      await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
      const empty = { version: 1, meta: { seed: 0, start: T0, end: T0, models: [], lanesTotal: 0, eventsTotal: 0 }, lanes: [], spans: [], events: [], series: [] };
      await view.send({ type: 'showTrace', title: 'Empty', trace: empty });
      await view.page.locator('#ktl-empty').waitFor({ state: 'visible' });
      assert.match((await view.page.locator('#ktl-empty').textContent()) ?? '', /no lanes and no series/);
      await view.page.click('#ktl-next');
      await view.page.click('#ktl-play');

      const lanes = [
        { id: 'key:registry.example/app', kind: 'cacheKey', label: 'registry.example/app', group: 'Image', detailed: true },
        { id: 'user:dev', kind: 'kubeconfigUser', label: 'dev (exec)', detailed: true },
      ];
      const t = (s: number): number => T0 + s * S;
      const trace = {
        version: 1,
        meta: { name: 'credential provider', seed: 3, start: T0, end: t(7200), models: ['kubelet credential provider 1.34'], lanesTotal: 2, eventsTotal: 7 },
        lanes,
        spans: [
          { lane: 'key:registry.example/app', kind: 'cacheEntry', start: t(60), end: t(3660), rule: 'cacheDuration 1h' },
          { lane: 'user:dev', kind: 'backoff', start: t(100), end: t(400) },
        ],
        events: [
          { t: t(60), lane: 'key:registry.example/app', type: 'cacheMiss', rule: 'no entry' },
          { t: t(60), lane: 'key:registry.example/app', type: 'pluginExec', rule: 'plugin run', ok: true },
          { t: t(600), lane: 'key:registry.example/app', type: 'cacheHit', rule: 'entry valid' },
          { t: t(100), lane: 'user:dev', type: 'http401', rule: 'credential rejected' },
          { t: t(110), lane: 'user:dev', type: 'somethingNew', rule: '?' },
          { t: t(120), lane: 'user:dev', type: 'execPlugin', rule: 're-run after 401', ok: false, error: 'exit 1' },
          { t: t(3660), lane: 'key:registry.example/app', type: 'cacheCleanup', rule: 'purge' },
        ],
        series: [{ name: 'pluginRuns', start: T0, intervalMs: 600 * S, values: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }],
      };
      await view.sendAndPaint({ type: 'showTrace', title: 'Credential provider', trace });
      assert.equal(await view.page.locator('#ktl-empty').isVisible(), false);
      const legend = await view.page.locator('#ktl-legend .ktl-chip').allTextContents();
      for (const name of ['Plugin runs', 'Cache entry', 'Other span', 'Cache hit', 'Cache miss', 'Plugin run', 'Rejected / 401', 'Other', 'Request failed', 'Deleted / cleanup']) {
        assert.ok(legend.includes(name), `legend has ${name}: ${legend.join(', ')}`);
      }
      // Both kinds now belong to registered models: a cache key with no entry yet, a kubeconfig user holding no credentials.
      assert.deepEqual(await view.page.locator('#ktl-lanes [data-lane]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state)), ['empty', 'empty']);
      await view.page.click('#ktl-to-start');
      for (let i = 0; i < 7; i++) await view.page.click('#ktl-next');
      assert.equal(await now(view), t(3660));
      assert.equal(await view.page.locator('#ktl-details-name').textContent(), 'Cache cleanup');
      await view.page.click('#ktl-prev');
      assert.equal(await view.page.locator('#ktl-details-name').textContent(), 'Cache hit');
      assert.equal(await view.page.locator('#ktl-lanes [data-lane="0"]').getAttribute('data-state'), 'cached');
      await view.screenshot('timeline-credential-provider');
    } finally {
      await view.close();
    }
  });
});

describe('a credential-provider run', () => {
  test('a real run of the registry burst example: provider, cache-key and unmatched lanes, its legend, and a hit read in the details', async () => {
    const loaded = loadScenario(readFileSync('examples/registry-cache-burst.yaml', 'utf8'), 'registry-cache-burst.yaml');
    assert.ok(loaded.ok);
    const trace = runScenario(loaded.scenario);
    const view = await openWebview({ theme: 'dark' });
    try {
      await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
      await view.sendAndPaint({ type: 'showTrace', title: 'Registry burst', trace });
      const labels = await view.page.locator('#ktl-lanes [data-lane]').allTextContents();
      assert.ok(labels.some((l) => l.includes('ecr-credential-provider')), labels.join(' | '));
      assert.ok(labels.some((l) => l.includes('Registry 123456789012.dkr.ecr.us-east-1.amazonaws.com')), labels.join(' | '));
      assert.ok(labels.some((l) => l.includes('images no provider matches')), labels.join(' | '));
      const legend = await view.page.locator('#ktl-legend .ktl-chip').allTextContents();
      for (const name of ['Cache hit', 'Cache miss', 'Plugin run', 'Cached', 'Cache entry', 'Expired, still stored', 'No provider matches', 'Image pulls', 'Plugin runs']) {
        assert.ok(legend.includes(name), `legend has ${name}: ${legend.join(', ')}`);
      }
      // Step to the first hit: the details name the outcome, the key lane reads "cached".
      const firstHit = trace.events.findIndex((e) => e.type === 'pull' && e.data?.outcome === 'hit');
      assert.ok(firstHit > 0);
      await view.page.click('#ktl-to-start');
      for (let i = 0; i <= firstHit; i++) await view.page.click('#ktl-next');
      assert.equal(await view.page.locator('#ktl-details-name').textContent(), 'Pull served from the cache');
      const keyLane = trace.lanes.findIndex((l) => l.kind === 'cacheKey');
      assert.equal(await view.page.locator(`#ktl-lanes [data-lane="${keyLane}"]`).getAttribute('data-state'), 'cached');
      await view.screenshot('timeline-credential-provider-real');
    } finally {
      await view.close();
    }
  });
});

describe('many lanes', () => {
  test('1,000 lanes are virtualised: only the visible window is rendered, keys and wheel scroll it', async () => {
    const view = await openWebview({ theme: 'dark' });
    try {
      await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
      const trace = syntheticTrace({ lanes: 1000, events: 20_000, hours: 12 });
      await view.sendAndPaint({ type: 'showTrace', title: 'Synthetic: 1,000 pods', trace });
      const snap = await view.snapshot();
      const visible = snap.visibleLanes as number;
      assert.ok(visible > 5 && visible < 40, `visible lanes ${visible}`);
      assert.equal(await view.page.locator('#ktl-lanes [data-lane]').count(), visible);
      assert.equal(await view.page.locator('#ktl-lanes').getAttribute('aria-rowcount'), '1002');

      await view.page.locator('#ktl-lanes [data-lane="0"]').focus();
      await view.page.keyboard.press('End');
      assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'ktl-lane-1000');
      assert.equal((await view.snapshot()).laneOffset, 1001 - visible);
      const y = (await chartSummary(view)).dataZoom.find((d) => d.id === 'ySlider');
      assert.ok(y && (y.end ?? 0) > 99, `y window at the end: ${y?.start}–${y?.end}`);
      await view.page.keyboard.press('Home');
      assert.equal((await view.snapshot()).laneOffset, 0);

      const box = await view.page.locator('#ktl-lanes').boundingBox();
      assert.ok(box);
      await view.page.mouse.move(box.x + 50, box.y + 100);
      await view.page.mouse.wheel(0, 28 * 10);
      await view.page.waitForTimeout(100);
      assert.equal((await view.snapshot()).laneOffset, 10);
      assert.equal(await view.page.locator('#ktl-lanes [data-lane]').first().getAttribute('data-lane'), '10');
      await view.page.click('#ktl-zoom-in');
      await view.page.click('#ktl-zoom-in');
      await view.screenshot('timeline-1000-lanes');
    } finally {
      await view.close();
    }
  });

  test('a narrow panel puts the side panel below the timeline', async () => {
    const view = await openWebview({ theme: 'light', viewport: { width: 900, height: 1000 } });
    try {
      await showHand(view, { whatIf: handWhatIf() });
      await view.screenshot('timeline-narrow-light');
      const chart = await view.page.locator('#ktl-timeline').boundingBox();
      const side = await view.page.locator('#ktl-side').boundingBox();
      assert.ok(chart && side && side.y >= chart.y + chart.height - 1);
    } finally {
      await view.close();
    }
  });
});
