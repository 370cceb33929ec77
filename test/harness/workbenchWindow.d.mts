// Types of workbenchWindow.mjs for the TypeScript benchmarks that reuse it.
import type { BrowserContext } from 'playwright-core';
export function runInWorkbenchWindow(options: {
  browser: BrowserContext;
  server: { base: string };
  workspace: string;
  extensionTestsPath: string;
  onLog?: (text: string) => void;
  timeoutMs?: number;
}): Promise<number>;
