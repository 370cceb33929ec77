/**
 * Writes a file that holds a credential (a kubeconfig with a token): owner-only (0600) from its first
 * byte, and atomically: the text goes to a new temporary file beside the target, which then replaces
 * it. So an existing target with looser permissions does not keep them, a symlink at the target is
 * replaced rather than followed (nothing is written where it points), and a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeSecretFile(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': fails rather than reusing anything already at the temporary name.
  const file = await open(tmp, 'wx', 0o600);
  try {
    await file.writeFile(data, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
