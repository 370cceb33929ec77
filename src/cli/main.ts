/**
 * Entry point of dist/cli.js (the bundler adds the #! line). Wires the real process into main();
 * main() itself lives in cli.ts, so tests import it from there: importing this module runs the CLI.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { writeSecretFile } from './secretFile';
import { join } from 'node:path';
import { main } from './cli';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// `kube-token-lens simulate x.yaml --csv | head`: the reader leaving is not an error of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

void main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stdoutChunks: async (chunks) => {
    for (const chunk of chunks) {
      if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
    }
  },
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data, options) => (options?.secret ? writeSecretFile(path, data) : writeFile(path, data, 'utf8')),
  removeFile: (path) => rm(path, { force: true }),
  readStdin: () => text(process.stdin),
  // dist/cli.js: __dirname is dist/, next to webview.js; media/ is its sibling (repository and .vsix).
  readAsset: (rel) => readFile(join(__dirname, rel), 'utf8'),
  now: () => Date.now(),
  isTTY: process.stderr.isTTY === true,
}).then((code) => {
  // exitCode rather than exit(): lets stdout drain when piped into a slow reader.
  process.exitCode = code;
});
