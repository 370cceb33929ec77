/**
 * A self-contained HTML report of a Trace: inline CSS, an inline SVG swimlane timeline rendered
 * here in plain TypeScript, a summary table, and no scripts or external resources of any kind (a
 * CSP meta tag forbids them), so the file can be mailed, archived or opened offline.
 * Markers, bands, bars and the legend come from the presentation registry (the same categories,
 * colours and labels as the timeline), the summary from the models' summary sections.
 * Pure function of the Trace; every piece of text from the trace is escaped.
 */
import type { ColorKey, MarkerCategory, Shape, SpanLayout, SummaryBlock, SummaryCell } from '../sim/presentation';
import { categoryOf, LOOKUP, markerCategory, MARKER_CATEGORIES, seriesStyle, spanStyle, SPAN_STYLES, SUMMARY_SECTIONS } from '../sim/presentations';
import type { Lane, Span, Trace, TraceEvent } from '../sim/trace';
import { formatDuration, iso, rel } from './timefmt';
import { plainRuleText } from '../sim/ruleText';

export interface HtmlReportOptions {
  /** Shown in the page title and heading; default the scenario name. */
  title?: string;
  /** Width of the timeline, CSS pixels. */
  width?: number;
}

/** Escapes text for HTML and SVG, in element content and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LABEL_W = 300;
const ROW_H = 22;
const BARS_TOP = 24;
const BARS_H = 64;
const AXIS_Y = BARS_TOP + BARS_H + 22;
const LANES_TOP = AXIS_Y + 12;

/** Tick steps for the time axis, smallest first. */
const TICK_STEPS_MS = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080, 20_160, 43_200].map((m) => m * 60_000);

