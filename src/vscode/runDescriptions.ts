/**
 * How a run is named and compared in the Simulations view and the compare view: the title of a
 * what-if re-run ("shop-outage — what-if: Sync frequency 1 min → 30 s") and the side-by-side figures
 * of two runs. Pure (no vscode): the words come from the models' what-if fields and presentations.
 */
import { formatDuration } from '../token/format';
import { parseDuration } from '../sim/units/duration';
import { eventLabel, runHeadline, seriesStyle, seriesTotal } from '../sim/presentations';
import type { ComparisonData, ComparisonRowData } from '../protocol';
import type { Trace } from '../sim/trace';
import type { WhatIfField, WhatIfValue, WhatIfValues } from '../sim/whatIf';

/** A duration string of the form ("90m") as people read it ("1 h 30 min"); other text as it is. */
function humanDuration(text: string): string {
  const d = parseDuration(text);
  return d.ok ? formatDuration(d.ms / 1000) : text;
}

/** One value of a field as a user reads it. */
export function describeWhatIfValue(field: WhatIfField, v: WhatIfValue | undefined): string {
  if (v === undefined) return 'unset';
  switch (field.kind) {
    case 'duration':
      return typeof v === 'string' ? humanDuration(v) : String(v);
    case 'optionalDuration':
      return v === '' ? field.unsetMeaning : typeof v === 'string' ? humanDuration(v) : String(v);
    case 'integer':
      return String(v);
    case 'boolean':
      return v === true ? 'on' : 'off';
    case 'choice':
      return field.choices.find((c) => c.value === v)?.label ?? String(v);
    case 'windows':
      if (!Array.isArray(v) || v.length === 0) return 'none';
      return v.map((w) => `${humanDuration(w.from)}–${humanDuration(w.to)}`).join(', ');
  }
}

/** What differs between two sets of values, one phrase per changed field: "Horizon 6 h → 1 d". */
export function describeWhatIfChanges(fields: readonly WhatIfField[], before: WhatIfValues, after: WhatIfValues): string[] {
  return fields.flatMap((f) => {
    const a = describeWhatIfValue(f, before[f.id]);
    const b = describeWhatIfValue(f, after[f.id]);
    // A label's trailing note ("(offsets from start)", "(s)") is for the form, not for a title.
    return a === b ? [] : [`${f.label.replace(/\s*\([^)]*\)$/, '')} ${a} → ${b}`];
  });
}

/** The Simulations view's title of a what-if re-run of `baseTitle`. */
export function whatIfRunTitle(baseTitle: string, changes: readonly string[]): string {
  return `${baseTitle} — what-if: ${changes.length > 0 ? changes.join(', ') : 'same values (re-run)'}`;
}

/** Two runs side by side: their titles and the figures that tell them apart (different ones first). */
export type RunComparison = Omit<ComparisonData, 'side'>;

/** Events per label ("Token request failed": 3); the trace's detailed lanes only. */
function eventCounts(trace: Trace): Map<string, number> {
  const out = new Map<string, number>();
  for (const ev of trace.events) {
    const label = eventLabel(ev);
    out.set(label, (out.get(label) ?? 0) + 1);
  }
  return out;
}

/**
 * The figures of two runs: the models' own headline ("3 failed requests"), the series totals (token
 * requests, failures, expiries… over every lane) and the events per kind, each row naming both runs'
 * values, the rows that differ first.
 */
export function compareRuns(left: { title: string; trace: Trace }, right: { title: string; trace: Trace }): RunComparison {
  const rows: ComparisonRowData[] = [];
  const add = (label: string, l: string, r: string): void => void rows.push({ label, left: l, right: r, differs: l !== r });
  const headline = (t: Trace): string => runHeadline(t).parts.join(', ') || 'nothing to flag';
  add('In short', headline(left.trace), headline(right.trace));
  add('Simulated time', formatDuration((left.trace.meta.end - left.trace.meta.start) / 1000), formatDuration((right.trace.meta.end - right.trace.meta.start) / 1000));
  const series = [...new Set([...left.trace.series, ...right.trace.series].map((s) => s.name))];
  for (const name of series) {
    const style = seriesStyle(name);
    const text = (t: Trace): string => {
      const v = seriesTotal(t, name);
      return v === undefined ? '—' : String(v);
    };
    add(`${style.label}${style.measure === 'counter' ? ' (total)' : ' (peak)'}`, text(left.trace), text(right.trace));
  }
  const a = eventCounts(left.trace);
  const b = eventCounts(right.trace);
  for (const label of [...new Set([...a.keys(), ...b.keys()])].sort()) add(`Events: ${label}`, String(a.get(label) ?? 0), String(b.get(label) ?? 0));
  add('Lanes', String(left.trace.meta.lanesTotal), String(right.trace.meta.lanesTotal));
  // Stable sort: the rows that differ first, each group in the order above.
  rows.sort((x, y) => Number(y.differs) - Number(x.differs));
  return { leftTitle: left.title, rightTitle: right.title, rows };
}
