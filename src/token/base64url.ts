/**
 * Strict base64url (RFC 4648 §5, unpadded, as JWS compact serialization requires: RFC 7515 §2).
 * Written by hand rather than with atob/Buffer so that it behaves the same in every runtime and can
 * say exactly where an input goes wrong.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

export type Base64UrlResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** Describes a character for an error message: printable as itself, others as U+XXXX. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x21 && code < 0x7f) return `'${ch}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Decodes unpadded base64url. Errors name the 1-based character position within `text`.
 */
export function decodeBase64Url(text: string): Base64UrlResult {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || VALUE[code] === -1) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? code);
      let hint = '';
      if (ch === '+' || ch === '/') hint = ': standard base64, not base64url (which uses - and _)';
      else if (ch === '=') hint = ': padding is not allowed in a JWT';
      else if (/\s/.test(ch)) hint = ': whitespace inside the token';
      return { ok: false, error: `not valid base64url at character ${i + 1} (${describeChar(ch)}${hint})` };
    }
  }
  if (text.length % 4 === 1) {
    return { ok: false, error: `not valid base64url: ${text.length} characters is an impossible length (truncated?)` };
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    acc = (acc << 6) | (VALUE[text.charCodeAt(i)] as number);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return { ok: true, bytes: out.subarray(0, o) };
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

export function encodeBase64UrlText(text: string): string {
  return encodeBase64Url(new TextEncoder().encode(text));
}
