/**
 * Hover tooltip rendered by this view from the hovered datum, with DOM nodes and the CSSOM.
 * We do not use ECharts' tooltip component: its HTML tooltip writes inline `style` attributes, which
 * would need 'unsafe-inline' in style-src. This way the page's CSP needs no 'unsafe-inline' at all.
 */
import { h } from './dom';

export interface TooltipContent {
  /** Colour swatch + title line. */
  title: string;
  swatch?: string;
  /** Label/value rows. */
  rows: Array<[string, string]>;
  /** The rule that caused the item (shown emphasised). */
  rule?: string;
  note?: string;
}

export class Tooltip {
  readonly el: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.el = h('div', { class: 'ktl-tooltip', role: 'tooltip', id: 'ktl-tooltip', hidden: true });
    parent.append(this.el);
  }

  show(content: TooltipContent, x: number, y: number): void {
    const title = h('div', { class: 'ktl-tooltip-title' });
    if (content.swatch) {
      const sw = h('span', { class: 'ktl-swatch' });
      sw.style.backgroundColor = content.swatch;
      title.append(sw);
    }
    title.append(content.title);
    const rows = h('dl', { class: 'ktl-tooltip-rows' });
    for (const [k, v] of content.rows) rows.append(h('dt', {}, k), h('dd', {}, v));
    this.el.replaceChildren(title, rows);
    if (content.rule) this.el.append(h('div', { class: 'ktl-tooltip-rule' }, content.rule));
    if (content.note) this.el.append(h('div', { class: 'ktl-tooltip-note' }, content.note));
    this.el.hidden = false;
    this.move(x, y);
  }

  /** Places the box near viewport point (x, y), flipped to stay inside the viewport. */
  move(x: number, y: number): void {
    const pw = document.documentElement.clientWidth;
    const ph = document.documentElement.clientHeight;
    const w = this.el.offsetWidth;
    const hgt = this.el.offsetHeight;
    let left = x + 14;
    let top = y + 14;
    if (left + w > pw - 4) left = Math.max(4, x - w - 14);
    if (top + hgt > ph - 4) top = Math.max(4, y - hgt - 14);
    this.el.style.left = `${left}px`;
    this.el.style.top = `${top}px`;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
