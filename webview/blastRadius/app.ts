/**
 * The Outage Blast Radius page: builds everything inside #app (header, per-kind table, recovery herd,
 * affected tokens, assumptions) and talks to the host through src/blastRadiusProtocol.ts.
 */
import { dispatchMessage, type MessageHandlers } from '../../src/protocol';
import type { BlastRadiusHostMessage, BlastRadiusPageMessage } from '../../src/blastRadiusProtocol';
import type { BlastRadiusResult } from '../../src/sim/blastRadius/blastRadiusResult';
import {
  anchorsSummaryText,
  countRangeText,
  durationRangeText,
  inFlightSentence,
  NO_HELD_BACK_REFRESH,
  outageText,
  peakText,
  rangesStatement,
} from '../../src/sim/blastRadius/blastRadiusText';
import { h, ICONS, svgIcon } from '../dom';
import { formatCount } from '../format';
import { observeTheme, readPalette } from '../theme';
import { Tooltip } from '../tooltip';
import { AffectedTable } from './affectedTable';
import { HerdChart } from './herdChart';
import { renderKindsTable } from './kindsTable';

export interface BlastRadiusHost {
  postMessage(message: BlastRadiusPageMessage): void;
}

export class BlastRadiusApp {
  private result: BlastRadiusResult | undefined;
  private busy = false;
  private paintedAt = 0;
  private readonly titleEl: HTMLHeadingElement;
  private readonly scopeEl: HTMLParagraphElement;
  private readonly facts: HTMLDListElement;
  private readonly statement: HTMLParagraphElement;
  private readonly banner: HTMLDivElement;
  private readonly bannerText: HTMLSpanElement;
  private readonly progress: HTMLDivElement;
  private readonly progressText: HTMLSpanElement;
  private readonly main: HTMLElement;
  private readonly empty: HTMLParagraphElement;
  private readonly kindsEl: HTMLDivElement;
  private readonly herdFacts: HTMLDListElement;
  private readonly herdSentence: HTMLParagraphElement;
  private readonly assumptions: HTMLUListElement;
  private readonly actionButtons: HTMLButtonElement[];
  readonly herdChart: HerdChart;
  readonly affected: AffectedTable;

