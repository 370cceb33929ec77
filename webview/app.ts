/**
 * The timeline app: builds the page inside #app and wires the model, chart, lane table, clock,
 * legend, details panel and what-if form to each other and to the host.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import {
  checkPngDataUrl,
  dispatchMessage,
  MAX_STATE_TRACE_EVENTS,
  parseWebviewState,
  traceKey,
  type HostMessage,
  type MessageHandlers,
  type WebviewMessage,
  type WebviewState,
  type WhatIfFormData,
} from '../src/protocol';
import { traceToColumns, type TraceColumns } from '../src/traceColumns';
import { eventLabel } from './categories';
import { ChartView, type LegendEntry, type Selection } from './chartView';
import { defaultSpeed, SPEEDS, VirtualClock } from './clock';
import { DetailsPanel } from './details';
import { h, ICONS, svgIcon } from './dom';
import { formatCount, formatOffset, formatSpan, formatTime } from './format';
import { laneName } from './laneNames';
import { LaneTable } from './laneTable';
import { STATE_LABELS, STATE_ORDER, TraceModel, type StepPos } from './model';
import { observeTheme, readPalette, type Palette } from './theme';
import { Tooltip } from './tooltip';
import { WhatIfForm } from './whatIf';
import { RunNotes } from './runNotes';
import { plainRuleText } from '../src/sim/ruleText';

export interface Host {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}

const ZOOM_FACTOR = 2;
/** The lane table's narrowest width, px, and the share of the timeline it may take at most. */
const LANES_MIN_WIDTH = 180;
const LANES_MAX_SHARE = 0.7;
/** ←/→ on the lane table's handle resize by this many px (Shift: 4×). */
const LANES_KEY_STEP = 16;

export class TimelineApp {
  private palette: Palette;
  private model: TraceModel | undefined;
  private title = '';
  private whatIf: WhatIfFormData | undefined;
  private anchorNow: number | undefined;
  private key = '';
  private readonly clock: VirtualClock;
  private x: [number, number] = [0, 1];
  private laneOffset = 0;
  private hidden = new Set<string>();
  private selection: Selection | undefined;
  private active: number | undefined;
  private stepPos: StepPos | undefined;
  private stepping = false;
  private busy = false;

  // DOM
  private readonly root: HTMLElement;
  private readonly titleEl: HTMLHeadingElement;
  private readonly summaryEl: HTMLParagraphElement;
  private readonly banner: HTMLDivElement;
  private readonly bannerText: HTMLSpanElement;
  private readonly progress: HTMLElement;
  private readonly timeline: HTMLElement;
  private readonly empty: HTMLDivElement;
  private readonly chartEl: HTMLDivElement;
  private readonly lanesPane: HTMLDivElement;
  private readonly resizer: HTMLDivElement;
  /** The lane table's width when the user set one (else the stylesheet's default). */
  private lanesWidth: number | undefined;
  private readonly nowSummary: HTMLDivElement;
  private readonly legendEl: HTMLDivElement;
  private readonly readout: HTMLDivElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speedSelect: VscodeSingleSelect;
  private readonly live: HTMLDivElement;
  private readonly chart: ChartView;
  private readonly laneTable: LaneTable;
  private readonly details: DetailsPanel;
  private readonly form: WhatIfForm;
  /** The run's notice and, in a comparison, both runs' figures (runNotes.ts). */
  private readonly runNotes = new RunNotes();
  private readonly tooltip: Tooltip;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private summaryTimer = 0;
  private paintedAt = 0;

