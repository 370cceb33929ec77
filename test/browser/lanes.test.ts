// The timeline chart tells lanes apart, names the expiry it shows, makes expired periods visible, keeps
// every legend entry distinct and lets the chart itself move the clock cursor (issue 14).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openWebview, type WebviewPage } from './webviewPage';
import { T0 } from './traces';
import type { Lane, Span, Trace, TraceEvent } from '../../src/sim/trace';
import { FALLBACK_PRESENTATION, PRESENTATIONS } from '../../src/sim/presentations';
import { spanGlyph } from '../../webview/categories';
import { laneName, shortPodName } from '../../webview/laneNames';

const S = 1000;
const POD = 'cart-7d9f8b6c4-pjsbk';
const API_ACCESS = `shop/${POD}/kube-api-access-x7k2p/token`;
const VAULT = `shop/${POD}/vault-token/token`;
/** The run's length, s: every lane holds a valid token at the end (no expired band there). */
const HORIZON = 9000;

/**
 * One pod with two token sources over 2 h 30 min: the kube-api-access token is extended (kubelet expiry 1 h,
 * JWT exp a year) and refreshed in time; the vault token expires at 1 h and only comes back at 1 h 30 min,
 * with failed pod syncs every 5 s in between.
 */
function twoSourceTrace(): Trace {
  const lanes: Lane[] = [
    { id: API_ACCESS, kind: 'token', label: 'kube-api-access-x7k2p/token', group: `shop/${POD}`, detailed: true },
    { id: VAULT, kind: 'token', label: 'vault-token/token', group: `shop/${POD}`, detailed: true },
  ];
  const span = (lane: string, from: number, to: number): Span => ({ lane, kind: 'validity', start: T0 + from * S, end: T0 + to * S });
  const spans: Span[] = [span(API_ACCESS, 0, 3607), span(API_ACCESS, 2880, 6487), span(API_ACCESS, 5760, 9367), span(VAULT, 0, 3600), span(VAULT, 5400, 9000)];
  const request = (lane: string, t: number, expSeconds: number, jwtLifetime: number): TraceEvent => ({
    t: T0 + t * S,
    lane,
    type: 'tokenRequest',
    rule: 'sync',
    ok: true,
    data: { expirationSeconds: expSeconds, expirationTimestamp: T0 + (t + expSeconds) * S, jwtExp: T0 / 1000 + t + jwtLifetime },
  });
  const events: TraceEvent[] = [
    request(API_ACCESS, 0, 3607, 365 * 86_400),
    request(API_ACCESS, 2880, 3607, 365 * 86_400),
    request(API_ACCESS, 5760, 3607, 365 * 86_400),
    request(VAULT, 0, 3600, 3600),
    { t: T0 + 3600 * S, lane: VAULT, type: 'tokenExpired', rule: 'exp reached' },
  ];
  for (let t = 3605; t < 5400; t += 5) events.push({ t: T0 + t * S, lane: VAULT, type: 'syncFailed', rule: 'fetch failed', ok: false, error: 'connection refused' });
  events.push(request(VAULT, 5400, 3600, 3600));
  events.sort((a, b) => a.t - b.t);
  return {
    version: 1,
    meta: { name: 'two sources', seed: 1, start: T0, end: T0 + HORIZON * S, models: ['kubelet 1.34+'], lanesTotal: 2, eventsTotal: events.length },
    lanes,
    spans,
    events,
    series: [],
  };
}

type Ktl = {
  chart: { getOption(): { series: Array<{ id: string; data?: unknown[] }>; yAxis: Array<{ axisLabel?: { show?: boolean }; data?: unknown[] }> } };
  app: {
    chartView: {
      layout: Record<string, number>;
      legendEntries(): Array<{ name: string; color: string; glyph: string }>;
    };
  };
};

async function snapshotNow(view: WebviewPage): Promise<number> {
  return (await view.snapshot()).now as number;
}

