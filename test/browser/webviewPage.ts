/**
 * Loads a built webview bundle (dist/webview.js, the timeline, or dist/blastRadius.js) into headless Chromium the way the real webview
 * host serves it: the HTML skeleton from src/protocol.ts (timelineHtml), served from an origin that
 * plays webview.cspSource, with the page's Content-Security-Policy both as the <meta> and as a
 * response header, the page's stylesheet (media/timeline.css or media/blastRadius.css), theme variables on <html> and the theme
 * class on <body>, and a stub of acquireVsCodeApi that records what the page posts.
 * CSP violations and uncaught errors fail the test in close().
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../harness/chromium.mjs';
import { timelineCsp, timelineHtml } from '../../src/protocol';
import { blastRadiusCsp, blastRadiusHtml } from '../../src/blastRadiusProtocol';
import { THEMES, type ThemeName } from './themes';

export const screenshotDir = join(process.cwd(), 'test-results', 'browser');

const ORIGIN = 'https://webview.ktl.test';
const NONCE = 'dGVzdC1ub25jZS0xMjM0NQ';

export interface WebviewPage {
  context: BrowserContext;
  page: Page;
  /** Messages the page posted to the (stub) host, in order. */
  posted(): Promise<unknown[]>;
  /** Posted messages of one type. */
  postedOfType<T = Record<string, unknown>>(type: string): Promise<T[]>;
  send(message: unknown): Promise<void>;
  /** Sends a message and waits until the chart has painted it. */
  sendAndPaint(message: unknown): Promise<void>;
  /** The last vscode.setState value. */
  state(): Promise<unknown>;
  /** A snapshot of the app's view state (test hook). */
  snapshot(): Promise<Record<string, unknown>>;
  /** Switches the theme the way VS Code does (variables on <html>, class on <body>). */
  setTheme(theme: ThemeName): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** The pages, by bundle: its script, stylesheet, and the HTML and CSP its host serves. */
const PAGES = {
  webview: { script: 'dist/webview.js', style: 'media/timeline.css', html: timelineHtml, csp: timelineCsp },
  blastRadius: { script: 'dist/blastRadius.js', style: 'media/blastRadius.css', html: blastRadiusHtml, csp: blastRadiusCsp },
} as const;

export interface OpenOptions {
  /** Which page to load; default the timeline (dist/webview.js). */
  bundle?: keyof typeof PAGES;
  theme?: ThemeName;
  /** vscode.getState() on load (a restored panel). */
  state?: unknown;
  viewport?: { width: number; height: number };
  /** Expose window.__ktl (app + chart) for assertions. Default true. */
  testHooks?: boolean;
}

function stubScript(theme: ThemeName, state: unknown, testHooks: boolean): string {
  const t = THEMES[theme];
  return `
  window.__posted = [];
  window.__state = ${JSON.stringify(state ?? null)} ?? undefined;
  window.__csp = [];
  window.__KTL_TEST__ = ${testHooks};
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
  window.__applyTheme = (cls, vars) => {
    const root = document.documentElement;
    for (const name of Array.from(root.style)) if (name.startsWith('--vscode-')) root.style.removeProperty(name);
    for (const [k, v] of Object.entries(vars)) root.style.setProperty(k, v);
    document.body.className = cls;
  };
  window.__applyTheme(${JSON.stringify(t.bodyClass)}, ${JSON.stringify(t.vars)});
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });`;
}

export async function openWebview(options: OpenOptions = {}): Promise<WebviewPage> {
  const context = await launchChromium();
  const page = context.pages()[0] ?? (await context.newPage());
  if (options.viewport) await page.setViewportSize(options.viewport);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const assets = PAGES[options.bundle ?? 'webview'];
  const bundle = readFileSync(join(process.cwd(), assets.script), 'utf8');
  const css = readFileSync(join(process.cwd(), assets.style), 'utf8');
  const csp = assets.csp(ORIGIN, NONCE);
  const html = assets.html({
    cspSource: ORIGIN,
    nonce: NONCE,
    scriptUri: `${ORIGIN}/${assets.script}`,
    styleUri: `${ORIGIN}/${assets.style}`,
    title: 'test',
  }).replace(`<script nonce="${NONCE}" src=`, `<script nonce="${NONCE}" src="${ORIGIN}/stub.js"></script>\n<script nonce="${NONCE}" src=`);
  const stub = stubScript(options.theme ?? 'dark', options.state, options.testHooks ?? true);
  await context.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const files: Record<string, [string, string]> = {
      '/index.html': ['text/html', html],
      '/stub.js': ['text/javascript', stub],
      [`/${assets.script}`]: ['text/javascript', bundle],
      [`/${assets.style}`]: ['text/css', css],
    };
    const file = files[path];
    if (!file) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: file[0], body: file[1], headers: { 'Content-Security-Policy': csp } });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted?: unknown[] }).__posted !== undefined);
  mkdirSync(screenshotDir, { recursive: true });

  const view: WebviewPage = {
    context,
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    async postedOfType<T>(type: string) {
      const all = (await view.posted()) as Array<{ type?: string }>;
      return all.filter((m) => m.type === type) as T[];
    },
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    async sendAndPaint(message) {
      await page.evaluate(
        (m) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('the chart did not paint within 20 s')), 20_000);
            window.addEventListener(
              'ktl-painted',
              () => {
                clearTimeout(timer);
                requestAnimationFrame(() => resolve());
              },
              { once: true },
            );
            window.postMessage(m, '*');
          }),
        message,
      );
    },
    state: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
    snapshot: () =>
      page.evaluate(() => {
        const s = (window as unknown as { __ktl: { app: { snapshot(): Record<string, unknown> } } }).__ktl.app.snapshot();
        return JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      }),
    async setTheme(theme) {
      const t = THEMES[theme];
      await page.evaluate(([cls, vars]) => (window as unknown as { __applyTheme(c: string, v: Record<string, string>): void }).__applyTheme(cls, vars), [t.bodyClass, t.vars] as const);
      // The page re-themes on the next animation frame.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    },
    async screenshot(name) {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp).catch(() => [] as string[]);
      await context.close();
      if (errors.length) throw new Error(`uncaught errors in the webview: ${errors.join('; ')}`);
      if (csp.length) throw new Error(`Content-Security-Policy violations: ${csp.join('; ')}`);
    },
  };
  return view;
}