  constructor(
    root: HTMLElement,
    private readonly host: Host,
  ) {
    this.root = root;
    this.palette = readPalette();
    this.clock = new VirtualClock(0, 1, 600_000);

    // ---- header ----
    this.titleEl = h('h1', { id: 'ktl-title' }, 'Token timeline');
    this.summaryEl = h('p', { class: 'ktl-summary', id: 'ktl-summary' }, 'Waiting for the simulation…');
    const action = (id: string, label: string, title: string, onClick: () => void): HTMLElement => {
      const b = h('vscode-button', { secondary: true, id, title }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    this.progress = h('vscode-progress-bar', { id: 'ktl-progress', 'aria-label': 'Re-running the simulation' });
    this.progress.hidden = true;
    const header = h(
      'header',
      { class: 'ktl-header' },
      h('div', { class: 'ktl-titles' }, this.titleEl, this.summaryEl),
      h(
        'div',
        { class: 'ktl-actions', role: 'group', 'aria-label': 'Export' },
        action('ktl-export-png', 'PNG', 'Export the chart as a PNG image', () => this.exportPng()),
        action('ktl-export-csv', 'CSV', 'Export the events as CSV', () => this.post({ type: 'export', format: 'csv' })),
        action('ktl-export-json', 'JSON', 'Export the trace as JSON', () => this.post({ type: 'export', format: 'json' })),
      ),
    );
    this.bannerText = h('span', { id: 'ktl-banner-text' });
    const dismiss = h('button', { class: 'ktl-icon-button', 'aria-label': 'Dismiss error', title: 'Dismiss' }, svgIcon([...ICONS.close]));
    dismiss.addEventListener('click', () => (this.banner.hidden = true));
    this.banner = h('div', { class: 'ktl-banner', id: 'ktl-banner', role: 'alert' }, this.bannerText, dismiss);
    this.banner.hidden = true;

    // ---- toolbar ----
    const tool = (id: string, label: string, keys: string, icon: readonly string[], onClick: () => void): HTMLButtonElement => {
      const b = h('button', { class: 'ktl-icon-button', id, type: 'button', 'aria-label': label, title: `${label} (${keys})`, 'aria-keyshortcuts': keys }, svgIcon([...icon]));
      b.addEventListener('click', onClick);
      return b;
    };
    this.playButton = tool('ktl-play', 'Play', 'Space', ICONS.play, () => this.clock.toggle());
    this.speedSelect = h(
      'vscode-single-select',
      { id: 'ktl-speed', 'aria-label': 'Playback speed', class: 'ktl-speed' },
      ...SPEEDS.map((s) => h('vscode-option', { value: String(s.value) }, s.label)),
    ) as VscodeSingleSelect;
    this.speedSelect.addEventListener('change', () => {
      const v = Number(this.speedSelect.value);
      if (v > 0) {
        this.clock.speed = v;
        this.scheduleSave();
      }
    });
    this.readout = h('div', {
      class: 'ktl-readout',
      id: 'ktl-now',
      role: 'slider',
      tabindex: 0,
      'aria-label': 'Clock cursor',
      'aria-keyshortcuts': 'ArrowLeft ArrowRight PageUp PageDown Home End',
    });
    this.readout.addEventListener('keydown', (e) => this.onReadoutKey(e));
    const toolbar = h(
      'div',
      { class: 'ktl-toolbar', role: 'toolbar', 'aria-label': 'Clock and zoom', id: 'ktl-toolbar' },
      h(
        'div',
        { class: 'ktl-tool-group' },
        tool('ktl-to-start', 'Jump to start', 'Home', ICONS.toStart, () => this.jump('start')),
        tool('ktl-prev', 'Previous event', '[', ICONS.prev, () => this.step(-1)),
        this.playButton,
        tool('ktl-next', 'Next event', ']', ICONS.next, () => this.step(1)),
        tool('ktl-to-end', 'Jump to end', 'End', ICONS.toEnd, () => this.jump('end')),
      ),
      h('div', { class: 'ktl-tool-group' }, h('span', { class: 'ktl-tool-label', 'aria-hidden': 'true' }, 'Speed'), this.speedSelect),
      this.readout,
      h(
        'div',
        { class: 'ktl-tool-group ktl-zoom-group' },
        tool('ktl-zoom-out', 'Zoom out', '-', ICONS.zoomOut, () => this.zoom(ZOOM_FACTOR)),
        tool('ktl-zoom-in', 'Zoom in', '+', ICONS.zoomIn, () => this.zoom(1 / ZOOM_FACTOR)),
        tool('ktl-zoom-cursor', 'Center on cursor', 'C', ICONS.target, () => this.centerOn(this.clock.now)),
        tool('ktl-zoom-fit', 'Show the whole horizon', '0', ICONS.fit, () => this.fit()),
      ),
    );
    this.legendEl = h('div', { class: 'ktl-legend', id: 'ktl-legend', role: 'group', 'aria-label': 'Legend: show or hide series' });

    // ---- timeline ----
    this.tooltip = new Tooltip(document.body);
    // Focusable: ←/→ (Shift: ×10), PgUp/PgDn, Home/End move the clock cursor, as on the clock readout.
    this.chartEl = h('div', {
      class: 'ktl-chart',
      id: 'ktl-chart',
      tabindex: 0,
      'aria-label': 'Timeline chart. Click a time, or use the arrow keys, Home and End, to move the clock cursor.',
      'aria-keyshortcuts': 'ArrowLeft ArrowRight PageUp PageDown Home End',
    });
    this.chartEl.addEventListener('keydown', (e) => {
      if (e.target === this.chartEl) this.onReadoutKey(e);
    });
    this.nowSummary = h('div', { class: 'ktl-now-summary', id: 'ktl-now-summary', 'aria-live': 'off' });
    this.laneTable = new LaneTable({
      onFocusLane: (lane) => this.onFocusLane(lane),
      onScroll: (offset) => this.scrollLanes(offset),
      onStep: (lane, dir) => this.stepInLane(lane, dir),
      onEnter: (lane) => this.enterLane(lane),
      onEscape: () => this.select(undefined),
    });
    this.lanesPane = h('div', { class: 'ktl-lanes-pane' }, this.nowSummary, this.laneTable.el);
    this.empty = h('div', { class: 'ktl-empty', id: 'ktl-empty' }, 'Waiting for the simulation…');
    const chartWrap = h('div', { class: 'ktl-chart-wrap' }, this.chartEl, this.empty);
    this.resizer = h('div', {
      class: 'ktl-lanes-resizer',
      id: 'ktl-lanes-resizer',
      role: 'separator',
      tabindex: 0,
      'aria-orientation': 'vertical',
      'aria-controls': 'ktl-lanes',
      'aria-label': 'Width of the lane table (←/→ to resize)',
      'aria-valuemin': LANES_MIN_WIDTH,
    });
    this.wireResizer();
    this.timeline = h('section', { class: 'ktl-timeline', id: 'ktl-timeline', 'aria-label': 'Timeline' }, this.lanesPane, this.resizer, chartWrap);

    // ---- side panel ----
    this.details = new DetailsPanel({
      onMoveClock: (t) => {
        this.clock.set(t);
        this.ensureVisible(t);
      },
      onClear: () => this.select(undefined),
    });
    this.form = new WhatIfForm({
      onRerun: (values) => {
        this.post({ type: 'rerun', values });
        this.setBusy(true);
      },
      onSave: (values) => this.post({ type: 'saveScenario', values }),
    });
    const side = h('aside', { class: 'ktl-side', id: 'ktl-side', 'aria-label': 'Details and what-if' }, this.details.el, this.form.el);

    this.live = h('div', { class: 'ktl-visually-hidden', id: 'ktl-live', 'aria-live': 'polite', 'aria-atomic': 'true' });
    root.replaceChildren(
      h('div', { class: 'ktl-root' }, header, this.progress, this.banner, this.runNotes.el, toolbar, this.legendEl, h('div', { class: 'ktl-body' }, this.timeline, side), this.live),
    );

    this.chart = new ChartView(
      this.chartEl,
      this.tooltip,
      {
        onZoom: (x) => {
          this.x = x;
          this.scheduleSave();
        },
        onLaneScroll: (offset) => this.scrollLanes(offset),
        onCursorDrag: (t) => this.clock.set(t),
        onSelect: (sel) => this.select(sel, true),
        onTimeClick: (t) => {
          this.clock.pause();
          this.clock.set(t);
        },
        onPainted: () => this.onPainted(),
      },
      this.palette,
    );

    this.clock.onChange((t) => this.onClock(t));
    this.clock.onPlayingChange((playing) => {
      this.playButton.replaceChildren(svgIcon([...(playing ? ICONS.pause : ICONS.play)]));
      this.playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
      this.playButton.title = `${playing ? 'Pause' : 'Play'} (Space)`;
      this.playButton.setAttribute('aria-pressed', String(playing));
      if (!playing) this.scheduleSave();
    });
    observeTheme(() => this.onTheme());
    new ResizeObserver(() => this.onResize()).observe(this.chartEl);
    document.addEventListener('keydown', (e) => this.onGlobalKey(e));
    this.showEmpty(true);
  }

  // ------------------------------------------------------------------------------------------
  // Host messages

  /** One handler per host message type: a new type does not compile until it is handled here. */
  private readonly handlers: MessageHandlers<HostMessage> = {
    showTrace: (message) => {
      this.banner.hidden = true;
      this.showTrace(message.title, message.trace, message.whatIf, message.anchorNow);
      this.runNotes.show(message.notice, message.comparison);
      this.setBusy(false);
    },
    busy: (message) => this.setBusy(message.on),
    error: (message) => this.showError(message.message),
  };

  handle(message: HostMessage): void {
    dispatchMessage(this.handlers, message);
  }

  /** Restores a previous session's state (vscode.getState) before the host answers `ready`. */
  restore(raw: unknown): void {
    const state = parseWebviewState(raw);
    if (!state) return;
    if (state.view.lanesWidth !== undefined) this.setLanesWidth(state.view.lanesWidth);
    this.pendingView = state;
    if (state.trace) this.showTrace(state.title, traceToColumns(state.trace), state.whatIf, state.anchorNow);
    else {
      this.title = state.title;
      this.titleEl.textContent = state.title;
      this.whatIf = state.whatIf;
      this.form.setForm(state.whatIf);
    }
  }

  private pendingView: WebviewState | undefined;

  showError(text: string): void {
    this.bannerText.textContent = text;
    this.banner.hidden = false;
  }

  private setBusy(on: boolean): void {
    this.busy = on;
    this.progress.hidden = !on;
    this.timeline.setAttribute('aria-busy', String(on));
    this.root.classList.toggle('ktl-busy', on);
    this.form.setBusy(on);
  }

  private post(message: WebviewMessage): void {
    this.host.postMessage(message);
  }

  reportError(text: string): void {
    this.post({ type: 'reportError', message: text });
  }

  // ------------------------------------------------------------------------------------------
  // Showing a trace

  private showTrace(title: string, trace: TraceColumns, whatIf: WhatIfFormData | undefined, anchorNow: number | undefined): void {
    performance.mark('ktl:showTrace');
    const model = new TraceModel(trace);
    performance.mark('ktl:model');
    const key = traceKey(trace);
    const prev = this.model;
    const restoring = this.pendingView && this.pendingView.traceKey === key ? this.pendingView.view : undefined;
    this.pendingView = restoring ? this.pendingView : undefined;
    const sameRange = prev !== undefined && prev.start === model.start && prev.end === model.end;
    const fullX: [number, number] = [model.start, model.end > model.start ? model.end : model.start + 1000];

    this.model = model;
    this.key = key;
    this.title = title;
    this.whatIf = whatIf;
    this.anchorNow = anchorNow;
    this.selection = undefined;
    this.active = undefined;
    this.stepPos = undefined;

    let now: number;
    if (restoring) {
      this.x = restoring.zoom ?? fullX;
      this.laneOffset = restoring.laneOffset;
      this.hidden = new Set(restoring.hidden);
      this.clock.speed = restoring.speed;
      now = restoring.now;
    } else if (sameRange) {
      now = this.clock.now;
    } else {
      this.x = fullX;
      this.laneOffset = 0;
      this.clock.speed = defaultSpeed(model.end - model.start);
      now = anchorNow !== undefined && anchorNow >= model.start && anchorNow <= model.end ? anchorNow : model.start;
    }
    this.x = clampWindow(this.x, fullX);
    this.clock.pause();
    this.clock.setRange(model.start, model.end);
    this.speedSelect.value = String(this.clock.speed);

    this.titleEl.textContent = title;
    document.title = title;
    const m = trace.meta;
    const detailNote = model.aggregateOnlyLanes > 0 ? ` (+${formatCount(model.aggregateOnlyLanes)} in the aggregates only)` : '';
    this.summaryEl.textContent =
      `${formatCount(model.lanes.length)} lanes${detailNote} · ${formatCount(m.eventsTotal)} events · ` +
      `${formatTime(m.start)} → +${formatSpan(m.end - m.start)} · seed ${m.seed}` +
      (m.models.length ? ` · ${m.models.map(plainRuleText).join(', ')}` : '');
    this.showEmpty(model.lanes.length === 0 && trace.series.length === 0);
    if (model.lanes.length === 0 && trace.series.length === 0) this.empty.textContent = 'This trace has no lanes and no series.';

    this.chart.setTrace(model, { x: this.x, laneOffset: this.laneOffset, now, hidden: this.hidden });
    this.laneTable.setModel(model);
    this.applyLayout();
    this.clock.set(now);
    this.renderLegend();
    this.details.show(model, undefined, this.palette);
    this.form.setForm(whatIf);
    this.saveState();
  }

  private showEmpty(on: boolean): void {
    this.empty.hidden = !on;
    this.chartEl.classList.toggle('ktl-hidden', on);
  }

  private onPainted(): void {
    performance.mark('ktl:painted');
    this.paintedAt = performance.now();
    window.dispatchEvent(new CustomEvent('ktl-painted'));
  }

  private applyLayout(): void {
    const L = this.chart.layout;
    this.laneTable.setGeometry(L.lanesTop, L.rowHeight, L.visibleLanes);
    this.nowSummary.style.height = `${Math.max(0, L.lanesTop - 30)}px`;
    this.laneOffset = this.chart.setLaneOffset(this.laneOffset);
    this.laneTable.render(this.laneOffset, this.clock.now);
  }

  private onResize(): void {
    if (!this.model) return;
    this.chart.resize();
    this.applyLayout();
  }

  private onTheme(): void {
    this.palette = readPalette();
    this.chart.setPalette(this.palette);
    this.renderLegend();
    if (this.model) this.details.show(this.model, this.selection, this.palette);
  }

  // ------------------------------------------------------------------------------------------
  // Lane table width

  private wireResizer(): void {
    const r = this.resizer;
    r.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      r.setPointerCapture(e.pointerId);
      r.classList.add('ktl-dragging');
      const startX = e.clientX;
      const startW = this.lanesPane.getBoundingClientRect().width;
      const move = (ev: PointerEvent): void => this.setLanesWidth(startW + ev.clientX - startX);
      const up = (): void => {
        r.classList.remove('ktl-dragging');
        r.removeEventListener('pointermove', move);
        r.removeEventListener('pointerup', up);
        r.removeEventListener('pointercancel', up);
        this.scheduleSave();
      };
      r.addEventListener('pointermove', move);
      r.addEventListener('pointerup', up);
      r.addEventListener('pointercancel', up);
    });
    r.addEventListener('keydown', (e) => {
      const current = this.lanesPane.getBoundingClientRect().width;
      const step = e.shiftKey ? LANES_KEY_STEP * 4 : LANES_KEY_STEP;
      let w: number | undefined;
      if (e.key === 'ArrowLeft') w = current - step;
      else if (e.key === 'ArrowRight') w = current + step;
      else if (e.key === 'Home') w = LANES_MIN_WIDTH;
      else if (e.key === 'End') w = Number.POSITIVE_INFINITY;
      if (w === undefined) return;
      e.preventDefault();
      e.stopPropagation();
      this.setLanesWidth(w);
      this.scheduleSave();
    });
  }

