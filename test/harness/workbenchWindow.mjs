// Opens one workbench window of a running code-server in Chromium with an extension-tests module
// (the smoke-test driver payload of ../shared/notes/real-vscode.md) and resolves with the exit code
// the module's run() produced. Used by `npm run bench -- activation`; a fresh window is a fresh
// extension host, so each call measures a fresh activation.
import { root } from './codeServer.mjs';

/**
 * @param {{ browser: import('playwright-core').BrowserContext, server: { base: string }, workspace: string,
 *   extensionTestsPath: string, onLog?: (text: string) => void, timeoutMs?: number }} options
 * @returns {Promise<number>}
 */
export async function runInWorkbenchWindow({ browser, server, workspace, extensionTestsPath, onLog, timeoutMs = 120_000 }) {
  const host = new URL(server.base).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${root}`],
    ['extensionTestsPath', `vscode-remote://${host}${extensionTestsPath}`],
    ['skipWelcome', 'true'],
  ];
  const page = await browser.newPage();
  try {
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      onLog?.(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(-1), timeoutMs);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await page.close().catch(() => undefined);
  }
}
