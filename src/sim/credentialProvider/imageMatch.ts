/**
 * SPEC B.8: the kubelet's URLsMatchStr(glob, target), which decides whether a provider's
 * `matchImages` entry covers an image and which keyring entry serves an image. Both texts are parsed
 * as `https://` + text (goUrl.ts); they match iff the ports are equal, the hosts have as many dot
 * parts, the target path starts with the glob path (raw string prefix) and each host part matches
 * its glob part with Go's path.Match. One implementation, two answers: `explainUrlsMatch` says why
 * not, and `urlsMatchStr` is its `matched`, so the two can never disagree.
 */
import { parseSchemelessUrl } from './goUrl';

export type UrlsMatchExplanation = { matched: true } | { matched: false; reason: string };

/** URLsMatchStr: parse errors and bad patterns are "no match" (the kubelet ignores the error). */
export function urlsMatchStr(glob: string, target: string): boolean {
  // A run asks about the same few (pattern, image) pairs for every pull, and parsing both as URLs is
  // most of a pull's cost: the answers are remembered (a pure function of the two strings).
  const key = `${glob}\u0000${target}`;
  const known = MATCHES.get(key);
  if (known !== undefined) return known;
  const matched = explainUrlsMatch(glob, target).matched;
  if (MATCHES.size >= MAX_REMEMBERED) MATCHES.clear();
  MATCHES.set(key, matched);
  return matched;
}

const MATCHES = new Map<string, boolean>();
/** Enough for every pattern × image of a large run; a run with more starts the memory over. */
const MAX_REMEMBERED = 50_000;

export function explainUrlsMatch(glob: string, target: string): UrlsMatchExplanation {
  const g = parseSchemelessUrl(glob);
  if (!g.ok) return { matched: false, reason: `the pattern is not a valid URL: ${g.error}` };
  const t = parseSchemelessUrl(target);
  if (!t.ok) return { matched: false, reason: `the image is not a valid URL: ${t.error}` };
  const globHost = splitHostParts(g.url.host);
  const targetHost = splitHostParts(t.url.host);
  if (globHost.port !== targetHost.port) {
    return { matched: false, reason: `the image has ${portText(targetHost.port)}, the pattern ${globHost.port === '' ? 'none' : `port ${globHost.port}`} (ports must be equal; wildcards do not apply to ports)` };
  }
  if (globHost.parts.length !== targetHost.parts.length) {
    return {
      matched: false,
      reason: `host has ${targetHost.parts.length} part${plural(targetHost.parts.length)}, the pattern ${globHost.parts.length}: \`*\` never matches a dot`,
    };
  }
  if (!t.url.path.startsWith(g.url.path)) {
    return { matched: false, reason: `path ${t.url.path === '' ? '(none)' : t.url.path} does not start with ${g.url.path}` };
  }
  for (let i = 0; i < globHost.parts.length; i++) {
    const pattern = globHost.parts[i] ?? '';
    const part = targetHost.parts[i] ?? '';
    const m = goPathMatch(pattern, part);
    if (m === 'badPattern') return { matched: false, reason: `host part '${pattern}' is not a valid pattern (syntax error in pattern)` };
    if (!m) return { matched: false, reason: `host part '${part}' does not match '${pattern}'` };
  }
  return { matched: true };
}

function portText(port: string): string {
  return port === '' ? 'no port' : `port ${port}`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

/** SplitURL: net.SplitHostPort on url.Host; when that fails the whole Host (port included) is the host. */
export function splitHostParts(host: string): { parts: string[]; port: string } {
  const split = goSplitHostPort(host);
  const name = split === undefined ? host : split.host;
  return { parts: name.split('.'), port: split === undefined ? '' : split.port };
}

/** net.SplitHostPort; undefined where Go returns an error. */
function goSplitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const i = hostPort.lastIndexOf(':');
  if (i === -1) return undefined; // missing port
  let host: string;
  let j = 0;
  let k = 0;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end === -1) return undefined;
    if (end + 1 === hostPort.length) return undefined; // missing port
    if (end + 1 !== i) return undefined; // too many colons, or missing port
    host = hostPort.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostPort.slice(0, i);
    if (host.includes(':')) return undefined; // too many colons
  }
  if (hostPort.slice(j).includes('[')) return undefined;
  if (hostPort.slice(k).includes(']')) return undefined;
  return { host, port: hostPort.slice(i + 1) };
}

