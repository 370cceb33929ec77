/** The side panel's "Selected" section: everything about the selected event or span. */
import type { Lane } from '../src/sim/trace';
import { categoryOf, eventLabel, laneKindStyle, markerCategory, SHAPES, shapeSvg, spanStyle } from './categories';
import type { Selection } from './chartView';
import { h, svgIcon } from './dom';
import { formatOffset, formatSpan, formatTime, humanize } from './format';
import type { TraceModel } from './model';
import type { Palette } from './theme';
import { plainRuleText } from '../src/sim/ruleText';

export interface DetailsCallbacks {
  onMoveClock(t: number): void;
  onClear(): void;
}

export class DetailsPanel {
  readonly el: HTMLElement;
  private readonly content: HTMLDivElement;

  constructor(private readonly cb: DetailsCallbacks) {
    this.content = h('div', { class: 'ktl-details-body', id: 'ktl-details-body' });
    this.el = h('section', { class: 'ktl-details', id: 'ktl-details', 'aria-labelledby': 'ktl-details-title', 'aria-live': 'polite' }, h('div', { class: 'ktl-side-title', id: 'ktl-details-title' }, 'Selected'), this.content);
    this.renderEmpty();
  }

  renderEmpty(): void {
    this.content.replaceChildren(
      h(
        'p',
        { class: 'ktl-muted' },
        'Click a marker or band, step with ◀ ▶, or focus the lane table (↑↓ lanes, ←→ events, Enter selects).',
      ),
    );
  }

  show(model: TraceModel, sel: Selection | undefined, palette: Palette): void {
    if (!sel) return this.renderEmpty();
    if (sel.kind === 'event') this.showEvent(model, sel.index, palette);
    else this.showSpan(model, sel.index, palette);
  }

  private laneRows(model: TraceModel, laneId: string, t: number): Array<[string, string]> {
    const idx = model.laneIndex.get(laneId);
    const lane: Lane | undefined = idx === undefined ? undefined : model.lanes[idx];
    const rows: Array<[string, string]> = [['Lane', lane?.label ?? laneId]];
    if (lane?.group) rows.push(['Group', lane.group]);
    if (lane) rows.push(['Kind', laneKindStyle(lane.kind).label]);
    if (idx !== undefined) {
      const s = model.stateAt(idx, t);
      rows.push(['Lane state then', s.remaining ? `${s.label}, ${s.remaining}` : s.label]);
    }
    return rows;
  }

  private showEvent(model: TraceModel, index: number, palette: Palette): void {
    const ev = model.event(index);
    const cat = markerCategory(categoryOf(ev));
    const color = palette.colors[cat.color];
    const shape = SHAPES[cat.shape];
    const icon = svgIcon([shapeSvg(shape)], { box: 10, size: 14, fill: shape.hollow ? 'none' : color, stroke: shape.hollow ? color : undefined, className: 'ktl-details-icon' });
    icon.style.color = color;
    const rows: Array<[string, string]> = [
      ['Time', formatTime(ev.t)],
      ['Offset', formatOffset(ev.t, model.start)],
      ['Type', ev.type],
    ];
    if (ev.ok !== undefined) rows.push(['Result', ev.ok ? 'ok' : 'failed']);
    if (ev.error) rows.push(['Error', ev.error]);
    rows.push(...this.laneRows(model, ev.lane, ev.t));
    for (const [k, v] of Object.entries(ev.data ?? {})) rows.push([humanize(k), String(v)]);
    this.render(icon, eventLabel(ev), rows, plainRuleText(ev.rule), ev.t);
  }

  private showSpan(model: TraceModel, index: number, palette: Palette): void {
    const s = model.span(index);
    const style = spanStyle(s.kind);
    const color = palette.colors[style.color];
    const icon = h('span', { class: 'ktl-swatch ktl-details-icon', 'aria-hidden': 'true' });
    icon.style.backgroundColor = color;
    const rows: Array<[string, string]> = [
      ['From', `${formatTime(s.start)} (${formatOffset(s.start, model.start)})`],
      ['To', `${formatTime(s.end)} (${formatOffset(s.end, model.start)})`],
      ['Duration', formatSpan(s.end - s.start, true)],
      ['Kind', s.kind],
    ];
    if (s.label) rows.push(['Label', s.label]);
    rows.push(...this.laneRows(model, s.lane, s.start));
    this.render(icon, style.label, rows, s.rule === undefined ? undefined : plainRuleText(s.rule), s.start);
  }

  private render(icon: Element, title: string, rows: Array<[string, string]>, rule: string | undefined, t: number): void {
    const dl = h('dl', { class: 'ktl-kv' });
    for (const [k, v] of rows) dl.append(h('dt', {}, k), h('dd', {}, v));
    const move = h('vscode-button', { secondary: true, id: 'ktl-details-move' }, 'Move cursor here');
    move.addEventListener('click', () => this.cb.onMoveClock(t));
    const clear = h('vscode-button', { secondary: true, id: 'ktl-details-clear' }, 'Clear');
    clear.addEventListener('click', () => this.cb.onClear());
    const parts: Node[] = [h('div', { class: 'ktl-details-head' }, icon, h('strong', { id: 'ktl-details-name' }, title))];
    if (rule) parts.push(h('div', { class: 'ktl-rule', id: 'ktl-details-rule' }, h('span', { class: 'ktl-rule-label' }, 'Rule'), rule));
    parts.push(dl, h('div', { class: 'ktl-details-actions' }, move, clear));
    this.content.replaceChildren(...parts);
  }
}
