/**
 * The generic what-if contract: a model describes the knobs of its scenario section as field
 * descriptors, the timeline renders the form from them, and both sides check values with the same
 * generic checker. Nothing here knows a model: descriptors and checks are plain data, so they travel
 * to the webview with the trace (the form marks the same fields the host would reject), while the host
 * keeps its own copy and re-checks every value it receives before applying it.
 *
 * Pure: no vscode, no DOM, no Node I/O (the webview bundle and the host both import it).
 */
import { formatDuration, parseDuration } from './units/duration';

// ---------------------------------------------------------------------------------------------
// Descriptors
// ---------------------------------------------------------------------------------------------

/**
 * The longest run the form offers (366 days). Offsets within a run (time windows) share the bound,
 * so every model's windows and the core horizon agree on it.
 */
export const WHAT_IF_MAX_HORIZON_MS = 366 * 86_400_000;

interface FieldCommon {
  /** Key of the value in WhatIfValues; unique across all models of a form. */
  id: string;
  /** The visible label. */
  label: string;
  /** One plain-language sentence for Kubernetes users, shown under the control. */
  help: string;
  /** Heading of the group the field is shown in (one per model section). */
  section: string;
  /** Hint shown inside an empty text control. */
  placeholder?: string;
}

/** A duration string ("6h") within [minMs, maxMs]. */
export interface DurationField extends FieldCommon {
  kind: 'duration';
  minMs: number;
  maxMs: number;
}

/** A duration string, or "" for unset (e.g. "no cap"); "0" is also read as unset when zeroIsUnset. */
export interface OptionalDurationField extends FieldCommon {
  kind: 'optionalDuration';
  minMs: number;
  maxMs: number;
  /** What "" means, for messages: `or "" for ${unsetMeaning}`. */
  unsetMeaning: string;
  zeroIsUnset?: boolean;
}

/** A whole number within [min, max]. */
export interface IntegerField extends FieldCommon {
  kind: 'integer';
  min: number;
  max: number;
}

export interface BooleanField extends FieldCommon {
  kind: 'boolean';
}

export interface WhatIfChoice {
  value: string;
  label: string;
  /** Shown next to the choice in the list. */
  description: string;
}

/** One of a fixed list of values. */
export interface ChoiceField extends FieldCommon {
  kind: 'choice';
  choices: WhatIfChoice[];
}

/** A list of time windows {from, to}: offsets from the simulation start, each within [0, maxMs]. */
export interface WindowsField extends FieldCommon {
  kind: 'windows';
  maxCount: number;
  maxMs: number;
  /** Name of one window in row labels and buttons ("Outage" → "Outage 2 from", "+ Add outage"). */
  itemLabel: string;
  /** Plural for messages ("at most 50 outages"). */
  itemPlural: string;
  /** The window a new row starts with. */
  newWindow: WhatIfWindow;
}

export type WhatIfField = DurationField | OptionalDurationField | IntegerField | BooleanField | ChoiceField | WindowsField;
export type WhatIfFieldKind = WhatIfField['kind'];

/**
 * A check across fields, supplied by a model as data (so the webview runs it too). Every window of
 * `windows` must start before the duration `limit` (another field, possibly another model's);
 * `limitName` says what the limit is in messages ("starts at or after the horizon (6h)").
 */
export interface WindowsStartBeforeCheck {
  kind: 'windowsStartBefore';
  windows: string;
  limit: string;
  limitName: string;
}

export type WhatIfCheck = WindowsStartBeforeCheck;

