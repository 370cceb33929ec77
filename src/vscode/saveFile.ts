/**
 * "Save as…" for what a panel exports (a trace, a scenario, a chart, a blast-radius result): a save
 * dialog in the first workspace folder with a file name from the panel's title, then an offer to open it.
 */
import * as vscode from 'vscode';

export async function saveExport(
  log: vscode.LogOutputChannel,
  o: { panel: string; title: string | undefined; what: string; extensions: string[]; data: string | Uint8Array },
): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const safeTitle = (o.title ?? o.what).replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  const name = `${safeTitle || o.what}.${o.extensions[0]}`;
  const target = await vscode.window.showSaveDialog({
    title: `Save ${o.what}`,
    filters: { [o.what]: o.extensions },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
  });
  if (!target) return;
  const bytes = typeof o.data === 'string' ? new TextEncoder().encode(o.data) : o.data;
  await vscode.workspace.fs.writeFile(target, bytes);
  log.info(`${o.panel}: saved ${o.what} to ${target.fsPath}`);
  const open = await vscode.window.showInformationMessage(`Saved ${o.what} to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
  if (open) await vscode.commands.executeCommand('vscode.open', target);
}
