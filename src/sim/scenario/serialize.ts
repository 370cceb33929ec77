/**
 * Scenario → scenario file text (YAML), the inverse of load.ts: what "Save scenario" writes. The core
 * keys are written here, every section's by its serializer, in the file's key order (rules.ts), so
 * loading the text gives back an equal Scenario.
 */
import { stringify } from 'yaml';
import type { JsonObject } from '../fieldRule';
import { formatDateTime } from '../units/datetime';
import { formatDuration } from '../units/duration';
import { SECTION_KEYS } from './rules';
import { SECTION_LIST } from './sections';
import type { Scenario } from './types';

export function scenarioToFile(s: Scenario): JsonObject {
  const sections: JsonObject = {};
  for (const section of SECTION_LIST) Object.assign(sections, section.serialize(s));
  const file: JsonObject = {};
  if (s.name !== undefined) file.name = s.name;
  file.seed = s.seed;
  file.start = formatDateTime(s.start);
  file.horizon = formatDuration(s.horizonMs);
  for (const key of SECTION_KEYS) {
    const value = sections[key];
    if (value !== undefined) file[key] = value;
  }
  file.output = { maxDetailedLanes: s.output.maxDetailedLanes, seriesInterval: formatDuration(s.output.seriesIntervalMs) };
  return file;
}

export function scenarioToYaml(s: Scenario): string {
  return `# Kube Token Lens scenario (see scenario.schema.json)\n${stringify(scenarioToFile(s), { lineWidth: 0 })}`;
}