  /** Sets the lane table's width (clamped to the timeline); the chart follows through its resize observer. */
  private setLanesWidth(width: number): void {
    const total = this.timeline.getBoundingClientRect().width;
    // Before the first layout (a restored state) there is no width to clamp to yet.
    const max = total > 0 ? Math.max(LANES_MIN_WIDTH, Math.round(total * LANES_MAX_SHARE)) : Number.POSITIVE_INFINITY;
    const w = Math.round(Math.max(LANES_MIN_WIDTH, Math.min(max, Number.isFinite(width) ? width : max)));
    if (!Number.isFinite(w)) return;
    this.lanesWidth = w;
    this.timeline.style.setProperty('--ktl-lanes-width', `${w}px`);
    this.resizer.setAttribute('aria-valuenow', String(w));
    if (Number.isFinite(max)) this.resizer.setAttribute('aria-valuemax', String(max));
  }

  // ------------------------------------------------------------------------------------------
  // Legend

  private renderLegend(): void {
    const entries: LegendEntry[] = this.chart.legendEntries();
    const chips = entries.map((e) => {
      const on = !this.hidden.has(e.name);
      let icon: Element;
      if (e.kind === 'marker' && e.shape) {
        icon = svgIcon([e.shape], { box: 10, size: 12, fill: e.hollow ? 'none' : e.color, stroke: e.hollow ? e.color : undefined });
      } else {
        // The glyph's class draws it (media/timeline.css): bar or line for series, the band's layout for spans.
        icon = h('span', { class: `ktl-legend-glyph ktl-legend-${e.glyph.replace(':', '-')}`, 'aria-hidden': 'true' });
        (icon as HTMLElement).style.setProperty('--ktl-glyph-color', e.color);
      }
      const chip = h(
        'button',
        { type: 'button', class: 'ktl-chip', 'aria-pressed': String(on), 'data-glyph': e.glyph, title: `${e.help} — ${formatCount(e.count)} ${e.kind === 'series' ? 'intervals' : 'items'}. Click to ${on ? 'hide' : 'show'}.`, 'data-name': e.name },
        icon,
        h('span', {}, e.name),
      );
      chip.addEventListener('click', () => {
        if (this.hidden.has(e.name)) this.hidden.delete(e.name);
        else this.hidden.add(e.name);
        this.chart.setHidden(this.hidden);
        this.renderLegend();
        this.scheduleSave();
        (this.legendEl.querySelector(`[data-name="${CSS.escape(e.name)}"]`) as HTMLElement | null)?.focus();
      });
      return chip;
    });
    this.legendEl.replaceChildren(...chips);
    this.legendEl.hidden = chips.length === 0;
  }

