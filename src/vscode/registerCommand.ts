/**
 * Registers the extension's commands, each inside the one error guard (commandGuard.ts): no command
 * registers itself with vscode.commands directly.
 */
import * as vscode from 'vscode';
import { guardCommand, type GuardSink } from './commandGuard';

/** The guard's outputs in VS Code: the (redacting) log channel and an error notification. */
export function vscodeGuardSink(log: vscode.LogOutputChannel): GuardSink {
  return { log, showError: (text) => void vscode.window.showErrorMessage(text) };
}

/**
 * Handlers by command id, e.g. { 'kubeTokenLens.refresh': () => … }. Each declares the arguments its
 * menus and callers pass (a tree node, a URI); `never[]` accepts any such signature without `any`.
 */
export type CommandHandlers = Record<string, (...args: never[]) => unknown>;

/** Registers every handler under the guard; the log line names the command without its prefix. */
export function registerCommands(log: vscode.LogOutputChannel, handlers: CommandHandlers): vscode.Disposable[] {
  const sink = vscodeGuardSink(log);
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, guardCommand(id.replace(/^kubeTokenLens\./, ''), sink, handler)),
  );
}
