/**
 * The what-if form of the timeline, composed from the models' what-if modules: the core fields
 * (horizon, seed) and the what-if part of each registered section. The host reads the form's starting values from a scenario,
 * sends the contract and values to the webview, and applies values it gets back only through
 * applyWhatIf, which re-checks them first (the webview is untrusted). Pure.
 */
import { formatDuration } from '../units/duration';
import {
  checkWhatIfValues,
  composeWhatIfContract,
  durationValue,
  integerValue,
  WHAT_IF_MAX_HORIZON_MS,
  type CheckedWhatIf,
  type WhatIfContract,
  type WhatIfField,
  type WhatIfProblem,
  type WhatIfSection,
  type WhatIfValues,
} from '../whatIf';
import { SECTION_LIST } from './sections';
import type { Scenario } from './types';

/** Bounds of the horizon the form offers: 1 min … 366 d. */
export const HORIZON_MIN_MS = 60_000;

const CORE_FIELDS: readonly WhatIfField[] = [
  {
    kind: 'duration',
    id: 'horizon',
    label: 'Horizon',
    section: 'Simulation',
    placeholder: 'e.g. 6h',
    help: 'How long the simulated time runs from the start.',
    minMs: HORIZON_MIN_MS,
    maxMs: WHAT_IF_MAX_HORIZON_MS,
  },
  {
    kind: 'integer',
    id: 'seed',
    label: 'Seed',
    section: 'Simulation',
    placeholder: 'integer ≥ 0',
    help: 'Same seed, same random jitter: change it to see another possible run.',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  },
];

const core: WhatIfSection<Scenario> = {
  fields: CORE_FIELDS,
  read: (s) => ({ horizon: formatDuration(s.horizonMs), seed: s.seed }),
  apply: (s, v) => ({ ...s, horizonMs: durationValue(v, 'horizon'), seed: integerValue(v, 'seed') }),
};

/**
 * The form, in display order: the core, then the what-if part of every registered section that has
 * one (sections.ts). A section reads its fields from its own slice and returns the slice it changed.
 */
const SECTIONS: readonly WhatIfSection<Scenario>[] = [
  core,
  ...SECTION_LIST.flatMap((section) => {
    const w = section.whatIf;
    if (w === undefined) return [];
    const fieldsFor = w.fieldsFor;
    const lifted: WhatIfSection<Scenario> = {
      fields: w.fields,
      ...(fieldsFor ? { fieldsFor: (s: Scenario) => fieldsFor(s) } : {}),
      ...(w.checks ? { checks: w.checks } : {}),
      read: (s) => w.read(s),
      apply: (s, v) => ({ ...s, ...w.apply(s, v) }),
    };
    return [lifted];
  }),
];

/** The fields and checks of the timeline's what-if form for a scenario with at most one token source. */
export const WHAT_IF_CONTRACT: WhatIfContract = composeWhatIfContract(SECTIONS);

/**
 * The form of one scenario (sent to the webview with its trace): WHAT_IF_CONTRACT, except where a
 * section's fields depend on the scenario (e.g. one lifetime per token source of the kubelet).
 */
export function whatIfContractFor(s: Scenario): WhatIfContract {
  if (!SECTIONS.some((section) => section.fieldsFor)) return WHAT_IF_CONTRACT;
  return composeWhatIfContract(SECTIONS.map((section) => ({ fields: section.fieldsFor?.(s) ?? section.fields, ...(section.checks ? { checks: section.checks } : {}) })));
}

/** The form's starting values for a scenario. */
export function whatIfFromScenario(s: Scenario): WhatIfValues {
  return Object.assign({}, ...SECTIONS.map((section) => section.read(s))) as WhatIfValues;
}

/** Checks values (from the webview or persisted state) against the form of `scenario` (default: WHAT_IF_CONTRACT). */
export function checkWhatIf(raw: unknown, scenario?: Scenario): CheckedWhatIf {
  const contract = scenario ? whatIfContractFor(scenario) : WHAT_IF_CONTRACT;
  return checkWhatIfValues(contract.fields, raw, contract.checks);
}

export type AppliedWhatIf = { ok: true; scenario: Scenario; values: WhatIfValues } | { ok: false; problems: WhatIfProblem[] };

/** A copy of `base` with the form's values, after checking them; the problems when they are not valid. */
export function applyWhatIf(base: Scenario, raw: unknown): AppliedWhatIf {
  const checked = checkWhatIf(raw, base);
  if (!checked.ok) return checked;
  const values = checked.values;
  return { ok: true, values, scenario: SECTIONS.reduce((s, section) => section.apply(s, values), base) };
}
