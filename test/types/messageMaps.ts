/**
 * Type-level test, checked by `npm run typecheck` (tsc includes test/): the host↔webview message
 * maps are exhaustive. Every `@ts-expect-error` below marks code that must NOT compile; if the maps
 * stopped being exhaustive (e.g. became Partial), that line would compile, the directive would be
 * unused, and the typecheck would fail. Nothing here runs.
 */
import {
  HOST_MESSAGE_PARSERS,
  WEBVIEW_MESSAGE_PARSERS,
  type HostMessage,
  type MessageHandlers,
  type MessageParsers,
  type WebviewMessage,
} from '../../src/protocol';
import type { TraceColumns } from '../../src/traceColumns';
import type { PageMessageHandlers } from '../../src/vscode/webviewHost';

/** A message type someone adds to a union. */
type NewMessage = { type: 'newKind'; payload: string };

// --- Parsers -------------------------------------------------------------------------------------

// The real parser maps cover the unions exactly.
export const _hostParsers: MessageParsers<HostMessage> = HOST_MESSAGE_PARSERS;
export const _webviewParsers: MessageParsers<WebviewMessage> = WEBVIEW_MESSAGE_PARSERS;

// Adding a message type without its parser does not compile, in either direction.
// @ts-expect-error HOST_MESSAGE_PARSERS has no parser for 'newKind'
export const _hostParsersGrown: MessageParsers<HostMessage | NewMessage> = HOST_MESSAGE_PARSERS;
// @ts-expect-error WEBVIEW_MESSAGE_PARSERS has no parser for 'newKind'
export const _webviewParsersGrown: MessageParsers<WebviewMessage | NewMessage> = WEBVIEW_MESSAGE_PARSERS;

// A parser map that misses one type does not compile.
// @ts-expect-error 'error' has no parser
export const _hostParsersMissing: MessageParsers<HostMessage> = {
  showTrace: HOST_MESSAGE_PARSERS.showTrace,
  busy: HOST_MESSAGE_PARSERS.busy,
};

// A parser must answer with its own message type.
export const _wrongParser: MessageParsers<HostMessage> = {
  ...HOST_MESSAGE_PARSERS,
  // @ts-expect-error the busy parser returns an error message
  busy: HOST_MESSAGE_PARSERS.error,
};

// --- Webview-side handlers (webview/app.ts: MessageHandlers<HostMessage>) -------------------------

const hostHandlers: MessageHandlers<HostMessage> = {
  // Each handler receives its narrowed message.
  showTrace: (m) => void (m.trace satisfies TraceColumns),
  busy: (m) => void (m.on satisfies boolean),
  error: (m) => {
    // @ts-expect-error an error message has no trace
    void m.trace;
  },
};
void hostHandlers;

// @ts-expect-error 'busy' is not handled
export const _hostHandlersMissing: MessageHandlers<HostMessage> = {
  showTrace: () => undefined,
  error: () => undefined,
};

// @ts-expect-error a complete map for today's union does not handle a new host message type
export const _hostHandlersGrown: MessageHandlers<HostMessage | NewMessage> = hostHandlers;

// --- Host-side handlers (src/vscode/timelinePanel.ts: PageMessageHandlers<WebviewMessage>) --------
// `ready` is the handshake, answered by the webview host itself; every other type needs a handler.

const pageHandlers: PageMessageHandlers<WebviewMessage> = {
  rerun: (m) => void m.values,
  saveScenario: (m) => void m.values,
  export: (m) => void (m.format satisfies 'csv' | 'json'),
  exportPng: (m) => void (m.dataUrl satisfies string),
  reportError: (m) => void (m.message satisfies string),
  selectEvent: async (m) => {
    void (m.t satisfies number);
    // @ts-expect-error selectEvent carries no what-if values
    void m.values;
  },
};

// @ts-expect-error 'exportPng' is not handled
export const _pageHandlersMissing: PageMessageHandlers<WebviewMessage> = {
  rerun: () => undefined,
  saveScenario: () => undefined,
  export: () => undefined,
  reportError: () => undefined,
  selectEvent: () => undefined,
};

// @ts-expect-error a complete map for today's union does not handle a new webview message type
export const _pageHandlersGrown: PageMessageHandlers<WebviewMessage | NewMessage> = pageHandlers;
