// The Node-side PATH lookup (src/plugins/commandPath.ts) against real files in a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCommandPath } from '../../../src/plugins/commandPath';

function sandbox(): { root: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'ktl-path-'));
  for (const dir of ['a', 'b', 'dir-named/plugin']) mkdirSync(join(root, dir), { recursive: true });
  const script = '#!/bin/sh\nexit 0\n';
  writeFileSync(join(root, 'a', 'not-exec'), script);
  writeFileSync(join(root, 'b', 'not-exec'), script, { mode: 0o755 });
  writeFileSync(join(root, 'a', 'both'), script, { mode: 0o755 });
  writeFileSync(join(root, 'b', 'both'), script, { mode: 0o755 });
  writeFileSync(join(root, 'b', 'plugin'), script, { mode: 0o755 });
  chmodSync(join(root, 'a', 'not-exec'), 0o644);
  symlinkSync(join(root, 'b', 'plugin'), join(root, 'a', 'link'));
  return { root, done: () => rmSync(root, { recursive: true, force: true }) };
}

test('by name: the first PATH entry holding an executable file wins; non-executables and folders are skipped', () => {
  const { root, done } = sandbox();
  try {
    const path = [join(root, 'dir-named'), join(root, 'a'), join(root, 'b')].join(':');
    assert.deepEqual(resolveCommandPath('both', { path }), { found: true, path: join(root, 'a', 'both') });
    assert.deepEqual(resolveCommandPath('not-exec', { path }), { found: true, path: join(root, 'b', 'not-exec') });
    assert.deepEqual(resolveCommandPath('plugin', { path }), { found: true, path: join(root, 'b', 'plugin') }, 'a folder named plugin is skipped');
    assert.deepEqual(resolveCommandPath('link', { path }), { found: true, path: join(root, 'a', 'link') }, 'symlinks are followed');
    assert.deepEqual(resolveCommandPath('missing', { path }), { found: false });
    assert.deepEqual(resolveCommandPath('both', { path: '' }), { found: false });
    assert.deepEqual(resolveCommandPath('both', { path: undefined }), { found: false });
    assert.deepEqual(resolveCommandPath('', { path }), { found: false });
    assert.deepEqual(resolveCommandPath('both', { path: `${join(root, 'b')}/` }), { found: true, path: join(root, 'b', 'both') });
  } finally {
    done();
  }
});

test('with a slash: that file only, relative to cwd, PATH not consulted', () => {
  const { root, done } = sandbox();
  try {
    assert.deepEqual(resolveCommandPath(join(root, 'b', 'plugin'), { path: '' }), { found: true, path: join(root, 'b', 'plugin') });
    assert.deepEqual(resolveCommandPath('./b/plugin', { path: '', cwd: root }), { found: true, path: join(root, 'b', 'plugin') });
    assert.deepEqual(resolveCommandPath('b/plugin', { path: '', cwd: root }), { found: true, path: join(root, 'b', 'plugin') });
    assert.deepEqual(resolveCommandPath('./a/not-exec', { path: '', cwd: root }), { found: false });
    assert.deepEqual(resolveCommandPath('./dir-named/plugin', { path: join(root, 'b'), cwd: root }), { found: false });
  } finally {
    done();
  }
});

test('a match through a relative or empty PATH entry is refused, as Go 1.19+ does (exec.ErrDot)', () => {
  const { root, done } = sandbox();
  try {
    assert.deepEqual(resolveCommandPath('plugin', { path: 'b', cwd: root }), { found: false });
    assert.deepEqual(resolveCommandPath('plugin', { path: ':/nonexistent', cwd: join(root, 'b') }), { found: false }, 'empty entry = .');
    // It stops there, even when a later absolute entry has it too.
    assert.deepEqual(resolveCommandPath('plugin', { path: `b:${join(root, 'b')}`, cwd: root }), { found: false });
    assert.deepEqual(resolveCommandPath('plugin', { path: `a:${join(root, 'b')}`, cwd: root }), { found: true, path: join(root, 'b', 'plugin') });
  } finally {
    done();
  }
});
