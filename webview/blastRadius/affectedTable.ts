/**
 * The affected tokens: a sortable table (a button in each header: click, Enter or Space; aria-sort on
 * the header cell), a filter box and pages of rows, so that 100,000 tokens stay responsive (only one
 * page is in the DOM). Each row's "Timeline" button asks the host to open that token's timeline.
 */
import type { AffectedToken, BlastRadiusResult, TokenKind } from '../../src/sim/blastRadius/blastRadiusResult';
import { anchorExplanation, anchorText, afterOutageStartText, durationRangeText, kindLabel, kindShortLabel, timeRangeText, verdictText } from '../../src/sim/blastRadius/blastRadiusText';
import { h } from '../dom';
import { formatCount } from '../format';
import { DEFAULT_SORT, filterAffected, sortAffected, type SortKey, type SortOrder } from './affectedRows';

export const PAGE_SIZE = 100;

interface Column {
  key: SortKey;
  label: string;
  title: string;
}

const COLUMNS: readonly Column[] = [
  { key: 'namespace', label: 'Namespace', title: 'Sort by namespace' },
  { key: 'pod', label: 'Pod', title: 'Sort by pod name' },
  { key: 'token', label: 'Token', title: 'Sort by volume and file' },
  { key: 'kind', label: 'Kind', title: 'Sort by audience and lifetime' },
  { key: 'verdict', label: 'Verdict', title: 'Sort by how many runs it expired in' },
  { key: 'expiry', label: 'Expires (kubelet)', title: "Sort by when the kubelet's TokenRequest expiry falls" },
  { key: 'expiredFor', label: 'File held expired token', title: 'Sort by how long the pod read an expired token' },
  { key: 'anchor', label: 'History from', title: 'Sort by how the start of the pod history is known' },
];

export interface AffectedTableEvents {
  onOpenTimeline(podIndex: number, tokenIndex: number): void;
}

