// `node test/harness/vsixCheck.mjs file.vsix`: checks that the packaged extension carries only what
// it needs (bundles, media, manifest, docs; no sources, tests or node_modules) and that it installs
// into a real VS Code (code-server --install-extension).
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, codeServerBin, serverNode } from './codeServer.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node test/harness/vsixCheck.mjs <file.vsix>');
  process.exit(2);
}

/** Names of the entries of a zip file, read from its central directory. */
function zipEntries(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt central directory');
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const entries = zipEntries(readFileSync(file)).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
const forbidden = entries.filter((n) => /^(src|test|out|bench|node_modules|\.ci|\.code-server|test-results)\//.test(n) || /\.ts$|\.map$/.test(n));
const required = ['package.json', 'dist/extension.js', 'dist/webview.js', 'dist/blastRadius.js', 'media/blastRadius.css', 'dist/cli.js', 'dist/simulationWorker.js', 'dist/kubernetes.js', 'LICENSE.txt', 'readme.md', 'media/token-lens.svg'];
const lower = new Set(entries.map((n) => n.toLowerCase()));
const absent = required.filter((n) => !lower.has(n.toLowerCase()));
console.log(`${file}: ${(statSync(file).size / 1024).toFixed(0)} KiB, ${entries.length} files:\n  ${entries.join('\n  ')}`);
if (forbidden.length || absent.length) {
  if (forbidden.length) console.error(`vsix carries files it must not: ${forbidden.join(', ')}`);
  if (absent.length) console.error(`vsix lacks: ${absent.join(', ')}`);
  process.exit(1);
}

ensureCodeServer();
const extDir = mkdtempSync(join(tmpdir(), 'ktl-vsix-'));
try {
  const install = spawnSync(serverNode, [codeServerBin, '--extensions-dir', extDir, '--install-extension', file], { encoding: 'utf8' });
  const list = spawnSync(serverNode, [codeServerBin, '--extensions-dir', extDir, '--list-extensions', '--show-versions'], { encoding: 'utf8' });
  if (install.status !== 0 || !/kube-token-lens\.kube-token-lens@/.test(list.stdout)) {
    console.error(`the vsix did not install into code-server:\n${install.stdout}\n${install.stderr}\n${list.stdout}`);
    process.exit(1);
  }
  console.log(`installed into code-server: ${list.stdout.trim()}`);
} finally {
  rmSync(extDir, { recursive: true, force: true });
}
