/**
 * Positions in a source text: character-offset spans (what a parser hands out) and the 1-based
 * line:column that editors, compilers and CI show. One home for every file format we read (the
 * scenario file, later the credential-provider config), so they all count the same way.
 */

/** A source span, as character offsets into the text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** 1-based line and column, the column in UTF-16 units (as editors count). */
export interface Position {
  line: number;
  column: number;
}

/** Where a span starts and ends, as editors show it. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Offsets at which each line starts (line 1 at 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line and column of a character offset (clamped into the text). */
export function position(starts: readonly number[], text: string, offset: number): Position {
  const clamped = Math.min(Math.max(0, offset), text.length);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= clamped) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: clamped - (starts[lo] ?? 0) + 1 };
}

/**
 * A text with its line index, built once per file. We keep our own index rather than a parser's
 * line counter: after some syntax errors yaml's lexer skips a newline without reporting it, and
 * every later position would be off by a line (found by test/unit/scenario/fuzz.test.ts).
 */
export class SourceText {
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }

  positionOf(offset: number): Position {
    return position(this.starts, this.text, offset);
  }

  /** An empty or inverted span ends where it starts. */
  rangeOf(span: Span): SourceRange {
    const start = this.positionOf(span.start);
    const end = this.positionOf(Math.max(span.start, span.end));
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  /** The part of `span` on its first line: where to point at a multi-line node as a whole. */
  firstLineOf(span: Span): Span {
    const newline = this.text.indexOf('\n', span.start);
    const lineEnd = newline === -1 ? this.text.length : newline;
    return { start: span.start, end: Math.max(span.start, Math.min(span.end, lineEnd)) };
  }
}