/** What a form is made of: its fields in display order and the cross-field checks. */
export interface WhatIfContract {
  fields: WhatIfField[];
  checks: WhatIfCheck[];
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/**
 * A time window as the form edits it: duration strings, offsets from the start ("0" allowed).
 * A type, not an interface, so values stay assignable to plain JSON records on the wire.
 */
export type WhatIfWindow = { from: string; to: string };

export type WhatIfValue = string | number | boolean | WhatIfWindow[];

/** The form's values keyed by field id. After checkWhatIfValues each has its field's type. */
export type WhatIfValues = Record<string, WhatIfValue>;

/** One problem with a value; `path` names the field, e.g. "outages[1].to" ("" = the whole object). */
export interface WhatIfProblem {
  path: string;
  message: string;
}

export type CheckedWhatIf = { ok: true; values: WhatIfValues } | { ok: false; problems: WhatIfProblem[] };

/** A model's what-if module: its fields and checks, and how its scenario slice maps to values. */
export interface WhatIfSection<S> {
  fields: readonly WhatIfField[];
  /**
   * The fields for one scenario, when they depend on it (e.g. one lifetime per token source); the
   * form of that scenario uses these instead of `fields`, and read/apply speak them.
   */
  fieldsFor?(slice: S): readonly WhatIfField[];
  checks?: readonly WhatIfCheck[];
  /** The values the form starts from. */
  read(slice: S): WhatIfValues;
  /** A copy of `base` with the values (already checked against `fields`). */
  apply(base: S, values: WhatIfValues): S;
}

// ---------------------------------------------------------------------------------------------
// Typed access to checked values (for the models' apply)
// ---------------------------------------------------------------------------------------------

function valueOf(values: WhatIfValues, id: string): WhatIfValue {
  const v = values[id];
  // Values reach a model only after checkWhatIfValues, so a missing one is a programming error.
  if (v === undefined) throw new Error(`what-if: no value for "${id}"`);
  return v;
}

/** A checked duration (or non-empty optional duration) field, in ms. */
export function durationValue(values: WhatIfValues, id: string): number {
  const v = valueOf(values, id);
  const d = typeof v === 'string' ? parseDuration(v) : undefined;
  if (!d?.ok) throw new Error(`what-if: "${id}" is not a duration`);
  return d.ms;
}

/** A checked optional duration field in ms; undefined when unset. */
export function optionalDurationValue(values: WhatIfValues, id: string): number | undefined {
  return valueOf(values, id) === '' ? undefined : durationValue(values, id);
}

export function integerValue(values: WhatIfValues, id: string): number {
  const v = valueOf(values, id);
  if (typeof v !== 'number') throw new Error(`what-if: "${id}" is not a number`);
  return v;
}

export function booleanValue(values: WhatIfValues, id: string): boolean {
  const v = valueOf(values, id);
  if (typeof v !== 'boolean') throw new Error(`what-if: "${id}" is not true or false`);
  return v;
}

export function choiceValue(values: WhatIfValues, id: string): string {
  const v = valueOf(values, id);
  if (typeof v !== 'string') throw new Error(`what-if: "${id}" is not a choice`);
  return v;
}

/** A checked windows field as [from, to) offsets in ms. */
export function windowsValue(values: WhatIfValues, id: string): Array<{ from: number; to: number }> {
  const v = valueOf(values, id);
  if (!Array.isArray(v)) throw new Error(`what-if: "${id}" is not a list of windows`);
  return v.map((w) => ({ from: msOf(w.from), to: msOf(w.to) }));
}

function msOf(text: string): number {
  const d = parseDuration(text);
  if (!d.ok) throw new Error(`what-if: ${d.error}`);
  return d.ms;
}

// ---------------------------------------------------------------------------------------------
// The checker
// ---------------------------------------------------------------------------------------------

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short description of a bad value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `${typeof v} ${String(v)}`;
}

/**
 * Checks raw values against the fields, then the cross-field checks, and returns a normalised copy
 * (keys in field order, optional "0" → "", windows as plain {from, to}) or every problem found, each
 * with the field it concerns (the form marks that field). Cross-field checks only look at fields that
 * passed their own check.
 */