describe('lanes, expiries and the expired band (two token sources of one pod)', () => {
  let view: WebviewPage;
  before(async () => {
    view = await openWebview({ theme: 'dark', viewport: { width: 1400, height: 800 } });
    await view.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
    await view.sendAndPaint({ type: 'showTrace', title: `Simulate refresh: ${POD}`, trace: twoSourceTrace(), anchorNow: T0 + 1200 * S });
  });
  after(async () => {
    await view.close();
  });

  test('the chart labels its lanes with pod and token source, and the two lanes read differently', async () => {
    const y = await view.page.evaluate(() => {
      const o = (window as unknown as { __ktl: Ktl }).__ktl.chart.getOption();
      return { show: o.yAxis[1]?.axisLabel?.show, data: o.yAxis[1]?.data };
    });
    assert.equal(y.show, true, 'lane labels are drawn on the chart');
    assert.deepEqual(y.data, ['cart-…pjsbk · kube-api-access-x7k2p', 'cart-…pjsbk · vault-token']);
    // The lane table keeps the token source whole, whatever the pod name's width.
    assert.deepEqual(await view.page.locator('#ktl-lanes .ktl-lane-source').allTextContents(), ['kube-api-access-x7k2p', 'vault-token']);
    // Not cut off: each source ends inside its cell (the pod name gives way instead).
    const inside = await view.page.locator('#ktl-lanes .ktl-lane-source').evaluateAll((els) =>
      els.map((e) => {
        const cell = (e.closest('.ktl-lane-name') as HTMLElement).getBoundingClientRect();
        const r = e.getBoundingClientRect();
        return r.right <= cell.right + 0.5 && e.scrollWidth <= e.clientWidth;
      }),
    );
    assert.deepEqual(inside, [true, true], 'the source is not cut off');
  });

  test('the expiry column names the kubelet expiry and, for an extended token, the JWT expiry', async () => {
    assert.equal(await view.page.locator('#ktl-lanes .ktl-lt-header .ktl-lt-remaining').textContent(), 'Expiry at cursor');
    const cells = await view.page.locator('#ktl-lanes [data-lane] .ktl-lt-remaining').allTextContents();
    // At 20 min: the api-access token's kubelet expiry is 40 min 7 s away, its JWT exp a year; vault's are the same instant.
    assert.equal(cells[0], 'Kubelet expiry in 40 min 7 sJWT expiry in ≈364 d 23 h');
    assert.equal(await view.page.locator('#ktl-lanes [data-lane="0"] .ktl-jwt-expiry').textContent(), 'JWT expiry in ≈364 d 23 h');
    assert.equal(cells[1], 'Kubelet expiry in 40 min');
  });

  test('the expired period is a hatched band above the spans, with its own legend entry', async () => {
    const chart = await view.page.evaluate(() => {
      const ktl = (window as unknown as { __ktl: Ktl }).__ktl;
      const o = ktl.chart.getOption();
      const ids = o.series.map((s) => s.id);
      return { ids, gap: o.series.find((s) => s.id === 'gap:expiredPeriod')?.data, legend: ktl.app.chartView.legendEntries().map((e) => [e.name, e.glyph]) };
    });
    assert.deepEqual(chart.gap, [[1, T0 + 3600 * S, T0 + 5400 * S, 0]], 'one band on the vault lane, from its expiry to the next token');
    assert.ok(chart.ids.indexOf('gap:expiredPeriod') > chart.ids.indexOf('span:validity'), 'drawn after (above) the validity bands');
    assert.ok(chart.legend.some(([name, glyph]) => name === 'Expired period' && glyph === 'band:hatched'));
    // Pixels: the middle of the vault lane at 1 h 15 min is red-hatched, not the validity blue or the background.
    const L = await view.page.evaluate(() => (window as unknown as { __ktl: Ktl }).__ktl.app.chartView.layout);
    const box = await view.page.locator('#ktl-chart').boundingBox();
    assert.ok(box);
    const plot = L.width! - L.left! - L.right!;
    const x = L.left! + ((4500 * S) / (HORIZON * S)) * plot;
    const colours = await view.page.evaluate(
      ({ x, y0, y1 }) => {
        const canvas = document.querySelector('#ktl-chart canvas') as HTMLCanvasElement;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        const r = canvas.width / canvas.clientWidth;
        const out: number[][] = [];
        for (let y = y0; y <= y1; y += 1) out.push(Array.from(ctx.getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data));
        return out;
      },
      { x, y0: L.lanesTop! + L.rowHeight! + 6, y1: L.lanesTop! + 2 * L.rowHeight! - 6 },
    );
    const reddish = colours.filter(([r, g, b]) => (r as number) > 90 && (r as number) > (g as number) * 1.4 && (r as number) > (b as number) * 1.4);
    assert.ok(reddish.length >= 3, `red stripes in the vault lane during the expired period: ${JSON.stringify(colours)}`);
    await view.screenshot('timeline-two-sources');
  });

  test('clicking a legend item hides its layer; clicking again shows it (Enter and Space too)', async () => {
    const gapData = (): Promise<number> =>
      view.page.evaluate(() => (window as unknown as { __ktl: Ktl }).__ktl.chart.getOption().series.find((s) => s.id === 'gap:expiredPeriod')?.data?.length ?? -1);
    const chip = view.page.locator('#ktl-legend .ktl-chip[data-name="Expired period"]');
    assert.equal(await gapData(), 1);
    await chip.click();
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');
    assert.equal(await gapData(), 0);
    await view.page.locator('#ktl-legend .ktl-chip[data-name="Expired period"]').press('Enter');
    assert.equal(await gapData(), 1);
    await view.page.locator('#ktl-legend .ktl-chip[data-name="Expired period"]').press(' ');
    assert.equal(await gapData(), 0);
    await view.page.locator('#ktl-legend .ktl-chip[data-name="Expired period"]').click();
    assert.equal(await gapData(), 1);
  });

  test('clicking the chart, and ←/→, Home, End with the chart focused, move the clock cursor', async () => {
    const L = await view.page.evaluate(() => (window as unknown as { __ktl: Ktl }).__ktl.app.chartView.layout);
    const box = await view.page.locator('#ktl-chart').boundingBox();
    assert.ok(box);
    const plot = L.width! - L.left! - L.right!;
    // An empty spot (below the last lane's bands is still inside the plot: the lanes' gap row).
    await view.page.mouse.click(box.x + L.left! + plot * 0.75, box.y + L.lanesTop! + 3);
    const t = await snapshotNow(view);
    assert.ok(Math.abs(t - (T0 + 0.75 * HORIZON * S)) < 60 * S, `cursor at +${(t - T0) / S} s`);
    // A click on a validity band moves the cursor too (and selects the span).
    await view.page.mouse.click(box.x + L.left! + plot * 0.1, box.y + L.lanesTop! + L.rowHeight! / 2);
    const t2 = await snapshotNow(view);
    assert.ok(Math.abs(t2 - (T0 + 0.1 * HORIZON * S)) < 60 * S, `cursor at +${(t2 - T0) / S} s`);
    await view.page.focus('#ktl-chart');
    await view.page.keyboard.press('ArrowRight');
    assert.equal(await snapshotNow(view), t2 + (HORIZON * S) / 100);
    await view.page.keyboard.press('ArrowLeft');
    assert.equal(await snapshotNow(view), t2);
    await view.page.keyboard.press('End');
    assert.equal(await snapshotNow(view), T0 + HORIZON * S);
    await view.page.keyboard.press('Home');
    assert.equal(await snapshotNow(view), T0);
  });

  test('the lane table is resizable with its handle (keys and drag), and the width is kept in the webview state', async () => {
    const width = (): Promise<number> => view.page.evaluate(() => Math.round((document.querySelector('.ktl-lanes-pane') as HTMLElement).getBoundingClientRect().width));
    const chartWidth = (): Promise<number> => view.page.evaluate(() => (window as unknown as { __ktl: Ktl }).__ktl.app.chartView.layout.width as number);
    const w0 = await width();
    const c0 = await chartWidth();
    await view.page.focus('#ktl-lanes-resizer');
    await view.page.keyboard.press('ArrowRight');
    assert.equal(await width(), w0 + 16);
    await view.page.waitForFunction((c) => (window as unknown as { __ktl: Ktl }).__ktl.app.chartView.layout.width === c - 16, c0);
    const box = await view.page.locator('#ktl-lanes-resizer').boundingBox();
    assert.ok(box);
    await view.page.mouse.move(box.x + box.width / 2, box.y + 100);
    await view.page.mouse.down();
    await view.page.mouse.move(box.x + box.width / 2 - 120, box.y + 100, { steps: 6 });
    await view.page.mouse.up();
    assert.equal(await width(), w0 + 16 - 120);
    assert.equal(await view.page.locator('#ktl-lanes-resizer').getAttribute('aria-valuenow'), String(w0 + 16 - 120));
    await view.page.waitForTimeout(700);
    const state = (await view.state()) as { view: { lanesWidth?: number } };
    assert.equal(state.view.lanesWidth, w0 - 104);
    const restored = await openWebview({ theme: 'dark', viewport: { width: 1400, height: 800 }, state });
    try {
      assert.equal(await restored.page.evaluate(() => Math.round((document.querySelector('.ktl-lanes-pane') as HTMLElement).getBoundingClientRect().width)), w0 - 104);
    } finally {
      await restored.close();
    }
    await view.page.focus('#ktl-lanes-resizer');
    await view.page.keyboard.press('Home');
    assert.equal(await width(), 180);
  });

  test('the chart fills the panel and follows its size', async () => {
    const before = await view.page.locator('#ktl-chart').boundingBox();
    await view.page.setViewportSize({ width: 1600, height: 1000 });
    await view.page.waitForFunction((h) => (document.querySelector('#ktl-chart') as HTMLElement).clientHeight > h, before?.height ?? 0);
    await view.page.waitForTimeout(200);
    const after = await view.page.locator('#ktl-chart').boundingBox();
    assert.ok(before && after && after.height - before.height >= 150 && after.width - before.width >= 150, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    const L = await view.page.evaluate(() => (window as unknown as { __ktl: Ktl }).__ktl.app.chartView.layout);
    assert.equal(L.height, Math.round(after.height));
    const body = await view.page.evaluate(() => document.documentElement.clientHeight);
    assert.ok(after.y + after.height > body - 40, 'the chart reaches the bottom of the panel');
    await view.page.setViewportSize({ width: 1400, height: 800 });
  });
});

test('lane names: pod shortened, token source whole', () => {
  assert.equal(shortPodName('cart-7d9f8b6c4-pjsbk'), 'cart-…pjsbk');
  assert.equal(shortPodName('web-0'), 'web-0');
  const a = laneName({ kind: 'token', label: 'kube-api-access-x7k2p/token', group: 'shop/cart-7d9f8b6c4-pjsbk' });
  const b = laneName({ kind: 'token', label: 'vault-token/token', group: 'shop/cart-7d9f8b6c4-pjsbk' });
  assert.notEqual(a.short, b.short);
  assert.deepEqual([a.source, b.source, a.namespace], ['kube-api-access-x7k2p', 'vault-token', 'shop']);
  assert.equal(laneName({ kind: 'apiServer', label: 'API server' }).short, 'API server');
});

test('no two legend entries of any presentation share colour and look', () => {
  const seen = new Map<string, string>();
  const clash: string[] = [];
  const add = (key: string, what: string): void => {
    const other = seen.get(key);
    if (other) clash.push(`${what} looks like ${other} (${key})`);
    else seen.set(key, what);
  };
  for (const p of [...PRESENTATIONS, FALLBACK_PRESENTATION]) {
    for (const c of p.categories) add(`${c.color} marker:${c.shape}`, `${p.model} marker ${c.id}`);
    for (const s of p.spans) add(`${s.color} ${spanGlyph(s)}`, `${p.model} span ${s.id}`);
    for (const s of p.series) add(`${s.color} series:${s.kind}`, `${p.model} series ${s.name}`);
  }
  assert.deepEqual(clash, []);
});
