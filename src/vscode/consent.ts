import * as vscode from 'vscode';

/**
 * Asks the user to allow a credential action; resolves true for yes. 'remember' (only where the
 * question offers it) is yes, and yes again for the same scope in this window.
 */
export type Confirm = (what: string, detail: string, button: string) => Promise<boolean | 'remember'>;

/**
 * The one gate for actions that touch credentials: minting a token, reading one from a pod, running a
 * kubeconfig exec plugin. Never in an untrusted workspace; otherwise only after the user says yes.
 * Integration tests replace the modal with `override` (the trust rule still applies).
 */
export class Consent {
  override: Confirm | undefined;
  /** Scopes (e.g. a namespace of a context) the user allowed for this window: memory only, never persisted. */
  private readonly allowed = new Set<string>();

  async ask(what: string, detail: string, button: string): Promise<boolean> {
    return (await this.askOnce(what, detail, [button])) !== undefined;
  }

  /**
   * Like ask, but offers to allow the same action again in `scope` without asking, until the window
   * closes; once allowed, it does not ask (the trust rule still applies every time).
   */
  async askForScope(scope: string, what: string, detail: string, button: string, rememberButton: string): Promise<boolean> {
    if (this.allowed.has(scope) && vscode.workspace.isTrusted) return true;
    const answer = await this.askOnce(what, detail, [button, rememberButton]);
    if (answer === rememberButton) this.allowed.add(scope);
    return answer !== undefined;
  }

  /** Whether `scope` was allowed for this window. */
  isAllowed(scope: string): boolean {
    return this.allowed.has(scope);
  }

  /** Forgets every remembered allowance (e.g. the kubeconfig changed). */
  forget(): void {
    this.allowed.clear();
  }

  /** The button the user chose, undefined for no. */
  private async askOnce(what: string, detail: string, buttons: readonly string[]): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(`Token Lens: ${what} Not allowed in an untrusted workspace: trust the workspace first.`);
      return undefined;
    }
    if (this.override) {
      const answer = await this.override(what, detail, buttons[0] as string);
      if (answer === 'remember') return buttons[buttons.length - 1];
      return answer ? buttons[0] : undefined;
    }
    const answer = await vscode.window.showWarningMessage(what, { modal: true, detail }, ...buttons);
    return answer !== undefined && buttons.includes(answer) ? answer : undefined;
  }
}