  constructor(
    root: HTMLElement,
    private readonly host: BlastRadiusHost,
  ) {
    const button = (id: string, label: string, title: string, message: BlastRadiusPageMessage, primary = false): HTMLButtonElement => {
      const b = h('button', { type: 'button', id, class: primary ? 'br-button' : 'br-button br-secondary', title }, label);
      b.addEventListener('click', () => this.post(message));
      return b;
    };
    this.actionButtons = [
      button('br-change-outage', 'Change outage…', 'Choose another outage and run the analysis again', { type: 'changeOutage' }, true),
      button('br-export-json', 'Export JSON', 'Save the whole result as JSON', { type: 'export', format: 'json' }),
      button('br-export-csv', 'Export CSV', 'Save the affected tokens as CSV', { type: 'export', format: 'csv' }),
    ];
    this.titleEl = h('h1', { id: 'br-title' }, 'Outage blast radius');
    this.scopeEl = h('p', { class: 'br-scope', id: 'br-scope' });
    this.facts = h('dl', { class: 'br-facts', id: 'br-facts' });
    this.statement = h('p', { class: 'br-statement', id: 'br-statement' });
    const header = h(
      'header',
      { class: 'br-header' },
      h('div', { class: 'br-titles' }, this.titleEl, this.scopeEl),
      h('div', { class: 'br-actions', role: 'group', 'aria-label': 'Outage and export' }, ...this.actionButtons),
    );

    this.progressText = h('span', { id: 'br-progress-text' }, 'Running the analysis…');
    this.progress = h('div', { class: 'br-progress', id: 'br-progress', role: 'status' }, h('span', { class: 'br-spinner', 'aria-hidden': 'true' }), this.progressText);
    this.progress.hidden = true;
    this.bannerText = h('span', { id: 'br-banner-text' });
    const dismiss = h('button', { type: 'button', class: 'br-icon-button', 'aria-label': 'Dismiss error', title: 'Dismiss' }, svgIcon([...ICONS.close]));
    dismiss.addEventListener('click', () => (this.banner.hidden = true));
    this.banner = h('div', { class: 'br-banner', id: 'br-banner', role: 'alert' }, this.bannerText, dismiss);
    this.banner.hidden = true;

    this.empty = h('p', { class: 'br-empty', id: 'br-empty' }, 'Waiting for the analysis…');
    this.kindsEl = h('div', { class: 'br-table-scroll', id: 'br-kinds' });

    const tooltip = new Tooltip(document.body);
    const chartEl = h('div', { class: 'br-herd-chart', id: 'br-herd-chart' });
    this.herdFacts = h('dl', { class: 'br-facts br-herd-facts', id: 'br-herd-facts' });
    this.herdSentence = h('p', { class: 'br-herd-sentence', id: 'br-herd-sentence' });
    this.affected = new AffectedTable({ onOpenTimeline: (podIndex, tokenIndex) => this.post({ type: 'openTimeline', podIndex, tokenIndex }) });
    this.assumptions = h('ul', { class: 'br-assumptions', id: 'br-assumptions' });

    const section = (id: string, title: string, ...children: Node[]): HTMLElement =>
      h('section', { class: 'br-section', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
    this.main = h(
      'main',
      { class: 'br-main', id: 'br-main' },
      section('br-kinds-section', 'Per token kind', this.kindsEl),
      section('br-herd', 'Recovery herd', h('div', { class: 'br-herd-body' }, chartEl, h('div', { class: 'br-herd-side' }, this.herdFacts, this.herdSentence))),
      section('br-affected', 'Affected tokens', this.affected.el),
      section('br-assumptions-section', 'What this assumes', this.assumptions),
    );
    this.main.hidden = true;
    root.replaceChildren(h('div', { class: 'br-root' }, header, this.facts, this.statement, this.progress, this.banner, this.empty, this.main));

    this.herdChart = new HerdChart(chartEl, tooltip, readPalette(), () => this.onPainted());
    observeTheme(() => this.herdChart.setPalette(readPalette()));
  }

  /** One handler per host message type: a new type does not compile until it is handled here. */
  private readonly handlers: MessageHandlers<BlastRadiusHostMessage> = {
    showResult: (m) => {
      this.banner.hidden = true;
      this.show(m.title, m.scope, m.result);
      this.setBusy(false);
    },
    busy: (m) => this.setBusy(m.on, m.message),
    error: (m) => {
      this.setBusy(false);
      this.showError(m.message);
    },
  };

  handle(message: BlastRadiusHostMessage): void {
    dispatchMessage(this.handlers, message);
  }

  showError(text: string): void {
    this.bannerText.textContent = text;
    this.banner.hidden = false;
  }

  reportError(text: string): void {
    this.post({ type: 'reportError', message: text });
  }

  private post(message: BlastRadiusPageMessage): void {
    this.host.postMessage(message);
  }

  private setBusy(on: boolean, message?: string): void {
    this.busy = on;
    this.progress.hidden = !on;
    this.progressText.textContent = message ?? 'Running the analysis…';
    this.main.setAttribute('aria-busy', String(on));
    // Another outage cannot be asked for while one runs; exports still write what is shown.
    (this.actionButtons[0] as HTMLButtonElement).disabled = on;
  }

  private show(title: string, scope: string, r: BlastRadiusResult): void {
    this.result = r;
    this.titleEl.textContent = title;
    this.scopeEl.textContent = scope;
    const fact = (label: string, value: string, id: string): HTMLElement[] => [h('dt', {}, label), h('dd', { id }, value)];
    this.facts.replaceChildren(
      ...fact('Outage', outageText(r.outage), 'br-outage'),
      ...fact('Sampled', `${formatCount(r.runs)} run${r.runs === 1 ? '' : 's'} · ${formatCount(r.pods)} pods · ${formatCount(r.tokens)} tokens`, 'br-sampled'),
      ...fact('Pod histories', anchorsSummaryText(r.anchors), 'br-anchors'),
    );
    this.statement.textContent = rangesStatement(r.runs);
    this.kindsEl.replaceChildren(renderKindsTable(r));

    const herd = r.herd;
    const heldBack = herd.catchUpRequests.max > 0;
    const hf = (label: string, value: string, id: string): HTMLElement[] => [h('dt', {}, label), h('dd', { id }, value)];
    this.herdFacts.replaceChildren(
      ...(heldBack
        ? [
            ...hf('Peak', peakText(herd), 'br-herd-peak'),
            ...hf('Lasts', `${durationRangeText(herd.durationMs)} after the outage ends`, 'br-herd-duration'),
            ...hf('Catch-up requests', countRangeText(herd.catchUpRequests), 'br-herd-catchup'),
          ]
        : [h('dt', {}, 'Catch-up'), h('dd', { id: 'br-herd-none' }, NO_HELD_BACK_REFRESH)]),
      ...hf('Baseline', `${herd.baselinePerSecond.toLocaleString('en-US', { maximumFractionDigits: 2 })} TokenRequests per second before the outage`, 'br-herd-baseline'),
    );
    this.herdSentence.textContent = inFlightSentence(herd);
    this.affected.setResult(r);
    this.assumptions.replaceChildren(...r.assumptions.map((a) => h('li', {}, a)));
    this.empty.hidden = true;
    this.main.hidden = false;
    this.herdChart.chart.resize();
    this.herdChart.show(herd, r.outage.startMs + r.outage.durationMs);
  }

  private onPainted(): void {
    this.paintedAt = performance.now();
    window.dispatchEvent(new CustomEvent('ktl-painted'));
  }

  /** Test hook: what is shown. */
  snapshot(): Record<string, unknown> {
    return {
      busy: this.busy,
      paintedAt: this.paintedAt,
      affected: this.result?.affected.length ?? 0,
      shown: this.affected.shownIndices,
      sort: this.affected.sortOrder,
    };
  }
}