  // ------------------------------------------------------------------------------------------
  // Clock

  private onClock(t: number): void {
    if (!this.stepping) {
      // Moved by other means than stepping (drag, play, slider, jump): stepping restarts from the cursor.
      this.stepPos = undefined;
      if (this.active !== undefined) {
        this.active = undefined;
        this.chart.setActive(undefined);
      }
    }
    this.chart.setNow(t);
    this.laneTable.updateStates(t);
    this.updateReadout(t);
    if (this.clock.playing) {
      // Follow the cursor: page the window when the cursor leaves it.
      const [from, to] = this.x;
      if (t > to || t < from) {
        const span = to - from;
        this.setX(t - span * 0.05, t + span * 0.95);
      }
    }
    const nowMs = performance.now();
    if (nowMs - this.summaryTimer > 200 || !this.clock.playing) {
      this.summaryTimer = nowMs;
      this.updateNowSummary(t);
    }
    if (!this.clock.playing) this.scheduleSave();
  }

  private updateReadout(t: number): void {
    const m = this.model;
    if (!m) return;
    const text = `${formatTime(t)} · ${formatOffset(t, m.start)}`;
    this.readout.textContent = text;
    this.readout.setAttribute('aria-valuemin', String(m.start));
    this.readout.setAttribute('aria-valuemax', String(m.end));
    this.readout.setAttribute('aria-valuenow', String(Math.round(t)));
    this.readout.setAttribute('aria-valuetext', text);
  }

