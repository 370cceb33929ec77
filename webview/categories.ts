/**
 * How trace items look: each event maps to one marker category (shape + colour + legend entry), each
 * span kind to a band style. Unknown event types and span kinds (the model may grow) fall back to
 * a generic category by name, then to "Other", so a new type never breaks the chart. Pure.
 */
import type { TraceEvent } from '../src/sim/trace';

export type ColorKey = 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple' | 'foreground' | 'muted';

/** Marker shapes; each has an ECharts symbol and an SVG path (in a 10×10 box) for the HTML legend. */
export type Shape = 'circle' | 'cross' | 'diamond' | 'triangle' | 'triangleDown' | 'square' | 'hollowSquare' | 'hollowCircle' | 'hollowDiamond' | 'hollowTriangle' | 'bar' | 'roundSquare' | 'arrow';

const CROSS = 'M2,0L5,3L8,0L10,2L7,5L10,8L8,10L5,7L2,10L0,8L3,5L0,2Z';
const ARROW = 'M5,0L10,10L5,7.5L0,10Z';

export const SHAPES: Readonly<Record<Shape, { symbol: string; rotate?: number; svg: string; hollow?: boolean; size?: number | [number, number] }>> = {
  circle: { symbol: 'circle', svg: 'M5,0A5,5 0 1 1 4.99,0Z' },
  cross: { symbol: `path://${CROSS}`, svg: CROSS, size: 10 },
  diamond: { symbol: 'diamond', svg: 'M5,0L10,5L5,10L0,5Z', size: 12 },
  triangle: { symbol: 'triangle', svg: 'M5,0L10,10L0,10Z', size: 11 },
  triangleDown: { symbol: 'triangle', rotate: 180, svg: 'M0,0L10,0L5,10Z', size: 11 },
  square: { symbol: 'rect', svg: 'M1,1H9V9H1Z', size: 9 },
  hollowSquare: { symbol: 'emptyRect', svg: 'M1.5,1.5H8.5V8.5H1.5Z', hollow: true, size: 9 },
  hollowCircle: { symbol: 'emptyCircle', svg: 'M5,1A4,4 0 1 1 4.99,1Z', hollow: true },
  hollowDiamond: { symbol: 'emptyDiamond', svg: 'M5,1L9,5L5,9L1,5Z', hollow: true, size: 12 },
  hollowTriangle: { symbol: 'emptyTriangle', svg: 'M5,1.5L9,9H1Z', hollow: true, size: 11 },
  bar: { symbol: 'rect', svg: 'M3.5,0H6.5V10H3.5Z', size: [3, 16] },
  roundSquare: { symbol: 'roundRect', svg: 'M3,1H7A2,2 0 0 1 9,3V7A2,2 0 0 1 7,9H3A2,2 0 0 1 1,7V3A2,2 0 0 1 3,1Z', size: 10 },
  arrow: { symbol: `path://${ARROW}`, svg: ARROW, size: 10 },
};

export interface MarkerCategory {
  id: string;
  label: string;
  shape: Shape;
  color: ColorKey;
  /** One line for the legend's tooltip. */
  help: string;
}

export const MARKER_CATEGORIES: readonly MarkerCategory[] = [
  { id: 'requestOk', label: 'Token request', shape: 'circle', color: 'green', help: 'TokenRequest succeeded' },
  { id: 'requestFailed', label: 'Request failed', shape: 'cross', color: 'red', help: 'TokenRequest failed (outage, error, rejected spec)' },
  { id: 'written', label: 'Written to pod', shape: 'diamond', color: 'blue', help: "A new token reached the pod's file" },
  { id: 'stale', label: 'Stale serve', shape: 'triangle', color: 'orange', help: 'Refresh failed; the old, still valid token was kept' },
  { id: 'expired', label: 'Expired', shape: 'square', color: 'red', help: "The token in the pod's file is past its expiry" },
  { id: 'rejected', label: 'Rejected / 401', shape: 'triangleDown', color: 'purple', help: 'A consumer rejected the credential (401, key dropped)' },
  { id: 'syncFailed', label: 'Sync failed', shape: 'hollowTriangle', color: 'orange', help: 'A pod sync could not fetch the token and was re-queued' },
  { id: 'cacheHit', label: 'Cache hit', shape: 'hollowCircle', color: 'green', help: 'Served from the cache' },
  { id: 'cacheMiss', label: 'Cache miss', shape: 'hollowDiamond', color: 'orange', help: 'Not in the cache (or expired there)' },
  { id: 'pluginRun', label: 'Plugin run', shape: 'roundSquare', color: 'purple', help: 'A credential / exec plugin was run' },
  { id: 'outage', label: 'Outage start / end', shape: 'bar', color: 'red', help: 'An API-server or signer outage began or ended' },
  { id: 'keys', label: 'Key rotation / sync', shape: 'arrow', color: 'purple', help: 'Signing keys rotated or re-synced' },
  { id: 'lifecycle', label: 'Deleted / cleanup', shape: 'hollowSquare', color: 'muted', help: 'Pod deleted, cache cleanup' },
  { id: 'other', label: 'Other', shape: 'hollowCircle', color: 'muted', help: 'Event types this view does not know yet' },
];

