/** The webview side of VS Code's postMessage bridge (or a stub with the same shape in tests). */
import type { WebviewMessage } from '../src/protocol';

export interface VsCodeApi<State> {
  postMessage(message: WebviewMessage): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export function getVsCodeApi<State>(): VsCodeApi<State> {
  return acquireVsCodeApi<State>();
}
