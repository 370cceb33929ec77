/**
 * The presentation vocabulary (DESIGN.md, "Models plug into the engine"): what a model declares so
 * that the timeline webview, the CLI summary, the static report and the Simulations view can show its
 * lanes, spans, events and series without naming any of them. One module per model
 * (src/sim/<system>/presentation.ts) fills these types; src/sim/presentations.ts is the registry and
 * the one place with fallbacks for things no model claims. Pure types and small pure helpers: no
 * engine code, so the webview bundle can import it.
 */
import { formatDuration } from './units/duration';
import type { Lane, Series, Trace, TraceEvent } from './trace';

/** Colour names; each view maps them to its theme (webview/theme.ts, the static report's palette). */
export type ColorKey = 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple' | 'foreground' | 'muted';

/** Marker shape names; each view draws them its own way (the chart's geometry is webview/categories.ts). */
export type Shape = 'circle' | 'cross' | 'diamond' | 'triangle' | 'triangleDown' | 'square' | 'hollowSquare' | 'hollowCircle' | 'hollowDiamond' | 'hollowTriangle' | 'bar' | 'plus' | 'arrow';

/** A legend entry for point events: every event is drawn as the marker of exactly one category. */
export interface MarkerCategory {
  id: string;
  label: string;
  shape: Shape;
  color: ColorKey;
  /** One line for the legend's tooltip. */
  help: string;
  /** Vertical offset in the lane, px: requests sit above the centre and outcomes below, so a request and
   * the write it caused at the same instant are both visible. */
  dy: number;
  /** Position in the legend (lower first), so the order does not depend on the registry's order:
   * requests, then what the client saw, then the infrastructure, then bookkeeping. */
  rank: number;
  /** Thin dense runs: at most one marker per this many px (default: one per pixel column). */
  minSpacingPx?: number;
}

/** How one event type is shown. */
export interface EventKind {
  type: TraceEvent['type'] | string;
  /** Marker category id (of any model). */
  category: string;
  /** The category when the event says ok: false (default: `category`). */
  failedCategory?: string;
  /** Plain-language name, e.g. "Token written to the pod's file". */
  label: string;
  /** The name when ok: false (default: `label`). */
  failedLabel?: string;
  /** The lane status the event sets unless it failed, read by the lane-state rules (e.g. "stale"). */
  status?: string;
  /**
   * One event type with several outcomes (an image pull: hit, miss, no credentials…): the category
   * and label by the event's `data.outcome`, before `category` / `failedCategory` are considered.
   */
  outcomes?: Readonly<Record<string, { category: string; label: string }>>;
}

/**
 * How a span kind's bands are laid out: `lifetime` bands stack in slots when they overlap (a
 * replacement issued before the old one ended); `withinLifetime` bands share the slot of the lifetime
 * that contains them, inset; `band` spans the lane's full height.
 */
export type SpanLayout = 'lifetime' | 'withinLifetime' | 'band';

export interface SpanStyle {
  id: string;
  label: string;
  color: ColorKey;
  /** Fill opacity of the band. */
  alpha: number;
  help: string;
  rank: number;
  layout: SpanLayout;
  /** Also drawn behind every lane (an outage affects them all); listed in the summaries. */
  backdrop?: boolean;
  /**
   * Not a span of the trace: the views derive it as the gaps between a lane's spans of this kind, from
   * one's end to the next one's start (or the end of the run), e.g. the time a lane holds no valid token.
   */
  gapsOf?: string;
}

export interface LaneKindStyle {
  kind: Lane['kind'] | string;
  label: string;
  /** Three-letter badge of the lane table. */
  short: string;
  /** The lane holds a service-account token: a row of the summaries' token table. */
  holdsToken?: boolean;
}

export interface SeriesStyle {
  name: Series['name'];
  label: string;
  color: ColorKey;
  kind: 'bar' | 'line';
  /** A counter (per-interval counts: totals sum them) or a level (how many at once: totals take the peak). */
  measure: 'counter' | 'level';
}

/**
 * The states a lane can be in at the clock cursor. One shared set (not per model): the lane table and
 * the "now" summary colour them by code (media/timeline.css), so a new model picks from these.
 */
export type StateCode = 'pending' | 'valid' | 'window' | 'stale' | 'expired' | 'rejected' | 'deleted' | 'up' | 'outage' | 'cached' | 'empty' | 'idle';

export const STATE_LABELS: Readonly<Record<StateCode, string>> = {
  pending: 'not issued',
  valid: 'valid',
  window: 'refresh window',
  stale: 'stale',
  expired: 'expired',
  rejected: 'rejected',
  deleted: 'deleted',
  up: 'up',
  outage: 'outage',
  cached: 'cached',
  empty: 'not cached',
  idle: '—',
};

