// A CliIO that records output and serves files from memory or, for examples/, from the repository.
// Assets (readAsset) come from the repository's dist/ (built by npm test) and media/, unless overridden.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CliIO } from '../../src/cli/cli';

export interface Recorded {
  io: CliIO;
  stdout: () => string;
  stderr: () => string;
  written: Map<string, string>;
}

export function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'examples')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('repository root (with examples/) not found above the working directory');
  }
}

/**
 * `assets` overrides readAsset by path relative to dist/ (e.g. "webview.js"): a string is served,
 * null is missing (ENOENT).
 */
export function fakeIO(files: Record<string, string> = {}, isTTY = false, assets: Record<string, string | null> = {}): Recorded {
  let out = '';
  let err = '';
  const written = new Map<string, string>();
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stdoutChunks: (chunks) => {
      for (const t of chunks) out += t;
      return Promise.resolve();
    },
    stderr: (t) => {
      err += t;
    },
    readFile: (path) => {
      const text = Object.hasOwn(files, path) ? files[path] : undefined;
      if (text !== undefined) return Promise.resolve(text);
      if (path.startsWith('examples/')) return Promise.resolve(readFileSync(join(repoRoot(), path), 'utf8'));
      return Promise.reject(new Error(`ENOENT: no such file or directory, open '${path}'`));
    },
    writeFile: (path, data) => {
      written.set(path, data);
      return Promise.resolve();
    },
    removeFile: (path) => {
      written.delete(path);
      return Promise.resolve();
    },
    readStdin: () => Promise.resolve(files['-'] ?? ''),
    readAsset: (rel) => {
      const path = join(repoRoot(), 'dist', rel);
      const override = Object.hasOwn(assets, rel) ? assets[rel] : undefined;
      if (override === null) {
        return Promise.reject(Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', path }));
      }
      if (override !== undefined) return Promise.resolve(override);
      return Promise.resolve().then(() => readFileSync(path, 'utf8'));
    },
    now: () => Date.UTC(2026, 0, 1),
    isTTY,
  };
  return { io, stdout: () => out, stderr: () => err, written };
}
