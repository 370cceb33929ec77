/**
 * The structural rules of the scenario FILE format, as data: the core keys (name, seed, start,
 * horizon, output) plus every registered section's keys (sections.ts). validate.ts walks a YAML
 * document alongside these rules; schema.ts generates scenario.schema.json from them for editors.
 * Cross-field rules (from < to, ranges of durations, uniqueness) are the sections' checks (semantic.ts).
 */
import type { ObjectRule, Rule } from '../fieldRule';
import { SECTION_LIST } from './sections';

/** Defaults of the core keys, shared by the schema ("default") and the normalizer. */
export const CORE_DEFAULTS = {
  seed: 1,
  maxDetailedLanes: 200,
  seriesInterval: '1m',
} as const;

/** Core keys written before the sections' keys. */
const HEAD: Readonly<Record<string, Rule>> = {
  // Lets JSON files name their schema for editors; ignored by the loader.
  $schema: { kind: 'string', description: 'The schema of this file, for editors. Ignored by the simulator.' },
  name: { kind: 'string', description: 'A title for the run, shown in reports.' },
  seed: {
    kind: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    default: CORE_DEFAULTS.seed,
    description: 'Seed of the random source (kubelet jitter, sync intervals, errors): the same seed gives the same trace.',
  },
  start: { kind: 'dateTime', description: 'Virtual time at which the run starts, RFC 3339, e.g. 2026-01-01T00:00:00Z.' },
  horizon: { kind: 'duration', description: 'How long the run lasts, e.g. "6h" or "30d".' },
};

/** Core keys written after the sections' keys. */
const TAIL: Readonly<Record<string, Rule>> = {
  output: {
    kind: 'object',
    description: 'What the trace keeps.',
    properties: {
      maxDetailedLanes: {
        kind: 'integer',
        minimum: 0,
        default: CORE_DEFAULTS.maxDetailedLanes,
        description: 'Lanes kept with full detail; the rest only feed the aggregate series.',
      },
      seriesInterval: { kind: 'duration', default: CORE_DEFAULTS.seriesInterval, description: 'Bucket width of the aggregate series.' },
    },
  },
};

/** The sections' top-level keys in file order: every section's settings, then every section's subjects. */
export const SECTION_KEYS: readonly string[] = [
  ...SECTION_LIST.flatMap((s) => Object.keys(s.settings)),
  ...SECTION_LIST.flatMap((s) => Object.keys(s.subjects)),
];

/** The keys that name something to simulate (e.g. pods, refreshers): a scenario holds at least one. */
export const SUBJECT_KEYS: readonly string[] = SECTION_LIST.flatMap((s) => Object.keys(s.subjects));

/** Top-level properties in order; a key claimed twice (by the core or two sections) is a programming error. */
function topLevel(): Record<string, Rule> {
  const properties: Record<string, Rule> = {};
  const claim = (owner: string, rules: Readonly<Record<string, Rule>>): void => {
    for (const [key, rule] of Object.entries(rules)) {
      if (Object.hasOwn(properties, key)) throw new Error(`scenario key "${key}" is claimed twice (again by ${owner})`);
      properties[key] = rule;
    }
  };
  claim('the core', HEAD);
  for (const s of SECTION_LIST) claim(`section ${s.id}`, s.settings);
  for (const s of SECTION_LIST) claim(`section ${s.id}`, s.subjects);
  claim('the core', TAIL);
  return properties;
}

/** The whole file. */
export const SCENARIO_RULES: ObjectRule = {
  kind: 'object',
  description:
    'What to simulate: pods and their projected service-account tokens, the API server\'s behaviour (outages, error rate, latency, max expiration), an optional external JWT signer and client-side refreshers, over a horizon from a start time with a seed. Durations are strings such as "90s", "48m", "6h", "30d", "1h30m" or "500ms"; times inside the run (outages, rotations, deletions) are durations from start.',
  properties: topLevel(),
  required: ['start', 'horizon'],
  atLeastOneOf: { keys: SUBJECT_KEYS, message: `nothing to simulate: add ${orList(SUBJECT_KEYS)}` },
};

/** "a", "b" or "c" */
function orList(keys: readonly string[]): string {
  const quoted = keys.map((k) => `"${k}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1] ?? ''}`;
}
