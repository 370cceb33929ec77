// `npm start`: builds the extension and opens it in a real VS Code.
// - With the desktop `code` on PATH: `code --extensionDevelopmentPath=<this clone> examples/`.
// - Otherwise: a local code-server on 127.0.0.1 (installed into .code-server/ on the first run,
//   which takes a couple of minutes) with the extension loaded in development mode; it prints the
//   URL to open in a browser and runs until Ctrl-C.
// Each step prints one line; what the compiler and the installers print goes to
// test-results/start.log, shown only when a step fails.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { startCodeServer, freePort, root, codeServerVersion } from './codeServer.mjs';

process.chdir(root);
const workspace = join(root, 'examples');
const logFile = join(root, 'test-results', 'start.log');
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(logFile, `npm start, ${new Date().toString()}\n`);

/** How many lines of a failed step's output to show (the whole output is in the log). */
const TAIL_LINES = 40;

/**
 * Runs one step as a child process whose output goes to the log only. Prints "• name …" and then
 * "done (12 s)"; while a long step runs, a line every 30 s says it is still going. On failure
 * prints the end of the step's output and where the full log is, and exits.
 */
async function step(name, cmd, args, opts = {}) {
  const verb = name.split(' ')[0].toLowerCase();
  const started = Date.now();
  process.stdout.write(`• ${name} …\n`);
  appendFileSync(logFile, `\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  let output = '';
  const code = await new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const keep = (chunk) => {
      const text = chunk.toString('utf8');
      output += text;
      appendFileSync(logFile, text);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const ticker = setInterval(() => process.stdout.write(`  … still ${verb} (${Math.round((Date.now() - started) / 1000)} s)\n`), 30_000);
    child.on('error', (err) => {
      keep(Buffer.from(`${err.message}\n`));
      clearInterval(ticker);
      resolve(1);
    });
    child.on('close', (status) => {
      clearInterval(ticker);
      resolve(status ?? 1);
    });
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (code === 0) {
    process.stdout.write(`  done (${seconds} s)\n`);
    return;
  }
  const lines = output.trimEnd().split('\n');
  console.error(`✖ ${name} failed (exit ${code}). Its last ${Math.min(TAIL_LINES, lines.length)} lines:\n`);
  console.error(lines.slice(-TAIL_LINES).map((l) => `  ${l}`).join('\n'));
  console.error(`\nThe full output is in ${relative(process.cwd(), logFile)}.`);
  process.exit(code);
}

await step('Building Kube Token Lens', process.execPath, ['esbuild.config.mjs']);

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && process.env.KTL_USE_CODE_SERVER !== '1') {
  console.log('• Opening VS Code with the extension in development mode …');
  const code = spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
  code.on('exit', (status) => process.exit(status ?? 0));
} else {
  console.log('No `code` command on PATH: using code-server (VS Code in the browser) instead.');
  // A no-op once installed; the first run installs Node 24 and code-server (about two minutes).
  const install = `import(${JSON.stringify(new URL('./codeServer.mjs', import.meta.url).href)}).then((m) => m.ensureCodeServer())`;
  await step('Installing code-server (first run only)', process.execPath, ['--input-type=module', '-e', install]);
  const { codeServer, vscode, node } = codeServerVersion();
  const state = join(root, '.code-server', 'state');
  mkdirSync(state, { recursive: true });
  const port = Number(process.env.PORT) || (await freePort());
  console.log('• Starting code-server …');
  let server;
  try {
    server = await startCodeServer({
      port,
      workspace,
      dataDir: join(state, 'data'),
      extensionsDir: join(state, 'extensions'),
      // The workbench only honours the development-mode payload in the URL with this option.
      smokeTestDriver: true,
      quiet: true,
    });
  } catch (err) {
    console.error(`✖ code-server did not start: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
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
