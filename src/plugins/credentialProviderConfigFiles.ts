/**
 * Reads the kubelet's --image-credential-provider-config path: one file, or (newer kubelets) a
 * directory whose .json/.yaml/.yml regular files are read in the kubelet's order (SPEC B.1). Only
 * the I/O: which files and in which order is selectConfigFiles, decoding is the config decoder's
 * (including its "no configuration files found in directory" when a directory yields none).
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { ConfigSource } from '../sim/credentialProvider/configDecode';
import { selectConfigFiles } from '../sim/credentialProvider/configFiles';
import type { IncludeReader } from '../sim/section';

export type { ConfigSource };

export type ConfigSourcesRead =
  | { ok: true; directory: boolean; sources: ConfigSource[] }
  | { ok: false; error: string };

const CONFIG_NOUN = 'the credential provider config';

/** A CredentialProviderConfig (or a kubeconfig) is a few kilobytes; anything this big is the wrong file. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

export async function readConfigSources(path: string, maxBytes: number = MAX_CONFIG_FILE_BYTES): Promise<ConfigSourcesRead> {
  return Promise.resolve(readConfigSourcesSync(path, maxBytes));
}

/**
 * The same, synchronously: a config is a few kilobytes, and the scenario loader (pure, synchronous)
 * asks for it through an IncludeReader while it validates.
 */
export function readConfigSourcesSync(path: string, maxBytes: number = MAX_CONFIG_FILE_BYTES, noun = CONFIG_NOUN): ConfigSourcesRead {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (e) {
    return { ok: false, error: `cannot read ${noun} ${path}: ${reason(e)}` };
  }
  if (!isDirectory) {
    const one = readCapped(path, maxBytes, noun);
    return typeof one === 'string' ? { ok: false, error: one } : { ok: true, directory: false, sources: [one] };
  }
  let paths: string[];
  try {
    // The entry's own type, as the kubelet's directory listing sees it: a symbolic link is not a regular file.
    const entries = readdirSync(path, { withFileTypes: true });
    paths = selectConfigFiles(entries.map((d) => ({ path: join(path, d.name), isRegularFile: d.isFile() })));
  } catch (e) {
    return { ok: false, error: `cannot list ${noun} directory ${path}: ${reason(e)}` };
  }
  const sources: ConfigSource[] = [];
  for (const p of paths) {
    const one = readCapped(p, maxBytes, noun);
    if (typeof one === 'string') return { ok: false, error: one };
    sources.push(one);
  }
  return { ok: true, directory: true, sources };
}

/** The file's text, or an error naming it; reads at most maxBytes + 1 so a huge file is never loaded. */
function readCapped(path: string, maxBytes: number, noun: string): ConfigSource | string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return `cannot read ${noun} ${path}: ${reason(e)}`;
  }
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) {
      return `${noun} ${path} is larger than ${sizeText(maxBytes)}; is this the right file?`;
    }
    return { path, text: buffer.subarray(0, filled).toString('utf8') };
  } catch (e) {
    return `cannot read ${noun} ${path}: ${reason(e)}`;
  } finally {
    closeSync(fd);
  }
}

/** Reads the files a scenario at `scenarioPath` names, relative to its folder (credentialProvider.configFile, execAuth users' kubeconfig). */
export function scenarioIncludeReader(scenarioPath: string): IncludeReader {
  const base = dirname(scenarioPath);
  return (path, what) => {
    const full = isAbsolute(path) ? path : join(base, path);
    const read = readConfigSourcesSync(full, MAX_CONFIG_FILE_BYTES, what.noun);
    if (read.ok && read.directory && !what.directories) return { ok: false, error: `${what.noun} ${full} is a directory: name a file` };
    return read.ok ? { ok: true, included: { directory: read.directory, files: read.sources } } : read;
  };
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Node's error codes in words a user reads ("permission denied"), without the stack or syscall noise. */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
