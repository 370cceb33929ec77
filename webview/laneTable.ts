/**
 * The accessible lane table beside the canvas: one row per visible lane, aligned with the chart's
 * swimlanes (same row height, same window), showing each lane's state at the clock cursor.
 * It is an ARIA grid with a roving tabindex, virtualised like the chart (only the window's rows
 * exist; aria-rowcount/aria-rowindex tell assistive tech the full size).
 * Keys: ↑/↓ lane, PgUp/PgDn page, Home/End first/last lane, ←/→ previous/next event in the lane,
 * Enter select the current event, Escape clear.
 */
import type { Lane } from '../src/sim/trace';
import { laneKindStyle } from './categories';
import { laneName } from './laneNames';
import { h } from './dom';
import { EXPIRY_NAMES } from './format';
import type { LaneState, TraceModel } from './model';

/** The expiry column's header help: token rows name the expiry they count down to; these are what the names mean. */
const EXPIRY_COLUMN_HELP = `${EXPIRY_NAMES.statusExpiry.label}: ${EXPIRY_NAMES.statusExpiry.explain}\n${EXPIRY_NAMES.jwtExp.label}: ${EXPIRY_NAMES.jwtExp.explain}`;

export interface LaneTableCallbacks {
  /** Keyboard focus moved to a lane (the table has already scrolled it into the window). */
  onFocusLane(lane: number): void;
  /** The window should start at `offset` (wheel, paging). */
  onScroll(offset: number): void;
  /** ←/→: move to the previous/next event of the lane. */
  onStep(lane: number, direction: -1 | 1): void;
  /** Enter: select the lane's current event. */
  onEnter(lane: number): void;
  onEscape(): void;
}

export class LaneTable {
  readonly el: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private model: TraceModel | undefined;
  private offset = 0;
  private visible = 0;
  private rowHeight = 28;
  private focused = 0;
  private rows: Array<{ lane: number; row: HTMLDivElement; state: HTMLSpanElement; dot: HTMLSpanElement; remaining: HTMLDivElement; code: string }> = [];

