import * as vscode from 'vscode';

/** Asks the user to allow a credential action; resolves true for yes. */
export type Confirm = (what: string, detail: string, button: string) => Promise<boolean>;

/**
 * The one gate for actions that touch credentials: minting a token, reading one from a pod, running a
 * kubeconfig exec plugin. Never in an untrusted workspace; otherwise only after the user says yes.
 * Integration tests replace the modal with `override` (the trust rule still applies).
 */
export class Consent {
  override: Confirm | undefined;

  async ask(what: string, detail: string, button: string): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(`Token Lens: ${what} Not allowed in an untrusted workspace: trust the workspace first.`);
      return false;
    }
    if (this.override) return this.override(what, detail, button);
    const answer = await vscode.window.showWarningMessage(what, { modal: true, detail }, button);
    return answer === button;
  }
}
