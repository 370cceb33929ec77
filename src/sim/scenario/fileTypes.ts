/**
 * The scenario file as validate.ts hands it over: the file's own shape (names as written, replicas
 * not expanded, defaults not applied) but with durations already in milliseconds and date-times in
 * epoch milliseconds. The core keys are here; each section's keys come from its section module,
 * through the registry (sections.ts). `Loose<…>` (sim/section.ts) is the same after a failed validation.
 */
import type { SECTIONS } from './sections';
import type { UnionToIntersection } from './types';

interface CoreFile {
  $schema?: string;
  name?: string;
  seed?: number;
  start: number;
  horizon: number;
  output?: { maxDetailedLanes?: number; seriesInterval?: number };
}

/** The sections' file slices, one per registry line. */
type SectionFiles = UnionToIntersection<Parameters<(typeof SECTIONS)[number]['normalize']>[0]>;

export interface ScenarioFile extends CoreFile, SectionFiles {}
