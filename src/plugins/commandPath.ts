/**
 * Finds the file a command name would run, the way Go's os/exec LookPath does on Linux and macOS, without
 * running anything: a name with a slash is that file; otherwise each PATH entry in order, an empty entry
 * meaning the current directory. Windows (PATHEXT, ";") is not modelled.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { CommandLookup } from '../sim/execAuth/kubeconfigLint';

export interface CommandPathEnv {
  /** The PATH to search; undefined or empty: nothing is found by name (as Go with no PATH). */
  path: string | undefined;
  /** The directory relative names are taken from (default: this process's). */
  cwd?: string;
}

export function resolveCommandPath(command: string, env: CommandPathEnv): CommandLookup {
  if (command === '') return { found: false };
  const cwd = env.cwd ?? process.cwd();
  if (command.includes('/')) {
    const file = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutable(file) ? { found: true, path: file } : { found: false };
  }
  for (const entry of (env.path ?? '').split(':')) {
    const dir = entry === '' ? '.' : entry;
    const candidate = `${dir.replace(/\/+$/, '')}/${command}`;
    // Go 1.19+ stops at a match through a relative PATH entry but refuses it (exec.ErrDot): kubectl
    // cannot start that plugin, so for it the command is as good as missing.
    if (!isAbsolute(candidate)) {
      if (isExecutable(resolve(cwd, candidate))) return { found: false };
      continue;
    }
    if (isExecutable(candidate)) return { found: true, path: candidate };
  }
  return { found: false };
}

/** A regular file (after symlinks) we may execute. */
function isExecutable(file: string): boolean {
  try {
    if (statSync(file).isDirectory()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