  private updateNowSummary(t: number): void {
    const m = this.model;
    if (!m) return;
    const counts = m.stateCounts(t);
    const items = STATE_ORDER.filter((c) => (counts.get(c) ?? 0) > 0).map((c) =>
      h('span', { class: 'ktl-count', 'data-state': c }, h('span', { class: `ktl-state-dot ktl-state-${c}`, 'aria-hidden': 'true' }), `${formatCount(counts.get(c) ?? 0)} ${c === 'idle' ? 'without state' : STATE_LABELS[c]}`),
    );
    const series = m.series;
    const intervals = [...new Set(series.map((x) => formatSpan(x.intervalMs)))];
    const caption = series.length
      ? h('div', { class: 'ktl-agg-caption' }, `Aggregates per ${intervals.join(' / ')} over ${formatCount(m.meta.lanesTotal)} lanes →`)
      : null;
    this.nowSummary.replaceChildren(h('div', { class: 'ktl-now-title' }, 'At the cursor'), h('div', { class: 'ktl-counts' }, ...items), ...(caption ? [caption] : []));
  }

  private onReadoutKey(e: KeyboardEvent): void {
    const m = this.model;
    if (!m) return;
    const span = this.x[1] - this.x[0];
    const small = span / 100;
    let t: number | undefined;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        t = this.clock.now + (e.shiftKey ? small * 10 : small);
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        t = this.clock.now - (e.shiftKey ? small * 10 : small);
        break;
      case 'PageUp':
        t = this.clock.now + span / 10;
        break;
      case 'PageDown':
        t = this.clock.now - span / 10;
        break;
      case 'Home':
        t = m.start;
        break;
      case 'End':
        t = m.end;
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    this.clock.set(t);
    this.ensureVisible(this.clock.now);
  }

