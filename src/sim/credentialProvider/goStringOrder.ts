/**
 * Go compares strings byte by byte (UTF-8), and sorts map keys that way when it encodes JSON or
 * builds the kubelet's cache keys. JavaScript's `<` compares UTF-16 code units, which disagrees for
 * characters above U+FFFF against U+E000–U+FFFF, and localeCompare disagrees on case ('B' < 'a' in Go).
 * Comparing code points gives exactly the UTF-8 byte order.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only when one side is a surrogate (an astral character) can code units misorder code points.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs === ys) return x - y;
    return xs ? 1 : -1;
  }
  return a.length - b.length;
}
