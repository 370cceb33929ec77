/**
 * Scenario text (YAML, or JSON, which is YAML) → the normalized Scenario the engine runs, or every
 * problem found, each at the line:column of the offending node. Pure: the caller reads the file.
 *
 * Stages: YAML syntax (stop here on errors: the tree is unreliable) → structure against rules.ts
 * (validate.ts) → cross-field rules (semantic.ts) → defaults and expansion (normalize.ts), the last
 * two made of the registered sections' own (sections.ts). The structural and semantic problems are
 * reported together.
 */
import { parseDocument } from 'yaml';
import type { IncludeReader, Loose } from '../section';
import { SourceText, type Span } from '../units/sourcePosition';
import type { ScenarioFile } from './fileTypes';
import { normalizeScenario } from './normalize';
import { SCENARIO_RULES } from './rules';
import { checkScenario } from './semantic';
import type { Scenario } from './types';
import { validateDocument, type Problem } from './validate';

/** What an empty document is told (it predates optional pods, and files and tests pin it). */
const EMPTY = 'the scenario is empty: expected an object with start, horizon and pods';

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
 * the same text gives the same Scenario wherever the file lives). `include` reads the files the
 * scenario refers to (relative to it); without it, such a reference is an error that says so.
 */
export function loadScenario(text: string, fileName: string, include?: IncludeReader): LoadResult {
  // The default "core" schema keeps `2026-01-01T00:00:00Z` a string (the yaml-1.1 schema would make it a
  // timestamp) and makes duplicate keys an error; prettyErrors off: we add positions ourselves.
  const doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false });
  // Our own line index rather than yaml's LineCounter (see SourceText).
  const source = new SourceText(text);
  const at = (span: Span): Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'> => source.rangeOf(span);

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

  const walked = validateDocument(doc, source, SCENARIO_RULES, EMPTY);
  const toDiagnostic = (p: Problem): Diagnostic => ({ message: p.message, path: p.path, ...at(p.at), severity: p.severity });
  const diagnostics = walked.problems.map(toDiagnostic);

  const isObject = typeof walked.value === 'object' && walked.value !== null;
  if (isObject) {
    // The walker only keeps values that satisfy the rules, whose shape fileTypes.ts mirrors.
    const loose = walked.value as Loose<ScenarioFile>;
    for (const issue of checkScenario(loose, (path) => walked.where.keys.has(path), include)) {
      const span = issue.atKey === true ? walked.where.keyOf(issue.path) : walked.where.valueOf(issue.path);
      diagnostics.push({ message: issue.message, path: issue.path, ...at(span), severity: issue.severity });
    }
  }

  const errors = sortDiagnostics(diagnostics.filter((d) => d.severity === 'error'));
  const warnings = sortDiagnostics([...yamlWarnings, ...diagnostics.filter((d) => d.severity === 'warning')]);
  if (errors.length > 0 || !isObject) return { ok: false, errors, warnings };
  // No errors: every required property is present and every value has its rule's type.
  const scenario = normalizeScenario(walked.value as ScenarioFile, include);
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

/** yaml's messages sometimes end with a hint about its own API; keep only the part about the file. */
function yamlMessage(message: string): string {
  return message.replace(/; please use YAML\.parseAllDocuments\(\)$/, ': a scenario file holds one document');
}