  constructor(private readonly cb: LaneTableCallbacks) {
    this.header = h(
      'div',
      { class: 'ktl-lt-header', role: 'row', 'aria-rowindex': 1 },
      h('div', { role: 'columnheader', class: 'ktl-lt-label' }, 'Lane'),
      h('div', { role: 'columnheader', class: 'ktl-lt-state' }, 'State at cursor'),
      h('div', { role: 'columnheader', class: 'ktl-lt-remaining', title: EXPIRY_COLUMN_HELP }, 'Expiry at cursor'),
    );
    this.body = h('div', { class: 'ktl-lt-body', role: 'rowgroup' });
    this.el = h('div', { class: 'ktl-lane-table', role: 'grid', id: 'ktl-lanes', 'aria-label': 'Lanes and their state at the clock cursor', 'aria-colcount': 3 });
    this.el.append(h('div', { role: 'rowgroup' }, this.header), this.body);
    this.el.addEventListener('keydown', (e) => this.onKey(e));
    this.el.addEventListener(
      'wheel',
      (e) => {
        if (!this.model || e.ctrlKey) return;
        e.preventDefault();
        const delta = Math.abs(e.deltaY) >= Math.abs(e.deltaX) ? e.deltaY : e.deltaX;
        const steps = Math.sign(delta) * Math.max(1, Math.round(Math.abs(delta) / this.rowHeight));
        this.cb.onScroll(this.offset + steps);
      },
      { passive: false },
    );
    // Focus arriving on a row by other means (Tab, programmatic) makes it the current lane.
    this.body.addEventListener('focusin', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-lane]');
      if (row && Number(row.dataset.lane) !== this.focused) this.focusLane(Number(row.dataset.lane), false);
    });
    this.body.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-lane]');
      if (!row) return;
      const lane = Number(row.dataset.lane);
      this.focusLane(lane, true);
    });
  }

  get focusedLane(): number {
    return this.focused;
  }

  /** Positions the table so its rows line up with the chart's lanes. */
  setGeometry(lanesTop: number, rowHeight: number, visible: number): void {
    this.rowHeight = rowHeight;
    this.visible = visible;
    this.el.style.top = `${Math.max(0, lanesTop - 26)}px`;
    this.header.style.height = '26px';
    this.body.style.height = `${visible * rowHeight}px`;
  }

  setModel(model: TraceModel | undefined): void {
    this.model = model;
    this.focused = Math.min(this.focused, Math.max(0, (model?.lanes.length ?? 1) - 1));
    this.el.setAttribute('aria-rowcount', String((model?.lanes.length ?? 0) + 1));
  }

  /** Shows lanes [offset, offset + visible) with their state at `now`. */
  render(offset: number, now: number): void {
    const m = this.model;
    this.offset = offset;
    const hadFocus = this.el.contains(document.activeElement);
    if (!m) {
      this.body.replaceChildren();
      this.rows = [];
      return;
    }
    const end = Math.min(m.lanes.length, offset + this.visible);
    const rows: typeof this.rows = [];
    const frag = document.createDocumentFragment();
    for (let lane = offset; lane < end; lane++) {
      const l = m.lanes[lane] as Lane;
      const dot = h('span', { class: 'ktl-state-dot', 'aria-hidden': 'true' });
      const state = h('span', { class: 'ktl-state-text' });
      const remaining = h('div', { role: 'gridcell', class: 'ktl-lt-remaining' });
      // The pod shrinks (ellipsis) and the token source never does, so two tokens of one pod stay apart.
      const name = laneName(l);
      const kind = laneKindStyle(l.kind);
      const labelCell = h(
        'div',
        { role: 'gridcell', class: 'ktl-lt-label', title: `${name.full} (${kind.label})` },
        h('span', { class: `ktl-kind ktl-kind-${l.kind}`, 'aria-label': kind.label }, kind.short),
        h(
          'span',
          { class: 'ktl-lane-name' },
          ...(name.pod !== undefined ? [h('span', { class: 'ktl-lane-pod' }, name.pod), ' · ', h('span', { class: 'ktl-lane-source' }, name.source)] : [l.label]),
        ),
        name.namespace ? h('span', { class: 'ktl-lane-group' }, name.namespace) : null,
      );
      const row = h(
        'div',
        {
          role: 'row',
          class: 'ktl-lt-row',
          id: `ktl-lane-${lane}`,
          'data-lane': lane,
          'aria-rowindex': lane + 2,
          tabindex: lane === this.focused ? 0 : -1,
          'aria-selected': lane === this.focused ? 'true' : 'false',
        },
        labelCell,
        h('div', { role: 'gridcell', class: 'ktl-lt-state' }, dot, state),
        remaining,
      );
      row.style.height = `${this.rowHeight}px`;
      frag.append(row);
      rows.push({ lane, row, state, dot, remaining, code: '' });
    }
    this.rows = rows;
    this.body.replaceChildren(frag);
    // Keep a tab stop even when the focused lane is scrolled out of the window.
    if (!rows.some((r) => r.lane === this.focused) && rows[0]) rows[0].row.tabIndex = 0;
    this.updateStates(now);
    if (hadFocus) this.rowOf(this.focused)?.focus({ preventScroll: true });
  }

  /** Refreshes the state column only (cheap: called on every clock frame). */
  updateStates(now: number): void {
    const m = this.model;
    if (!m) return;
    for (const r of this.rows) {
      const s: LaneState = m.stateAt(r.lane, now);
      if (r.code !== s.code) {
        r.dot.className = `ktl-state-dot ktl-state-${s.code}`;
        r.row.dataset.state = s.code;
        r.code = s.code;
      }
      if (r.state.textContent !== s.label) {
        r.state.textContent = s.label;
        r.state.title = s.label;
      }
      const text = s.jwtExpiry ? `${s.remaining} · ${s.jwtExpiry}` : s.remaining;
      if (r.remaining.title !== text) {
        r.remaining.replaceChildren(s.remaining, ...(s.jwtExpiry ? [h('span', { class: 'ktl-jwt-expiry' }, s.jwtExpiry)] : []));
        r.remaining.title = text;
      }
    }
  }

  /** Moves keyboard focus to a lane (scrolling the window via onScroll when needed). */
  focusLane(lane: number, moveDomFocus: boolean): void {
    const m = this.model;
    if (!m || m.lanes.length === 0) return;
    const target = Math.max(0, Math.min(m.lanes.length - 1, lane));
    const prev = this.focused;
    this.focused = target;
    if (target < this.offset) this.cb.onScroll(target);
    else if (target >= this.offset + this.visible) this.cb.onScroll(target - this.visible + 1);
    for (const r of this.rows) {
      const on = r.lane === target;
      r.row.tabIndex = on ? 0 : -1;
      r.row.setAttribute('aria-selected', on ? 'true' : 'false');
    }
    if (moveDomFocus) this.rowOf(target)?.focus({ preventScroll: true });
    if (prev !== target || moveDomFocus) this.cb.onFocusLane(target);
  }

  private rowOf(lane: number): HTMLDivElement | undefined {
    return this.rows.find((r) => r.lane === lane)?.row;
  }

  private onKey(e: KeyboardEvent): void {
    const m = this.model;
    if (!m || m.lanes.length === 0) return;
    const lane = this.focused;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        this.focusLane(lane + 1, true);
        break;
      case 'ArrowUp':
        this.focusLane(lane - 1, true);
        break;
      case 'PageDown':
        this.focusLane(lane + Math.max(1, this.visible - 1), true);
        break;
      case 'PageUp':
        this.focusLane(lane - Math.max(1, this.visible - 1), true);
        break;
      case 'Home':
        this.focusLane(0, true);
        break;
      case 'End':
        this.focusLane(m.lanes.length - 1, true);
        break;
      case 'ArrowRight':
        this.cb.onStep(lane, 1);
        break;
      case 'ArrowLeft':
        this.cb.onStep(lane, -1);
        break;
      case 'Enter':
      case ' ':
        this.cb.onEnter(lane);
        break;
      case 'Escape':
        this.cb.onEscape();
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }
}