export class AffectedTable {
  readonly el: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly status: HTMLParagraphElement;
  private readonly headRow: HTMLTableRowElement;
  private readonly body: HTMLTableSectionElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private result: BlastRadiusResult | undefined;
  private kinds = new Map<string, TokenKind>();
  private order: SortOrder = DEFAULT_SORT;
  private query = '';
  private view: number[] = [];
  private page = 0;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly events: AffectedTableEvents) {
    this.filterInput = h('input', {
      type: 'search',
      id: 'br-filter',
      class: 'br-filter',
      placeholder: 'Filter by namespace, pod, volume or audience',
      'aria-label': 'Filter the affected tokens by namespace, pod, volume or audience',
      'aria-controls': 'br-affected-table',
    });
    this.filterInput.addEventListener('input', () => {
      // Debounced: typing into 100,000 rows must not re-filter on every key.
      if (this.filterTimer) clearTimeout(this.filterTimer);
      this.filterTimer = setTimeout(() => this.setQuery(this.filterInput.value), 120);
    });
    this.filterInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        if (this.filterTimer) clearTimeout(this.filterTimer);
        this.setQuery(this.filterInput.value);
      }
    });
    this.status = h('p', { class: 'br-table-status', id: 'br-affected-status', 'aria-live': 'polite' });
    this.headRow = h('tr', {});
    this.body = h('tbody', {});
    const table = h(
      'table',
      { class: 'br-table br-affected', id: 'br-affected-table', 'aria-describedby': 'br-affected-status' },
      h('caption', { class: 'br-visually-hidden' }, 'Tokens that expired in at least one run'),
      h('thead', {}, this.headRow),
      this.body,
    );
    this.prev = h('button', { type: 'button', class: 'br-button br-secondary', id: 'br-page-prev' }, 'Previous page');
    this.next = h('button', { type: 'button', class: 'br-button br-secondary', id: 'br-page-next' }, 'Next page');
    this.prev.addEventListener('click', () => this.goTo(this.page - 1));
    this.next.addEventListener('click', () => this.goTo(this.page + 1));
    this.el = h(
      'div',
      { class: 'br-affected-wrap' },
      h('div', { class: 'br-table-tools' }, this.filterInput, this.status),
      h('div', { class: 'br-table-scroll' }, table),
      h('div', { class: 'br-pager', role: 'group', 'aria-label': 'Pages of affected tokens' }, this.prev, this.next),
    );
    this.renderHead();
  }

  setResult(result: BlastRadiusResult): void {
    this.result = result;
    this.kinds = new Map(result.kinds.map((k) => [k.kind.key, k.kind]));
    this.recompute(true);
  }

  setQuery(query: string): void {
    if (query === this.query) return;
    this.query = query;
    this.recompute(true);
  }

  /** Sorts by `key`; the same key again flips the direction. */
  sortBy(key: SortKey): void {
    this.order = this.order.key === key ? { key, direction: this.order.direction === 'ascending' ? 'descending' : 'ascending' } : { key, direction: 'ascending' };
    this.renderHead();
    this.recompute(true);
    (this.headRow.querySelector(`button[data-sort="${key}"]`) as HTMLButtonElement | null)?.focus();
  }

  get sortOrder(): SortOrder {
    return this.order;
  }

  /** The shown rows, as indices into result.affected (test hook). */
  get shownIndices(): number[] {
    return this.view.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
  }

  private recompute(resetPage: boolean): void {
    const r = this.result;
    if (!r) return;
    this.view = sortAffected(filterAffected(r.affected, this.kinds, this.query), r.affected, this.kinds, this.order);
    if (resetPage) this.page = 0;
    this.renderBody();
  }

  private goTo(page: number): void {
    const pages = Math.max(1, Math.ceil(this.view.length / PAGE_SIZE));
    this.page = Math.min(Math.max(0, page), pages - 1);
    this.renderBody();
  }

  private renderHead(): void {
    const cells = COLUMNS.map((c) => {
      const sorted = this.order.key === c.key;
      const button = h(
        'button',
        { type: 'button', class: 'br-sort', 'data-sort': c.key, title: c.title },
        c.label,
        h('span', { class: 'br-sort-mark', 'aria-hidden': 'true' }, sorted ? (this.order.direction === 'ascending' ? ' ▲' : ' ▼') : ''),
      );
      button.addEventListener('click', () => this.sortBy(c.key));
      return h('th', { scope: 'col', 'aria-sort': sorted ? this.order.direction : 'none', 'data-col': c.key }, button);
    });
    this.headRow.replaceChildren(...cells, h('th', { scope: 'col' }, h('span', { class: 'br-visually-hidden' }, 'Actions')));
  }

  private renderBody(): void {
    const r = this.result;
    if (!r) return;
    const shown = this.shownIndices;
    const rows = shown.map((i) => this.row(r, r.affected[i] as AffectedToken, i));
    if (rows.length === 0) {
      rows.push(h('tr', {}, h('td', { colspan: COLUMNS.length + 1, class: 'br-empty-cell' }, r.affected.length === 0 ? 'No token expires during the outage in any run.' : 'No affected token matches the filter.')));
    }
    this.body.replaceChildren(...rows);
    const total = r.affected.length;
    const from = this.view.length === 0 ? 0 : this.page * PAGE_SIZE + 1;
    const to = this.page * PAGE_SIZE + shown.length;
    const filtered = this.view.length === total ? '' : ` (filtered from ${formatCount(total)})`;
    this.status.textContent =
      this.view.length === 0 ? `Showing 0 of ${formatCount(total)} affected tokens.` : `Showing ${formatCount(from)}–${formatCount(to)} of ${formatCount(this.view.length)} affected tokens${filtered}.`;
    this.prev.disabled = this.page === 0;
    this.next.disabled = to >= this.view.length;
  }

  private row(r: BlastRadiusResult, t: AffectedToken, index: number): HTMLTableRowElement {
    const kind = this.kinds.get(t.kindKey);
    const open = h(
      'button',
      { type: 'button', class: 'br-button br-secondary br-timeline', 'aria-label': `Open the timeline of ${t.namespace}/${t.pod} ${t.volume}`, title: 'Open this token in the timeline' },
      'Timeline',
    );
    open.addEventListener('click', () => this.events.onOpenTimeline(t.podIndex, t.tokenIndex));
    return h(
      'tr',
      { 'data-index': index, 'data-verdict': t.verdict },
      h('td', {}, t.namespace),
      h('td', { class: 'br-pod' }, t.pod),
      h('td', { title: `${t.volume}/${t.path}` }, t.volume, h('span', { class: 'br-muted' }, `/${t.path}`)),
      h('td', { title: kind ? kindLabel(kind) : t.kindKey }, kind ? kindShortLabel(kind) : t.kindKey),
      h('td', { class: `br-verdict br-verdict-${t.verdict}` }, verdictText(t.runsExpired, r.runs)),
      h('td', { title: afterOutageStartText(t.expiryMs, r.outage) }, timeRangeText(t.expiryMs, r.outage.startMs)),
      h('td', {}, durationRangeText(t.expiredForMs)),
      h('td', { title: `The pod's history starts from ${anchorExplanation(t.anchor)}` }, anchorText(t.anchor)),
      h('td', {}, open),
    );
  }
}
