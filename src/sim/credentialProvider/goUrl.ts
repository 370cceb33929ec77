/**
 * Go's net/url Parse, for the part the kubelet relies on (SPEC B.2 / B.8): `matchImages` entries and
 * images are parsed as `"https://" + text`, and the match compares the parsed host (with port) and
 * path. We reproduce the steps that decide success, the host and the path, and Go's error texts:
 * control characters, `%` escapes (bad ones, and ASCII escaped in a host), characters a host may not
 * hold, a port that is not digits, a bad userinfo, a missing `]`. Not reproduced: IPv6 literal
 * validation of newer Go versions, and everything about queries beyond cutting them off.
 */
import { goQuote } from '../units/goQuote';

export interface GoUrl {
  scheme: string;
  /** Host with port, unescaped, as url.URL.Host. */
  host: string;
  /** url.URL.Hostname(): the host without port and brackets. */
  hostname: string;
  /** url.URL.Port(): '' when there is none. */
  port: string;
  /** Unescaped path (url.URL.Path). Bytes that are not valid UTF-8 become U+DC80..U+DCFF. */
  path: string;
}

export type GoUrlResult = { ok: true; url: GoUrl } | { ok: false; error: string };

type Mode = 'host' | 'zone' | 'path' | 'userPassword' | 'fragment';

/** url.Parse(raw). The error is the full Go text, e.g. `parse "https://%invalid%": invalid URL escape "%in"`. */
export function parseGoUrl(raw: string): GoUrlResult {
  const hash = raw.indexOf('#');
  const beforeFragment = hash === -1 ? raw : raw.slice(0, hash);
  const parsed = parseWithoutFragment(beforeFragment);
  if (!parsed.ok) return { ok: false, error: `parse ${goQuote(beforeFragment)}: ${parsed.error}` };
  if (hash !== -1) {
    const fragment = unescape(raw.slice(hash + 1), 'fragment');
    if (!fragment.ok) return { ok: false, error: `parse ${goQuote(raw)}: ${fragment.error}` };
  }
  return parsed;
}

/** The part of a scheme-less text a registry host would take: `"https://" + text`, as the kubelet parses it. */
export function parseSchemelessUrl(text: string): GoUrlResult {
  return parseGoUrl(`https://${text}`);
}

function parseWithoutFragment(raw: string): GoUrlResult {
  if (hasControlByte(raw)) return { ok: false, error: 'net/url: invalid control character in URL' };
  if (raw === '*') return { ok: true, url: { scheme: '', host: '', hostname: '', port: '', path: '*' } };
  const scheme = getScheme(raw);
  if (!scheme.ok) return scheme;
  let rest = scheme.rest;
  // A single trailing '?' is ForceQuery; otherwise the query starts at the first '?'.
  if (rest.endsWith('?') && countOf(rest, '?') === 1) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q !== -1) rest = rest.slice(0, q);
  }
  let host = '';
  if (!rest.startsWith('/')) {
    if (scheme.scheme !== '') return { ok: true, url: { scheme: scheme.scheme, host: '', hostname: '', port: '', path: '' } }; // opaque
    const slash = rest.indexOf('/');
    const firstSegment = slash === -1 ? rest : rest.slice(0, slash);
    if (firstSegment.includes(':')) return { ok: false, error: 'first path segment in URL cannot contain colon' };
  }
  if ((scheme.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash !== -1) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const parsedAuthority = parseAuthority(authority);
    if (!parsedAuthority.ok) return parsedAuthority;
    host = parsedAuthority.value;
  }
  const path = unescape(rest, 'path');
  if (!path.ok) return path;
  const { hostname, port } = splitUrlHostPort(host);
  return { ok: true, url: { scheme: scheme.scheme, host, hostname, port, path: path.value } };
}

type Step<T> = { ok: true; value: T } | { ok: false; error: string };

function getScheme(raw: string): { ok: true; scheme: string; rest: string } | { ok: false; error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { ok: true, scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) return { ok: false, error: 'missing protocol scheme' };
      return { ok: true, scheme: raw.slice(0, i).toLowerCase(), rest: raw.slice(i + 1) };
    }
    // Any other character: no scheme, the text is a path.
    return { ok: true, scheme: '', rest: raw };
  }
  return { ok: true, scheme: '', rest: raw };
}

