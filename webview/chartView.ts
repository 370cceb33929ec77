/**
 * The ECharts canvas: aggregate series on top, swimlanes below, sharing one time axis.
 * - Spans (validity, refresh window, outage, cache entry) are custom series; markers are one scatter
 *   series per category (large mode); outage windows also shade both grids.
 * - Pan/zoom: dataZoom inside (wheel, drag) + slider on x; lanes are virtualised with a vertical slider
 *   dataZoom (filterMode 'filter', window locked to the rows that fit), so only visible lanes render.
 * - The "now" cursor, selection ring and focused-lane outline are zrender elements on their own canvas
 *   layer (zlevel 1): moving them while the clock plays repaints only that layer.
 * - Tooltips are ours (see tooltip.ts), so no ECharts tooltip component and no inline style attributes.
 * Only what is used is imported from echarts/* to keep the bundle small: legend toggling empties the
 *   hidden layers' data, and the PNG export draws its title and legend as zrender elements, so neither
 *   the ECharts legend nor the title component is bundled (about 20 KB).
 */
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import type { BarSeriesOption, CustomSeriesOption, LineSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  MarkAreaComponent,
} from 'echarts/components';
import type {
  AriaComponentOption,
  DataZoomComponentOption,
  GridComponentOption,
  MarkAreaComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import { categoryOf, eventLabel, laneKindStyle, markerCategory, seriesStyle, SHAPES, shapeSvg, shapeTemplate, spanGlyph, spanStyle, SPAN_STYLES, type ColorKey, type LegendGlyph, type MarkerCategory, type SpanLayout } from './categories';
import { formatClock, formatCount, formatOffset, formatSpan, formatTime, humanize } from './format';
import { laneName } from './laneNames';
import { lowerBound, upperBound, type TraceModel } from './model';
import { withAlpha, type Palette } from './theme';
import type { Tooltip, TooltipContent } from './tooltip';
import { plainRuleText } from '../src/sim/ruleText';

echarts.use([
  BarChart,
  CustomChart,
  LineChart,
  AriaComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  MarkAreaComponent,
  CanvasRenderer,
]);

interface MarkersShape {
  /** Marker centres, flat x, y pairs (px). */
  points: number[];
  /** The shape's outline as offsets from a centre, flat x, y pairs (px). */
  template: number[];
  /** > 0: draw circles of this radius instead of the template. */
  radius: number;
}

/**
 * Many markers of one shape as one canvas path. Sub-paths are deliberately not closed: Chromium's
 * CanvasRenderingContext2D.closePath() takes time proportional to the path built so far, so closing
 * each of n markers costs O(n²) (2,000 closed crosses: ~40 ms; open: ~1 ms). fill() closes each
 * sub-path implicitly, and so does zrender's hit test; hollow outlines repeat their first vertex.
 */
const MarkersPath = echarts.graphic.extendShape({
  type: 'ktlMarkers',
  shape: { points: [], template: [], radius: 0 } as MarkersShape,
  buildPath(ctx: CanvasRenderingContext2D, shape: MarkersShape) {
    const { points, template, radius } = shape;
    for (let i = 0; i + 1 < points.length; i += 2) {
      const x = points[i] as number;
      const y = points[i + 1] as number;
      if (radius > 0) {
        ctx.moveTo(x + radius, y);
        ctx.arc(x, y, radius, 0, Math.PI * 2);
        continue;
      }
      ctx.moveTo(x + (template[0] as number), y + (template[1] as number));
      for (let j = 2; j + 1 < template.length; j += 2) ctx.lineTo(x + (template[j] as number), y + (template[j + 1] as number));
    }
  },
});
echarts.graphic.registerShape('ktlMarkers', MarkersPath);

/** Many rectangles as one path (ctx.rect is linear, unlike closePath). */
const BandsPath = echarts.graphic.extendShape({
  type: 'ktlBands',
  shape: { rects: [] as number[] },
  buildPath(ctx: CanvasRenderingContext2D, shape: { rects: number[] }) {
    const r = shape.rects;
    for (let i = 0; i + 3 < r.length; i += 4) ctx.rect(r[i] as number, r[i + 1] as number, r[i + 2] as number, r[i + 3] as number);
  },
});
echarts.graphic.registerShape('ktlBands', BandsPath);

type Option = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | CustomSeriesOption
  | GridComponentOption
  | DataZoomComponentOption
  | MarkAreaComponentOption
  | AriaComponentOption
>;

/** Height of one lane row, px (the lane table uses the same). */
export const ROW_HEIGHT = 28;

export interface Layout {
  width: number;
  height: number;
  left: number;
  right: number;
  /** Top of the aggregate grid (the cursor label sits above it). */
  aggTop: number;
  aggHeight: number;
  lanesTop: number;
  lanesHeight: number;
  rowHeight: number;
  /** Lanes that fit (the y window size). */
  visibleLanes: number;
  sliderTop: number;
}

export function computeLayout(width: number, height: number, laneCount: number, hasSeries: boolean, exporting = false): Layout {
  const left = exporting ? 180 : 14;
  const right = 56;
  const aggTop = exporting ? 70 : 26;
  const aggHeight = hasSeries ? 84 : 0;
  // Without aggregate series, keep room beside the chart for the lane table's "at the cursor" summary.
  const lanesTop = hasSeries ? aggTop + aggHeight + 30 : Math.max(aggTop + 24, 110);
  const sliderH = 20;
  const avail = Math.max(ROW_HEIGHT, height - lanesTop - 14 - sliderH - 8);
  const visibleLanes = Math.max(1, Math.min(Math.max(laneCount, 1), Math.floor(avail / ROW_HEIGHT)));
  const lanesHeight = visibleLanes * ROW_HEIGHT;
  return { width, height, left, right, aggTop, aggHeight, lanesTop, lanesHeight, rowHeight: ROW_HEIGHT, visibleLanes, sliderTop: lanesTop + lanesHeight + 14 };
}

export type Selection = { kind: 'event'; index: number } | { kind: 'span'; index: number };

export interface ViewWindow {
  /** Visible time window. */
  x: [number, number];
  laneOffset: number;
  now: number;
  /** Legend names switched off. */
  hidden: ReadonlySet<string>;
}

export interface ChartCallbacks {
  /** The user zoomed or panned the time axis (wheel, drag, slider). */
  onZoom(x: [number, number]): void;
  /** The user scrolled lanes with the vertical slider or shift+wheel. */
  onLaneScroll(offset: number): void;
  /** The user dragged the "now" cursor. */
  onCursorDrag(t: number): void;
  /** The user clicked a marker or span. */
  onSelect(selection: Selection): void;
  /** The user clicked the chart away from any marker or span: move the "now" cursor there. */
  onTimeClick(t: number): void;
  /** The chart finished rendering a new trace. */
  onPainted(): void;
}

/** A legend entry: what the HTML legend shows and toggles. */
export interface LegendEntry {
  name: string;
  kind: 'marker' | 'span' | 'series';
  /** Shape / band / bar look: with the colour, unique per entry. */
  glyph: LegendGlyph;
  color: string;
  /** SVG path (10×10 box) for markers; undefined for bands/lines. */
  shape?: string;
  hollow?: boolean;
  help: string;
  count: number;
}

interface DataZoomPayload {
  dataZoomId?: string;
  start?: number;
  end?: number;
  startValue?: number;
  endValue?: number;
  batch?: DataZoomPayload[];
}

const X_INSIDE = 'xInside';
const X_SLIDER = 'xSlider';
const Y_SLIDER = 'ySlider';

export class ChartView {
  readonly chart: echarts.EChartsType;
  private model: TraceModel | undefined;
  private palette: Palette;
  private view: ViewWindow;
  private lay: Layout;
  private readonly zr: ReturnType<echarts.EChartsType['getZr']>;
  private readonly cursor: InstanceType<typeof echarts.graphic.Group>;
  private readonly cursorLine: InstanceType<typeof echarts.graphic.Line>;
  private readonly cursorLabel: InstanceType<typeof echarts.graphic.Text>;
  private readonly cursorHit: InstanceType<typeof echarts.graphic.Rect>;
  private readonly ring: InstanceType<typeof echarts.graphic.Circle>;
  private readonly activeRing: InstanceType<typeof echarts.graphic.Circle>;
  private readonly laneOutline: InstanceType<typeof echarts.graphic.Rect>;
  private selection: Selection | undefined;
  private active: number | undefined;
  private focusLane: number | undefined;
  private paintPending = false;
  private clickSelected = false;
  private spanColors = new Map<string, { fill: string | HatchPattern; inner: string; stroke: string; lineWidth: number }>();

  constructor(
    private readonly dom: HTMLElement,
    private readonly tooltip: Tooltip,
    private readonly cb: ChartCallbacks,
    palette: Palette,
  ) {
    this.palette = palette;
    this.chart = echarts.init(dom, undefined, { renderer: 'canvas' });
    this.zr = this.chart.getZr();
    this.lay = computeLayout(dom.clientWidth, dom.clientHeight, 0, false);
    this.view = { x: [0, 1], laneOffset: 0, now: 0, hidden: new Set() };

    const G = echarts.graphic;
    this.cursorLine = new G.Line({ shape: { x1: 0, y1: 0, x2: 0, y2: 0 }, style: { lineWidth: 1.5 }, silent: true, zlevel: 1, z: 10 });
    this.cursorHit = new G.Rect({ shape: { x: -6, y: 0, width: 12, height: 0 }, style: { fill: 'rgba(0,0,0,0)' }, cursor: 'ew-resize', zlevel: 1, z: 10 });
    this.cursorLabel = new G.Text({ style: { text: '', align: 'center', verticalAlign: 'top', padding: [3, 6], borderRadius: 3, fontSize: 11 }, cursor: 'ew-resize', zlevel: 1, z: 11 });
    this.cursor = new G.Group();
    this.cursor.add(this.cursorLine);
    this.cursor.add(this.cursorHit);
    this.cursor.add(this.cursorLabel);
    this.cursor.draggable = true;
    this.cursor.on('drag', () => this.onCursorDragged());
    this.ring = new G.Circle({ shape: { cx: 0, cy: 0, r: 10 }, style: { fill: 'none', lineWidth: 2 }, silent: true, zlevel: 1, z: 5, ignore: true });
    this.activeRing = new G.Circle({ shape: { cx: 0, cy: 0, r: 13 }, style: { fill: 'none', lineWidth: 1.5, lineDash: [3, 3] }, silent: true, zlevel: 1, z: 5, ignore: true });
    this.laneOutline = new G.Rect({ shape: { x: 0, y: 0, width: 0, height: 0 }, style: { lineWidth: 1 }, silent: true, zlevel: 1, z: 1, ignore: true });

    this.chart.on('datazoom', (p) => this.onDataZoom(p as DataZoomPayload));
    this.chart.on('finished', () => {
      if (!this.paintPending) return;
      this.paintPending = false;
      this.cb.onPainted();
    });
    this.chart.on('click', (p) => {
      const sel = this.selectionFromParams(p);
      if (sel) {
        // A marker is a point: clicking it selects it. Spans cover most of a lane, so clicking one also
        // moves the cursor (below), or clicking a lane would rarely move it.
        this.clickSelected = sel.kind === 'event';
        this.cb.onSelect(sel);
      }
    });
    // zrender reports a click only when the pointer did not move between down and up, so a drag (pan,
    // cursor drag) never lands here. ECharts' own click handler (above) runs first for the same click.
    this.zr.on('click', (e: { offsetX: number; offsetY: number }) => {
      const selected = this.clickSelected;
      this.clickSelected = false;
      const t = this.timeAtPoint(e.offsetX, e.offsetY);
      if (!selected && t !== undefined) this.cb.onTimeClick(t);
    });
    this.chart.on('mousemove', (p) => this.onHover(p));
    this.chart.on('mouseout', () => this.tooltip.hide());
    this.chart.on('globalout', () => this.tooltip.hide());
    // Shift+wheel scrolls lanes (plain wheel zooms time): intercept before zrender sees it.
    dom.addEventListener(
      'wheel',
      (e) => {
        if (!e.shiftKey || !this.model) return;
        e.preventDefault();
        e.stopPropagation();
        const delta = Math.abs(e.deltaY) >= Math.abs(e.deltaX) ? e.deltaY : e.deltaX;
        this.cb.onLaneScroll(this.view.laneOffset + Math.sign(delta) * Math.max(1, Math.round(Math.abs(delta) / ROW_HEIGHT)));
      },
      { capture: true, passive: false },
    );
  }

  get layout(): Layout {
    return this.lay;
  }

  get xWindow(): [number, number] {
    return this.view.x;
  }

  /** Renders a new trace (all data), with the given view window. */
  setTrace(model: TraceModel, view: ViewWindow): void {
    // The chart was made while its element was hidden (no trace yet): take the element's size now,
    // before there is an option to render, rather than render once here and again on the resize event.
    if (!this.model && this.sizeChanged()) this.chart.resize();
    this.model = model;
    this.view = { ...view, hidden: new Set(view.hidden) };
    this.selection = undefined;
    this.active = undefined;
    this.focusLane = undefined;
    this.lay = this.computeLayout();
    this.view.laneOffset = this.clampOffset(this.view.laneOffset);
    this.updateSpanColors();
    this.paintPending = true;
    this.chart.setOption(this.buildOption(true), { notMerge: true, lazyUpdate: false });
    for (const el of [this.laneOutline, this.ring, this.activeRing, this.cursor]) {
      this.zr.remove(el);
      this.zr.add(el);
    }
    this.placeOverlays();
  }

  /** New theme colours: re-style everything (data stays). */
  setPalette(palette: Palette): void {
    this.palette = palette;
    this.updateSpanColors();
    if (this.model) this.chart.setOption(this.buildOption(false));
    this.placeOverlays();
  }

  /** The container changed size: re-layout; returns the new layout. */
  resize(): Layout {
    // A resize event for the size already laid out (e.g. the chart element shown for the first trace) costs nothing.
    if (!this.sizeChanged()) return this.lay;
    this.chart.resize();
    if (!this.model) return this.lay;
    this.lay = this.computeLayout();
    this.view.laneOffset = this.clampOffset(this.view.laneOffset);
    this.chart.setOption(this.buildOption(false));
    this.placeOverlays();
    return this.lay;
  }

  setNow(t: number): void {
    this.view.now = t;
    this.placeCursor();
  }

  /** Programmatic zoom/pan of the time axis (not reported back through onZoom). */
  setXWindow(from: number, to: number): void {
    if (!this.model) return;
    this.view.x = [from, to];
    this.chart.dispatchAction({ type: 'dataZoom', dataZoomId: X_INSIDE, startValue: from, endValue: to }, { silent: true });
    this.placeOverlays();
  }

  /** Programmatic lane scroll; returns the clamped offset. */
  setLaneOffset(offset: number): number {
    const o = this.clampOffset(offset);
    if (!this.model || o === this.view.laneOffset) return o;
    this.view.laneOffset = o;
    this.chart.dispatchAction({ type: 'dataZoom', dataZoomId: Y_SLIDER, startValue: o, endValue: o + this.lay.visibleLanes - 1 }, { silent: true });
    this.placeOverlays();
    return o;
  }

  setHidden(hidden: ReadonlySet<string>): void {
    this.view.hidden = new Set(hidden);
    // A hidden layer's series keeps its id and loses its data (the ECharts legend is not bundled).
    if (this.model) this.chart.setOption(this.buildOption(true));
  }

  setSelection(sel: Selection | undefined): void {
    this.selection = sel;
    this.placeOverlays();
  }

  /** The keyboard's current event (dashed ring), distinct from the selection. */
  setActive(eventIndex: number | undefined): void {
    this.active = eventIndex;
    this.placeOverlays();
  }

  setFocusLane(lane: number | undefined): void {
    this.focusLane = lane;
    this.placeOverlays();
  }

  /** The legend entries of the current trace, for the HTML legend. */
  legendEntries(): LegendEntry[] {
    const m = this.model;
    if (!m) return [];
    const out: LegendEntry[] = [];
    for (const s of m.series) {
      const style = seriesStyle(s.name);
      out.push({ name: style.label, kind: 'series', glyph: `series:${style.kind}`, color: this.color(style.color), help: `Aggregate per ${formatSpan(s.intervalMs)} over all lanes`, count: s.values.length });
    }
    for (const [id, count] of m.spanCounts) {
      const style = spanStyle(id);
      out.push({ name: style.label, kind: 'span', glyph: spanGlyph(style), color: this.color(style.color), help: style.help, count });
    }
    for (const [id, data] of m.markers) {
      const cat = markerCategory(id);
      const shape = SHAPES[cat.shape];
      out.push({ name: cat.label, kind: 'marker', glyph: `marker:${cat.shape}`, color: this.color(cat.color), shape: shapeSvg(shape), hollow: shape.hollow ?? false, help: cat.help, count: data });
    }
    return out;
  }

  /** A PNG of the chart with lane labels, title and legend drawn in (the HTML parts are not in the canvas). */
  exportPng(title: string): string {
    const m = this.model;
    if (!m) throw new Error('no trace to export');
    const saved = this.lay;
    // Same lanes as on screen, with room for the lane labels, a title and (below) the legend; the
    // canvas is cropped to the content. All of this happens before the next paint, so nothing flickers.
    const base = computeLayout(saved.width, 100_000, m.lanes.length, m.series.length > 0, true);
    const lanesHeight = saved.visibleLanes * saved.rowHeight;
    const legendWidth = this.legendEntries().reduce((w, e) => w + 34 + e.name.length * 7, 0);
    const legendRows = Math.max(1, Math.ceil(legendWidth / Math.max(200, saved.width - 28)));
    const height = base.lanesTop + lanesHeight + 24 + legendRows * 24 + 12;
    this.lay = { ...base, height, lanesHeight, visibleLanes: saved.visibleLanes, sliderTop: base.lanesTop + lanesHeight + 14 };
    this.chart.resize({ height });
    this.chart.setOption(this.buildOption(false, title));
    this.placeOverlays();
    const decorations = this.exportDecorations(title);
    for (const d of decorations) this.zr.add(d);
    try {
      return this.chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: this.palette.background, excludeComponents: ['dataZoom'] });
    } finally {
      for (const d of decorations) this.zr.remove(d);
      this.lay = saved;
      this.chart.resize({ height: 'auto' });
      this.chart.setOption(this.buildOption(false));
      this.placeOverlays();
    }
  }

  dispose(): void {
    this.chart.dispose();
  }

  // ------------------------------------------------------------------------------------------

  private sizeChanged(): boolean {
    return this.chart.getWidth() !== this.dom.clientWidth || this.chart.getHeight() !== this.dom.clientHeight || this.lay.width !== this.dom.clientWidth || this.lay.height !== this.dom.clientHeight;
  }

  private computeLayout(exporting = false): Layout {
    const m = this.model;
    return computeLayout(this.dom.clientWidth, this.dom.clientHeight, m?.lanes.length ?? 0, (m?.series.length ?? 0) > 0, exporting);
  }

  private clampOffset(offset: number): number {
    const n = this.model?.lanes.length ?? 0;
    return Math.max(0, Math.min(Math.round(offset), Math.max(0, n - this.lay.visibleLanes)));
  }

  private color(key: ColorKey): string {
    return this.palette.colors[key];
  }

  private updateSpanColors(): void {
    const p = this.palette;
    const hc = p.contrastBorder !== '';
    this.spanColors = new Map(
      SPAN_STYLES.map((s) => {
        const c = this.color(s.color);
        const fill = withAlpha(c, hc ? Math.min(1, s.alpha + 0.15) : s.alpha);
        // Derived gaps (expired periods) are hatched, so they never read as an outage of the same colour.
        return [s.id, { fill: s.gapsOf ? hatch(fill, withAlpha(c, 0.95)) : fill, inner: withAlpha(c, 0.9), stroke: hc ? p.contrastBorder : withAlpha(c, 0.85), lineWidth: hc ? 1.5 : 1 }];
      }),
    );
  }

  /** Whether the legend entry `name` is switched on. */
  private shown(name: string): boolean {
    return !this.view.hidden.has(name);
  }

  /**
   * The export's title, time range and legend as zrender elements placed around the lanes (the HTML
   * header and legend are not part of the canvas). Removed again after the PNG is taken.
   */
  private exportDecorations(title: string): Array<InstanceType<typeof echarts.graphic.Group>> {
    const G = echarts.graphic;
    const p = this.palette;
    const L = this.lay;
    const head = new G.Group();
    head.add(new G.Text({ x: 10, y: 8, style: { text: title, fill: p.foreground, fontFamily: p.fontFamily, fontSize: 14, fontWeight: 600 } }));
    head.add(
      new G.Text({
        x: 10,
        y: 30,
        style: { text: `${formatTime(this.view.x[0])} → ${formatTime(this.view.x[1])} · cursor ${formatTime(this.view.now)}`, fill: p.muted, fontFamily: p.fontFamily, fontSize: 11 },
      }),
    );
    const legend = new G.Group();
    let x = 14;
    let y = L.lanesTop + L.lanesHeight + 20;
    for (const e of this.legendEntries()) {
      const on = this.shown(e.name);
      const color = on ? e.color : withAlpha(p.muted, 0.5);
      const label = new G.Text({ style: { text: e.name, fill: on ? p.foreground : color, fontFamily: p.fontFamily, fontSize: 11, verticalAlign: 'middle' } });
      const width = 20 + label.getBoundingRect().width;
      if (x + width > L.width - 14 && x > 14) {
        x = 14;
        y += 24;
      }
      const icon =
        e.kind === 'marker' && e.shape
          ? G.makePath(e.shape, { style: e.hollow ? { fill: p.background, stroke: color, lineWidth: 1.4 } : { fill: color } }, { x, y: y - 5, width: 10, height: 10 }, 'center')
          : new G.Rect({ shape: { x, y: y - 5, width: 14, height: e.kind === 'series' ? 4 : 10, r: 2 }, style: { fill: color } });
      label.attr({ x: x + 18, y });
      legend.add(icon);
      legend.add(label);
      x += width + 12;
    }
    return [head, legend];
  }

  /** The whole option; without data (`withData` false) it only re-styles / re-lays out. */
  private buildOption(withData: boolean, exportTitle?: string): Option {
    const m = this.model as TraceModel;
    const p = this.palette;
    const L = this.lay;
    const exporting = exportTitle !== undefined;
    const hasSeries = m.series.length > 0;
    const [from, to] = this.view.x;
    const minSpan = Math.min(1000, Math.max(1, m.end - m.start));
    const axisMax = m.end > m.start ? m.end : m.start + 1000;
    const text = { color: p.foreground, fontFamily: p.fontFamily, fontSize: 11 };
    const splitLine = { show: true, lineStyle: { color: withAlpha(p.lines, 0.18), width: 1 } };
    const lanesGridHeight = L.lanesHeight;

    const series: NonNullable<Option['series']> = [];
    // Backdrop spans (outages) shade every lane and the aggregate strip: they affect them all.
    const backdrop = (id: string, windows: Array<[number, number]>, gridIndex: 0 | 1): LineSeriesOption => ({
      id: `bg:${id}:${gridIndex}`,
      type: 'line',
      xAxisIndex: gridIndex,
      yAxisIndex: gridIndex,
      silent: true,
      ...(withData ? { data: [] } : {}),
      markArea: {
        silent: true,
        itemStyle: { color: withAlpha(this.color(spanStyle(id).color), p.contrastBorder ? 0.22 : 0.09) },
        data: this.shown(spanStyle(id).label) ? windows.map(([s, e]) => [{ xAxis: s }, { xAxis: e }]) : [],
      },
      z: 0,
    });
    for (const [id, windows] of m.backdrops) series.push(backdrop(id, windows, 0), backdrop(id, windows, 1));

    for (const s of m.series) {
      const style = seriesStyle(s.name);
      const color = this.color(style.color);
      const base = {
        id: `agg:${s.name}`,
        name: style.label,
        xAxisIndex: 0,
        yAxisIndex: 0,
        ...(withData ? { data: this.shown(style.label) ? Array.from(s.values, (v, i) => [s.start + i * s.intervalMs + s.intervalMs / 2, v]) : [] } : {}),
        progressive: 0,
        animation: false,
      };
      if (style.kind === 'bar') {
        series.push({
          ...base,
          type: 'bar',
          barGap: '-100%',
          barMaxWidth: 14,
          barMinWidth: 1,
          // More intervals than pixels: keep each pixel's maximum, so a spike (a thundering herd) survives.
          sampling: 'max',
          large: true,
          largeThreshold: 300,
          itemStyle: { color: withAlpha(color, 0.85) },
        } as BarSeriesOption);
      } else {
        series.push({
          ...base,
          type: 'line',
          step: 'middle',
          showSymbol: false,
          sampling: 'max',
          lineStyle: { color, width: 1.5 },
          itemStyle: { color },
        } as LineSeriesOption);
      }
    }

    for (const [id, lanes] of m.spanLanes) {
      const style = spanStyle(id);
      series.push({
        id: `span:${id}`,
        name: style.label,
        type: 'custom',
        xAxisIndex: 1,
        yAxisIndex: 1,
        renderItem: this.renderSpans(id),
        // One item per lane: [lane, first start, last end, index into spanLanes].
        encode: { x: [1, 2], y: 0 },
        dimensions: ['lane', 'first', 'last', 'item'],
        clip: true,
        progressive: 0,
        itemStyle: { color: this.color(style.color) },
        ...(withData ? { data: this.shown(style.label) ? lanes.map((l, i) => [l.lane, l.starts[0] as number, l.maxEnds[l.maxEnds.length - 1] as number, i]) : [] } : {}),
        z: 2,
      } as CustomSeriesOption);
    }

    // Derived gap bands (expired periods): above the spans, so a replacement token's band or a refresh
    // window never hides them, and below the markers, which stay readable on top.
    for (const [id, lanes] of m.gapLanes) {
      const style = spanStyle(id);
      series.push({
        id: `gap:${id}`,
        name: style.label,
        type: 'custom',
        xAxisIndex: 1,
        yAxisIndex: 1,
        renderItem: this.renderGaps(id),
        encode: { x: [1, 2], y: 0 },
        dimensions: ['lane', 'first', 'last', 'item'],
        clip: true,
        progressive: 0,
        itemStyle: { color: this.color(style.color) },
        ...(withData ? { data: this.shown(style.label) ? lanes.map((l, i) => [l.lane, l.starts[0] as number, l.ends[l.ends.length - 1] as number, i]) : [] } : {}),
        z: 3,
      } as CustomSeriesOption);
    }

    for (const [id, lanes] of m.markerLanes) {
      const cat = markerCategory(id);
      series.push({
        id: `mk:${id}`,
        name: cat.label,
        type: 'custom',
        xAxisIndex: 1,
        yAxisIndex: 1,
        renderItem: this.renderMarkers(id, cat),
        // One item per lane: [lane, first t, last t, index into markerLanes]; dataZoom keeps the lanes in view.
        encode: { x: [1, 2], y: 0 },
        dimensions: ['lane', 'first', 'last', 'item'],
        // Only markers inside the window are drawn; not clipping lets those at the very edge show whole.
        clip: false,
        progressive: 0,
        itemStyle: { color: this.color(cat.color) },
        ...(withData ? { data: this.shown(cat.label) ? lanes.map((l, i) => [l.lane, l.times[0] as number, l.times[l.times.length - 1] as number, i]) : [] } : {}),
        z: 4,
      } as CustomSeriesOption);
    }

    // Exported PNGs label lanes in the left margin; on screen the labels sit inside each lane's left end.
    const laneLabels = m.lanes.map((l) => laneName(l).short);
    const option: Option = {
      animation: false,
      // Local time, like every time the views print (formatTime): the tree and the timeline agree.
      useUTC: false,
      backgroundColor: p.background,
      textStyle: { fontFamily: p.fontFamily, color: p.foreground },
      aria: {
        enabled: true,
        label: {
          description:
            `Token timeline from ${formatTime(m.start)} to ${formatTime(m.end)}: ${formatCount(m.lanes.length)} lanes, ` +
            `${formatCount(m.eventCount)} events. The lane table beside the chart lists every lane and its events for keyboard and screen-reader use.`,
        },
      },
      grid: [
        // outerBoundsMode 'none': ECharts 6 would otherwise shrink each grid to fit its labels, and the two
        // grids (and the lane table beside them) would no longer share x / row positions.
        { id: 'agg', left: L.left, right: L.right, top: L.aggTop, height: Math.max(L.aggHeight, 1), outerBoundsMode: 'none', show: false },
        {
          id: 'lanes',
          outerBoundsMode: 'none',
          left: L.left,
          right: L.right,
          top: L.lanesTop,
          height: lanesGridHeight,
          show: true,
          borderColor: p.contrastBorder || withAlpha(p.lines, 0.35),
          borderWidth: 1,
          backgroundColor: 'transparent',
        },
      ],
      xAxis: [
        {
          type: 'time',
          gridIndex: 0,
          min: m.start,
          max: axisMax,
          show: hasSeries,
          axisLabel: { show: false },
          axisTick: { show: false },
          axisLine: { show: hasSeries, lineStyle: { color: withAlpha(p.lines, 0.5) } },
          splitLine,
        },
        {
          type: 'time',
          gridIndex: 1,
          position: 'top',
          min: m.start,
          max: axisMax,
          axisLabel: {
            ...text,
            hideOverlap: true,
            alignMinLabel: 'left',
            alignMaxLabel: 'right',
            formatter: { year: '{yyyy}-{MM}-{dd}', month: '{MMM} {d}', day: '{MMM} {d}', hour: '{HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}', millisecond: '{HH}:{mm}:{ss}.{SSS}' },
          },
          axisTick: { show: true, lineStyle: { color: withAlpha(p.lines, 0.6) } },
          axisLine: { show: true, lineStyle: { color: withAlpha(p.lines, 0.6) } },
          splitLine,
        },
      ],
      yAxis: [
        {
          type: 'value',
          gridIndex: 0,
          position: 'right',
          show: hasSeries,
          minInterval: 1,
          splitNumber: 2,
          axisLabel: { ...text, fontSize: 10, color: p.muted },
          splitLine: { show: true, lineStyle: { color: withAlpha(p.lines, 0.15) } },
        },
        {
          type: 'category',
          gridIndex: 1,
          inverse: true,
          ...(withData || exporting ? { data: laneLabels } : {}),
          axisLabel: exporting
            ? { show: true, ...text, width: L.left - 16, overflow: 'truncate', interval: 0 }
            : {
                show: true,
                inside: true,
                interval: 0,
                ...text,
                fontSize: 10,
                color: p.foreground,
                // Above the lane's centre line, between the request markers and the top edge; a backing
                // keeps it readable over bands.
                verticalAlign: 'bottom',
                lineHeight: 12,
                padding: [0, 3, 1, 3],
                margin: 4,
                borderRadius: 2,
                backgroundColor: withAlpha(p.background, 0.72),
                width: Math.max(60, Math.min(260, (L.width - L.left - L.right) / 3)),
                overflow: 'truncate',
              },
          axisTick: { show: false },
          axisLine: { show: false },
          splitLine: { show: true, interval: 0, lineStyle: { color: withAlpha(p.lines, 0.14) } },
          splitArea: { show: true, interval: 0, areaStyle: { color: ['transparent', withAlpha(p.foreground, 0.025)] } },
        },
      ],
      dataZoom: [
        {
          id: X_INSIDE,
          type: 'inside',
          xAxisIndex: [0, 1],
          filterMode: 'weakFilter',
          startValue: from,
          endValue: to,
          minValueSpan: minSpan,
          zoomOnMouseWheel: true,
          moveOnMouseMove: true,
          moveOnMouseWheel: false,
          preventDefaultMouseMove: true,
        },
        {
          id: X_SLIDER,
          type: 'slider',
          xAxisIndex: [0, 1],
          filterMode: 'weakFilter',
          startValue: from,
          endValue: to,
          minValueSpan: minSpan,
          top: L.sliderTop,
          height: 20,
          left: L.left,
          right: L.right,
          showDataShadow: false,
          brushSelect: false,
          borderColor: p.contrastBorder || withAlpha(p.lines, 0.4),
          backgroundColor: withAlpha(p.foreground, 0.04),
          fillerColor: withAlpha(p.focus, 0.2),
          handleStyle: { color: p.background, borderColor: p.focus },
          moveHandleStyle: { color: withAlpha(p.focus, 0.6) },
          emphasis: { handleStyle: { borderColor: p.focus }, moveHandleStyle: { color: p.focus } },
          textStyle: { ...text, color: p.muted, fontSize: 10 },
          labelFormatter: (value: number) => formatClock(value, m.end - m.start > 86_400_000),
        },
        {
          id: Y_SLIDER,
          type: 'slider',
          yAxisIndex: [1],
          orient: 'vertical',
          filterMode: 'filter',
          show: m.lanes.length > L.visibleLanes,
          zoomLock: true,
          startValue: this.view.laneOffset,
          endValue: this.view.laneOffset + L.visibleLanes - 1,
          top: L.lanesTop,
          height: lanesGridHeight,
          right: 12,
          width: 12,
          showDetail: false,
          showDataShadow: false,
          brushSelect: false,
          borderColor: 'transparent',
          backgroundColor: withAlpha(p.foreground, 0.05),
          fillerColor: withAlpha(p.foreground, 0.22),
          handleSize: 0,
          handleStyle: { opacity: 0 },
          moveHandleSize: 0,
        },
      ],
      series,
    };
    return option;
  }

  /**
   * Draws one lane's spans of one style as a single path of rectangles (our 'ktlBands' shape): only
   * those inside the window, neighbours closer than a pixel merged, so a zoomed-out lane with hundreds
   * of lifetimes costs one element, not hundreds.
   */
  private renderSpans(id: string): (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => CustomSeriesRenderItemReturn {
    const { layout } = spanStyle(id);
    const full = bandHeight(layout);
    const inset = layout === 'withinLifetime' ? 0.18 : 0;
    return (params, api) => {
      const m = this.model;
      const item = m?.spanLanes.get(id)?.[api.value(3) as number];
      const colors = this.spanColors.get(id);
      if (!m || !item || !colors) return null;
      const lane = item.lane;
      const cs = params.coordSys as unknown as { x: number; width: number };
      const t0 = m.start;
      const t1 = m.end > m.start ? m.end : m.start + 1000;
      const a = api.coord([t0, lane]);
      const b = api.coord([t1, lane]);
      const a0 = a[0] as number;
      const k = ((b[0] as number) - a0) / (t1 - t0);
      if (!(k > 0)) return null;
      const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? ROW_HEIGHT;
      const total = band * full;
      const hSlot = total / item.slotCount;
      const yTop = (a[1] as number) - total / 2;
      const left = cs.x;
      const right = cs.x + cs.width;
      const from = t0 + (left - a0) / k;
      const to = t0 + (right - a0) / k;
      const rects: number[] = [];
      const lastRight = new Float64Array(item.slotCount).fill(-Infinity);
      const lastAt = new Int32Array(item.slotCount).fill(-1);
      for (let i = lowerBound(item.maxEnds, from); i < item.starts.length && (item.starts[i] as number) <= to; i++) {
        if ((item.ends[i] as number) < from) continue;
        const x0 = Math.max(left, a0 + ((item.starts[i] as number) - t0) * k);
        const x1 = Math.max(Math.min(right, a0 + ((item.ends[i] as number) - t0) * k), x0 + 1.5);
        const slot = item.slots[i] as number;
        const at = lastAt[slot] as number;
        if (at >= 0 && x0 <= (lastRight[slot] as number) + 0.5) {
          // Touches the previous band of this slot at this zoom: extend it.
          rects[at + 2] = Math.max(rects[at + 2] as number, x1 - (rects[at] as number));
          lastRight[slot] = Math.max(lastRight[slot] as number, x1);
          continue;
        }
        const y = yTop + slot * hSlot + hSlot * inset;
        rects.push(x0, y + 0.75, x1 - x0, Math.max(1, hSlot * (1 - 2 * inset) - 1.5));
        lastAt[slot] = rects.length - 4;
        lastRight[slot] = x1;
      }
      if (rects.length === 0) return null;
      return { type: 'ktlBands', shape: { rects }, style: { fill: colors.fill, stroke: colors.stroke, lineWidth: colors.lineWidth } } as unknown as CustomSeriesRenderItemReturn;
    };
  }

  /** One lane's gap bands of one style (SpanStyle.gapsOf) as one path, full row height, merged below a pixel. */
  private renderGaps(id: string): (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => CustomSeriesRenderItemReturn {
    return (params, api) => {
      const m = this.model;
      const item = m?.gapLanes.get(id)?.[api.value(3) as number];
      const colors = this.spanColors.get(id);
      if (!m || !item || !colors) return null;
      const cs = params.coordSys as unknown as { x: number; width: number };
      const t0 = m.start;
      const t1 = m.end > m.start ? m.end : m.start + 1000;
      const a = api.coord([t0, item.lane]);
      const b = api.coord([t1, item.lane]);
      const a0 = a[0] as number;
      const k = ((b[0] as number) - a0) / (t1 - t0);
      if (!(k > 0)) return null;
      const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? ROW_HEIGHT;
      const y = (a[1] as number) - band / 2 + 1;
      const h = band - 2;
      const rects: number[] = [];
      let lastRight = -Infinity;
      // Gaps are disjoint and sorted: start at the first that ends inside the window, stop past it.
      const from = t0 + (cs.x - a0) / k;
      const to = t0 + (cs.x + cs.width - a0) / k;
      for (let i = lowerBound(item.ends, from); i < item.starts.length && (item.starts[i] as number) <= to; i++) {
        const x0 = Math.max(cs.x, a0 + ((item.starts[i] as number) - t0) * k);
        const x1 = Math.min(cs.x + cs.width, a0 + ((item.ends[i] as number) - t0) * k);
        if (x1 < cs.x || x0 > cs.x + cs.width) continue;
        const w = Math.max(1.5, x1 - x0);
        if (rects.length && x0 <= lastRight + 0.5) rects[rects.length - 2] = Math.max(rects[rects.length - 2] as number, x0 + w - (rects[rects.length - 4] as number));
        else rects.push(x0, y, w, h);
        lastRight = Math.max(lastRight, x0 + w);
      }
      if (rects.length === 0) return null;
      return { type: 'ktlBands', shape: { rects }, style: { fill: colors.fill, stroke: colors.inner, lineWidth: 1 } } as unknown as CustomSeriesRenderItemReturn;
    };
  }

  /** The gap band of a lane under the pointer: [start, end], or undefined. */
  private gapAt(id: string, item: number, offsetX: number): [number, number] | undefined {
    const g = this.model?.gapLanes.get(id)?.[item];
    if (!g) return undefined;
    const L = this.lay;
    const [from, to] = this.view.x;
    const t = from + ((offsetX - L.left) / Math.max(1, L.width - L.left - L.right)) * (to - from);
    const i = upperBound(g.starts, t) - 1;
    return i >= 0 && (g.ends[i] as number) >= t ? [g.starts[i] as number, g.ends[i] as number] : undefined;
  }

  /** The span under the pointer in one lane's band path: the one containing the time, in the slot under the pointer. */
  private spanAt(id: string, item: number, offsetX: number, offsetY: number): number | undefined {
    const m = this.model;
    const ls = m?.spanLanes.get(id)?.[item];
    if (!m || !ls) return undefined;
    const L = this.lay;
    const [from, to] = this.view.x;
    const width = L.width - L.left - L.right;
    const msPerPx = (to - from) / width;
    const t = from + (offsetX - L.left) * msPerPx;
    const total = L.rowHeight * bandHeight(spanStyle(id).layout);
    const yTop = L.lanesTop + (ls.lane - this.view.laneOffset + 0.5) * L.rowHeight - total / 2;
    const slot = Math.min(ls.slotCount - 1, Math.max(0, Math.floor((offsetY - yTop) / (total / ls.slotCount))));
    let fallback: number | undefined;
    const tol = 2 * msPerPx;
    for (let i = lowerBound(ls.maxEnds, t - tol); i < ls.starts.length && (ls.starts[i] as number) <= t + tol; i++) {
      if ((ls.ends[i] as number) < t - tol) continue;
      if (ls.slots[i] === slot) return ls.spans[i];
      fallback ??= ls.spans[i];
    }
    return fallback;
  }

  /**
   * Draws one lane's markers of one category as a single path (our registered 'ktlMarkers' shape):
   * only those inside the visible window, one per pixel column. ECharts' own scatter series cannot do
   * this cheaply: per-point symbols are one element each, and its large mode cannot draw `path://`
   * symbols and closes every symbol (Chromium's closePath is linear in the path size: quadratic overall).
   */
  private renderMarkers(id: string, cat: MarkerCategory): (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => CustomSeriesRenderItemReturn {
    const shape = SHAPES[cat.shape];
    const template = shapeTemplate(shape);
    const half = shape.size[0] / 2;
    return (params, api) => {
      const m = this.model;
      const item = m?.markerLanes.get(id)?.[api.value(3) as number];
      if (!m || !item) return null;
      const lane = item.lane;
      const cs = params.coordSys as unknown as { x: number; width: number };
      // The axis window from the coordinate system itself (during a wheel zoom, ECharts renders before
      // it reports the new window).
      const t0 = m.start;
      const t1 = m.end > m.start ? m.end : m.start + 1000;
      const a = api.coord([t0, lane]);
      const b = api.coord([t1, lane]);
      const k = ((b[0] as number) - (a[0] as number)) / (t1 - t0);
      if (!(k > 0)) return null;
      const y = (a[1] as number) + cat.dy;
      const from = t0 + (cs.x - (a[0] as number) - half) / k;
      const to = t0 + (cs.x + cs.width - (a[0] as number) + half) / k;
      const i0 = lowerBound(item.times, from);
      const i1 = upperBound(item.times, to);
      const points: number[] = [];
      let lastX = -Infinity;
      const spacing = cat.minSpacingPx ?? 0.75;
      for (let i = i0; i < i1; i++) {
        const x = (a[0] as number) + ((item.times[i] as number) - t0) * k;
        if (x - lastX < spacing) continue;
        points.push(x, y);
        lastX = x;
      }
      if (points.length === 0) return null;
      const p = this.palette;
      const color = this.color(cat.color);
      const style = shape.hollow
        ? { fill: p.background, stroke: color, lineWidth: 1.6 }
        : { fill: color, stroke: p.contrastBorder || withAlpha(p.background, 0.85), lineWidth: p.contrastBorder ? 1.2 : 0.8 };
      return { type: 'ktlMarkers', shape: { points, template, radius: shape.round ? shape.size[0] / 2 : 0 }, style } as unknown as CustomSeriesRenderItemReturn;
    };
  }

  /** The event of a marker path under the pointer: the lane's nearest marker of that category within reach. */
  private markerAt(id: string, item: number, offsetX: number): number | undefined {
    const m = this.model;
    const lm = m?.markerLanes.get(id)?.[item];
    if (!m || !lm || lm.times.length === 0) return undefined;
    const L = this.lay;
    const [from, to] = this.view.x;
    const width = L.width - L.left - L.right;
    const t = from + ((offsetX - L.left) / width) * (to - from);
    const i = lowerBound(lm.times, t);
    let best = -1;
    let bestDist = Infinity;
    for (const j of [i - 1, i]) {
      if (j < 0 || j >= lm.times.length) continue;
      const d = Math.abs((lm.times[j] as number) - t);
      if (d < bestDist) {
        best = j;
        bestDist = d;
      }
    }
    // Same instant: several events share the pixel; take the first of them.
    while (best > 0 && lm.times[best - 1] === lm.times[best]) best--;
    const px = (bestDist / (to - from)) * width;
    return best >= 0 && px <= 10 ? (lm.events[best] as number) : undefined;
  }

  // ---- interaction ----

  private onDataZoom(p: DataZoomPayload): void {
    const m = this.model;
    if (!m) return;
    const items = p.batch ?? [p];
    for (const it of items) {
      if (it.dataZoomId === Y_SLIDER || (it.dataZoomId ?? '').includes(Y_SLIDER)) {
        const n = m.lanes.length;
        const first = it.startValue ?? ((it.start ?? 0) / 100) * (n - 1);
        const offset = this.clampOffset(first);
        this.view.laneOffset = offset;
        this.cb.onLaneScroll(offset);
      } else {
        const span = (m.end > m.start ? m.end : m.start + 1000) - m.start;
        const from = it.startValue ?? m.start + ((it.start ?? 0) / 100) * span;
        const to = it.endValue ?? m.start + ((it.end ?? 100) / 100) * span;
        this.view.x = [from, to];
        this.cb.onZoom([from, to]);
      }
    }
    this.placeOverlays();
  }

  /** The time under a point of the plot (aggregate strip or lanes), or undefined outside it. */
  timeAtPoint(offsetX: number, offsetY: number): number | undefined {
    const L = this.lay;
    if (!this.model || offsetX < L.left || offsetX > L.width - L.right) return undefined;
    if (offsetY < L.aggTop - 4 || offsetY > L.lanesTop + L.lanesHeight) return undefined;
    const [from, to] = this.view.x;
    return Math.round(from + ((offsetX - L.left) / Math.max(1, L.width - L.left - L.right)) * (to - from));
  }

  private onCursorDragged(): void {
    const L = this.lay;
    const x = Math.min(Math.max(this.cursor.x, L.left), L.width - L.right);
    this.cursor.y = 0;
    const [from, to] = this.view.x;
    const t = from + ((x - L.left) / Math.max(1, L.width - L.left - L.right)) * (to - from);
    this.cb.onCursorDrag(Math.round(t));
  }

  private selectionFromParams(p: unknown): Selection | undefined {
    const params = p as { seriesId?: string; dataIndex?: number; event?: { offsetX?: number } };
    const m = this.model;
    if (!m || typeof params.seriesId !== 'string' || typeof params.dataIndex !== 'number') return undefined;
    if (params.seriesId.startsWith('mk:')) {
      const index = this.markerAt(params.seriesId.slice(3), params.dataIndex, params.event?.offsetX ?? Number.NaN);
      return index === undefined ? undefined : { kind: 'event', index };
    }
    if (params.seriesId.startsWith('span:')) {
      const ev = params.event as { offsetX?: number; offsetY?: number } | undefined;
      const index = this.spanAt(params.seriesId.slice(5), params.dataIndex, ev?.offsetX ?? Number.NaN, ev?.offsetY ?? Number.NaN);
      return index === undefined ? undefined : { kind: 'span', index };
    }
    return undefined;
  }

  private onHover(p: unknown): void {
    const m = this.model;
    const params = p as { seriesId?: string; dataIndex?: number; event?: { offsetX?: number; offsetY?: number } };
    if (!m || typeof params.seriesId !== 'string' || typeof params.dataIndex !== 'number') return;
    const rect = this.dom.getBoundingClientRect();
    const x = rect.left + (params.event?.offsetX ?? 0);
    const y = rect.top + (params.event?.offsetY ?? 0);
    const sel = this.selectionFromParams(p);
    let content: TooltipContent | undefined;
    if (sel) content = sel.kind === 'event' ? this.eventTooltip(sel.index) : this.spanTooltip(sel.index);
    else if (params.seriesId.startsWith('gap:')) {
      const id = params.seriesId.slice(4);
      const gap = this.gapAt(id, params.dataIndex, params.event?.offsetX ?? Number.NaN);
      const g = m.gapLanes.get(id)?.[params.dataIndex];
      const lane = g ? m.lanes[g.lane] : undefined;
      if (gap && lane) {
        const style = spanStyle(id);
        content = {
          title: style.label,
          swatch: this.color(style.color),
          rows: [
            ['From', `${formatTime(gap[0])} (${formatOffset(gap[0], m.start)})`],
            ['To', `${formatTime(gap[1])} (${formatOffset(gap[1], m.start)})`],
            ['Duration', formatSpan(gap[1] - gap[0], true)],
            ['Lane', laneName(lane).full],
          ],
          note: style.help,
        };
      }
    } else if (params.seriesId.startsWith('agg:')) {
      const name = params.seriesId.slice(4);
      const s = m.series.find((x) => x.name === name);
      const v = s?.values[params.dataIndex];
      if (s && v !== undefined) {
        const style = seriesStyle(s.name);
        const t0 = s.start + params.dataIndex * s.intervalMs;
        content = {
          title: `${style.label}: ${formatCount(v)}`,
          swatch: this.color(style.color),
          rows: [
            ['Interval', `${formatTime(t0)} + ${formatSpan(s.intervalMs)}`],
            ['Offset', formatOffset(t0, m.start)],
          ],
        };
      }
    }
    if (content) this.tooltip.show(content, x, y);
    else this.tooltip.hide();
  }

  eventTooltip(index: number): TooltipContent {
    const m = this.model as TraceModel;
    const ev = m.event(index);
    const lane = m.lanes[m.laneIndex.get(ev.lane) ?? -1];
    const cat = markerCategory(categoryOf(ev));
    const rows: Array<[string, string]> = [
      ['Time', `${formatTime(ev.t)} (${formatOffset(ev.t, m.start)})`],
      ['Lane', lane ? laneName(lane).full : ev.lane],
    ];
    if (ev.ok !== undefined) rows.push(['Result', ev.ok ? 'ok' : 'failed']);
    if (ev.error) rows.push(['Error', ev.error]);
    for (const [k, v] of Object.entries(ev.data ?? {}).slice(0, 6)) rows.push([humanize(k), String(v)]);
    return { title: eventLabel(ev), swatch: this.color(cat.color), rows, rule: plainRuleText(ev.rule), note: 'Click to select' };
  }

  spanTooltip(index: number): TooltipContent {
    const m = this.model as TraceModel;
    const s = m.span(index);
    const lane = m.lanes[m.laneIndex.get(s.lane) ?? -1];
    const style = spanStyle(s.kind);
    const rows: Array<[string, string]> = [
      ['From', `${formatTime(s.start)} (${formatOffset(s.start, m.start)})`],
      ['To', `${formatTime(s.end)} (${formatOffset(s.end, m.start)})`],
      ['Duration', formatSpan(s.end - s.start, true)],
      ['Lane', lane ? `${laneName(lane).full}${lane.kind ? ` (${laneKindStyle(lane.kind).label})` : ''}` : s.lane],
    ];
    return { title: s.label ? `${style.label}: ${s.label}` : style.label, swatch: this.color(style.color), rows, ...(s.rule ? { rule: plainRuleText(s.rule) } : {}) };
  }

  // ---- overlays (zlevel 1) ----

  private pixel(t: number, lane: number): [number, number] | undefined {
    const L = this.lay;
    const [from, to] = this.view.x;
    if (t < from || t > to || lane < this.view.laneOffset || lane >= this.view.laneOffset + L.visibleLanes) return undefined;
    const x = L.left + ((t - from) / Math.max(1e-9, to - from)) * (L.width - L.left - L.right);
    const y = L.lanesTop + (lane - this.view.laneOffset + 0.5) * L.rowHeight;
    return [x, y];
  }

  private placeOverlays(): void {
    this.placeCursor();
    this.placeRing(this.ring, this.selection?.kind === 'event' ? this.selection.index : undefined, this.palette.focus);
    this.placeRing(this.activeRing, this.active, this.palette.foreground);
    const L = this.lay;
    const lane = this.focusLane;
    if (lane === undefined || lane < this.view.laneOffset || lane >= this.view.laneOffset + L.visibleLanes) {
      this.laneOutline.attr('ignore', true);
    } else {
      this.laneOutline.attr({
        ignore: false,
        shape: { x: L.left + 0.5, y: L.lanesTop + (lane - this.view.laneOffset) * L.rowHeight + 0.5, width: L.width - L.left - L.right - 1, height: L.rowHeight - 1 },
        style: { fill: withAlpha(this.palette.focus, 0.08), stroke: this.palette.focus, lineWidth: 1 },
      });
    }
  }

  private placeRing(ring: InstanceType<typeof echarts.graphic.Circle>, index: number | undefined, color: string): void {
    const m = this.model;
    if (!m || index === undefined) return void ring.attr('ignore', true);
    const ev = m.event(index);
    const px = this.pixel(ev.t, m.eventLane[index] ?? -1);
    if (!px) return void ring.attr('ignore', true);
    const dy = markerCategory(categoryOf(ev)).dy;
    ring.attr({ ignore: false, shape: { cx: px[0], cy: px[1] + dy }, style: { stroke: color } });
  }

  private placeCursor(): void {
    const m = this.model;
    const L = this.lay;
    const [from, to] = this.view.x;
    const t = this.view.now;
    if (!m || t < from || t > to) return void this.cursor.attr('ignore', true);
    const x = L.left + ((t - from) / Math.max(1e-9, to - from)) * (L.width - L.left - L.right);
    const top = L.aggTop - 4;
    const bottom = L.lanesTop + L.lanesHeight;
    const p = this.palette;
    this.cursor.attr({ ignore: false, x, y: 0 });
    this.cursorLine.attr({ shape: { x1: 0, y1: top, x2: 0, y2: bottom }, style: { stroke: p.focus } });
    this.cursorHit.attr({ shape: { x: -6, y: top - 20, width: 12, height: bottom - top + 20 } });
    const label = formatClock(t, m.end - m.start > 86_400_000);
    // Keep the label inside the canvas near the edges.
    const half = 34;
    const dx = Math.max(L.left + half, Math.min(L.width - half, x)) - x;
    this.cursorLabel.attr({
      x: dx,
      y: Math.max(0, top - 21),
      style: { text: `now ${label}`, fill: contrastText(p.focus), backgroundColor: p.focus, fontFamily: p.fontFamily },
    });
  }
}

/** A zrender image pattern (fill of a path). */
interface HatchPattern {
  image: HTMLCanvasElement;
  repeat: 'repeat';
}

/** Diagonal stripes of `stripe` over `base`, as a repeating fill. */
function hatch(base: string, stripe: string): HatchPattern {
  const size = 8;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.fillStyle = base;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = stripe;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    // One stripe through the tile and its two corner pieces, so tiles join into continuous diagonals.
    ctx.moveTo(0, size);
    ctx.lineTo(size, 0);
    ctx.moveTo(-1, 1);
    ctx.lineTo(1, -1);
    ctx.moveTo(size - 1, size + 1);
    ctx.lineTo(size + 1, size - 1);
    ctx.stroke();
  }
  return { image: canvas, repeat: 'repeat' };
}

/** Share of the row a span band fills: full-height bands stand out over the lifetimes they cross. */
function bandHeight(layout: SpanLayout): number {
  return layout === 'band' ? 0.84 : 0.72;
}

/** Black or white, whichever reads better on `bg`. */
function contrastText(bg: string): string {
  const rgba = withAlpha(bg, 1);
  const m = /rgba\((\d+), (\d+), (\d+)/.exec(rgba);
  if (!m) return '#ffffff';
  const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#000000' : '#ffffff';
}
