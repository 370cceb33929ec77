/**
 * Removes credential values from text that is about to be logged or shown (error messages from the
 * cluster, kubeconfig parsers and exec plugins can quote what they choke on: a token in a kubeconfig
 * line, an ExecCredential on stdout, an Authorization header).
 *
 * Token values are secrets (DESIGN.md): every log write goes through this, so a log line can never
 * carry one even when a message built elsewhere quotes it. It errs towards redacting too much.
 */

export const REDACTED = '[redacted]';

// A JWS/JWE in compact form: its header is base64url JSON, so it always starts "eyJ" ('{"').
const JWT = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,4}/g;
// "Authorization: Bearer <value>" / "Basic <value>" wherever they appear (a credential-looking value
// only, so "Bearer token" in prose stays).
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{12,}/gi;
// Credential-named fields (ExecCredential status.token, kubeconfig users[].user.token / password /
// client-key-data, auth-provider id-token / refresh-token). In JSON any value goes; unquoted (YAML,
// key=value) only a credential-looking value, so prose such as "failed to fetch token: connection
// refused" stays readable.
const FIELD_NAMES = 'token|id-token|refresh-token|access-token|accessToken|idToken|refreshToken|password|client-key-data|clientKeyData';
const JSON_FIELD = new RegExp(`("(?:${FIELD_NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const BARE_FIELD = new RegExp(`\\b((?:${FIELD_NAMES})\\s*[:=]\\s*)(["']?)[A-Za-z0-9._~+/=-]{16,}\\2`, 'gi');
const PASSWORD = /\b(password\s*[:=]\s*)(["']?)[^\s"']+\2/gi;

/** `text` with every token-shaped value and credential field value replaced by [redacted]. */
export function redactSecrets(text: string): string {
  return text
    .replace(JSON_FIELD, `$1"${REDACTED}"`)
    .replace(JWT, REDACTED)
    .replace(AUTH_SCHEME, `$1$2${REDACTED}`)
    .replace(BARE_FIELD, `$1$2${REDACTED}$2`)
    .replace(PASSWORD, `$1$2${REDACTED}$2`);
}

/**
 * `text` with each of the given secret values (ones this code holds, whatever their shape: an opaque
 * exec token, a registry password) replaced by [redacted], then redactSecrets. For error text written
 * where a secret is in scope: redactSecrets only knows secrets by their shape.
 */
export function redactKnown(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const s of [...secrets].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return redactSecrets(out);
}
