/**
 * What the timeline says about the run itself, above the chart: a notice about how the run was set
 * up (e.g. why its horizon was capped) and, while the panel is one side of a comparison, a table of
 * both runs' figures with the differing ones marked. Built with textContent only (CSP, no HTML).
 */
import type { ComparisonData } from '../src/protocol';
import { h } from './dom';

export class RunNotes {
  readonly el: HTMLElement;
  private readonly notice: HTMLParagraphElement;
  private readonly comparison: HTMLElement;

  constructor() {
    this.notice = h('p', { class: 'ktl-run-notice', id: 'ktl-run-notice' });
    this.comparison = h('section', { class: 'ktl-compare', id: 'ktl-compare', 'aria-label': 'Comparison of two runs' });
    this.el = h('div', { class: 'ktl-run-notes', id: 'ktl-run-notes' }, this.notice, this.comparison);
    this.show(undefined, undefined);
  }

  show(notice: string | undefined, comparison: ComparisonData | undefined): void {
    this.notice.textContent = notice ?? '';
    this.notice.hidden = notice === undefined;
    this.comparison.hidden = comparison === undefined;
    this.comparison.replaceChildren(...(comparison ? this.table(comparison) : []));
    this.el.hidden = notice === undefined && comparison === undefined;
  }

  private table(c: ComparisonData): HTMLElement[] {
    const here = c.side === 'left' ? 'this run (left)' : 'this run (right)';
    const other = c.side === 'left' ? c.rightTitle : c.leftTitle;
    const differing = c.rows.filter((r) => r.differs).length;
    const heading = h(
      'p',
      { class: 'ktl-compare-title' },
      `Compared with “${other}” (${c.side === 'left' ? 'right' : 'left'}): `,
      differing === 0 ? 'no figure differs.' : `${differing} ${differing === 1 ? 'figure differs' : 'figures differ'} (marked ≠).`,
    );
    const head = h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, `Left: ${c.leftTitle}`), h('th', { scope: 'col' }, `Right: ${c.rightTitle}`));
    const body = c.rows.map((r) =>
      h(
        'tr',
        { class: r.differs ? 'ktl-compare-differs' : undefined },
        h('th', { scope: 'row' }, `${r.differs ? '≠ ' : ''}${r.label}`),
        h('td', {}, r.left),
        h('td', {}, r.right),
      ),
    );
    const table = h('table', { class: 'ktl-compare-table', 'aria-label': `Figures of both runs; ${here} is ${c.side}` }, h('thead', {}, head), h('tbody', {}, ...body));
    return [heading, h('div', { class: 'ktl-compare-scroll' }, table)];
  }
}
