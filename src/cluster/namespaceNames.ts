/**
 * Namespace names a user types in (when the cluster will not list them): comma- or space-separated,
 * each a DNS-1123 label as the API server validates namespace names (at most 63 characters of a-z,
 * 0-9 and '-', starting and ending with a letter or digit: apimachinery's IsDNS1123Label). Pure.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LABEL_LENGTH = 63;

/** Why `name` is not a valid namespace name, or undefined when it is. */
export function namespaceNameProblem(name: string): string | undefined {
  if (name.length > MAX_LABEL_LENGTH) return `"${name}" is longer than ${MAX_LABEL_LENGTH} characters`;
  if (!DNS1123_LABEL.test(name)) return `"${name}" is not a valid namespace name: use lower-case letters, digits and '-', starting and ending with a letter or digit`;
  return undefined;
}

export type NamespaceListParse = { ok: true; names: string[] } | { ok: false; error: string };

/** "shop, payments" → ["payments", "shop"] (sorted, duplicates dropped); an empty or invalid entry is an error. */
export function parseNamespaceList(text: string): NamespaceListParse {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'enter at least one namespace' };
  for (const p of parts) {
    const problem = namespaceNameProblem(p);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, names: [...new Set(parts)].sort() };
}