/**
 * Go's path.Match (filepath.Match on Linux is the same): true, false, or 'badPattern' for
 * ErrBadPattern. Works on code points, which is byte-exact for ASCII (hosts) and differs from Go's byte loop only in contrived non-ASCII cases. Like Go, a mismatch is
 * reported only after the rest of the pattern has been checked for syntax.
 */
export function goPathMatch(pattern: string, name: string): boolean | 'badPattern' {
  let p = Array.from(pattern);
  let n = Array.from(name);
  outer: while (p.length > 0) {
    const scanned = scanChunk(p);
    const { star, chunk } = scanned;
    p = scanned.rest;
    if (star && chunk.length === 0) return !n.includes('/'); // trailing * matches the rest unless it has a '/'
    const first = matchChunk(chunk, n);
    if (first.ok && (first.rest.length === 0 || p.length > 0)) {
      n = first.rest;
      continue;
    }
    if (first.bad) return 'badPattern';
    if (star) {
      for (let i = 0; i < n.length && n[i] !== '/'; i++) {
        const m = matchChunk(chunk, n.slice(i + 1));
        if (m.ok) {
          if (p.length === 0 && m.rest.length > 0) continue; // the last chunk must use up the name
          n = m.rest;
          continue outer;
        }
        if (m.bad) return 'badPattern';
      }
    }
    while (p.length > 0) {
      const next = scanChunk(p);
      p = next.rest;
      if (matchChunk(next.chunk, []).bad) return 'badPattern';
    }
    return false;
  }
  return n.length === 0;
}

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let star = false;
  let start = 0;
  while (start < pattern.length && pattern[start] === '*') {
    start++;
    star = true;
  }
  let inRange = false;
  let i = start;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        if (i + 1 < pattern.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: pattern.slice(start, i), rest: pattern.slice(i) };
}

type ChunkMatch = { ok: true; rest: string[]; bad: false } | { ok: false; bad: boolean };

function matchChunk(chunkIn: readonly string[], sIn: readonly string[]): ChunkMatch {
  let chunk = chunkIn;
  let s = sIn;
  // After a mismatch, keep reading the chunk only to check that it is well formed.
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === '[') {
      let r = -1;
      if (!failed) {
        r = (s[0] ?? '').codePointAt(0) ?? -1;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk[0] === '^') {
        negated = true;
        chunk = chunk.slice(1);
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === ']' && ranges > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const lo = getEsc(chunk);
        if (lo === undefined) return { ok: false, bad: true };
        chunk = lo.rest;
        let hi = lo.r;
        if (chunk[0] === '-') {
          const h = getEsc(chunk.slice(1));
          if (h === undefined) return { ok: false, bad: true };
          chunk = h.rest;
          hi = h.r;
        }
        if (lo.r <= r && r <= hi) match = true;
        ranges++;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (s[0] === '/') failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      if (c === '\\') {
        chunk = chunk.slice(1);
        if (chunk.length === 0) return { ok: false, bad: true };
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? { ok: false, bad: false } : { ok: true, rest: [...s], bad: false };
}

/** One possibly escaped character of a class; undefined for ErrBadPattern. */
function getEsc(chunkIn: readonly string[]): { r: number; rest: readonly string[] } | undefined {
  let chunk = chunkIn;
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') return undefined;
  if (chunk[0] === '\\') {
    chunk = chunk.slice(1);
    if (chunk.length === 0) return undefined;
  }
  const r = (chunk[0] ?? '').codePointAt(0) ?? 0;
  const rest = chunk.slice(1);
  if (rest.length === 0) return undefined;
  return { r, rest };
}