function parseAuthority(authority: string): Step<string> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at === -1 ? authority : authority.slice(at + 1));
  if (!host.ok || at === -1) return host;
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return { ok: false, error: 'net/url: invalid userinfo' };
  const colon = userinfo.indexOf(':');
  for (const part of colon === -1 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) {
    const u = unescape(part, 'userPassword');
    if (!u.ok) return u;
  }
  return host;
}

function parseHost(host: string): Step<string> {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close === -1) return { ok: false, error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port ${goQuote(colonPort)} after host` };
    // RFC 6874: '%25' starts a zone identifier, which may use more escapes than a host.
    const zone = host.slice(0, close).indexOf('%25');
    if (zone !== -1) {
      const parts = [unescape(host.slice(0, zone), 'host'), unescape(host.slice(zone, close), 'zone'), unescape(host.slice(close), 'host')];
      let value = '';
      for (const p of parts) {
        if (!p.ok) return p;
        value += p.value;
      }
      return { ok: true, value };
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1) {
      const colonPort = host.slice(colon);
      if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port ${goQuote(colonPort)} after host` };
    }
  }
  return unescape(host, 'host');
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

/** url.URL.Hostname() / Port(). */
function splitUrlHostPort(hostPort: string): { hostname: string; port: string } {
  let hostname = hostPort;
  let port = '';
  const colon = hostname.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(hostname.slice(colon))) {
    port = hostname.slice(colon + 1);
    hostname = hostname.slice(0, colon);
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/**
 * Go's unescape: checks every `%` escape (and, in a host, every character), then decodes. Works on
 * UTF-16 text: every character we test is ASCII, and a non-ASCII character is allowed wherever its
 * UTF-8 bytes would be.
 */
function unescape(s: string, mode: Mode): Step<string> {
  for (let i = 0; i < s.length; ) {
    const c = s[i] ?? '';
    if (c === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        return { ok: false, error: `invalid URL escape ${goQuote(s.slice(i, i + 3))}` };
      }
      const escape = s.slice(i, i + 3);
      // RFC 3986: a host may %-encode only non-ASCII bytes (and '%25' for an IPv6 zone).
      if (mode === 'host' && hexValue(s[i + 1]) < 8 && escape !== '%25') return { ok: false, error: `invalid URL escape ${goQuote(escape)}` };
      if (mode === 'zone') {
        const v = (hexValue(s[i + 1]) << 4) | hexValue(s[i + 2]);
        if (escape !== '%25' && v !== 0x20 && shouldEscapeInHost(v)) return { ok: false, error: `invalid URL escape ${goQuote(escape)}` };
      }
      i += 3;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && shouldEscapeInHost(c.charCodeAt(0))) {
      return { ok: false, error: `invalid character ${goQuote(c)} in host name` };
    }
    i++;
  }
  return { ok: true, value: decodePercents(s) };
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

function hexValue(c: string | undefined): number {
  return parseInt(c ?? '0', 16);
}

/** shouldEscape(c, encodeHost) for an ASCII byte: what a host may hold unescaped. */
function shouldEscapeInHost(c: number): boolean {
  const ch = String.fromCharCode(c);
  if (/[a-zA-Z0-9]/.test(ch)) return false;
  return !"!$&'()*+,;=:[]<>\"-_.~".includes(ch);
}

/** %XX → bytes, then the bytes read back as UTF-8 (invalid bytes kept apart as U+DC80 + byte). */
function decodePercents(s: string): string {
  if (!s.includes('%')) return s;
  let out = '';
  let bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    if (bytes.length > 0) {
      out += decodeUtf8(bytes);
      bytes = [];
    }
    out += s[i];
    i++;
  }
  return bytes.length > 0 ? out + decodeUtf8(bytes) : out;
}

function decodeUtf8(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    let cp = need === 0 ? b : need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let valid = need >= 0 && i + need < bytes.length;
    for (let k = 1; valid && k <= need; k++) {
      const cont = bytes[i + k] ?? 0;
      if ((cont & 0xc0) !== 0x80) valid = false;
      else cp = (cp << 6) | (cont & 0x3f);
    }
    // Overlong, surrogate and out-of-range forms are invalid UTF-8 too.
    if (valid && ((need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))) valid = false;
    if (!valid) {
      out += String.fromCharCode(0xdc00 + b);
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

function hasControlByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
