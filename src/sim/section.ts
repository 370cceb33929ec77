/**
 * A model's part of the scenario file: the top-level keys it owns, their rules (with the words
 * editors show), its defaults, its cross-field checks, and the two conversions between the file
 * and the normalized Scenario the engine runs. The scenario format package (sim/scenario/) only
 * composes the sections listed in its registry (scenario/sections.ts); it knows no model by name.
 *
 * Pure and neutral: model folders import this, never sim/scenario/**.
 */
import type { JsonObject, JsonValue, Rule } from './fieldRule';
import type { WhatIfSection } from './whatIf';
import { formatDuration } from './units/duration';

/**
 * `File` is the section's slice of the file as the validator hands it over (names as written,
 * defaults not applied, durations already ms, date-times epoch ms); `Slice` is its part of the
 * normalized Scenario. Members use method syntax so the registry can hold sections of different
 * slices in one list.
 */
export interface Section<File extends object, Slice extends object> {
  /** The model's name, for tests and messages about the registry, e.g. "kubelet". */
  readonly id: string;
  /**
   * Top-level keys that configure a system (e.g. `kubelet`, `apiServer`), in the order editors and
   * "allowed here" lists show them. The file lists every section's settings before any subjects.
   */
  readonly settings: Readonly<Record<string, Rule>>;
  /**
   * Top-level keys that list things to simulate (e.g. `pods`, `refreshers`). A scenario must hold
   * at least one subject key of some section; a section may have none (the API server alone
   * serves nobody).
   */
  readonly subjects: Readonly<Record<string, Rule>>;
  /** The section's default values, each the one constant its rules publish and its normalizer applies. */
  readonly defaults: Readonly<Record<string, JsonValue>>;
  /**
   * Cross-field and range rules the rule table cannot say. Runs over a possibly partial file
   * (values that failed validation are missing) so its problems are reported with the structural ones.
   */
  check(file: Loose<File>, context: CheckContext): void;
  /** Valid file slice → normalized slice: defaults applied, lists expanded. Never fails. */
  normalize(file: File, context?: NormalizeContext): Slice;
  /**
   * Normalized slice → file slice (its own top-level keys only): the inverse of normalize, so that
   * loading what it writes gives back an equal slice.
   */
  serialize(slice: Slice): JsonObject;
  /** The section's fields of the timeline's what-if form, read from and applied to its slice (sim/whatIf.ts). */
  readonly whatIf?: WhatIfSection<Slice>;
}

/**
 * A section of whatever slices: what code iterating the registry sees (method parameters are
 * bivariant, so every Section<F, S> is one). scenario/types.ts recovers the slices from the
 * registry's literal type.
 */
export type AnySection = Section<object, object>;

/** Where a check reports, and what it may ask about the file around its section. */
export interface CheckContext {
  /** `atKey`: point at the property's key rather than its value ("this property should not be here"). */
  error(path: string, message: string, options?: { atKey?: boolean }): void;
  warn(path: string, message: string): void;
  /**
   * Whether the file has a property at `path` at all: a property whose value failed validation is
   * missing from the file slice but must not be treated as absent (no "not set" warnings).
   */
  written(path: string): boolean;
  /** The run's horizon, ms, when it is valid; for "never happens in this run" warnings. */
  readonly horizonMs: number | undefined;
  /** Reads a file the scenario refers to (relative to the scenario); undefined when the caller has no files. */
  readonly include: IncludeReader | undefined;
}

/** What a normalizer may ask for: the files the scenario refers to, read the same way its check read them. */
export interface NormalizeContext {
  readonly include: IncludeReader | undefined;
}

/** A file, or a directory's files in the order the reader's format wants them, as texts. */
export interface IncludedFiles {
  directory: boolean;
  files: { path: string; text: string }[];
}

/**
 * The scenario format is pure, so front ends that have files (the CLI, VS Code) hand the loader a
 * reader for the paths a scenario names (e.g. credentialProvider.configFile), resolved against the
 * scenario's own folder.
 */
export type IncludeReader = (path: string, what: IncludeKind) => { ok: true; included: IncludedFiles } | { ok: false; error: string };

/** What a section asks to read: its name in messages, and whether a directory of such files is allowed. */
export interface IncludeKind {
  /** e.g. "the credential provider config", "the kubeconfig". */
  noun: string;
  directories: boolean;
}

/** Every property optional, every array item possibly missing (it failed validation). */
export type Loose<T> = T extends (infer U)[]
  ? (Loose<U> | undefined)[]
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> }
    : T;

// Paths name a place in a file's structure, e.g. "pods[0].tokens[1].expirationSeconds"; "" is the whole file.

export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** "a.b[2].c" → "a.b[2]" → "a.b" → "a" → "" → undefined. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

// Checks that several sections need.

/** A duration that must not be 0 (the rule table already refuses negative ones). */
export function checkPositive(context: CheckContext, path: string, ms: number | undefined, what: string): void {
  if (ms === 0) context.error(path, `${what} must be greater than 0`);
}

export function checkWholeSeconds(context: CheckContext, path: string, ms: number | undefined, what: string): void {
  if (ms !== undefined && ms % 1000 !== 0) context.error(path, `${what} must be a whole number of seconds, got ${formatDuration(ms)}`);
}

/** Warns about a moment (offset from start) that the run never reaches. */
export function checkBeforeHorizon(context: CheckContext, path: string, at: number | undefined, what: string): void {
  const horizon = context.horizonMs;
  if (at !== undefined && horizon !== undefined && horizon > 0 && at >= horizon) {
    context.warn(path, `${what} (${formatDuration(at)}) is at or after the horizon (${formatDuration(horizon)}): it never happens in this run`);
  }
}
