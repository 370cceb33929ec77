/**
 * Everything the CLI needs from its process, injected so that main() can be tested with fakes
 * (no real files, no real terminal).
 */
export interface CliIO {
  stdout(text: string): void;
  /** Writes the pieces in order, waiting while the reader is slower: output of any size in bounded memory. */
  stdoutChunks(chunks: Iterable<string>): Promise<void>;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** `secret`: the file holds a credential (e.g. a kubeconfig with a token): owner-only permissions. */
  writeFile(path: string, data: string, options?: { secret?: boolean }): Promise<void>;
  /** Removes a file this process wrote (no error when it is already gone). */
  removeFile(path: string): Promise<void>;
  readStdin(): Promise<string>;
  /**
   * A file shipped with the CLI, by its path relative to the directory of the CLI bundle (dist/), e.g.
   * `webview.js` or `../media/timeline.css`. Rejects like fs.readFile (code ENOENT, path) when missing.
   */
  readAsset(relativeToCliDir: string): Promise<string>;
  /** The wall clock, for commands that judge real tokens (decode); simulations never read it. */
  now(): number;
  /** Whether stderr is a terminal: progress is only drawn there, never into a pipe or a log file. */
  isTTY: boolean;
}

/** Exit statuses, as documented in the usage text. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** match-image: the config is valid but no provider's matchImages covers the image. */
export const EXIT_NO_MATCH = 3;
