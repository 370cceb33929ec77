/** The webview side of VS Code's postMessage bridge (or a stub with the same shape in tests). */
import type { WebviewMessage } from '../src/protocol';

/** `Message`: what the page may post (the timeline's WebviewMessage unless another page says so). */
export interface VsCodeApi<State, Message = WebviewMessage> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State, Message>(): VsCodeApi<State, Message>;

export function getVsCodeApi<State, Message = WebviewMessage>(): VsCodeApi<State, Message> {
  return acquireVsCodeApi<State, Message>();
}
