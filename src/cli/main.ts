/**
 * Entry point of dist/cli.js (the bundler adds the #! line). Wires the real process into main();
 * main() itself lives in cli.ts, so tests import it from there: importing this module runs the CLI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { main } from './cli';

// `kube-token-lens simulate x.yaml --csv | head`: the reader leaving is not an error of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

void main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data) => writeFile(path, data, 'utf8'),
  isTTY: process.stderr.isTTY === true,
}).then((code) => {
  // exitCode rather than exit(): lets stdout drain when piped into a slow reader.
  process.exitCode = code;
});