export function renderHtmlReport(trace: Trace, options: HtmlReportOptions = {}): string {
  const title = options.title ?? trace.meta.name ?? 'Token simulation';
  const width = Math.max(600, Math.round(options.width ?? 1280));
  const { meta } = trace;
  const subtitle =
    `${iso(meta.start)} → ${iso(meta.end)} (${formatDuration(meta.end - meta.start)}), seed ${meta.seed}` +
    (meta.models.length > 0 ? ` · ${meta.models.map(plainRuleText).join(', ')}` : '');
  const hidden = meta.lanesTotal - trace.lanes.length;

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // No scripts, no fetches: the report is data only.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(subtitle)}</p>`,
    '<h2>Timeline</h2>',
    `<div class="scroll">${renderTimeline(trace, width)}</div>`,
    renderLegend(trace),
    hidden > 0
      ? `<p class="note">${hidden} more lane${hidden === 1 ? '' : 's'} ran without detail: they count in the request bars and totals only.</p>`
      : '',
    '<h2>Summary</h2>',
    ...SUMMARY_SECTIONS.flatMap((section) => section.report(trace, LOOKUP)).map(renderBlock),
    `<p class="note">Rendered from the simulation trace (${meta.eventsTotal} events, ${meta.lanesTotal} lanes). Times are UTC.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Maps virtual time to x. */
class Scale {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly x0: number,
    readonly x1: number,
  ) {}
  x(t: number): number {
    const span = Math.max(1, this.end - this.start);
    const clamped = Math.min(Math.max(t, this.start), this.end);
    return this.x0 + ((clamped - this.start) / span) * (this.x1 - this.x0);
  }
}

const f = (n: number): string => (Math.round(n * 10) / 10).toString();

function renderTimeline(trace: Trace, width: number): string {
  const { start, end } = trace.meta;
  const scale = new Scale(start, end, LABEL_W + 10, width - 16);
  const lanes = trace.lanes.filter((l) => l.detailed);
  const rowOf = new Map(lanes.map((l, i) => [l.id, i]));
  const lanesBottom = LANES_TOP + lanes.length * ROW_H;
  const height = lanesBottom + 8;
  const parts: string[] = [];
  parts.push(
    `<svg class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Swimlane timeline">`,
  );

  // Rows first (backgrounds), so everything else draws on top.
  lanes.forEach((lane, i) => {
    const y = LANES_TOP + i * ROW_H;
    parts.push(`<rect class="row${i % 2 === 0 ? ' even' : ''}" x="0" y="${y}" width="${width}" height="${ROW_H}"/>`);
    parts.push(renderLabel(lane, y));
  });

  parts.push(renderAxis(scale, lanesBottom));
  parts.push(renderBars(trace, scale));

  // Backdrop spans (outages) across the whole chart, so their effect on every lane is visible.
  for (const s of trace.spans) {
    const style = spanStyle(s.kind);
    if (!style.backdrop) continue;
    const x = scale.x(s.start);
    const w = Math.max(1, scale.x(s.end) - x);
    parts.push(
      `<rect class="backdrop ${style.id}" x="${f(x)}" y="${BARS_TOP}" width="${f(w)}" height="${lanesBottom - BARS_TOP}">` +
        `<title>${escapeHtml(spanTitle(s, start))}</title></rect>`,
    );
  }

  for (const s of trace.spans) {
    const row = rowOf.get(s.lane);
    if (row !== undefined) parts.push(renderSpan(s, scale, LANES_TOP + row * ROW_H, start));
  }
  for (const group of groupEvents(trace.events, scale, rowOf)) {
    const row = rowOf.get(group.first.lane) ?? 0;
    parts.push(renderEvent(group, scale, LANES_TOP + row * ROW_H + ROW_H / 2, start));
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function renderLabel(lane: Lane, y: number): string {
  const full = lane.group === undefined ? lane.label : `${lane.group} ${lane.label}`;
  const shown = full.length > 44 ? `${full.slice(0, 43)}…` : full;
  return (
    `<text class="label lane-${escapeHtml(lane.kind)}" x="8" y="${y + ROW_H / 2 + 4}">${escapeHtml(shown)}` +
    `<title>${escapeHtml(`${full} (${lane.kind})`)}</title></text>`
  );
}

function renderAxis(scale: Scale, bottom: number): string {
  const span = scale.end - scale.start;
  const step = TICK_STEPS_MS.find((s) => span / s <= 12) ?? Math.ceil(span / 12 / 86_400_000) * 86_400_000;
  const out: string[] = [`<line class="axis" x1="${scale.x0}" y1="${AXIS_Y}" x2="${scale.x1}" y2="${AXIS_Y}"/>`];
  let lastDate = '';
  for (let t = Math.ceil(scale.start / step) * step; t <= scale.end; t += step) {
    const x = f(scale.x(t));
    const stamp = iso(t);
    const date = stamp.slice(0, 10);
    const label = step >= 86_400_000 ? date : date !== lastDate ? `${date.slice(5)} ${stamp.slice(11, 16)}` : stamp.slice(11, 16);
    lastDate = date;
    out.push(`<line class="grid" x1="${x}" y1="${AXIS_Y}" x2="${x}" y2="${bottom}"/>`);
    out.push(
      `<text class="tick" x="${x}" y="${AXIS_Y - 6}" text-anchor="middle">${escapeHtml(label)}<title>${escapeHtml(`${stamp} (${rel(t - scale.start)})`)}</title></text>`,
    );
  }
  return out.join('\n');
}

/** The aggregate strip: the bar series (counts per interval), drawn over each other in trace order. */
function renderBars(trace: Trace, scale: Scale): string {
  const bars = trace.series.filter((s) => seriesStyle(s.name).kind === 'bar' && s.values.length > 0);
  const first = bars[0];
  if (first === undefined) return '';
  // A loop, not a spread: a 90-day run at 1-minute intervals has far more values than a call takes arguments.
  let max = 1;
  for (const s of bars) for (const v of s.values) if (v > max) max = v;
  const out: string[] = [
    `<text class="caption" x="8" y="${BARS_TOP + 12}">${escapeHtml(seriesStyle(first.name).label)} per ${escapeHtml(formatDuration(first.intervalMs))}</text>`,
    `<text class="caption" x="8" y="${BARS_TOP + 28}">peak ${max}</text>`,
  ];
  for (const s of bars) {
    const cls = `bar c-${seriesStyle(s.name).color}`;
    s.values.forEach((n, i) => {
      if (n === 0) return;
      const t0 = s.start + i * s.intervalMs;
      const x = scale.x(t0);
      const w = Math.max(1, scale.x(t0 + s.intervalMs) - x - 0.5);
      const h = (n / max) * BARS_H;
      const counts = bars.map((b) => `${seriesStyle(b.name).label}: ${b.values[Math.round((t0 - b.start) / b.intervalMs)] ?? 0}`).join(', ');
      const tip = escapeHtml(`${iso(t0)} (${rel(t0 - scale.start)}): ${counts}`);
      out.push(`<rect class="${cls}" x="${f(x)}" y="${f(BARS_TOP + BARS_H - h)}" width="${f(w)}" height="${f(h)}"><title>${tip}</title></rect>`);
    });
  }
  return out.join('\n');
}

function spanTitle(s: Span, start: number): string {
  const what = s.label ?? s.kind;
  const rule = s.rule === undefined ? '' : ` — ${plainRuleText(s.rule)}`;
  return `${what}: ${iso(s.start)} → ${iso(s.end)} (${rel(s.start - start)} → ${rel(s.end - start)}, ${formatDuration(s.end - s.start)})${rule}`;
}

/** Top offset and height of a band in its row, px: lifetimes thin, the spans within them tall and narrow. */
const SPAN_GEOMETRY: Readonly<Record<SpanLayout, readonly [number, number]>> = {
  lifetime: [7, 8],
  withinLifetime: [3, 16],
  band: [4, 14],
};

function renderSpan(s: Span, scale: Scale, rowY: number, start: number): string {
  const x = scale.x(s.start);
  const w = Math.max(1.5, scale.x(s.end) - x);
  const style = spanStyle(s.kind);
  const [dy, h] = SPAN_GEOMETRY[style.layout];
  return (
    `<rect class="span ${style.id}" x="${f(x)}" y="${rowY + dy}" width="${f(w)}" height="${h}">` +
    `<title>${escapeHtml(spanTitle(s, start))}</title></rect>`
  );
}

function eventTitle(e: TraceEvent, start: number): string {
  const ok = e.ok === undefined ? '' : e.ok ? ' ok' : ' FAILED';
  const error = e.error === undefined ? '' : `: ${e.error}`;
  const data =
    e.data === undefined
      ? ''
      : ` {${Object.entries(e.data)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}}`;
  return `${iso(e.t)} (${rel(e.t - start)}) ${e.type}${ok}${error} — ${plainRuleText(e.rule)}${data}`;
}

/** Events of one lane and kind that fall on the same few pixels: drawn as one marker. */
interface EventGroup {
  first: TraceEvent;
  last: TraceEvent;
  count: number;
}

/** Pixels within which same-kind events of a lane share a marker (they would overlap anyway). */
const MERGE_PX = 3;

/**
 * Merges events that would be drawn on top of each other (e.g. a failed TokenRequest every 10 s
 * through an outage): the report stays small and every marker's tooltip still says how many there
 * were, when, and why the first one happened.
 */
function groupEvents(events: TraceEvent[], scale: Scale, rowOf: Map<string, number>): EventGroup[] {
  const open = new Map<string, EventGroup>();
  const out: EventGroup[] = [];
  for (const e of events) {
    if (!rowOf.has(e.lane)) continue;
    const key = `${e.lane}\u0000${e.type}\u0000${e.ok === false ? 'failed' : 'ok'}`;
    const g = open.get(key);
    if (g !== undefined && scale.x(e.t) - scale.x(g.first.t) < MERGE_PX) {
      g.last = e;
      g.count++;
      continue;
    }
    const fresh = { first: e, last: e, count: 1 };
    open.set(key, fresh);
    out.push(fresh);
  }
  return out;
}

function groupTitle(g: EventGroup, start: number): string {
  if (g.count === 1) return eventTitle(g.first, start);
  const ok = g.first.ok === undefined ? '' : g.first.ok ? ' ok' : ' FAILED';
  return `${g.count} × ${g.first.type}${ok}, ${iso(g.first.t)} … ${iso(g.last.t)} (${rel(g.first.t - start)} … ${rel(g.last.t - start)}); first: ${eventTitle(g.first, start)}`;
}

/** The report's own drawing of each shape name, centred on (x, y), about 8 px across. */
function glyph(shape: Shape, x: number, y: number): string {
  const X = f(x);
  const Y = f(y);
  switch (shape) {
    case 'circle':
      return `<circle cx="${X}" cy="${Y}" r="3"`;
    case 'hollowCircle':
      return `<circle cx="${X}" cy="${Y}" r="3.5"`;
    case 'cross':
      return `<path d="M${f(x - 3.5)} ${f(y - 3.5)}l7 7m0 -7l-7 7"`;
    case 'plus':
      return `<path d="M${X} ${f(y - 4)}v8m-4 -4h8"`;
    case 'diamond':
    case 'hollowDiamond':
      return `<path d="M${X} ${f(y - 5)}l5 5l-5 5l-5 -5z"`;
    case 'triangle':
    case 'hollowTriangle':
      return `<path d="M${X} ${f(y - 4.5)}l4.5 8h-9z"`;
    case 'triangleDown':
      return `<path d="M${X} ${f(y + 4.5)}l4.5 -8h-9z"`;
    case 'square':
    case 'hollowSquare':
      return `<rect x="${f(x - 4)}" y="${f(y - 4)}" width="8" height="8"`;
    case 'bar':
      return `<line x1="${X}" y1="${f(y - 10)}" x2="${X}" y2="${f(y + 10)}"`;
    case 'arrow':
      return `<path d="M${X} ${f(y - 5)}l4 9l-4 -2.5l-4 2.5z"`;
  }
}

/** Shapes drawn as an outline (hollow shapes, and those made of lines). */
const STROKED: ReadonlySet<Shape> = new Set<Shape>(['hollowCircle', 'hollowDiamond', 'hollowTriangle', 'hollowSquare', 'cross', 'plus', 'bar']);

/** One marker per event group, in its category's shape and colour (as in the timeline). */
function renderEvent(g: EventGroup, scale: Scale, cy: number, start: number): string {
  const cat = markerCategory(categoryOf(g.first));
  return `${glyph(cat.shape, scale.x(g.first.t), cy + cat.dy)} class="mark ${cat.id}"><title>${escapeHtml(groupTitle(g, start))}</title>${closing(cat.shape)}`;
}

function closing(shape: Shape): string {
  return shape === 'circle' || shape === 'hollowCircle' ? '</circle>' : shape === 'bar' ? '</line>' : shape.endsWith('quare') ? '</rect>' : '</path>';
}

function cell(c: SummaryCell): string {
  if (typeof c === 'number') return `<td class="num${c > 0 ? '' : ' zero'}">${c}</td>`;
  if (typeof c === 'string') return `<td>${escapeHtml(c)}</td>`;
  return `<td${c.title ? ` title="${escapeHtml(plainRuleText(c.title))}"` : ''}>${escapeHtml(c.text)}</td>`;
}

/** A summary section's block as HTML. */
function renderBlock(b: SummaryBlock): string {
  switch (b.kind) {
    case 'line':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'table':
      if (b.rows.length === 0) return `<p>${escapeHtml(b.empty)}</p>`;
      return [
        '<table>',
        `<thead><tr>${b.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
        `<tbody>${b.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}</tbody>`,
        '</table>',
      ].join('\n');
    case 'list':
      if (b.items.length === 0) return `<p>${escapeHtml(b.empty)}</p>`;
      return `<h3>${escapeHtml(b.heading)}</h3><ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  }
}

const swatch = (inner: string): string => `<svg width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">${inner}</svg>`;

/** The legend of what this trace holds: bar series, span styles, marker categories. */
function renderLegend(trace: Trace): string {
  const items: string[] = [];
  const seen = new Set<string>();
  for (const s of trace.series) {
    const style = seriesStyle(s.name);
    if (style.kind === 'bar') items.push(`<li>${swatch(`<rect class="bar c-${style.color}" x="3" y="2" width="12" height="10"/>`)} ${escapeHtml(style.label)}</li>`);
  }
  for (const style of SPAN_STYLES) {
    if (!trace.spans.some((s) => spanStyle(s.kind).id === style.id)) continue;
    const [dy, h] = SPAN_GEOMETRY[style.layout];
    items.push(`<li title="${escapeHtml(style.help)}">${swatch(`<rect class="span ${style.id}" x="1" y="${Math.max(0, dy - 4)}" width="16" height="${Math.min(14, h)}"/>`)} ${escapeHtml(style.label)}</li>`);
  }
  for (const e of trace.events) seen.add(categoryOf(e));
  for (const cat of MARKER_CATEGORIES) {
    if (!seen.has(cat.id)) continue;
    items.push(`<li title="${escapeHtml(cat.help)}">${swatch(`${glyph(cat.shape, 9, 7)} class="mark ${cat.id}"/>`)} ${escapeHtml(cat.label)}</li>`);
  }
  return `<ul class="legend">\n${items.join('\n')}\n</ul>`;
}

/** Light and dark values of each colour name. */
const PALETTE: Readonly<Record<ColorKey, readonly [string, string]>> = {
  blue: ['#0969da', '#4493f8'],
  red: ['#cf222e', '#f85149'],
  green: ['#2da44e', '#3fb950'],
  yellow: ['#bf8700', '#d29922'],
  orange: ['#bc4c00', '#db6d28'],
  purple: ['#8250df', '#ab7df8'],
  foreground: ['#1f2328', '#e6edf3'],
  muted: ['#59636e', '#9198a1'],
};

const colorVars = (dark: boolean): string => (Object.keys(PALETTE) as ColorKey[]).map((k) => `--c-${k}: ${PALETTE[k][dark ? 1 : 0]};`).join(' ');

function markCss(c: MarkerCategory): string {
  return STROKED.has(c.shape)
    ? `.mark.${c.id} { fill: none; stroke: var(--c-${c.color}); stroke-width: 1.6; }`
    : `.mark.${c.id} { fill: var(--c-${c.color}); }`;
}

/** Colours of every registered category, span style and bar series (the report has no outlines, so bands are a little more opaque than in the chart). */
const VOCABULARY_CSS = [
  '.bar { opacity: .85; }',
  ...(Object.keys(PALETTE) as ColorKey[]).map((k) => `.bar.c-${k} { fill: var(--c-${k}); }`),
  ...MARKER_CATEGORIES.map(markCss),
  ...SPAN_STYLES.map((s) => `.span.${s.id} { fill: var(--c-${s.color}); opacity: ${Math.min(1, s.alpha + 0.25).toFixed(2)}; }`),
  ...SPAN_STYLES.filter((s) => s.backdrop).map((s) => `.backdrop.${s.id} { fill: var(--c-${s.color}); opacity: .12; }`),
].join('\n');

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --row: #f6f8fa; --grid: #d1d9e0; ${colorVars(false)} }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --row: #151b23; --grid: #3d444d; ${colorVars(true)} } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 15px; }
.meta, .note { color: var(--muted); }
.scroll { overflow-x: auto; border: 1px solid var(--grid); border-radius: 6px; }
svg.timeline { display: block; font-size: 11px; }
svg text { fill: var(--fg); }
.row { fill: transparent; } .row.even { fill: var(--row); }
.label { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.tick, .caption { fill: var(--muted); }
.axis { stroke: var(--muted); } .grid { stroke: var(--grid); stroke-dasharray: 2 3; }
${VOCABULARY_CSS}
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); }
.legend svg { vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid var(--grid); }
td:first-child { white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.zero { color: var(--muted); }
`;
