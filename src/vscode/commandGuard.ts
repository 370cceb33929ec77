/**
 * The one error guard of the extension: every registered command, every webview message handler and
 * the restore of panels after a reload run through it. A failure is logged (through the redacting log
 * channel) and shown as one clear notification, never thrown back into VS Code; a cancellation (the
 * user pressed Cancel on a progress notification) is not an error. Pure, with its outputs injected,
 * so it is unit-tested without VS Code; registerCommand.ts binds it to VS Code.
 */
import { redactSecrets } from '../token/redact';

/** An error as the user may see it: its message, with every token-shaped value redacted. */
export function errorText(err: unknown): string {
  return redactSecrets(err instanceof Error ? err.message : String(err));
}

/** vscode.CancellationError's name (and what AbortController-style cancellations use). */
function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === 'Canceled' || err.name === 'AbortError');
}

/** Where a guarded failure goes. */
export interface GuardSink {
  log: { error(message: string): void; info(message: string): void };
  /** Shows the (already redacted) text to the user. */
  showError(text: string): void;
}

export type GuardResult<T> = { ok: true; value: T } | { ok: false; cancelled: boolean; text: string };

/**
 * Runs `fn`; on failure logs "<what>: <error>" and shows "Token Lens: <error>" unless it was a
 * cancellation. Never rejects.
 */
export async function guarded<T>(what: string, sink: GuardSink, fn: () => T | Promise<T>): Promise<GuardResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const text = errorText(err);
    if (isCancellation(err)) {
      sink.log.info(`${what}: cancelled`);
      return { ok: false, cancelled: true, text };
    }
    sink.log.error(`${what}: ${text}`);
    sink.showError(`Token Lens: ${text}`);
    return { ok: false, cancelled: false, text };
  }
}

/** A command handler wrapped in the guard (what VS Code's registerCommand is given). */
export function guardCommand<A extends unknown[]>(what: string, sink: GuardSink, fn: (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args: A) => {
    await guarded(what, sink, () => fn(...args));
  };
}
