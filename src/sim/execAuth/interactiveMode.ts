/**
 * Whether client-go runs an exec plugin interactively (stdin connected), SPEC C.6, and the default
 * a kubeconfig file gives an empty interactiveMode (clientcmd's v1 defaulting).
 */
import { goQuote } from '../units/goQuote';
import {
  EXEC_API_V1,
  EXEC_API_V1ALPHA1,
  EXEC_API_V1BETA1,
  hasInteractiveMode,
  terminalChecked,
  type ClientGoVersion,
  type ExecConfig,
  type StdinAvailability,
} from './execConfig';

/** The calling process's terminal situation. */
export interface TerminalState extends StdinAvailability {
  readonly stdinIsTerminal: boolean;
  /** Only read by client-go 1.20, which checked stdout instead of stdin (SPEC C.7). */
  readonly stdoutIsTerminal?: boolean;
}

export type InteractiveDecision = { ok: true; interactive: boolean } | { ok: false; reason: string };

/**
 * SPEC C.6, the table row by row. Evaluated when the plugin is about to run, never when the client
 * is built, so a bad mode only shows up as a failed request.
 */
export function decideInteractive(mode: string | undefined, terminal: TerminalState, version: ClientGoVersion): InteractiveDecision {
  // SPEC C.7: before interactiveMode existed, a terminal meant interactive and nothing could fail.
  if (!hasInteractiveMode(version)) {
    return { ok: true, interactive: terminalChecked(version) === 'stdout' ? terminal.stdoutIsTerminal === true : terminal.stdinIsTerminal };
  }
  const unavailable = terminal.stdinUnavailable === true;
  switch (mode ?? '') {
    case 'Never':
      return { ok: true, interactive: false };
    case 'IfAvailable':
      return { ok: true, interactive: !unavailable && terminal.stdinIsTerminal };
    case 'Always': {
      // The terminal check comes first: a non-terminal stdin wins over "unavailable".
      if (!terminal.stdinIsTerminal) return { ok: false, reason: 'standard input is not a terminal' };
      if (unavailable) {
        const message = terminal.stdinUnavailableMessage ?? '';
        return { ok: false, reason: message === '' ? 'standard input is unavailable' : `standard input is unavailable: ${message}` };
      }
      return { ok: true, interactive: true };
    }
    default:
      return { ok: false, reason: `unknown interactiveMode: ${goQuote(mode ?? '')}` };
  }
}

/** SPEC C.5 step 1: how the reason reaches the caller. */
export function interactiveModeError(reason: string): string {
  return `exec plugin cannot support interactive mode: ${reason}`;
}

/**
 * SPEC C.6 defaulting: what client-go holds after loading a kubeconfig file. An empty mode becomes
 * IfAvailable for v1beta1 and v1alpha1; v1 gets no default (so it fails when the plugin runs).
 * Configs built in code skip this step, which is why it is not applied by the authenticator.
 */
export function withKubeconfigDefaults(exec: ExecConfig): ExecConfig {
  if ((exec.interactiveMode ?? '') !== '') return exec;
  if (exec.apiVersion === EXEC_API_V1BETA1 || exec.apiVersion === EXEC_API_V1ALPHA1) return { ...exec, interactiveMode: 'IfAvailable' };
  return exec;
}

/** SPEC C.6: kubeconfig validation's finding for a v1 exec user without a mode, or undefined. */
export function missingInteractiveModeError(exec: ExecConfig, userName: string): string | undefined {
  if (exec.apiVersion !== EXEC_API_V1 || (exec.interactiveMode ?? '') !== '') return undefined;
  return `interactiveMode must be specified for ${userName} to use exec authentication plugin`;
}
