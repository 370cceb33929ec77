/**
 * A Kubernetes manifest (YAML, one or many `---` documents; JSON is YAML too) → its objects, each
 * with where it is in the text, or every syntax problem at its line:column. Pure: the caller reads
 * the file. What the objects mean (workloads, pod specs) is workloads.ts's business; this module only
 * knows documents, mappings and positions.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { SourceText, type SourceRange, type Span } from '../sim/units/sourcePosition';

/** A path into a document: mapping keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** A JSON object as read from YAML. */
export type JsonMap = Record<string, unknown>;

/** A problem at a place in the text; `path` names the field ("" for a whole document or a syntax error). */
export interface ManifestProblem {
  message: string;
  path: string;
  range: SourceRange;
}

export interface ManifestDocument {
  /** 0-based position among the documents of the text (empty documents count too). */
  index: number;
  object: JsonMap;
  /** The document's content, from its first to its last character. */
  range: SourceRange;
  /** Where `path` is in the text: the node itself, or the nearest enclosing node that exists. */
  rangeAt(path: FieldPath): SourceRange;
}

/**
 * After a syntax error `documents` is empty (the tree is unreliable); a document that is not a
 * mapping is an error too, but the other documents are still returned, so that their own problems
 * can be reported in the same run.
 */
export interface ManifestDocumentsResult {
  ok: boolean;
  documents: ManifestDocument[];
  errors: ManifestProblem[];
}

/** "spec.template.spec.volumes[0].name": the dotted form users know from kubectl explain and errors. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** "file:line:col: path: message": the format compilers use, which editors and CI link. */
export function formatManifestProblem(fileName: string, p: ManifestProblem): string {
  return `${fileName}:${p.range.line}:${p.range.column}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
}

function nodeSpan(node: unknown): Span | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

function describeNode(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return typeof node.value === 'string' ? `the text ${JSON.stringify(node.value)}` : `the value ${String(node.value)}`;
  return 'not a mapping';
}

/**
 * Parses every document. Syntax errors stop the reading (the tree after one is unreliable) and are
 * all reported; a document that is not a mapping is an error; an empty document is skipped.
 */
export function parseManifestDocuments(text: string): ManifestDocumentsResult {
  // The core schema keeps RFC 3339 times strings and makes duplicate keys an error, as kubectl does.
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const source = new SourceText(text);
  const errors: ManifestProblem[] = [];
  // An empty stream (no document at all) carries its own errors, if any.
  if ('empty' in docs) {
    for (const e of docs.errors) errors.push({ message: `YAML syntax: ${e.message}`, path: '', range: source.rangeOf({ start: e.pos[0], end: e.pos[1] }) });
  }
  const list: Document[] = docs;
  for (const doc of list) {
    for (const e of doc.errors) errors.push({ message: `YAML syntax: ${e.message}`, path: '', range: source.rangeOf({ start: e.pos[0], end: e.pos[1] }) });
  }
  if (errors.length > 0) return { ok: false, documents: [], errors: sortProblems(errors) };

  const documents: ManifestDocument[] = [];
  list.forEach((doc, index) => {
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return;
    const span = nodeSpan(contents) ?? { start: 0, end: 0 };
    if (!isMap(contents)) {
      errors.push({
        message: `document ${index + 1} is ${describeNode(contents)}, not a Kubernetes object (a mapping with apiVersion and kind)`,
        path: '',
        range: source.rangeOf(source.firstLineOf(span)),
      });
      return;
    }
    const rangeAt = (path: FieldPath): SourceRange => {
      for (let n = path.length; n >= 0; n--) {
        const found = nodeSpan(doc.getIn(path.slice(0, n), true));
        // A multi-line node is pointed at by its first line, as an editor squiggle would be.
        if (found) return source.rangeOf(n === path.length ? found : source.firstLineOf(found));
      }
      return source.rangeOf(source.firstLineOf(span));
    };
    documents.push({ index, object: doc.toJS() as JsonMap, range: source.rangeOf(span), rangeAt });
  });
  return { ok: errors.length === 0, documents, errors: sortProblems(errors) };
}

export function sortProblems(list: readonly ManifestProblem[]): ManifestProblem[] {
  return [...list].sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}
