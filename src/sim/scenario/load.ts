/**
 * Scenario text (YAML, or JSON, which is YAML) → the normalized Scenario the engine runs, or every
 * problem found, each at the line:column of the offending node. Pure: the caller reads the file.
 *
 * Stages: YAML syntax (stop here on errors: the tree is unreliable) → structure against rules.ts
 * (validate.ts) → cross-field rules (semantic.ts) → defaults and expansion (normalize.ts). The
 * structural and semantic problems are reported together.
 */
import { parseDocument } from 'yaml';
import type { Loose, ScenarioFile } from './fileTypes';
import { normalizeScenario } from './normalize';
import { SCENARIO_RULES } from './rules';
import { checkScenario } from './semantic';
import type { Scenario } from './types';
import { validateDocument, type Problem, type Span } from './validate';

export interface Diagnostic {
  message: string;
  /** Where in the file's structure, e.g. "pods[0].tokens[1].expirationSeconds"; "" for the whole file. */
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: 'error' | 'warning';
}

export type LoadResult =
  | { ok: true; scenario: Scenario; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/**
 * Parses and validates `text`. `fileName` only shapes messages (it is kept out of the Scenario so that
 * the same text gives the same Scenario wherever the file lives).
 */
export function loadScenario(text: string, fileName: string): LoadResult {
  // The default "core" schema keeps `2026-01-01T00:00:00Z` a string (the yaml-1.1 schema would make it a
  // timestamp) and makes duplicate keys an error; prettyErrors off: we add positions ourselves.
  const doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false });
  // Our own line index rather than yaml's LineCounter: after some syntax errors the lexer skips a
  // newline without reporting it, and every later position would be off by a line (found by fuzz.test.ts).
  const lines = lineStarts(text);
  const at = (span: Span): Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'> => {
    const start = position(lines, text, span.start);
    const end = position(lines, text, Math.max(span.start, span.end));
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };

  const yamlWarnings: Diagnostic[] = doc.warnings.map((w) => ({
    message: w.message,
    path: '',
    ...at({ start: w.pos[0], end: w.pos[1] }),
    severity: 'warning',
  }));
  if (doc.errors.length > 0) {
    // JSON is read as YAML (a superset), but a JSON author should not be told about YAML.
    const syntax = /\.json$/i.test(fileName) ? 'JSON syntax' : 'YAML syntax';
    const errors: Diagnostic[] = doc.errors.map((e) => ({
      message: `${syntax}: ${yamlMessage(e.message)}`,
      path: '',
      ...at({ start: e.pos[0], end: e.pos[1] }),
      severity: 'error',
    }));
    return { ok: false, errors: sortDiagnostics(errors), warnings: yamlWarnings };
  }

  const walked = validateDocument(doc, text, SCENARIO_RULES);
  const toDiagnostic = (p: Problem): Diagnostic => ({ message: p.message, path: p.path, ...at(p.at), severity: p.severity });
  const diagnostics = walked.problems.map(toDiagnostic);

  const isObject = typeof walked.value === 'object' && walked.value !== null;
  if (isObject) {
    // The walker only keeps values that satisfy rules.ts, whose shape fileTypes.ts mirrors.
    const loose = walked.value as Loose<ScenarioFile>;
    for (const issue of checkScenario(loose, (path) => walked.where.keys.has(path))) {
      const span = issue.atKey === true ? walked.where.keyOf(issue.path) : walked.where.valueOf(issue.path);
      diagnostics.push({ message: issue.message, path: issue.path, ...at(span), severity: issue.severity });
    }
  }

  const errors = sortDiagnostics(diagnostics.filter((d) => d.severity === 'error'));
  const warnings = sortDiagnostics([...yamlWarnings, ...diagnostics.filter((d) => d.severity === 'warning')]);
  if (errors.length > 0 || !isObject) return { ok: false, errors, warnings };
  // No errors: every required property is present and every value has its rule's type.
  const scenario = normalizeScenario(walked.value as ScenarioFile);
  return { ok: true, scenario, warnings };
}

/** "file:line:col: error: message (path)": the format compilers use, which editors and CI link. */
export function formatDiagnostic(fileName: string, d: Diagnostic): string {
  const where = d.path === '' ? '' : ` (${d.path})`;
  return `${fileName}:${d.line}:${d.column}: ${d.severity}: ${d.message}${where}`;
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Offsets at which each line starts (line 1 at 0). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column (in UTF-16 units, as editors count) of a character offset. */
function position(starts: number[], text: string, offset: number): { line: number; column: number } {
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

/** yaml's messages sometimes end with a hint about its own API; keep only the part about the file. */
function yamlMessage(message: string): string {
  return message.replace(/; please use YAML\.parseAllDocuments\(\)$/, ': a scenario file holds one document');
}
