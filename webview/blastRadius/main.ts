/**
 * Entry point of the Outage Blast Radius webview (dist/blastRadius.js). Handshake: the page posts
 * `ready` once its listener is in place, and the host answers with the result, so no message is lost.
 * Every message is validated; a rejected one is reported to the host and leaves the view as it was.
 */
import { TIMELINE_DOM } from '../../src/protocol';
import { parseBlastRadiusHostMessage, type BlastRadiusPageMessage } from '../../src/blastRadiusProtocol';
import { getVsCodeApi } from '../vscodeApi';
import { BlastRadiusApp } from './app';

const vscode = getVsCodeApi<unknown, BlastRadiusPageMessage>();
const root = document.getElementById(TIMELINE_DOM.app);

if (!root) {
  vscode.postMessage({ type: 'reportError', message: `the page has no #${TIMELINE_DOM.app} element` });
} else {
  const app = new BlastRadiusApp(root, { postMessage: (m) => vscode.postMessage(m) });

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parseBlastRadiusHostMessage(event.data);
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
      app.reportError(`blast-radius page failed to handle ${parsed.message.type}: ${text}`);
    }
  });

  // Tests (never the real host) ask for a handle on the app.
  const w = window as unknown as { __KTL_TEST__?: boolean; __ktl?: unknown };
  if (w.__KTL_TEST__) w.__ktl = { app, chart: app.herdChart.chart };

  vscode.postMessage({ type: 'ready' });
}
