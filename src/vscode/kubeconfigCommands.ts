import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { KubeconfigState } from './kubeconfigState';
import { updateSetting } from './configuration';
import { registerCommands } from './registerCommand';

export function registerKubeconfigCommands(kubeconfig: KubeconfigState, log: vscode.LogOutputChannel, refreshTrees: () => void): vscode.Disposable[] {
  return registerCommands(log, {
    'kubeTokenLens.refresh': () => {
      kubeconfig.reload();
      refreshTrees();
    },
    'kubeTokenLens.showLog': () => log.show(),
    'kubeTokenLens.selectKubeconfig': async () => {
      const picked = await vscode.window.showOpenDialog({
        title: 'Select a kubeconfig file',
        canSelectMany: false,
        defaultUri: vscode.Uri.file(homedir()),
        openLabel: 'Use This Kubeconfig',
      });
      const file = picked?.[0];
      if (!file) return;
      await updateSetting('kubeconfigPath', file.fsPath);
      kubeconfig.reload();
    },
    'kubeTokenLens.openKubeconfig': async (file?: string) => {
      const load = kubeconfig.get();
      const target = file ?? (load.status === 'notFound' ? undefined : load.source.files[0]);
      if (!target) {
        const choice = await vscode.window.showWarningMessage('Token Lens: no kubeconfig found.', 'Select Kubeconfig File…');
        if (choice) await vscode.commands.executeCommand('kubeTokenLens.selectKubeconfig');
        return;
      }
      // Opening shows the file's contents (which may include credentials) only on this explicit action.
      await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true });
    },
  });
}
