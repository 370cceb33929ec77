/**
 * File shape → the engine's Scenario (types.ts): the core's defaults here, every section's
 * normalizer for the rest (defaults applied, replicas expanded, durations in ms, seconds where the
 * engine counts seconds). Only called on a file that passed every check, so nothing here validates.
 */
import { durationDefault } from '../fieldRule';
import type { IncludeReader } from '../section';
import type { ScenarioFile } from './fileTypes';
import { CORE_DEFAULTS } from './rules';
import { SECTION_LIST } from './sections';
import type { Scenario } from './types';

export function normalizeScenario(file: ScenarioFile, include?: IncludeReader): Scenario {
  const slices: object[] = SECTION_LIST.map((section) => section.normalize(file, { include }));
  // Scenario's section fields are typed from the same registry's normalizers (types.ts).
  const scenario = Object.assign(
    {
      seed: file.seed ?? CORE_DEFAULTS.seed,
      start: file.start,
      horizonMs: file.horizon,
    },
    ...slices,
    {
      output: {
        maxDetailedLanes: file.output?.maxDetailedLanes ?? CORE_DEFAULTS.maxDetailedLanes,
        seriesIntervalMs: file.output?.seriesInterval ?? durationDefault(CORE_DEFAULTS.seriesInterval),
      },
    },
  ) as Scenario;
  if (file.name !== undefined) scenario.name = file.name;
  return scenario;
}