/** The order of the "now" summary: the states worth noticing first. */
export const STATE_ORDER: readonly StateCode[] = ['valid', 'window', 'stale', 'expired', 'rejected', 'pending', 'deleted', 'outage', 'up', 'cached', 'empty', 'idle'];

/** What a lane-state rule may ask about one lane (the webview answers from its indexes). */
export interface LaneView {
  readonly kind: string;
  /** Whether the lane has any span of this kind. */
  has(spanKind: string): boolean;
  /** Whether a span of this kind started at or before t. */
  started(spanKind: string, t: number): boolean;
  /** End of a span of this kind that contains t (the latest-ending), or undefined. */
  containing(spanKind: string, t: number): number | undefined;
  /** End of the span containing t, else of the latest one started at or before t; undefined if none started. */
  latestEnd(spanKind: string, t: number): number | undefined;
  /** The status set by the lane's latest status event at or before t (EventKind.status). */
  status(t: number): string | undefined;
  /** The numeric `data[key]` of the lane's latest event at or before t that carries it (e.g. a TokenRequest's jwtExp). */
  latestData?(key: string, t: number): number | undefined;
}

export interface LaneStateReading {
  code: StateCode;
  /** Time left (negative: since), ms. */
  remainingMs?: number;
  /** How the remaining time reads: "48m left", "3s ago", "10m to go". */
  remaining?: 'left' | 'ago' | 'to go';
  /** The remaining time counts down to this named expiry of a token (src/token/expiries.ts): views say which. */
  expiry?: 'statusExpiry';
  /** The token's JWT exp (ms) when the trace knows it, shown beside the kubelet's expiry (they differ for extended tokens). */
  jwtExpMs?: number;
}

/** A lane's state at t, or undefined when the rule does not apply to this lane (the next one is asked). */
export type LaneStateRule = (lane: LaneView, t: number) => LaneStateReading | undefined;

/** A cell of a summary table: numbers are right-aligned (and greyed when zero in the report). */
export type SummaryCell = string | number | { text: string; title?: string };

/** A piece of a summary, rendered by each consumer its own way (text lines, HTML). */
export type SummaryBlock =
  /** A sentence: a text line, a paragraph of the report. */
  | { kind: 'line'; text: string }
  /** A table, optionally under a heading line (text only); `empty` when there are no rows. */
  | { kind: 'table'; heading?: string; columns: readonly string[]; rows: readonly SummaryCell[][]; empty: string }
  /** A titled list; `empty` replaces the heading and list when there are no items. */
  | { kind: 'list'; heading: string; items: readonly string[]; empty: string };

/** What a summary section may ask of the registry (a model's module never imports the registry). */
export interface PresentationLookup {
  laneKind(kind: string): LaneKindStyle | undefined;
  /** The series' total over the run: the sum of a counter, the peak of a level; undefined without the series. */
  seriesTotal(trace: Trace, name: string): number | undefined;
}

/** What one model prints in the CLI summary, the static report and the Simulations view. */
export interface SummarySection {
  id: string;
  /** Blocks of the `simulate` text summary. */
  text(trace: Trace, lookup: PresentationLookup): SummaryBlock[];
  /** Blocks of the static report's Summary part (full sentences, its own column names). */
  report(trace: Trace, lookup: PresentationLookup): SummaryBlock[];
  /** A few words for the Simulations view, e.g. "3 failed requests"; `attention` flags the run's icon. */
  headline?(trace: Trace): { text: string; attention: boolean } | undefined;
}

/** Everything one model declares. */
export interface ModelPresentation {
  /** The model folder's name, e.g. "kubelet". */
  model: string;
  categories: readonly MarkerCategory[];
  events: readonly EventKind[];
  spans: readonly SpanStyle[];
  lanes: readonly LaneKindStyle[];
  series: readonly SeriesStyle[];
  /** Asked in registry order; the first that applies gives the lane's state. */
  laneStates: readonly LaneStateRule[];
  sections: readonly SummarySection[];
}

// ---- small text helpers for summary sections (the CLI's timefmt re-exports them) ----

/** "1 expiry", "3 expiries": `n` with the right form of the noun. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** A signed offset, e.g. "+48m6s", "-9s", "+0s". */
export function rel(ms: number): string {
  return ms < 0 ? `-${formatDuration(-ms)}` : `+${formatDuration(ms)}`;
}

/** A lane's name in the summaries: "namespace/pod path". */
export function laneName(lane: Lane): string {
  return lane.group === undefined ? lane.label : `${lane.group} ${lane.label}`;
}
