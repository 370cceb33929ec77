// The interactive HTML report of `kube-token-lens simulate --html`, opened from a file:// URL in headless
// Chromium with nothing but the file: the real webview bundle renders the trace under the report's own
// hash-only CSP, follows the browser's light/dark preference, and turns exports into downloads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { launchChromium } from '../harness/chromium.mjs';
import { renderInteractiveReport } from '../../src/cli/interactiveReport';
import { loadScenario } from '../../src/sim/scenario/load';
import { laneName } from '../../webview/laneNames';
import { runScenario } from '../../src/sim/engine/run';
import type { Trace } from '../../src/sim/trace';
import { traceToCsv } from '../../src/sim/traceCsv';

const root = process.cwd();
const screenshotDir = join(root, 'test-results', 'browser');
const SCENARIO = 'examples/shop-outage.yaml';

interface PageProbe {
  __csp: string[];
  __painted: number;
}

function shopTrace(): { trace: Trace; title: string } {
  const loaded = loadScenario(readFileSync(join(root, SCENARIO), 'utf8'), SCENARIO);
  assert.ok(loaded.ok, 'the example scenario loads');
  return { trace: runScenario(loaded.scenario), title: loaded.scenario.name ?? SCENARIO };
}

/** Two animation frames: the page re-themes on the next one, ECharts renders on the one after. */
async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

/** The colour of the chart canvas's top-left pixel (the chart background), as "r,g,b". */
function chartBackground(page: Page): Promise<string> {
  return page.evaluate(() => {
    const canvas = document.querySelector('#ktl-chart canvas') as HTMLCanvasElement;
    const [r, g, b] = canvas.getContext('2d')?.getImageData(1, 1, 1, 1).data ?? [];
    return `${r},${g},${b}`;
  });
}

async function downloadText(download: Download): Promise<string> {
  return readFileSync(await download.path(), 'utf8');
}

describe('interactive HTML report (shop-outage, file://)', () => {
  let context: BrowserContext;
  let page: Page;
  let trace: Trace;
  let title: string;
  const errors: string[] = [];
  const warnings: string[] = [];

  before(async () => {
    ({ trace, title } = shopTrace());
    const html = renderInteractiveReport(
      trace,
      {
        webviewJs: readFileSync(join(root, 'dist', 'webview.js'), 'utf8'),
        timelineCss: readFileSync(join(root, 'media', 'timeline.css'), 'utf8'),
        themeCss: readFileSync(join(root, 'media', 'standalone-theme.css'), 'utf8'),
      },
      { title },
    );
    const file = join(mkdtempSync(join(tmpdir(), 'ktl-report-')), 'report.html');
    writeFileSync(file, html);
    mkdirSync(screenshotDir, { recursive: true });

    context = await launchChromium();
    // Before any page script: record CSP violations and paints (init scripts are not subject to the CSP).
    await context.addInitScript(() => {
      const w = window as unknown as PageProbe;
      w.__csp = [];
      w.__painted = 0;
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
      window.addEventListener('ktl-painted', () => w.__painted++);
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      if (m.type() === 'warning') warnings.push(m.text());
    });
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as PageProbe).__painted > 0, undefined, { timeout: 60_000 });
    await frames(page);
  });

  after(async () => {
    await context?.close();
  });

  test('renders the trace like the panel: title, summary, lanes, legend; dark theme from the browser', async () => {
    assert.equal(await page.locator('#ktl-title').textContent(), title);
    assert.equal(await page.title(), title);
    assert.doesNotMatch((await page.locator('#ktl-summary').textContent()) ?? '', /Waiting/);
    assert.equal(await page.locator('#ktl-empty').isVisible(), false);
    const names = await page.locator('#ktl-lanes .ktl-lane-name').allTextContents();
    assert.ok(names.length >= 5, `lane rows: ${names.join(', ')}`);
    // Lanes of a pod read "<pod> · <token source>", named by the panel's own rule.
    const labels = new Set(trace.lanes.map((l) => {
      const name = laneName(l);
      return name.pod !== undefined ? `${name.pod} · ${name.source}` : l.label;
    }));
    assert.ok(names.every((n) => labels.has(n)), `lane names come from the trace: ${names.join(', ')}`);
    const legend = await page.locator('#ktl-legend .ktl-chip').allTextContents();
    assert.ok(legend.includes('Token request') && legend.includes('Outage'), legend.join(', '));
    // A canvas with pixels, and the theme the browser asked for.
    const canvas = await page.locator('#ktl-chart canvas').first().boundingBox();
    assert.ok(canvas && canvas.width > 400 && canvas.height > 200, JSON.stringify(canvas));
    assert.equal(await page.evaluate(() => document.body.className), 'vscode-dark');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(31, 31, 31)');
    // No host to re-run with: the what-if form is shown disabled, with its note.
    assert.equal(await page.locator('#wf-note').isVisible(), true);
    assert.equal(await page.locator('#wf-run').evaluate((e) => (e as HTMLElement & { disabled: boolean }).disabled), true);
    await page.screenshot({ path: join(screenshotDir, 'report.png') });
  });

  test('the page steps through events (the bundle is live, not a picture)', async () => {
    await page.click('#ktl-to-start');
    await page.click('#ktl-next');
    const name = await page.locator('#ktl-details-name').textContent();
    assert.ok(name && name.length > 0, 'an event is selected');
  });

  test('follows a switch to the light colour scheme, chart included', async () => {
    assert.equal(await chartBackground(page), '31,31,31');
    await page.emulateMedia({ colorScheme: 'light' });
    await frames(page);
    assert.equal(await page.evaluate(() => document.body.className), 'vscode-light');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    assert.equal(await chartBackground(page), '255,255,255');
    await page.screenshot({ path: join(screenshotDir, 'report-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await frames(page);
    assert.equal(await page.evaluate(() => document.body.className), 'vscode-dark');
    assert.equal(await chartBackground(page), '31,31,31');
  });

  test('CSV, JSON and PNG exports download files', async () => {
    const slug = 'shop-during-a-2-h-api-server-outage';
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#ktl-export-csv')]);
    assert.equal(csv.suggestedFilename(), `${slug}.csv`);
    assert.equal(await downloadText(csv), traceToCsv(trace), 'the same CSV as the extension and --csv');

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#ktl-export-json')]);
    assert.equal(json.suggestedFilename(), `${slug}.json`);
    assert.deepStrictEqual(JSON.parse(await downloadText(json)), JSON.parse(JSON.stringify(trace)));

    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#ktl-export-png')]);
    assert.equal(png.suggestedFilename(), `${slug}.png`);
    const bytes = readFileSync(await png.path());
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.length > 10_000, `PNG of ${bytes.length} bytes`);
  });

  test('no CSP violations, page errors, failed requests or reported webview errors', async () => {
    const csp = await page.evaluate(() => (window as unknown as PageProbe).__csp);
    assert.deepEqual(csp, []);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      warnings.filter((w) => w.startsWith('timeline:')),
      [],
    );
  });
});