  private jump(where: 'start' | 'end'): void {
    const m = this.model;
    if (!m) return;
    this.clock.pause();
    this.clock.set(where === 'start' ? m.start : m.end);
    // Stepping from here starts at the first / last event, even one exactly at the start / end.
    this.stepPos = where === 'start' ? -1 : m.order.length;
    this.ensureVisible(this.clock.now);
  }

  /** Steps the clock to the previous/next event (all lanes) and selects it. */
  step(direction: -1 | 1): void {
    const m = this.model;
    if (!m) return;
    this.clock.pause();
    const pos = direction > 0 ? m.nextPos(this.clock.now, this.stepPos) : m.prevPos(this.clock.now, this.stepPos);
    if (pos === undefined) {
      this.announce(direction > 0 ? 'No later event.' : 'No earlier event.');
      return;
    }
    this.goToEvent(m.eventAtPos(pos), pos, true);
  }

  private goToEvent(index: number, pos: StepPos, select: boolean): void {
    const m = this.model as TraceModel;
    const ev = m.event(index);
    this.stepping = true;
    this.clock.set(ev.t);
    this.stepping = false;
    this.stepPos = pos;
    this.active = index;
    this.chart.setActive(index);
    const lane = m.eventLane[index] ?? 0;
    if (lane >= 0) {
      if (lane < this.laneOffset || lane >= this.laneOffset + this.chart.layout.visibleLanes) this.scrollLanes(lane - Math.floor(this.chart.layout.visibleLanes / 2));
      this.laneTable.focusLane(lane, this.laneTable.el.contains(document.activeElement));
    }
    this.ensureVisible(ev.t);
    if (select) this.select({ kind: 'event', index });
    const laneRow = m.lanes[lane];
    const laneLabel = laneRow ? laneName(laneRow).short : ev.lane;
    this.announce(`${eventLabel(ev)} on ${laneLabel} at ${formatTime(ev.t)} (${formatOffset(ev.t, m.start)}). ${plainRuleText(ev.rule)}`);
  }

