/**
 * How markers are drawn: the geometry of the vocabulary's shape names. Which category, label and
 * style each trace item has comes from the presentation registry (src/sim/presentations.ts),
 * re-exported here for the views. Pure.
 */
import type { Shape, SpanStyle } from '../src/sim/presentation';

export type { ColorKey, MarkerCategory, Shape, SpanLayout, SpanStyle } from '../src/sim/presentation';
export { categoryOf, eventLabel, laneKindStyle, markerCategory, MARKER_CATEGORIES, seriesStyle, spanStyle, SPAN_STYLES } from '../src/sim/presentations';

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

/**
 * What a legend entry looks like besides its colour: a marker's shape, a span's band (drawn by layout:
 * a lifetime bar, a band inset in a lifetime, a full-height band, a hatched derived gap) or a series'
 * bar / line. No two legend entries of any registry share (colour, glyph): test/browser/lanes.test.ts.
 */
export type LegendGlyph = `marker:${Shape}` | 'band:lifetime' | 'band:inset' | 'band:full' | 'band:hatched' | 'series:bar' | 'series:line';

export function spanGlyph(style: Pick<SpanStyle, 'layout' | 'gapsOf'>): LegendGlyph {
  if (style.gapsOf) return 'band:hatched';
  return style.layout === 'withinLifetime' ? 'band:inset' : style.layout === 'band' ? 'band:full' : 'band:lifetime';
}
