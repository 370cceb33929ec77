// Types of codeServer.mjs for the TypeScript benchmarks that reuse it.
export const root: string;
export const CODE_SERVER_VERSION: string;
export const codeServerBin: string;
export const serverNode: string;
export function ensureCodeServer(): void;
export function codeServerVersion(): { codeServer: string; vscode: string; node: string };
export function freePort(): Promise<number>;
export interface CodeServer {
  base: string;
  pid: number;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}
export function startCodeServer(options: {
  port: number;
  workspace: string;
  dataDir: string;
  extensionsDir: string;
  smokeTestDriver?: boolean;
  quiet?: boolean;
}): Promise<CodeServer>;