  private stepInLane(lane: number, direction: -1 | 1): void {
    const m = this.model;
    if (!m) return;
    this.clock.pause();
    const current = this.active !== undefined && m.eventLane[this.active] === lane ? this.active : undefined;
    const next = direction > 0 ? m.nextInLane(lane, this.clock.now, current) : m.prevInLane(lane, this.clock.now, current);
    if (next === undefined) {
      this.announce(direction > 0 ? 'No later event in this lane.' : 'No earlier event in this lane.');
      return;
    }
    this.goToEvent(next, m.rank[next] ?? 0, false);
  }

  private enterLane(lane: number): void {
    const m = this.model;
    if (!m) return;
    let index = this.active !== undefined && m.eventLane[this.active] === lane ? this.active : undefined;
    index ??= m.nearestInLane(lane, this.clock.now);
    if (index === undefined) {
      this.announce('This lane has no events.');
      return;
    }
    this.active = index;
    this.chart.setActive(index);
    this.select({ kind: 'event', index }, true);
  }

  private onFocusLane(lane: number): void {
    this.chart.setFocusLane(lane);
    const m = this.model;
    const l = m?.lanes[lane];
    if (m && l) {
      const s = m.stateAt(lane, this.clock.now);
      this.announce(`${laneName(l).short}: ${s.label}${s.remaining ? `, ${s.remaining}` : ''}${s.jwtExpiry ? `, ${s.jwtExpiry}` : ''}. ${m.laneEvents(lane).length} events.`);
    }
  }

  private select(sel: Selection | undefined, post = false): void {
    const m = this.model;
    if (!m) return;
    this.selection = sel;
    this.chart.setSelection(sel);
    this.details.show(m, sel, this.palette);
    if (!sel) {
      this.active = undefined;
      this.chart.setActive(undefined);
    }
    if (post && sel?.kind === 'event') {
      const ev = m.event(sel.index);
      this.post({ type: 'selectEvent', lane: ev.lane, t: ev.t, eventType: ev.type });
    }
  }

  private announce(text: string): void {
    this.live.textContent = text;
  }

  // ------------------------------------------------------------------------------------------
  // Zoom and lanes

  private setX(from: number, to: number): void {
    const m = this.model;
    if (!m) return;
    const full: [number, number] = [m.start, m.end > m.start ? m.end : m.start + 1000];
    this.x = clampWindow([from, to], full);
    this.chart.setXWindow(this.x[0], this.x[1]);
    this.scheduleSave();
  }

  /** Zooms the time axis by `factor` (<1 zooms in) around the cursor when visible, else the centre. */
  zoom(factor: number): void {
    const [from, to] = this.x;
    const t = this.clock.now;
    const center = t >= from && t <= to ? t : (from + to) / 2;
    const span = Math.max(1000, (to - from) * factor);
    const ratio = (center - from) / (to - from || 1);
    this.setX(center - span * ratio, center - span * ratio + span);
  }

