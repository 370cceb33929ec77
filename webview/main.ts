/**
 * Entry point of the timeline webview. Handshake: the page posts `ready` once its listener is in
 * place, and the host answers with the trace, so no message is lost. Every message is validated;
 * a rejected one is reported to the host and leaves the view as it was.
 */
import { parseHostMessage, TIMELINE_DOM, type WebviewState } from '../src/protocol';
import { TimelineApp } from './app';
import { getVsCodeApi } from './vscodeApi';

const vscode = getVsCodeApi<WebviewState>();
const root = document.getElementById(TIMELINE_DOM.app);

if (!root) {
  vscode.postMessage({ type: 'reportError', message: `the page has no #${TIMELINE_DOM.app} element` });
} else {
  const app = new TimelineApp(root, {
    postMessage: (m) => vscode.postMessage(m),
    getState: () => vscode.getState(),
    setState: (s) => vscode.setState(s),
  });

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Marks for the render benchmark (bench/chart-render.ts): where a showTrace's time goes.
    performance.mark('ktl:received');
    const parsed = parseHostMessage(event.data);
    performance.mark('ktl:validated');
    if (!parsed.ok) {
      // Tell the host, and keep what is on screen: a bad message must not blank the view.
      app.reportError(`rejected a message from the extension: ${parsed.error}`);
      return;
    }
    try {
      app.handle(parsed.message);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      app.showError(`Could not show this: ${text}`);
      app.reportError(`webview failed to handle ${parsed.message.type}: ${text}`);
    }
  });

  try {
    app.restore(vscode.getState());
  } catch (err) {
    app.reportError(`could not restore the saved view: ${err instanceof Error ? err.message : String(err)}`);
  }

  // Tests and the benchmark (never the real host) ask for a handle on the app.
  const w = window as unknown as { __KTL_TEST__?: boolean; __ktl?: unknown };
  if (w.__KTL_TEST__) w.__ktl = { app, chart: app.chartView.chart };

  vscode.postMessage({ type: 'ready' });
}
