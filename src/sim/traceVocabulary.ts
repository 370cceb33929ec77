/**
 * The registry of trace vocabularies: one line per model. Each model declares the lane kinds, span
 * kinds and event types it emits in its own folder (traceVocabulary.ts); the Trace's types (trace.ts)
 * are their union, so a model can only emit what some model declared, and a new model adds its words
 * here without editing trace.ts. The presentation registry must show every word (its test checks).
 */
import { API_SERVER_TRACE } from './apiserver/traceVocabulary';
import { CREDENTIAL_PROVIDER_TRACE } from './credentialProvider/traceVocabulary';
import { EXEC_AUTH_TRACE } from './execAuth/traceVocabulary';
import { KUBELET_TRACE } from './kubelet/traceVocabulary';
import { REFRESHER_TRACE } from './refresher/traceVocabulary';

export interface TraceVocabulary {
  readonly lanes: readonly string[];
  readonly spans: readonly string[];
  readonly events: readonly string[];
}

const VOCABULARIES = [
  API_SERVER_TRACE,
  KUBELET_TRACE,
  REFRESHER_TRACE,
  CREDENTIAL_PROVIDER_TRACE,
  EXEC_AUTH_TRACE,
] as const satisfies readonly TraceVocabulary[];

type Registered = (typeof VOCABULARIES)[number];

export type LaneKind = Registered['lanes'][number];
export type SpanKind = Registered['spans'][number];
export type EventType = Registered['events'][number];

export const LANE_KINDS: readonly LaneKind[] = VOCABULARIES.flatMap((v): readonly LaneKind[] => v.lanes);
export const SPAN_KINDS: readonly SpanKind[] = VOCABULARIES.flatMap((v): readonly SpanKind[] => v.spans);
export const EVENT_TYPES: readonly EventType[] = VOCABULARIES.flatMap((v): readonly EventType[] => v.events);
