/**
 * How trace items look: each event maps to one marker category (shape + colour + legend entry), each
 * span kind to a band style. Unknown event types and span kinds (the model may grow) fall back to
 * a generic category by name, then to "Other", so a new type never breaks the chart. Pure.
 */
import type { TraceEvent } from '../src/sim/trace';

export type ColorKey = 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple' | 'foreground' | 'muted';

/**
 * Marker shapes as polygons in a 10×10 box, drawn by the chart's own marker shape (chartView.ts: one
 * canvas path per lane and category) and, as SVG, by the HTML legend and details panel.
 */
export type Shape = 'circle' | 'cross' | 'diamond' | 'triangle' | 'triangleDown' | 'square' | 'hollowSquare' | 'hollowCircle' | 'hollowDiamond' | 'hollowTriangle' | 'bar' | 'plus' | 'arrow';

type Pt = readonly [number, number];

function polygon(n: number, r: number): Pt[] {
  return Array.from({ length: n }, (_, i) => [5 + r * Math.cos((2 * Math.PI * i) / n), 5 + r * Math.sin((2 * Math.PI * i) / n)] as const);
}

const CIRCLE = polygon(14, 5);
const CROSS: Pt[] = [[2, 0], [5, 3], [8, 0], [10, 2], [7, 5], [10, 8], [8, 10], [5, 7], [2, 10], [0, 8], [3, 5], [0, 2]];
const DIAMOND: Pt[] = [[5, 0], [10, 5], [5, 10], [0, 5]];
const TRIANGLE: Pt[] = [[5, 0], [10, 10], [0, 10]];
const SQUARE: Pt[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
const PLUS: Pt[] = [[3.5, 0], [6.5, 0], [6.5, 3.5], [10, 3.5], [10, 6.5], [6.5, 6.5], [6.5, 10], [3.5, 10], [3.5, 6.5], [0, 6.5], [0, 3.5], [3.5, 3.5]];
const ARROW: Pt[] = [[5, 0], [10, 10], [5, 7.5], [0, 10]];

export interface ShapeDef {
  points: readonly Pt[];
  /** Width and height on the chart, px. */
  size: readonly [number, number];
  /** Outline in the category colour, filled with the background. */
  hollow?: boolean;
  /** A circle: drawn with one arc instead of the polygon. */
  round?: boolean;
}

export const SHAPES: Readonly<Record<Shape, ShapeDef>> = {
  circle: { points: CIRCLE, size: [9, 9], round: true },
  cross: { points: CROSS, size: [10, 10] },
  diamond: { points: DIAMOND, size: [11, 11] },
  triangle: { points: TRIANGLE, size: [11, 10] },
  triangleDown: { points: TRIANGLE.map(([x, y]) => [x, 10 - y] as const), size: [11, 10] },
  square: { points: SQUARE, size: [8, 8] },
  hollowSquare: { points: SQUARE, size: [8, 8], hollow: true },
  hollowCircle: { points: CIRCLE, size: [9, 9], hollow: true, round: true },
  hollowDiamond: { points: DIAMOND, size: [11, 11], hollow: true },
  hollowTriangle: { points: TRIANGLE, size: [11, 10], hollow: true },
  bar: { points: SQUARE, size: [3, 16] },
  plus: { points: PLUS, size: [10, 10] },
  arrow: { points: ARROW, size: [10, 10] },
};

/** SVG path data of a shape in its 10×10 box (hollow shapes inset for the stroke). */
export function shapeSvg(shape: ShapeDef): string {
  const [w, h] = shape.size;
  const sx = w / Math.max(w, h);
  const sy = h / Math.max(w, h);
  const inset = shape.hollow ? 0.8 : 1;
  const pts = shape.points.map(([x, y]) => [5 + (x - 5) * sx * inset, 5 + (y - 5) * sy * inset] as const);
  return `M${pts.map(([x, y]) => `${+x.toFixed(2)},${+y.toFixed(2)}`).join('L')}Z`;
}

/**
 * The shape as offsets (flat x, y pairs) around a marker's centre, in px. Hollow outlines repeat the
 * first vertex instead of closing the path: see the marker shape in chartView.ts.
 */
export function shapeTemplate(shape: ShapeDef): number[] {
  const [w, h] = shape.size;
  const out: number[] = [];
  for (const [x, y] of shape.points) out.push((x / 10 - 0.5) * w, (y / 10 - 0.5) * h);
  if (shape.hollow) out.push(out[0] as number, out[1] as number);
  return out;
}

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
}

export const MARKER_CATEGORIES: readonly MarkerCategory[] = [
  { id: 'requestOk', label: 'Token request', shape: 'circle', color: 'green', help: 'TokenRequest succeeded', dy: -5 },
  { id: 'requestFailed', label: 'Request failed', shape: 'cross', color: 'red', help: 'TokenRequest failed (outage, error, rejected spec)', dy: -5 },
  { id: 'written', label: 'Written to pod', shape: 'diamond', color: 'blue', help: "A new token reached the pod's file", dy: 5 },
  { id: 'stale', label: 'Stale serve', shape: 'triangle', color: 'orange', help: 'Refresh failed; the old, still valid token was kept', dy: 5 },
  { id: 'expired', label: 'Expired', shape: 'square', color: 'red', help: "The token in the pod's file is past its expiry", dy: 5 },
  { id: 'rejected', label: 'Rejected / 401', shape: 'triangleDown', color: 'purple', help: 'A consumer rejected the credential (401, key dropped)', dy: 5 },
  { id: 'syncFailed', label: 'Sync failed', shape: 'hollowTriangle', color: 'orange', help: 'A pod sync could not fetch the token and was re-queued', dy: 5 },
  { id: 'cacheHit', label: 'Cache hit', shape: 'hollowCircle', color: 'green', help: 'Served from the cache', dy: -5 },
  { id: 'cacheMiss', label: 'Cache miss', shape: 'hollowDiamond', color: 'orange', help: 'Not in the cache (or expired there)', dy: -5 },
  { id: 'pluginRun', label: 'Plugin run', shape: 'plus', color: 'purple', help: 'A credential / exec plugin was run', dy: -5 },
  { id: 'outage', label: 'Outage start / end', shape: 'bar', color: 'red', help: 'An API-server or signer outage began or ended', dy: 0 },
  { id: 'keys', label: 'Key rotation / sync', shape: 'arrow', color: 'purple', help: 'Signing keys rotated or re-synced', dy: 0 },
  { id: 'lifecycle', label: 'Deleted / cleanup', shape: 'hollowSquare', color: 'muted', help: 'Pod deleted, cache cleanup', dy: 0 },
  { id: 'other', label: 'Other', shape: 'hollowCircle', color: 'muted', help: 'Event types this view does not know yet', dy: 0 },
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
