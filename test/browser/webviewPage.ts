/**
 * Loads the built webview bundle (dist/webview.js) into headless Chromium with a stub of VS Code's
 * acquireVsCodeApi that records what the page posts, the way the real webview host would.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../harness/chromium.mjs';

export const screenshotDir = join(process.cwd(), 'test-results', 'browser');

export interface WebviewPage {
  context: BrowserContext;
  page: Page;
  /** Messages the page posted to the (stub) host, in order. */
  posted(): Promise<unknown[]>;
  send(message: unknown): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const STUB = `
  window.__posted = [];
  window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });`;

export async function openWebview(options: { bodyClass?: string; css?: string } = {}): Promise<WebviewPage> {
  const context = await launchChromium();
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const bundle = readFileSync(join(process.cwd(), 'dist', 'webview.js'), 'utf8');
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>${options.css ?? ''}</style></head>
    <body class="${options.bodyClass ?? 'vscode-dark'}"><div id="app"></div><script>${STUB}</script><script>${bundle}</script></body></html>`;
  await page.setContent(html);
  mkdirSync(screenshotDir, { recursive: true });
  return {
    context,
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    async screenshot(name) {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
      if (errors.length) throw new Error(`uncaught errors in the webview: ${errors.join('; ')}`);
    },
  };
}
