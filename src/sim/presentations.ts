/**
 * The presentation registry: one line per model, and the lookups every view uses (the timeline
 * webview, the CLI summary, the static report, the Simulations view), so none of them names a
 * model's events, lanes, spans or series. Unknown names (a trace from a newer model, a model not yet
 * registered) never break a view: they fall back to the generic entries below, and event types to a
 * category found by the words in their name (here, and only here). Pure; the webview bundles it.
 */
import { APISERVER_PRESENTATION } from './apiserver/presentation';
import { CREDENTIAL_PROVIDER_PRESENTATION } from './credentialProvider/presentation';
import { EXEC_AUTH_PRESENTATION } from './execAuth/presentation';
import { KUBELET_PRESENTATION } from './kubelet/presentation';
import type { EventKind, LaneKindStyle, LaneStateRule, MarkerCategory, ModelPresentation, PresentationLookup, SeriesStyle, SpanStyle, SummarySection } from './presentation';
import { REFRESHER_PRESENTATION } from './refresher/presentation';
import type { Trace, TraceEvent } from './trace';

/** The registered models, in the order their lane-state rules are asked and their summary sections print. */
export const PRESENTATIONS: readonly ModelPresentation[] = [
  KUBELET_PRESENTATION,
  APISERVER_PRESENTATION,
  REFRESHER_PRESENTATION,
  CREDENTIAL_PROVIDER_PRESENTATION,
  EXEC_AUTH_PRESENTATION,
];

export const OTHER_CATEGORY = 'other';
export const OTHER_SPAN = 'otherSpan';

/**
 * What the views show for what no registered model claims: the "Other" entries, the categories the
 * word-matching fallback picks for unknown event types, and generic looks for lane and span kinds a
 * trace from a newer version may hold (plugin runs). A model that declares one of
 * these ids replaces the entry here (registered models win), so the coming models need not edit this.
 */
export const FALLBACK_PRESENTATION: ModelPresentation = {
  model: 'fallback',
  categories: [
    { id: 'pluginRun', label: 'Plugin run', shape: 'plus', color: 'purple', help: 'A credential / exec plugin was run', dy: -5, rank: 100 },
    { id: OTHER_CATEGORY, label: 'Other', shape: 'hollowCircle', color: 'muted', help: 'Event types this view does not know yet', dy: 0, rank: 1000 },
  ],
  events: [],
  spans: [{ id: OTHER_SPAN, label: 'Other span', color: 'muted', alpha: 0.3, help: 'Span kinds this view does not know yet', rank: 1000, layout: 'band' }],
  lanes: [],
  series: [],
  laneStates: [],
  sections: [],
};

/** Entries by key, registered models first so they shadow the fallback's. */
function index<T>(pick: (p: ModelPresentation) => readonly T[], key: (x: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const p of [...PRESENTATIONS, FALLBACK_PRESENTATION]) for (const x of pick(p)) if (!out.has(key(x))) out.set(key(x), x);
  return out;
}

const CATEGORIES = index((p) => p.categories, (c) => c.id);
const EVENTS = index((p) => p.events, (e) => e.type);
const SPANS = index((p) => p.spans, (s) => s.id);
const LANES = index((p) => p.lanes, (l) => l.kind);
const SERIES = index((p) => p.series, (s) => s.name);

/** Every marker category, in legend order. */
export const MARKER_CATEGORIES: readonly MarkerCategory[] = [...CATEGORIES.values()].sort((a, b) => a.rank - b.rank);
/** Every span style, in legend order. */
export const SPAN_STYLES: readonly SpanStyle[] = [...SPANS.values()].sort((a, b) => a.rank - b.rank);
/** Every lane-state rule, in the order they are asked. */
export const LANE_STATE_RULES: readonly LaneStateRule[] = [...PRESENTATIONS, FALLBACK_PRESENTATION].flatMap((p) => p.laneStates);
/** Every summary section, in print order. */
export const SUMMARY_SECTIONS: readonly SummarySection[] = PRESENTATIONS.flatMap((p) => p.sections);

export function eventKind(type: string): EventKind | undefined {
  return EVENTS.get(type);
}

/** The category of a category id; unknown ids read as "Other". */
export function markerCategory(id: string): MarkerCategory {
  return CATEGORIES.get(id) ?? (CATEGORIES.get(OTHER_CATEGORY) as MarkerCategory);
}

