/**
 * A scenario after loading and validation: durations are integer milliseconds,
 * times are epoch milliseconds, replicas are expanded into pods. The file format
 * (YAML/JSON, see scenario.schema.json) is converted to this by load.ts; the
 * engine (engine/run.ts) only ever sees this shape.
 *
 * The core fields are here; every other field is a model's slice, typed in the model's folder and
 * composed through the section registry (sections.ts), so adding a model adds its slice here.
 */
import type { SECTIONS } from './sections';

/** A | B | C → A & B & C. */
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

interface CoreScenario {
  name?: string;
  seed: number;
  start: number;
  horizonMs: number;
  output: {
    /** Lanes kept with full detail; the rest only feed the aggregate series. */
    maxDetailedLanes: number;
    seriesIntervalMs: number;
  };
}

/** The sections' normalized slices (kubelet, pods, apiServer, signer?, refreshers), one per registry line. */
type SectionSlices = UnionToIntersection<ReturnType<(typeof SECTIONS)[number]['normalize']>>;

export interface Scenario extends CoreScenario, SectionSlices {}
