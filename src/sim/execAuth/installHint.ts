/**
 * The "plugin not installed" message and its rate limit (client-go's `sometimes`), SPEC C.8. The
 * limit is per authenticator, so a short-lived client (a new kubectl process) always shows the hint.
 */
import type { Clock } from '../clock';

/** SPEC C.8: at most this many hints … */
export const INSTALL_HINT_THRESHOLD = 10;
/** … per window of this length, in ms. */
export const INSTALL_HINT_INTERVAL_MS = 3600 * 1000;

/** The general help client-go appends (kubectl prints exactly this). */
export const INSTALL_HINT_HELP =
  '\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\n' +
  'To learn more about this feature, consult the documentation available at:\n' +
  '      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins';

/** SPEC C.8 `sometimes`: `threshold` times per `interval`, windows anchored at first use. */
export class InstallHintLimiter {
  private windowStart: number | undefined;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    readonly threshold = INSTALL_HINT_THRESHOLD,
    readonly intervalMs = INSTALL_HINT_INTERVAL_MS,
  ) {}

  /** One attempt at clock.now(): true when the hint is shown (and counted). */
  allow(): boolean {
    const now = this.clock.now();
    // The first call opens the window.
    if (this.windowStart === undefined) this.windowStart = now;
    // In the window iff now − start < interval (strict); otherwise a new window opens at now.
    if (!(now - this.windowStart < this.intervalMs)) {
      this.windowStart = now;
      this.count = 0;
    }
    if (this.count < this.threshold) {
      this.count++;
      return true;
    }
    return false;
  }
}

/**
 * SPEC C.5 step 5 / C.8: the error for a missing binary. The base text always; the general help
 * and the user's own installHint only when the limiter allows.
 */
export function notFoundMessage(command: string, installHint: string | undefined, showHint: boolean): string {
  let text = `exec: executable ${command} not found`;
  if (showHint) {
    text += INSTALL_HINT_HELP;
    if (installHint !== undefined && installHint !== '') text += `\n\n${installHint}`;
  }
  return text;
}