/** The category id of an event. Event types no model declares are matched by words in the type. */
export function categoryOf(ev: Pick<TraceEvent, 'type' | 'ok' | 'data'>): string {
  const kind = EVENTS.get(ev.type);
  const variant = outcomeVariant(kind, ev);
  if (variant) return variant.category;
  if (kind) return ev.ok === false ? (kind.failedCategory ?? kind.category) : kind.category;
  const t = ev.type.toLowerCase();
  // A failed attempt of any kind (e.g. a plugin run that exited non-zero) reads as a failure first.
  if (ev.ok === false) return 'requestFailed';
  if (t.includes('401') || t.includes('unauthori') || t.includes('reject')) return 'rejected';
  if (t.includes('hit')) return 'cacheHit';
  if (t.includes('miss')) return 'cacheMiss';
  if (t.includes('plugin') || t.includes('exec')) return 'pluginRun';
  if (t.includes('stale')) return 'stale';
  if (t.includes('expir')) return 'expired';
  if (t.includes('outage')) return 'outage';
  if (t.includes('key')) return 'keys';
  if (t.includes('request')) return 'requestOk';
  if (t.includes('fail') || t.includes('error')) return 'requestFailed';
  return OTHER_CATEGORY;
}

/** The look an event's `data.outcome` selects, when its kind declares outcomes. */
function outcomeVariant(kind: EventKind | undefined, ev: Pick<TraceEvent, 'data'>): { category: string; label: string } | undefined {
  const outcome = ev.data?.outcome;
  return kind?.outcomes !== undefined && typeof outcome === 'string' ? kind.outcomes[outcome] : undefined;
}

/** The word-matching fallback's targets: the registry test checks each one exists. */
export const FALLBACK_TARGETS: readonly string[] = ['requestFailed', 'rejected', 'cacheHit', 'cacheMiss', 'pluginRun', 'stale', 'expired', 'outage', 'keys', 'requestOk', OTHER_CATEGORY];

/** "tokenServedStale" → "Token served stale". */
export function humanize(id: string): string {
  const words = id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** Human label of an event, e.g. "Token request failed". */
export function eventLabel(ev: Pick<TraceEvent, 'type' | 'ok' | 'data'>): string {
  const kind = EVENTS.get(ev.type);
  const variant = outcomeVariant(kind, ev);
  if (variant) return variant.label;
  if (kind) return ev.ok === false ? (kind.failedLabel ?? kind.label) : kind.label;
  const label = humanize(ev.type);
  return ev.ok === false ? `${label} (failed)` : label;
}

/** The lane status an event sets (EventKind.status), if it did not fail. */
export function eventStatus(ev: Pick<TraceEvent, 'type' | 'ok'>): string | undefined {
  return ev.ok === false ? undefined : EVENTS.get(ev.type)?.status;
}

/** The style of a span kind; unknown kinds get "Other span". */
export function spanStyle(kind: string): SpanStyle {
  return SPANS.get(kind) ?? (SPANS.get(OTHER_SPAN) as SpanStyle);
}

/** The style of a lane kind; unknown kinds show their own name. */
export function laneKindStyle(kind: string): LaneKindStyle {
  return LANES.get(kind) ?? { kind, label: kind, short: kind.slice(0, 3).toUpperCase() };
}

/** The style of a series; unknown series get a humanised label, drawn as a line. */
export function seriesStyle(name: string): SeriesStyle {
  return SERIES.get(name) ?? { name, label: humanize(name), color: 'purple', kind: 'line', measure: 'counter' };
}

/** The series' total over the run: the sum of a counter, the peak of a level (undefined when empty). */
export function seriesTotal(trace: Trace, name: string): number | undefined {
  const values = trace.series.find((s) => s.name === name)?.values;
  if (values === undefined) return undefined;
  if (seriesStyle(name).measure === 'counter') return values.reduce((a, b) => a + b, 0);
  return values.length > 0 ? values.reduce((a, b) => Math.max(a, b), -Infinity) : undefined;
}

export const LOOKUP: PresentationLookup = { laneKind: (kind) => LANES.get(kind), seriesTotal };

/** The Simulations view's few words about a run ("3 failed requests") and whether it needs a look. */
export function runHeadline(trace: Trace): { parts: string[]; attention: boolean } {
  const lines = SUMMARY_SECTIONS.flatMap((s) => s.headline?.(trace) ?? []);
  return { parts: lines.map((l) => l.text), attention: lines.some((l) => l.attention) };
}
