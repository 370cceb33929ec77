/**
 * Go's strconv.Quote (%q), for the keys and messages upstream formats with it (the kubelet's
 * token-manager cache key, the credential provider's log lines, URL and duration errors): quotes and backslashes escaped, control characters as \n, \t or \xHH,
 * other non-printable characters as \uHHHH / \UHHHHHHHH; printable Unicode is kept as is. URL errors
 * quote user input that may hold any of these (goUrl.ts).
 */
export function goQuote(s: string): string {
  // Common case: nothing to escape (a scan by code unit is cheaper than building the quoted copy).
  let plain = true;
  for (let i = 0; i < s.length && plain; i++) {
    const c = s.charCodeAt(i);
    plain = c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c;
  }
  if (plain) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c in GO_SHORT_ESCAPES) out += GO_SHORT_ESCAPES[c];
    else if (c < 0x20 || c === 0x7f) out += `\\x${hex(c, 2)}`;
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // a lone surrogate is invalid UTF-8 to Go
    else out += c < 0x10000 ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
  }
  return out + '"';
}

const GO_SHORT_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols (ASCII space is handled above). */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
