// `npm run test:vscode`: runs test/integration (one suite module, the @vscode/test-electron
// `run()` contract) INSIDE a real VS Code. Here that is code-server driven by headless Chromium
// through the workbench's smoke-test driver (../shared/notes/real-vscode.md); where the desktop
// VS Code can be downloaded, set KTL_VSCODE=electron to use @vscode/test-electron instead.
// Screenshots requested by the suite land in test-results/screenshots/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, startCodeServer, freePort, root, codeServerVersion } from './codeServer.mjs';
import { launchChromium } from './chromium.mjs';

process.chdir(root);
const SCREENSHOT_MARK = '[ktl:screenshot]';
const shotsDir = join(root, 'test-results', 'screenshots');
const TIMEOUT_MS = 10 * 60_000;

const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--tests'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const extensionTestsPath = join(root, 'out', 'test', 'integration', 'index.js');

if (process.env.KTL_VSCODE === 'electron') {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({ extensionDevelopmentPath: root, extensionTestsPath, launchArgs: [join(root, 'test', 'fixtures', 'workspace')] });
    process.exit(0);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
}

ensureCodeServer();
const versions = codeServerVersion();
console.log(`test:vscode: code-server ${versions.codeServer} (VS Code ${versions.vscode}, extension host on Node ${versions.node})`);

rmSync(shotsDir, { recursive: true, force: true });
mkdirSync(shotsDir, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'ktl-vscode-'));
const workspace = join(scratch, 'workspace');
cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
// The fixture workspace's .vscode/settings.json points the extension at its kubeconfig and quiets
// the workbench, so screenshots are the same on every machine.
const port = await freePort();
const server = await startCodeServer({
  port,
  workspace,
  dataDir: join(scratch, 'data'),
  extensionsDir: join(scratch, 'extensions'),
  smokeTestDriver: true,
});
const host = `127.0.0.1:${port}`;
const payload = [
  ['extensionDevelopmentPath', `vscode-remote://${host}${root}`],
  ['extensionTestsPath', `vscode-remote://${host}${extensionTestsPath}`],
  ['skipWelcome', 'true'],
];
const url = `${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

let exitCode = 1;
const consoleLog = [];
let browser;
try {
  browser = await launchChromium();
  const page = browser.pages()[0] ?? (await browser.newPage());
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  const pending = [];
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    const at = text.indexOf(SCREENSHOT_MARK);
    if (at >= 0) {
      const name = text.slice(at + SCREENSHOT_MARK.length).trim().split(/\s/)[0].replace(/[^\w.-]/g, '_');
      // The suite waits for this file to exist before it goes on (the only back channel there is).
      pending.push(
        page
          .screenshot({ path: join(shotsDir, `${name}.png`) })
          .then(() => console.log(`  screenshot: test-results/screenshots/${name}.png`))
          .catch((err) => console.error(`  screenshot ${name} failed: ${err.message}`)),
      );
      return;
    }
    consoleLog.push(`[${type}] ${text}`);
    // The workbench logs a lot about itself; the terminal gets the suite's own lines and errors.
    if (/^\s+[✔✖]|^integration:|^\s{4}|\[ktl\]|Kube Token Lens|kube-token-lens/.test(text)) process.stdout.write(`${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  await page.goto(url);
  const timeout = new Promise((resolve) =>
    setTimeout(() => {
      console.error(`test:vscode: no result within ${TIMEOUT_MS / 60000} minutes`);
      resolve(1);
    }, TIMEOUT_MS),
  );
  exitCode = await Promise.race([exited, timeout]);
  await Promise.all(pending);
  writeFileSync(join(root, 'test-results', 'vscode-console.log'), `${consoleLog.join('\n')}\n`);
  console.log('  full workbench console: test-results/vscode-console.log');
} catch (err) {
  console.error(`test:vscode: ${err instanceof Error ? err.stack : err}`);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`test:vscode: ${exitCode === 0 ? 'passed' : `FAILED (exit ${exitCode})`}`);
process.exit(exitCode);