export function checkWhatIfValues(fields: readonly WhatIfField[], raw: unknown, checks: readonly WhatIfCheck[] = []): CheckedWhatIf {
  if (!isRecord(raw)) return { ok: false, problems: [{ path: '', message: `must be an object, got ${describeValue(raw)}` }] };
  const problems: WhatIfProblem[] = [];
  const bad = (path: string, message: string): undefined => void problems.push({ path, message });
  const known = new Set(fields.map((f) => f.id));
  for (const key of Object.keys(raw)) if (!known.has(key)) bad(key, `unknown field "${key}"`);

  const duration = (path: string, v: unknown, min: number, max: number): number | undefined => {
    if (typeof v !== 'string') return bad(path, `must be a duration string such as "6h", got ${describeValue(v)}`);
    const d = parseDuration(v);
    if (!d.ok) return bad(path, d.error);
    if (d.ms < min) return bad(path, `must be at least ${formatDuration(min)}, got "${v}"`);
    if (d.ms > max) return bad(path, `must be at most ${formatDuration(max)}, got "${v}"`);
    return d.ms;
  };

  const values: WhatIfValues = {};
  /** Parsed durations of the fields that passed, for the cross-field checks. */
  const durations = new Map<string, number>();
  const windows = new Map<string, Array<{ from: number; to: number } | undefined>>();

  for (const f of fields) {
    const v = raw[f.id];
    switch (f.kind) {
      case 'duration': {
        const ms = duration(f.id, v, f.minMs, f.maxMs);
        if (ms !== undefined) {
          values[f.id] = v as string;
          durations.set(f.id, ms);
        }
        break;
      }
      case 'optionalDuration': {
        if (typeof v !== 'string') bad(f.id, `must be a duration string, or "" for ${f.unsetMeaning}, got ${describeValue(v)}`);
        else if (v === '' || (f.zeroIsUnset === true && v === '0')) values[f.id] = '';
        else if (duration(f.id, v, f.minMs, f.maxMs) !== undefined) values[f.id] = v;
        break;
      }
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) bad(f.id, `must be an integer, got ${describeValue(v)}`);
        else if (v < f.min || v > f.max) bad(f.id, `must be between ${f.min} and ${f.max}, got ${v}`);
        else values[f.id] = v;
        break;
      case 'boolean':
        if (typeof v !== 'boolean') bad(f.id, `must be true or false, got ${describeValue(v)}`);
        else values[f.id] = v;
        break;
      case 'choice':
        if (typeof v !== 'string' || !f.choices.some((c) => c.value === v)) {
          bad(f.id, `must be one of ${f.choices.map((c) => `"${c.value}"`).join(', ')}, got ${describeValue(v)}`);
        } else values[f.id] = v;
        break;
      case 'windows': {
        if (!Array.isArray(v)) {
          bad(f.id, `must be a list of {from, to}, got ${describeValue(v)}`);
          break;
        }
        if (v.length > f.maxCount) {
          bad(f.id, `at most ${f.maxCount} ${f.itemPlural}, got ${v.length}`);
          break;
        }
        const parsed: Array<{ from: number; to: number } | undefined> = [];
        const list: WhatIfWindow[] = [];
        v.forEach((w: unknown, i) => {
          const path = `${f.id}[${i}]`;
          if (!isRecord(w)) {
            parsed.push(undefined);
            return bad(path, `must be an object {from, to}, got ${describeValue(w)}`);
          }
          for (const key of Object.keys(w)) if (key !== 'from' && key !== 'to') bad(`${path}.${key}`, `unknown field "${key}"`);
          const from = duration(`${path}.from`, w.from, 0, f.maxMs);
          const to = duration(`${path}.to`, w.to, 0, f.maxMs);
          // A window ends after it starts: part of what a window is, not a model's rule.
          if (from !== undefined && to !== undefined && to <= from) {
            bad(`${path}.to`, `must be after from (${String(w.from)}), got "${String(w.to)}"`);
            parsed.push(undefined);
          } else parsed.push(from !== undefined && to !== undefined ? { from, to } : undefined);
          list.push({ from: String(w.from), to: String(w.to) });
        });
        values[f.id] = list;
        windows.set(f.id, parsed);
        break;
      }
    }
  }

  for (const c of checks) {
    const limit = durations.get(c.limit);
    const list = windows.get(c.windows);
    if (limit === undefined || list === undefined) continue;
    list.forEach((w, i) => {
      if (w && w.from >= limit) bad(`${c.windows}[${i}].from`, `starts at or after ${c.limitName} (${String(raw[c.limit])})`);
    });
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** Problems as one line, each path under `prefix`: "rerun.values.seed must be an integer, …; …". */
export function whatIfProblemsText(problems: readonly WhatIfProblem[], prefix = ''): string {
  return problems.map((p) => `${[prefix, p.path].filter((x) => x !== '').join('.')} ${p.message}`.trim()).join('; ');
}

// ---------------------------------------------------------------------------------------------
// Structure of a contract (what the webview checks before it renders a form from the host's data)
// ---------------------------------------------------------------------------------------------

const MAX_FIELDS = 100;
const MAX_TEXT = 500;
const MAX_CHOICES = 50;
const FIELD_KINDS: readonly WhatIfFieldKind[] = ['duration', 'optionalDuration', 'integer', 'boolean', 'choice', 'windows'];

/**
 * Checks that `raw` is a well-formed contract: known field kinds, unique ids, bounded texts, finite
 * numeric ranges, checks that name fields of the right kinds. Returns the first problem, or undefined.
 */
export function checkWhatIfContract(raw: unknown): string | undefined {
  if (!isRecord(raw)) return `must be an object, got ${describeValue(raw)}`;
  if (!Array.isArray(raw.fields) || raw.fields.length > MAX_FIELDS) return `fields must be a list of at most ${MAX_FIELDS} fields`;
  if (!Array.isArray(raw.checks) || raw.checks.length > MAX_FIELDS) return `checks must be a list of at most ${MAX_FIELDS} checks`;
  const kinds = new Map<string, string>();
  const text = (v: unknown): boolean => typeof v === 'string' && v.length <= MAX_TEXT;
  const num = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  for (const [i, f] of (raw.fields as unknown[]).entries()) {
    const at = `fields[${i}]`;
    if (!isRecord(f) || !(FIELD_KINDS as readonly unknown[]).includes(f.kind)) return `${at}.kind must be one of ${FIELD_KINDS.join(', ')}`;
    if (!text(f.id) || f.id === '' || !text(f.label) || !text(f.help) || !text(f.section)) return `${at} must have string id, label, help and section`;
    if (f.placeholder !== undefined && !text(f.placeholder)) return `${at}.placeholder must be a string`;
    if (kinds.has(f.id as string)) return `${at}.id ${JSON.stringify(f.id)} is not unique`;
    kinds.set(f.id as string, f.kind as string);
    switch (f.kind) {
      case 'duration':
      case 'optionalDuration':
        if (!num(f.minMs) || !num(f.maxMs)) return `${at} must have numeric minMs and maxMs`;
        if (f.kind === 'optionalDuration' && (!text(f.unsetMeaning) || (f.zeroIsUnset !== undefined && typeof f.zeroIsUnset !== 'boolean'))) {
          return `${at} must have a string unsetMeaning`;
        }
        break;
      case 'integer':
        if (!num(f.min) || !num(f.max)) return `${at} must have numeric min and max`;
        break;
      case 'choice':
        if (!Array.isArray(f.choices) || f.choices.length === 0 || f.choices.length > MAX_CHOICES) return `${at}.choices must be a list of 1 to ${MAX_CHOICES} choices`;
        if (f.choices.some((c: unknown) => !isRecord(c) || !text(c.value) || !text(c.label) || !text(c.description))) return `${at}.choices must have string value, label and description`;
        break;
      case 'windows': {
        const w = f.newWindow;
        if (!num(f.maxCount) || !num(f.maxMs) || !text(f.itemLabel) || !text(f.itemPlural) || !isRecord(w) || !text(w.from) || !text(w.to)) {
          return `${at} must have numeric maxCount and maxMs, string itemLabel and itemPlural, and a newWindow {from, to}`;
        }
        break;
      }
    }
  }
  for (const [i, c] of (raw.checks as unknown[]).entries()) {
    if (!isRecord(c) || c.kind !== 'windowsStartBefore') return `checks[${i}].kind must be "windowsStartBefore"`;
    if (kinds.get(c.windows as string) !== 'windows' || kinds.get(c.limit as string) !== 'duration' || !text(c.limitName)) {
      return `checks[${i}] must name a windows field, a duration field and a limitName`;
    }
  }
  return undefined;
}

/**
 * Joins model sections into one contract (fields in section order). Throws on a duplicate id or a
 * check naming a field of the wrong kind: both are programming errors of a model.
 */
export function composeWhatIfContract(sections: ReadonlyArray<{ fields: readonly WhatIfField[]; checks?: readonly WhatIfCheck[] }>): WhatIfContract {
  const contract: WhatIfContract = {
    fields: sections.flatMap((s) => [...s.fields]),
    checks: sections.flatMap((s) => [...(s.checks ?? [])]),
  };
  const problem = checkWhatIfContract(contract);
  if (problem) throw new Error(`what-if contract: ${problem}`);
  return contract;
}
