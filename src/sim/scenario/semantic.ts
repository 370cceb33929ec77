/**
 * Cross-field and range rules that a JSON Schema cannot say (or cannot say clearly): the core's
 * (positive horizon and series interval) and every registered section's check. Runs over a
 * possibly partial file (see Loose) so that its problems are reported together with structural ones.
 */
import { checkPositive, type CheckContext, type IncludeReader, type Loose } from '../section';
import type { ScenarioFile } from './fileTypes';
import { SECTION_LIST } from './sections';

export interface SemanticIssue {
  path: string;
  message: string;
  severity: 'error' | 'warning';
  /** Point at the property's key rather than its value (for "this property should not be here"). */
  atKey?: boolean;
}

/**
 * `written(path)` tells whether the file has a property at `path` at all: a property whose value
 * failed validation is missing from `file` but must not be treated as absent (no "not set" warnings).
 */
export function checkScenario(file: Loose<ScenarioFile>, written: (path: string) => boolean, include?: IncludeReader): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const context: CheckContext = {
    error: (path, message, options) => issues.push({ path, message, severity: 'error', atKey: options?.atKey ?? false }),
    warn: (path, message) => issues.push({ path, message, severity: 'warning' }),
    written,
    horizonMs: file.horizon,
    include,
  };
  checkPositive(context, 'horizon', file.horizon, 'horizon');
  checkPositive(context, 'output.seriesInterval', file.output?.seriesInterval, 'seriesInterval');
  for (const section of SECTION_LIST) section.check(file, context);
  return issues;
}
