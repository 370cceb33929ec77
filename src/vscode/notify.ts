/**
 * Where a message goes so the user sees it. In current VS Code builds (do-not-disturb, and in
 * code-server) information notifications often land only behind the bell, so:
 * - a problem the user must act on is a warning (or an error), with an action that leads on;
 * - a short confirmation of what the user just did ("copied", "verified") is a status-bar message,
 *   where the eye already is, and goes away by itself.
 * Results that matter beyond a glance belong in the tree row or panel that shows them, not here.
 */
import * as vscode from 'vscode';

/** How long a status-bar confirmation stays. */
const CONFIRMATION_MS = 6_000;

/** A short confirmation, shown in the status bar. */
export function confirmInStatusBar(text: string): vscode.Disposable {
  return vscode.window.setStatusBarMessage(`$(check) ${text}`, CONFIRMATION_MS);
}

/** A problem the user must see, as a warning whose button opens the log with the details. */
export function warnWithLog(text: string, log: Pick<vscode.LogOutputChannel, 'show' | 'warn'>): void {
  log.warn(text);
  void vscode.window.showWarningMessage(text, 'Show Log').then((choice) => {
    if (choice) log.show(true);
  });
}
