/**
 * A self-contained HTML report of a Trace: inline CSS, an inline SVG swimlane timeline rendered
 * here in plain TypeScript, a summary table, and no scripts or external resources of any kind (a
 * CSP meta tag forbids them), so the file can be mailed, archived or opened offline.
 * Pure function of the Trace; every piece of text from the trace is escaped.
 */
import type { Lane, Span, Trace, TraceEvent } from '../sim/trace';
import { laneStats, totals, type LaneStats } from './stats';
import { windowText } from './summary';
import { count, formatDuration, iso, rel } from './timefmt';

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
  const stats = laneStats(trace);
  const sum = totals(trace, stats);
  const { meta } = trace;
  const subtitle =
    `${iso(meta.start)} → ${iso(meta.end)} (${formatDuration(meta.end - meta.start)}), seed ${meta.seed}` +
    (meta.models.length > 0 ? ` · ${meta.models.join(', ')}` : '');
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
    LEGEND,
    hidden > 0
      ? `<p class="note">${hidden} more lane${hidden === 1 ? '' : 's'} ran without detail: they count in the request bars and totals only.</p>`
      : '',
    '<h2>Summary</h2>',
    `<p>${count(sum.issued, 'token')} issued by ${count(sum.attempts, 'TokenRequest')} (${sum.failures} failed); ${count(sum.stale, 'stale serve')}; ` +
      `${count(sum.expiries, 'expiry', 'expiries')}${sum.rejected > 0 ? `; ${count(sum.rejected, 'rejection')}` : ''}${hidden > 0 ? ' (expiries and rejections: lanes with detail)' : ''}` +
      `${sum.peakExpired !== undefined && sum.peakExpired > 0 ? `; at most ${count(sum.peakExpired, 'token')} expired at once` : ''}.</p>`,
    renderTable(stats, meta.end),
    renderOutages(trace),
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

  // Outage bands across the whole chart, so their effect on every lane is visible.
  for (const s of trace.spans) {
    if (s.kind !== 'outage') continue;
    const x = scale.x(s.start);
    const w = Math.max(1, scale.x(s.end) - x);
    parts.push(
      `<rect class="outage-band" x="${f(x)}" y="${BARS_TOP}" width="${f(w)}" height="${lanesBottom - BARS_TOP}">` +
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

/** The aggregate strip: TokenRequests per interval, failures drawn over them. */
function renderBars(trace: Trace, scale: Scale): string {
  const requests = trace.series.find((s) => s.name === 'tokenRequests');
  if (requests === undefined || requests.values.length === 0) return '';
  const failures = trace.series.find((s) => s.name === 'tokenRequestFailures');
  const max = Math.max(1, ...requests.values);
  const out: string[] = [
    `<text class="caption" x="8" y="${BARS_TOP + 12}">TokenRequests per ${escapeHtml(formatDuration(requests.intervalMs))}</text>`,
    `<text class="caption" x="8" y="${BARS_TOP + 28}">peak ${max}</text>`,
  ];
  requests.values.forEach((n, i) => {
    if (n === 0) return;
    const t0 = requests.start + i * requests.intervalMs;
    const x = scale.x(t0);
    const w = Math.max(1, scale.x(t0 + requests.intervalMs) - x - 0.5);
    const failed = failures?.values[i] ?? 0;
    const h = (n / max) * BARS_H;
    const hf = (failed / max) * BARS_H;
    const tip = escapeHtml(`${iso(t0)} (${rel(t0 - scale.start)}): ${n} TokenRequests, ${failed} failed`);
    out.push(`<rect class="bar" x="${f(x)}" y="${f(BARS_TOP + BARS_H - h)}" width="${f(w)}" height="${f(h)}"><title>${tip}</title></rect>`);
    if (failed > 0) {
      out.push(`<rect class="bar-failed" x="${f(x)}" y="${f(BARS_TOP + BARS_H - hf)}" width="${f(w)}" height="${f(hf)}"><title>${tip}</title></rect>`);
    }
  });
  return out.join('\n');
}

function spanTitle(s: Span, start: number): string {
  const what = s.label ?? s.kind;
  const rule = s.rule === undefined ? '' : ` — ${s.rule}`;
  return `${what}: ${iso(s.start)} → ${iso(s.end)} (${rel(s.start - start)} → ${rel(s.end - start)}, ${formatDuration(s.end - s.start)})${rule}`;
}

function renderSpan(s: Span, scale: Scale, rowY: number, start: number): string {
  const x = scale.x(s.start);
  const w = Math.max(1.5, scale.x(s.end) - x);
  const geometry: Record<Span['kind'], [number, number]> = {
    validity: [7, 8],
    refreshWindow: [3, 16],
    outage: [4, 14],
    cacheEntry: [7, 8],
  };
  const [dy, h] = geometry[s.kind] ?? [7, 8];
  return (
    `<rect class="span ${escapeHtml(s.kind)}" x="${f(x)}" y="${rowY + dy}" width="${f(w)}" height="${h}">` +
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
  return `${iso(e.t)} (${rel(e.t - start)}) ${e.type}${ok}${error} — ${e.rule}${data}`;
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

/** One marker per event group; the shape says the type, the colour success or failure. */
function renderEvent(g: EventGroup, scale: Scale, cy: number, start: number): string {
  const e = g.first;
  const x = scale.x(e.t);
  const tip = `<title>${escapeHtml(groupTitle(g, start))}</title>`;
  const X = f(x);
  switch (e.type) {
    case 'tokenRequest':
      return e.ok === false
        ? `<path class="mark failed" d="M${f(x - 3.5)} ${cy - 3.5}l7 7m0 -7l-7 7">${tip}</path>`
        : `<circle class="mark request" cx="${X}" cy="${cy}" r="3">${tip}</circle>`;
    case 'tokenWritten':
      return `<path class="mark written" d="M${X} ${cy - 9}l4 5h-8z">${tip}</path>`;
    case 'tokenServedStale':
      return `<circle class="mark stale" cx="${X}" cy="${cy}" r="4.5">${tip}</circle>`;
    case 'tokenExpired':
      return `<rect class="mark expired" x="${f(x - 4)}" y="${cy - 4}" width="8" height="8">${tip}</rect>`;
    case 'tokenRejected':
      return `<path class="mark rejected" d="M${X} ${cy - 5}l5 5l-5 5l-5 -5z">${tip}</path>`;
    case 'podDeleted':
    case 'keyRotated':
      return `<line class="mark ${e.type}" x1="${X}" y1="${cy - 10}" x2="${X}" y2="${cy + 10}">${tip}</line>`;
    case 'syncFailed':
      return `<circle class="mark sync-failed" cx="${X}" cy="${cy + 7}" r="1.6">${tip}</circle>`;
    default:
      return `<circle class="mark other" cx="${X}" cy="${cy + 7}" r="1.4">${tip}</circle>`;
  }
}

function renderTable(stats: LaneStats[], end: number): string {
  if (stats.length === 0) return '<p>No token lanes.</p>';
  const rows = stats.map((s) => {
    const name = s.lane.group === undefined ? s.lane.label : `${s.lane.group} ${s.lane.label}`;
    const next = windowText(s, end);
    const why = s.next === undefined || s.next.rule === '' ? '' : ` title="${escapeHtml(s.next.rule)}"`;
    const cells = [s.issued, s.attempts, s.failures, s.stale, s.expiries, s.rejected].map((n) => `<td class="num${n > 0 ? '' : ' zero'}">${n}</td>`);
    return `<tr><td>${escapeHtml(name)}</td>${cells.join('')}<td${why}>${escapeHtml(next)}</td></tr>`;
  });
  return [
    '<table>',
    '<thead><tr><th>Lane</th><th>Issued</th><th>TokenRequests</th><th>Failed</th><th>Stale serves</th><th>Expiries</th><th>Rejections</th><th>Next refresh window (from the last issued token)</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function renderOutages(trace: Trace): string {
  const outages = trace.spans.filter((s) => s.kind === 'outage');
  if (outages.length === 0) return '<p>No outages.</p>';
  const labels = new Map(trace.lanes.map((l) => [l.id, l.label]));
  const items = outages.map(
    (o) =>
      `<li>${escapeHtml(labels.get(o.lane) ?? o.lane)}: ${escapeHtml(iso(o.start))} → ${escapeHtml(iso(o.end))} ` +
      `(${escapeHtml(rel(o.start - trace.meta.start))} → ${escapeHtml(rel(o.end - trace.meta.start))}, ${escapeHtml(formatDuration(o.end - o.start))})</li>`,
  );
  return `<h3>Outages</h3><ul>${items.join('')}</ul>`;
}

const swatch = (shape: string): string => `<svg width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">${shape}</svg>`;

const LEGEND = `<ul class="legend">
<li>${swatch('<rect class="span validity" x="1" y="3" width="16" height="8"/>')} token valid</li>
<li>${swatch('<rect class="span refreshWindow" x="6" y="0" width="6" height="14"/>')} refresh window (kubelet: jitter 9 s … 0 s; Calico: next wake-up)</li>
<li>${swatch('<rect class="outage-band" x="0" y="0" width="18" height="14"/>')} outage</li>
<li>${swatch('<circle class="mark request" cx="9" cy="7" r="3"/>')} TokenRequest ok</li>
<li>${swatch('<path class="mark failed" d="M5.5 3.5l7 7m0 -7l-7 7"/>')} TokenRequest failed</li>
<li>${swatch('<path class="mark written" d="M9 3l4 5h-8z"/>')} token written to the pod</li>
<li>${swatch('<circle class="mark stale" cx="9" cy="7" r="4.5"/>')} stale token served</li>
<li>${swatch('<rect class="mark expired" x="5" y="3" width="8" height="8"/>')} token expired</li>
<li>${swatch('<path class="mark rejected" d="M9 2l5 5l-5 5l-5 -5z"/>')} token rejected</li>
</ul>`;

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --row: #f6f8fa; --grid: #d1d9e0;
  --valid: #2da44e; --window: #bf8700; --outage: #cf222e; --req: #0969da; --fail: #cf222e; --stale: #bc4c00;
  --expired: #1f2328; --rejected: #8250df; --bar: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --row: #151b23; --grid: #3d444d;
  --valid: #3fb950; --window: #d29922; --outage: #f85149; --req: #4493f8; --fail: #f85149; --stale: #db6d28;
  --expired: #e6edf3; --rejected: #ab7df8; --bar: #4493f8; } }
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
.bar { fill: var(--bar); opacity: .7; } .bar-failed { fill: var(--fail); }
.outage-band { fill: var(--outage); opacity: .12; }
.span.validity { fill: var(--valid); opacity: .55; } .span.refreshWindow { fill: var(--window); opacity: .8; }
.span.outage { fill: var(--outage); opacity: .6; } .span.cacheEntry { fill: var(--req); opacity: .35; }
.mark.request { fill: var(--req); } .mark.failed { stroke: var(--fail); stroke-width: 2; fill: none; }
.mark.written { fill: var(--valid); } .mark.stale { fill: none; stroke: var(--stale); stroke-width: 2; }
.mark.expired { fill: var(--expired); } .mark.rejected { fill: var(--rejected); }
.mark.podDeleted { stroke: var(--muted); stroke-width: 2; } .mark.keyRotated { stroke: var(--rejected); stroke-width: 2; }
.mark.sync-failed { fill: var(--fail); } .mark.other { fill: var(--muted); }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); }
.legend svg { vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid var(--grid); }
td:first-child { white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.zero { color: var(--muted); }
`;
