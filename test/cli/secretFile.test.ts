// Credential files the CLI writes (the demo cluster's kubeconfig): owner-only, atomic, never through a
// symlink; and a JWKS URL that never answers fails in time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { lstat, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSecretFile } from '../../src/cli/secretFile';
import { fetchText } from '../../src/cli/decodeCommand';

test('writeSecretFile: a new file, an existing world-readable one and a symlink all end as an owner-only regular file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktl-secret-'));
  try {
    const fresh = join(dir, 'new.kubeconfig');
    await writeSecretFile(fresh, 'one');
    assert.equal((await stat(fresh)).mode & 0o777, 0o600);

    const loose = join(dir, 'loose.kubeconfig');
    await writeFile(loose, 'old', { mode: 0o644 });
    await writeSecretFile(loose, 'two');
    assert.equal((await stat(loose)).mode & 0o777, 0o600, 'permissions tightened, not inherited');
    assert.equal(await readFile(loose, 'utf8'), 'two');

    const target = join(dir, 'elsewhere.txt');
    await writeFile(target, 'not yours', { mode: 0o644 });
    const link = join(dir, 'link.kubeconfig');
    await symlink(target, link);
    await writeSecretFile(link, 'three');
    assert.ok((await lstat(link)).isFile(), 'the symlink is replaced, not followed');
    assert.equal(await readFile(target, 'utf8'), 'not yours', 'nothing written where the symlink pointed');
    assert.equal((await stat(link)).mode & 0o777, 0o600);

    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('fetchText: an endpoint that accepts the connection but never answers fails after the timeout', async () => {
  const server = createServer(() => undefined); // never responds
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  try {
    const started = Date.now();
    await assert.rejects(fetchText(`http://127.0.0.1:${port}/openid/v1/jwks`, 300), /no answer within 0.3 s/);
    assert.ok(Date.now() - started < 10_000, 'it did not wait for the default timeout');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