  fit(): void {
    const m = this.model;
    if (m) this.setX(m.start, m.end);
  }

  private centerOn(t: number): void {
    const span = this.x[1] - this.x[0];
    this.setX(t - span / 2, t + span / 2);
  }

  /** Pans (not zooms) so t is visible. */
  private ensureVisible(t: number): void {
    const [from, to] = this.x;
    if (t < from || t > to) this.centerOn(t);
  }

  private scrollLanes(offset: number): void {
    if (!this.model) return;
    const o = this.chart.setLaneOffset(offset);
    if (o === this.laneOffset && this.laneTable.el.querySelector('.ktl-lt-row')) return;
    this.laneOffset = o;
    this.laneTable.render(o, this.clock.now);
    this.scheduleSave();
  }

  // ------------------------------------------------------------------------------------------
  // Keys

  private onGlobalKey(e: KeyboardEvent): void {
    if (!this.model || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.closest('.ktl-side') || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.tagName.startsWith('VSCODE-'))) return;
    const isButton = target?.tagName === 'BUTTON';
    let handled = true;
    switch (e.key) {
      case ' ':
        if (isButton) return;
        this.clock.toggle();
        break;
      case '[':
        this.step(-1);
        break;
      case ']':
        this.step(1);
        break;
      case 'Home':
        this.jump('start');
        break;
      case 'End':
        this.jump('end');
        break;
      case '+':
      case '=':
        this.zoom(1 / ZOOM_FACTOR);
        break;
      case '-':
        this.zoom(ZOOM_FACTOR);
        break;
      case '0':
        this.fit();
        break;
      case 'c':
      case 'C':
        this.centerOn(this.clock.now);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  // ------------------------------------------------------------------------------------------
  // Export and state

  private exportPng(): void {
    if (!this.model) return;
    try {
      const dataUrl = this.chart.exportPng(this.title);
      const problem = checkPngDataUrl(dataUrl);
      if (problem) {
        this.showError(`Could not export the PNG: ${problem}`);
        this.reportError(`exportPng: ${problem}`);
        return;
      }
      this.post({ type: 'exportPng', dataUrl });
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.showError(`Could not export the PNG: ${text}`);
      this.reportError(`exportPng failed: ${text}`);
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveState();
    }, 500);
  }

  private saveState(): void {
    const m = this.model;
    if (!m) return;
    const state: WebviewState = {
      version: 1,
      title: this.title,
      traceKey: this.key,
      view: {
        now: this.clock.now,
        speed: this.clock.speed,
        zoom: this.x,
        laneOffset: this.laneOffset,
        hidden: [...this.hidden],
        ...(this.lanesWidth !== undefined ? { lanesWidth: this.lanesWidth } : {}),
      },
    };
    if (this.whatIf) state.whatIf = this.whatIf;
    if (this.anchorNow !== undefined) state.anchorNow = this.anchorNow;
    const small = m.smallTrace(MAX_STATE_TRACE_EVENTS);
    if (small) state.trace = small;
    this.host.setState(state);
    // A later showTrace of the same trace (the host answering `ready`) keeps this view.
    this.pendingView = state;
  }

  /** Test and benchmark hook: a snapshot of the view state. */
  snapshot(): Record<string, unknown> {
    return {
      now: this.clock.now,
      playing: this.clock.playing,
      speed: this.clock.speed,
      x: [...this.x],
      laneOffset: this.laneOffset,
      visibleLanes: this.chart.layout.visibleLanes,
      selection: this.selection ?? null,
      active: this.active ?? null,
      stepPos: this.stepPos ?? null,
      focusLane: this.laneTable.focusedLane,
      hidden: [...this.hidden],
      busy: this.busy,
      paintedAt: this.paintedAt,
      palette: this.palette,
      lanes: this.model?.lanes.length ?? 0,
    };
  }

  get chartView(): ChartView {
    return this.chart;
  }
}

function clampWindow([from, to]: [number, number], [lo, hi]: [number, number]): [number, number] {
  let span = Math.min(Math.max(to - from, Math.min(1000, hi - lo)), hi - lo);
  if (!Number.isFinite(span) || span <= 0) span = hi - lo;
  let a = Math.max(lo, Math.min(from, hi - span));
  if (!Number.isFinite(a)) a = lo;
  return [a, a + span];
}
