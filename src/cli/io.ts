/**
 * Everything the CLI needs from its process, injected so that main() can be tested with fakes
 * (no real files, no real terminal).
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  /** Whether stderr is a terminal: progress is only drawn there, never into a pipe or a log file. */
  isTTY: boolean;
}

/** Exit statuses, as documented in the usage text. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
