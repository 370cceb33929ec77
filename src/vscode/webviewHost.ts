/**
 * The host side of one webview panel, for any kind of panel: the page's HTML with a strict CSP
 * (nonce'd script, webview.cspSource styles), localResourceRoots limited to dist/ and media/, the ready
 * handshake, validation of every incoming message through the typed parser map, one handler per
 * message type, and the error guard around them. Plus the restore of such panels after a reload
 * (WebviewPanelSerializer) with validated state, inside the same guard.
 *
 * The handshake: the page posts `ready` whenever it (re)loads (first load, and again when VS Code
 * recreates a hidden page), and the host answers with what that page needs now (`onReady`), so no
 * message is lost however slowly it loads and nothing is sent twice.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { dispatchMessage, type MessageHandlers, type Parsed, type TimelineHtmlOptions } from '../protocol';
import { guarded, type GuardSink } from './commandGuard';
import { DisposableBase } from './disposable';
import { vscodeGuardSink } from './registerCommand';

/** The message every page sends when its listener is in place. */
export interface ReadyMessage {
  type: 'ready';
}

/** One handler per message type the page sends, besides `ready` (the host answers that itself). */
export type PageMessageHandlers<In extends { type: string }> = MessageHandlers<Exclude<In, ReadyMessage>, void | Promise<void>>;

/** What makes one kind of page: its files, its HTML skeleton and its side of the protocol. */
export interface WebviewPageKind<In extends { type: string }> {
  /** For log lines and error titles, e.g. "timeline". */
  name: string;
  /** The page's script, in dist/. */
  script: string;
  /** The page's stylesheet, in media/. */
  style: string;
  /** The panel icon, in media/. */
  icon?: string;
  /** The HTML skeleton (with its CSP) from the protocol module of this kind of page. */
  html: (o: TimelineHtmlOptions) => string;
  /** Validates a message from the page (the parser map of the protocol). */
  parse: (raw: unknown) => Parsed<In>;
}

/** The only folders a page may load from. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Options for createWebviewPanel: scripts on, resources from dist/ and media/ only. */
export function webviewPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
}

export interface WebviewHostOptions<In extends { type: string }, Out> {
  panel: vscode.WebviewPanel;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  kind: WebviewPageKind<In>;
  /** What a freshly loaded page needs now (sent on every `ready`). */
  onReady: () => readonly Out[];
  handlers: PageMessageHandlers<In>;
  /** The message that shows a failed handler's error in the page (besides the guard's notification). */
  errorMessage?: (text: string) => Out;
  /** Called once, when the panel closes or the host is disposed. */
  onDisposed?: () => void;
}

export class WebviewHost<In extends { type: string }, Out> extends DisposableBase {
  readonly panel: vscode.WebviewPanel;
  private readonly sink: GuardSink;

  constructor(private readonly o: WebviewHostOptions<In, Out>) {
    super();
    this.panel = o.panel;
    this.sink = vscodeGuardSink(o.log);
    const webview = o.panel.webview;
    webview.options = webviewPanelOptions(o.extensionUri);
    if (o.kind.icon) o.panel.iconPath = vscode.Uri.joinPath(o.extensionUri, 'media', o.kind.icon);
    webview.html = o.kind.html({
      cspSource: webview.cspSource,
      // A fresh nonce per page load: only the script we name may run.
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(o.extensionUri, 'dist', o.kind.script)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(o.extensionUri, 'media', o.kind.style)).toString(),
      title: o.panel.title,
    });
    this.own(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    // Closing the panel disposes the host; disposing the host closes the panel (once: see below).
    this.own(o.panel.onDidDispose(() => this.dispose()));
  }

  /** Sends a message to the page (dropped once the panel is closed). */
  post(message: Out): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /**
   * A message from the page, as the panel's listener delivers it: validated, then answered (ready) or
   * handled inside the guard. Public so the integration tests can play the page's part.
   */
  async receive(raw: unknown): Promise<void> {
    const parsed = this.o.kind.parse(raw);
    if (!parsed.ok) {
      this.o.log.warn(`${this.o.kind.name}: ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      for (const m of this.o.onReady()) this.post(m);
      return;
    }
    const result = await guarded(`${this.o.kind.name}: ${message.type}`, this.sink, () =>
      dispatchMessage(this.o.handlers, message as Exclude<In, ReadyMessage>),
    );
    if (!result.ok && !result.cancelled && this.o.errorMessage) this.post(this.o.errorMessage(result.text));
  }

  protected override onDispose(): void {
    this.o.onDisposed?.();
    // Owned listeners go after this; the panel itself last (disposing a closed panel is a no-op).
    this.panel.dispose();
  }
}

/**
 * Restores panels of one view type after a reload (register it with registerWebviewPanelSerializer).
 * The state VS Code kept (the page's setState) is validated with `parseState` first; `restore` gets
 * undefined when it is missing or malformed. A failed restore never throws into VS Code: it is
 * logged, shown, and handed to `onFailed` so the panel can say why it is empty.
 */
export function panelSerializer<State, P>(o: {
  viewType: string;
  log: vscode.LogOutputChannel;
  parseState: (raw: unknown) => State | undefined;
  /** Adopts the panel (a WebviewHost), then fills it from the state. */
  adopt: (panel: vscode.WebviewPanel) => P;
  restore: (adopted: P, state: State | undefined) => Promise<void>;
  onFailed: (adopted: P, text: string) => void;
}): vscode.WebviewPanelSerializer {
  const sink = vscodeGuardSink(o.log);
  return {
    deserializeWebviewPanel: async (panel, rawState: unknown) => {
      const result = await guarded(`restore ${o.viewType}`, sink, async () => {
        const adopted = o.adopt(panel);
        const restored = await guarded(`restore ${o.viewType}`, sink, () => o.restore(adopted, o.parseState(rawState)));
        if (!restored.ok) o.onFailed(adopted, restored.cancelled ? 'The restore was cancelled: run the simulation again.' : `This panel could not be restored: ${restored.text}`);
      });
      // Not even adopted: nothing can show the error in the panel, so close it (the guard told the user).
      if (!result.ok) panel.dispose();
    },
  };
}
