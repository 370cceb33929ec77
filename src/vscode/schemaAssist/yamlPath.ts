/**
 * Where a document offset sits, as a JSON path, in a YAML or JSON text (JSON is YAML's flow style, so
 * one parser with source positions serves both). Tolerant of half-typed input: completion asks while
 * a key is still a bare word on its own line or a value is still missing. No vscode import, so unit
 * tests run it directly.
 */
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Scalar } from 'yaml';

export type PathSegment = string | number;
export type TextFlavor = 'yaml' | 'json';

/** Offsets into the original text, end exclusive. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** The key or scalar value under an offset (hover). */
export interface NodeAtOffset {
  /** The path of the value the key names (or of the value itself). */
  path: PathSegment[];
  on: 'key' | 'value';
  range: OffsetRange;
  /** The document's data, for schemas that branch on sibling values (if/then). */
  data: unknown;
}

/** Where a completion would go: a new or half-typed key, or a value. */
export type CompletionSite =
  | {
      kind: 'key';
      /** The path of the mapping that gets the key. */
      path: PathSegment[];
      /** The keys the mapping already has (the one being typed excluded). */
      present: string[];
      /** The text the completion replaces (the half-typed key, quotes included). */
      range: OffsetRange;
      quoted: boolean;
      /** The key already has its `:` (so only the name is replaced). */
      hasSeparator: boolean;
      data: unknown;
    }
  | {
      kind: 'value';
      path: PathSegment[];
      range: OffsetRange;
      quoted: boolean;
      /** The cursor follows `key:` with no space: the insertion must add one. */
      needsSpace: boolean;
      data: unknown;
    };

/** Stands in for what the user has not typed yet; plain-scalar-safe and unlikely in a real document. */
const MARKER = 'ktlAssistMarker7f3a';

type Visit = (node: Node, path: PathSegment[], role: 'key' | 'value', siblings: readonly string[]) => boolean;

/** Depth-first walk over keys and values; stops when visit returns true. */
function walk(node: unknown, path: PathSegment[], visit: Visit): boolean {
  if (isMap(node)) {
    const keys = node.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : []));
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if (visit(pair.key as Node, [...path, key], 'key', keys)) return true;
      if (pair.value !== null && pair.value !== undefined && walk(pair.value, [...path, key], visit)) return true;
    }
    return false;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) if (walk(node.items[i], [...path, i], visit)) return true;
    return false;
  }
  if (isScalar(node)) return visit(node, path, 'value', []);
  return false;
}

function documents(text: string): Document.Parsed[] {
  // Errors are expected while typing; the AST is still there with positions.
  return parseAllDocuments(text, { keepSourceTokens: false }) as Document.Parsed[];
}

/** The document of a multi-document stream that holds the offset. */
function documentAt(text: string, offset: number): Document.Parsed | undefined {
  const docs = documents(text);
  return docs.find((d) => offset <= d.range[2]) ?? docs[docs.length - 1];
}

function dataOf(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined; // an alias bomb or a cycle: branch on nothing
  }
}

/** The key or scalar whose text covers `offset` (the character at it), for hover. */
export function nodeAtOffset(text: string, offset: number): NodeAtOffset | undefined {
  const doc = documentAt(text, offset);
  if (doc === undefined) return undefined;
  let found: Omit<NodeAtOffset, 'data'> | undefined;
  walk(doc.contents, [], (node, path, role) => {
    const r = node.range;
    if (r && r[0] <= offset && offset < Math.max(r[1], r[0] + 1)) {
      found = { path, on: role, range: { start: r[0], end: r[1] } };
      return true;
    }
    return false;
  });
  return found && { ...found, data: dataOf(doc) };
}

export interface SiteOptions {
  /** Read a bare word on its own line as a value (a list item) rather than as a new key. */
  asValue?: boolean;
}

/** Where a completion at `offset` goes, or undefined inside comments, block scalars and the like. */
export function completionSiteAt(text: string, offset: number, flavor: TextFlavor, options: SiteOptions = {}): CompletionSite | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const lineEnd = newline < 0 ? text.length : newline;
  const line = text.slice(lineStart, lineEnd);
  const needsSpace = flavor === 'yaml' && text[offset - 1] === ':';
  const inserted = `${needsSpace ? ' ' : ''}${MARKER}`;
  // A bare word (or nothing) on a block-YAML line is a key being typed: give it its colon so that the
  // parser places it by indentation, as it will be once typed.
  const bareLine = flavor === 'yaml' && !options.asValue && /^\s*(-\s+)*[^\s:#{}[\],"'][^:#]*$|^\s*(-\s*)*$/.test(line) && !/:\s|:$/.test(line);
  const patched = `${text.slice(0, offset)}${inserted}${text.slice(offset, lineEnd)}${bareLine ? ':' : ''}${text.slice(lineEnd)}`;
  const back = (p: number): number => (p <= offset ? p : Math.max(offset, p - inserted.length));
  const doc = documentAt(patched, offset);
  if (doc === undefined) return undefined;
  let site: CompletionSite | undefined;
  walk(doc.contents, [], (node, path, role, siblings) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes(MARKER) || !node.range) return false;
    const type = (node as Scalar).type;
    if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') return true; // free text: nothing to suggest
    const range = { start: back(node.range[0]), end: Math.min(text.length, back(node.range[1])) };
    const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE';
    if (role === 'key') {
      const afterKey = text.slice(range.end, lineEnd);
      site = {
        kind: 'key',
        path: path.slice(0, -1),
        present: siblings.filter((k) => !k.includes(MARKER)),
        range,
        quoted,
        hasSeparator: /^\s*:/.test(afterKey),
        data: undefined,
      };
    } else {
      site = { kind: 'value', path, range: needsSpace ? { start: offset, end: range.end } : range, quoted, needsSpace, data: undefined };
    }
    return true;
  });
  return site && { ...site, data: dataOf(doc) };
}
