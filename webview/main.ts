/**
 * Entry point of the timeline webview. Handshake: the page posts `ready` once its listener is in
 * place, and the host answers with the trace, so no message is lost. Every message is validated.
 */
import { parseHostMessage, type HostMessage } from '../src/protocol';
import type { Trace } from '../src/sim/trace';
import { getVsCodeApi } from './vscodeApi';

interface SavedState {
  title: string;
  trace: Trace;
}

const vscode = getVsCodeApi<SavedState>();
const root = document.getElementById('app');

function show(message: HostMessage): void {
  if (!root) return;
  if (message.type === 'error') {
    renderError(message.message);
    return;
  }
  vscode.setState({ title: message.title, trace: message.trace });
  renderTrace(message.title, message.trace);
}

function renderError(text: string): void {
  if (!root) return;
  const box = document.createElement('div');
  box.className = 'error';
  box.setAttribute('role', 'alert');
  box.textContent = text;
  root.replaceChildren(box);
}

function renderTrace(title: string, trace: Trace): void {
  if (!root) return;
  const heading = document.createElement('h1');
  heading.textContent = title;
  const summary = document.createElement('p');
  summary.className = 'summary';
  summary.textContent = `${trace.meta.lanesTotal} lanes · ${trace.meta.eventsTotal} events · ${new Date(trace.meta.start).toISOString()} → ${new Date(trace.meta.end).toISOString()}`;
  root.replaceChildren(heading, summary);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    // Tell the host, and keep what is on screen: a bad message must not blank the view.
    vscode.postMessage({ type: 'reportError', message: `rejected a message from the extension: ${parsed.error}` });
    return;
  }
  show(parsed.message);
});

const saved = vscode.getState();
if (saved) renderTrace(saved.title, saved.trace);
vscode.postMessage({ type: 'ready' });