const BY_TYPE: Readonly<Record<string, string>> = {
  tokenWritten: 'written',
  tokenServedStale: 'stale',
  tokenExpired: 'expired',
  tokenRejected: 'rejected',
  syncFailed: 'syncFailed',
  podDeleted: 'lifecycle',
  cacheCleanup: 'lifecycle',
  outageStart: 'outage',
  outageEnd: 'outage',
  keyRotated: 'keys',
  keySync: 'keys',
};

/** The category id of an event. Event types this code does not name are matched by words in the type. */
export function categoryOf(ev: Pick<TraceEvent, 'type' | 'ok'>): string {
  if (ev.type === 'tokenRequest') return ev.ok === false ? 'requestFailed' : 'requestOk';
  const known = BY_TYPE[ev.type];
  if (known) return known;
  const t = ev.type.toLowerCase();
  if (t.includes('401') || t.includes('unauthori') || t.includes('reject')) return 'rejected';
  if (t.includes('hit')) return 'cacheHit';
  if (t.includes('miss')) return 'cacheMiss';
  if (t.includes('plugin') || t.includes('exec')) return 'pluginRun';
  if (t.includes('stale')) return 'stale';
  if (t.includes('expir')) return 'expired';
  if (t.includes('outage')) return 'outage';
  if (t.includes('key')) return 'keys';
  if (t.includes('request')) return ev.ok === false ? 'requestFailed' : 'requestOk';
  if (ev.ok === false || t.includes('fail') || t.includes('error')) return 'requestFailed';
  return 'other';
}

export interface SpanStyle {
  id: string;
  label: string;
  color: ColorKey;
  /** Fill opacity of the band. */
  alpha: number;
  help: string;
}

export const SPAN_STYLES: readonly SpanStyle[] = [
  { id: 'validity', label: 'Token validity', color: 'blue', alpha: 0.32, help: 'Issue → reported expiry, as the client sees it' },
  { id: 'refreshWindow', label: 'Refresh window', color: 'yellow', alpha: 0.55, help: 'Where the kubelet may refresh (threshold minus jitter)' },
  { id: 'outage', label: 'Outage', color: 'red', alpha: 0.4, help: 'API server / signer unavailable' },
  { id: 'cacheEntry', label: 'Cache entry', color: 'green', alpha: 0.35, help: "A cache entry's lifetime" },
  { id: 'otherSpan', label: 'Other span', color: 'muted', alpha: 0.3, help: 'Span kinds this view does not know yet' },
];

export function spanStyleOf(kind: string): string {
  return SPAN_STYLES.some((s) => s.id === kind) && kind !== 'otherSpan' ? kind : 'otherSpan';
}

/** Human label of an event, e.g. "Token request failed". */
export function eventLabel(ev: Pick<TraceEvent, 'type' | 'ok'>): string {
  switch (ev.type) {
    case 'tokenRequest':
      return ev.ok === false ? 'Token request failed' : 'Token request';
    case 'tokenWritten':
      return "Token written to the pod's file";
    case 'tokenServedStale':
      return 'Stale token served';
    case 'tokenExpired':
      return 'Token expired';
    case 'tokenRejected':
      return 'Token rejected';
    case 'podDeleted':
      return 'Pod deleted';
    case 'cacheCleanup':
      return 'Cache cleanup';
    case 'outageStart':
      return 'Outage started';
    case 'outageEnd':
      return 'Outage ended';
    case 'keyRotated':
      return 'Signing key rotated';
    case 'keySync':
      return 'Signer keys synced';
    case 'syncFailed':
      return 'Pod sync failed';
    default: {
      const words = (ev.type as string).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
      const label = words.charAt(0).toUpperCase() + words.slice(1);
      return ev.ok === false ? `${label} (failed)` : label;
    }
  }
}

export const LANE_KIND_LABEL: Readonly<Record<string, string>> = {
  token: 'Token',
  apiServer: 'API server',
  signer: 'Signer',
  refresher: 'Refresher',
  cacheKey: 'Cache key',
  kubeconfigUser: 'Kubeconfig user',
};

/** Aggregate series display names and colours (unknown names get a humanised label). */
export const SERIES_STYLES: Readonly<Record<string, { label: string; color: ColorKey; kind: 'bar' | 'line' }>> = {
  tokenRequests: { label: 'Token requests', color: 'blue', kind: 'bar' },
  tokenRequestFailures: { label: 'Request failures', color: 'red', kind: 'bar' },
  expiredTokens: { label: 'Expired tokens', color: 'orange', kind: 'line' },
  staleServes: { label: 'Stale serves', color: 'yellow', kind: 'line' },
};
