/**
 * The Trace: the one output format of every simulation (DESIGN.md, "Trace").
 * Charts, the CLI, reports and tests all read it. It is plain JSON so that the
 * same seed gives a byte-identical serialisation.
 * Times are integer epoch milliseconds of the virtual clock. The lane kinds, span kinds and event
 * types are those the models declare (traceVocabulary.ts).
 */
import type { EventType, LaneKind, SpanKind } from './traceVocabulary';

export type { EventType, LaneKind, SpanKind };

export interface Lane {
  id: string;
  kind: LaneKind;
  label: string;
  /** Grouping for display, e.g. "shop/web-0". */
  group?: string;
  /** False when the run only keeps aggregate series for this lane (large runs). */
  detailed: boolean;
}

export interface Span {
  lane: string;
  kind: SpanKind;
  start: number;
  end: number;
  label?: string;
  /** The rule that placed the span, e.g. "SPEC A.5: 80 % of TTL (2886 s) minus jitter 0–9 s". */
  rule?: string;
}

export interface TraceEvent {
  t: number;
  lane: string;
  type: EventType;
  /** The rule that caused the event, citing SPEC.md, e.g. "SPEC A.5 80 % rule, jitter 7 s". */
  rule: string;
  ok?: boolean;
  error?: string;
  /** Small, JSON-safe details. Never a token value. */
  data?: Record<string, string | number | boolean>;
}

/** Per-interval aggregate over all lanes (including those without detail). */
export interface Series {
  name: 'tokenRequests' | 'tokenRequestFailures' | 'expiredTokens' | 'staleServes' | string;
  start: number;
  intervalMs: number;
  values: number[];
}

export interface Trace {
  version: 1;
  meta: {
    name?: string;
    seed: number;
    start: number;
    end: number;
    /** Which upstream version the models follow, e.g. "kubelet 1.34+". */
    models: string[];
    lanesTotal: number;
    eventsTotal: number;
  };
  lanes: Lane[];
  spans: Span[];
  events: TraceEvent[];
  series: Series[];
}
