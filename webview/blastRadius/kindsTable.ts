/**
 * One row per token kind (audience × lifetime × extended): pods, tokens, how many certainly / possibly /
 * never expire during the outage, the earliest expiry as a range and expired tokens per run. Extended
 * kinds carry the sentence that says what their expiry means (the API server still accepts them).
 */
import type { BlastRadiusResult, KindSummary } from '../../src/sim/blastRadius/blastRadiusResult';
import { afterOutageStartText, countRangeText, EXTENDED_TOKEN_SENTENCE, kindLabel, timeRangeText } from '../../src/sim/blastRadius/blastRadiusText';
import { h } from '../dom';
import { formatCount } from '../format';

const HEADERS: ReadonlyArray<[string, string | undefined]> = [
  ['Token kind', undefined],
  ['Pods', undefined],
  ['Tokens', undefined],
  ['Certainly expire', 'Expire during the outage in every sampled run'],
  ['Possibly expire', 'Expire during the outage in some of the sampled runs'],
  ['Never expire', 'Expire during the outage in none of the sampled runs'],
  ['Earliest expiry (kubelet)', "The first TokenRequest expiry of this kind inside the outage, over the runs"],
  ['Expired per run', 'How many tokens of this kind expired in one run'],
];

export function renderKindsTable(result: BlastRadiusResult): HTMLTableElement {
  const head = h('tr', {}, ...HEADERS.map(([label, title]) => h('th', { scope: 'col', title }, label)));
  const rows = result.kinds.map((k) => kindRow(result, k));
  if (rows.length === 0) rows.push(h('tr', {}, h('td', { colspan: HEADERS.length, class: 'br-empty-cell' }, 'No projected service-account tokens in scope.')));
  return h(
    'table',
    { class: 'br-table br-kinds', id: 'br-kinds-table' },
    h('caption', { class: 'br-visually-hidden' }, 'Token kinds and how many expire during the outage'),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
}

function kindRow(result: BlastRadiusResult, s: KindSummary): HTMLTableRowElement {
  const label = h('td', { class: 'br-kind-label' }, h('div', {}, kindLabel(s.kind)));
  if (s.kind.extended) label.append(h('p', { class: 'br-extended-note' }, `${EXTENDED_TOKEN_SENTENCE}.`));
  const earliest = s.earliestExpiryMs
    ? h(
        'td',
        { class: 'br-earliest' },
        h('div', {}, timeRangeText(s.earliestExpiryMs, result.outage.startMs)),
        h('div', { class: 'br-muted' }, afterOutageStartText(s.earliestExpiryMs, result.outage)),
      )
    : h('td', { class: 'br-muted' }, 'none during the outage');
  const num = (n: number, cls = ''): HTMLTableCellElement => h('td', { class: `br-num ${cls}`.trim() }, formatCount(n));
  return h(
    'tr',
    { 'data-kind': s.kind.key, 'data-extended': String(s.kind.extended) },
    label,
    num(s.pods),
    num(s.tokens),
    num(s.certain, s.certain > 0 ? 'br-certain' : ''),
    num(s.possible, s.possible > 0 ? 'br-possible' : ''),
    num(s.never),
    earliest,
    h('td', { class: 'br-num' }, countRangeText(s.expiredPerRun)),
  );
}
