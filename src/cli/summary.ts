/**
 * The default output of `simulate`: a readable summary of a Trace. The run's header, then each
 * registered model's summary section (src/sim/presentations.ts), rendered as text.
 */
import type { SummaryBlock, SummaryCell } from '../sim/presentation';
import { LOOKUP, SUMMARY_SECTIONS } from '../sim/presentations';
import type { Trace } from '../sim/trace';
import { formatDuration, iso } from './timefmt';
import { plainRuleText } from '../sim/ruleText';

export function formatSummary(trace: Trace): string {
  const { meta } = trace;
  const head: string[] = [];
  head.push(meta.name === undefined ? 'Simulation' : `Simulation: ${meta.name}`);
  head.push(`  ${iso(meta.start)} → ${iso(meta.end)} (${formatDuration(meta.end - meta.start)}), seed ${meta.seed}`);
  if (meta.models.length > 0) head.push(`  models: ${meta.models.map(plainRuleText).join(', ')}`);
  const blocks = SUMMARY_SECTIONS.flatMap((s) => s.text(trace, LOOKUP)).map(textBlock);
  // One blank line between the header and each block.
  return `${[head, ...blocks].map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function textBlock(b: SummaryBlock): string[] {
  switch (b.kind) {
    case 'line':
      return [plainRuleText(b.text)];
    case 'table': {
      const lines = b.heading === undefined ? [] : [b.heading];
      if (b.rows.length === 0) return [...lines, `  ${b.empty}`];
      return [...lines, ...textTable(b.columns, b.rows).map((l) => `  ${l}`)];
    }
    case 'list':
      return b.items.length === 0 ? [b.empty] : [`${b.heading}:`, ...b.items.map((i) => `  ${i}`)];
  }
}

const cellText = (c: SummaryCell | undefined): string => (c === undefined ? '' : typeof c === 'object' ? c.text : String(c));

/** Columns two spaces apart: text left-aligned, numbers right-aligned; the last column unpadded. */
export function textTable(columns: readonly string[], rows: readonly SummaryCell[][]): string[] {
  const last = columns.length - 1;
  const width = columns.map((c, j) => Math.max(c.length, ...rows.map((r) => cellText(r[j]).length)));
  const numeric = columns.map((_, j) => rows.some((r) => typeof r[j] === 'number'));
  const pad = (text: string, j: number): string => (j === last ? text : numeric[j] ? text.padStart(width[j] ?? 0) : text.padEnd(width[j] ?? 0));
  return [columns.map((c, j) => pad(c, j)).join('  '), ...rows.map((r) => columns.map((_, j) => pad(cellText(r[j]), j)).join('  '))];
}
