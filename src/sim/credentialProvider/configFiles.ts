/**
 * Which files of a configuration directory the kubelet reads, and in which order (SPEC B.1). Pure:
 * src/plugins/credentialProviderConfigFiles.ts lists the directory and reads the files.
 */
import { compareGoStrings } from './goStringOrder';

export interface ConfigDirEntry {
  /** The full path (directory joined with the entry's name). */
  path: string;
  /** A regular file as the directory listing reports it: symbolic links and directories are not. */
  isRegularFile: boolean;
}

/** SPEC B.1: the extensions the kubelet takes from a directory (case-sensitive: ".YAML" is skipped). */
export const CONFIG_FILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/**
 * SPEC B.1: regular files ending .json, .yaml or .yml, sorted by full path in Go's string order
 * (UTF-8 bytes: 'B.yaml' comes before 'a.yaml'), which decides whose providers come first.
 */
export function selectConfigFiles(entries: readonly ConfigDirEntry[]): string[] {
  return entries
    .filter((e) => e.isRegularFile && CONFIG_FILE_EXTENSIONS.some((x) => e.path.endsWith(x)))
    .map((e) => e.path)
    .sort(compareGoStrings);
}
