/**
 * TEMPORARY: replaced at merge. The real SPEC B.8 matcher (Go url.Parse and path.Match
 * semantics) is written by another helper at this path with this signature; this stand-in exists
 * only so the plugin provider can be tested in its own worktree. It follows B.8 for plain
 * `host[:port][/path]` texts: equal ports, same number of dot parts, raw path prefix, `*` and `?`
 * within one host part. It does not parse URLs like Go and does not support `[...]` classes.
 */
export function urlsMatchStr(glob: string, target: string): boolean {
  const g = split(glob);
  const t = split(target);
  if (g.port !== t.port) return false;
  const gParts = g.host.split('.');
  const tParts = t.host.split('.');
  if (gParts.length !== tParts.length) return false;
  if (!t.path.startsWith(g.path)) return false;
  return gParts.every((part, i) => partMatches(part, tParts[i] as string));
}

function split(s: string): { host: string; port: string; path: string } {
  const slash = s.indexOf('/');
  const hostPort = slash < 0 ? s : s.slice(0, slash);
  const path = slash < 0 ? '' : s.slice(slash);
  const colon = hostPort.lastIndexOf(':');
  return colon < 0 ? { host: hostPort, port: '', path } : { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1), path };
}

function partMatches(glob: string, part: string): boolean {
  const pattern = glob.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(part);
}
