/**
 * The extension's one log channel, with every write passed through redactSecrets (src/token/redact.ts).
 * Log lines are built from error messages the extension does not control (client-node, js-yaml, exec
 * plugins, container stderr), so the guarantee that no token value reaches the log sits here, where
 * every line passes, rather than at each call site.
 */
import type * as vscode from 'vscode';
import { redactSecrets } from '../token/redact';

/** The LogOutputChannel methods that write text (the rest: name, logLevel, show, dispose, …). */
const WRITERS = new Set<string | symbol>(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

function redactArg(arg: unknown): string {
  if (typeof arg === 'string') return redactSecrets(arg);
  if (arg instanceof Error) return redactSecrets(arg.stack ?? `${arg.name}: ${arg.message}`);
  try {
    return redactSecrets(typeof arg === 'object' && arg !== null ? JSON.stringify(arg) : String(arg));
  } catch {
    return '[unprintable value]';
  }
}

export function redactingLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (WRITERS.has(prop)) return (...args: unknown[]) => method.apply(target, args.map(redactArg));
      return method.bind(target);
    },
  });
}
