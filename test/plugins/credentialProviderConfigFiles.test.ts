// SPEC B.1 on a real file system: a config file, or a directory read in the kubelet's order.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigSources } from '../../src/plugins/credentialProviderConfigFiles';
import { tempDir } from './fakePlugins';

const root = tempDir('ktl-configs-');
after(() => root.remove());

const CONFIG = 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders: []\n';

test('one file: its text, not a directory', async () => {
  const path = join(root.path, 'single.yaml');
  writeFileSync(path, CONFIG);
  assert.deepEqual(await readConfigSources(path), { ok: true, directory: false, sources: [{ path, text: CONFIG }] });
});

test('a directory: the regular .json/.yaml/.yml files in byte order; links, folders and other names skipped', async () => {
  const dir = join(root.path, 'conf.d');
  mkdirSync(dir);
  writeFileSync(join(dir, 'b-gcr.yaml'), 'b');
  writeFileSync(join(dir, 'B-ecr.yml'), 'B');
  writeFileSync(join(dir, 'a-acr.json'), 'a');
  writeFileSync(join(dir, 'notes.txt'), 'n');
  writeFileSync(join(dir, 'UPPER.YAML'), 'u');
  mkdirSync(join(dir, 'sub.yaml'));
  symlinkSync(join(dir, 'a-acr.json'), join(dir, 'link.yaml'));
  const read = await readConfigSources(dir);
  assert.deepEqual(read, {
    ok: true,
    directory: true,
    sources: [
      { path: join(dir, 'B-ecr.yml'), text: 'B' },
      { path: join(dir, 'a-acr.json'), text: 'a' },
      { path: join(dir, 'b-gcr.yaml'), text: 'b' },
    ],
  });
});

test('a directory with no config files gives no sources (the decoder reports it)', async () => {
  const dir = join(root.path, 'empty.d');
  mkdirSync(dir);
  writeFileSync(join(dir, 'README'), 'x');
  assert.deepEqual(await readConfigSources(dir), { ok: true, directory: true, sources: [] });
});

test('a missing path is an error naming it', async () => {
  const path = join(root.path, 'absent.yaml');
  assert.deepEqual(await readConfigSources(path), { ok: false, error: `cannot read the credential provider config ${path}: no such file or directory` });
});

test('a file over the size cap is refused with a clear error; exactly the cap is read', async () => {
  const path = join(root.path, 'big.yaml');
  writeFileSync(path, 'x'.repeat(101));
  const big = await readConfigSources(path, 100);
  assert.ok(!big.ok);
  assert.match(big.error, new RegExp(`^the credential provider config ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is larger than 100 bytes`));
  writeFileSync(path, 'x'.repeat(100));
  const fits = await readConfigSources(path, 100);
  assert.ok(fits.ok && fits.sources[0]?.text.length === 100);

  // The default cap is 1 MiB, and a directory applies it per file.
  const dir = join(root.path, 'big.d');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.yaml'), 'ok');
  writeFileSync(join(dir, 'b.yaml'), 'x'.repeat(1024 * 1024 + 1));
  const inDir = await readConfigSources(dir);
  assert.ok(!inDir.ok);
  assert.match(inDir.error, /b\.yaml is larger than 1 MiB/);
});

test('an unreadable file in a directory is an error naming that file', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, async () => {
  const dir = join(root.path, 'locked.d');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.yaml'), 'ok');
  writeFileSync(join(dir, 'b.yaml'), 'secret');
  chmodSync(join(dir, 'b.yaml'), 0o000);
  assert.deepEqual(await readConfigSources(dir), { ok: false, error: `cannot read the credential provider config ${join(dir, 'b.yaml')}: permission denied` });
});
