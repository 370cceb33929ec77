// `npm start`: builds the extension and opens it in a real VS Code.
// - With the desktop `code` on PATH: `code --extensionDevelopmentPath=<this clone> examples/`.
// - Otherwise: a local code-server on 127.0.0.1 (installed into .code-server/ on the first run,
//   which takes a couple of minutes) with the extension loaded in development mode; it prints the
//   URL to open in a browser and runs until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer, startCodeServer, freePort, root, codeServerVersion } from './codeServer.mjs';

process.chdir(root);
const workspace = join(root, 'examples');

console.log('Building Kube Token Lens …');
const build = spawnSync(process.execPath, ['esbuild.config.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && process.env.KTL_USE_CODE_SERVER !== '1') {
  console.log('Opening VS Code with the extension in development mode …');
  const code = spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
  code.on('exit', (status) => process.exit(status ?? 0));
} else {
  console.log('No `code` command on PATH: using code-server (VS Code in the browser) instead.');
  try {
    ensureCodeServer();
  } catch (err) {
    console.error(`Could not install code-server: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
  const { codeServer, vscode, node } = codeServerVersion();
  const state = join(root, '.code-server', 'state');
  mkdirSync(state, { recursive: true });
  const port = Number(process.env.PORT) || (await freePort());
  const server = await startCodeServer({
    port,
    workspace,
    dataDir: join(state, 'data'),
    extensionsDir: join(state, 'extensions'),
    // The workbench only honours the development-mode payload in the URL with this option.
    smokeTestDriver: true,
    quiet: true,
  });
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`\ncode-server ${codeServer} (VS Code ${vscode}, Node ${node}) is running with Kube Token Lens loaded.`);
  console.log(`Open this URL in a browser on this machine:\n\n  ${url}\n`);
  console.log('The "Token Lens" icon is in the activity bar. Press Ctrl-C to stop.');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await server.exited;
  console.error(`code-server exited (${code}).`);
  process.exit(1);
}
