/**
 * The text `kube-token-lens blast-radius` prints: the outage and how well each pod's history is known,
 * one row per token kind, the recovery herd against the API server's in-flight limit, the first
 * affected tokens, and what the answer assumes. The words come from src/sim/blastRadius/blastRadiusText.ts,
 * shared with the webview.
 */
import type { BlastRadiusResult } from '../sim/blastRadius/blastRadiusResult';
import type { SummaryCell } from '../sim/presentation';
import {
  anchorsSummaryText,
  anchorText,
  countRangeText,
  durationRangeText,
  EXTENDED_TOKEN_SENTENCE,
  inFlightSentence,
  kindLabel,
  kindShortLabel,
  NO_HELD_BACK_REFRESH,
  outageText,
  peakText,
  rangesStatement,
  timeRangeText,
  verdictText,
} from '../sim/blastRadius/blastRadiusText';
import { textTable } from './summary';

/** Affected tokens listed in the text (all of them are in --json). */
export const TEXT_AFFECTED_LIMIT = 20;

/** A small rate in the unit that keeps it readable: "12 per second", "3.5 per minute", "2 per hour". */
function steadyRate(perSecond: number): string {
  const f = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 1 : 0 });
  if (perSecond >= 0.1) return `${f(perSecond)} TokenRequests per second`;
  if (perSecond * 60 >= 0.1) return `${f(perSecond * 60)} TokenRequests per minute`;
  return `${f(perSecond * 3600)} TokenRequests per hour`;
}

export function formatBlastRadius(r: BlastRadiusResult, title: string): string {
  const out: string[] = [];
  const n = (v: number): string => v.toLocaleString('en-US');
  out.push(`Outage Blast Radius: ${title}`);
  out.push(`  API server down ${outageText(r.outage)}`);
  const plural = (v: number, one: string, many: string): string => `${n(v)} ${v === 1 ? one : many}`;
  out.push(`  ${plural(r.pods, 'pod', 'pods')}, ${plural(r.tokens, 'projected token', 'projected tokens')}, ${plural(r.runs, 'run', 'runs')} (seed ${r.seed})`);
  out.push(`  ${anchorsSummaryText(r.anchors)}`);
  out.push(`  ${rangesStatement(r.runs)}`);
  out.push('');

  out.push('Tokens by kind (expiry = the TokenRequest expiry the kubelet refreshes on):');
  const rows: SummaryCell[][] = r.kinds.map((k) => [
    kindShortLabel(k.kind),
    k.pods,
    k.tokens,
    k.certain,
    k.possible,
    k.never,
    k.earliestExpiryMs ? timeRangeText(k.earliestExpiryMs, r.outage.startMs) : '–',
  ]);
  for (const l of textTable(['kind', 'pods', 'tokens', 'certainly', 'possibly', 'never', 'first expiry'], rows)) out.push(`  ${l}`);
  for (const k of r.kinds) out.push(`  · ${kindShortLabel(k.kind)}: ${kindLabel(k.kind)}${k.expiredPerRun.max > 0 ? `; ${countRangeText(k.expiredPerRun)} expire per run` : ''}`);
  if (r.kinds.some((k) => k.kind.extended && k.certain + k.possible > 0)) out.push(`  Extended tokens: ${EXTENDED_TOKEN_SENTENCE}.`);
  out.push('');

  const h = r.herd;
  out.push('Recovery herd (TokenRequests when the API server is back):');
  if (h.catchUpRequests.max === 0) out.push(`  ${NO_HELD_BACK_REFRESH}: the outage delays no refresh.`);
  else {
    out.push(`  peak ${peakText(h)}; ${countRangeText(h.catchUpRequests)} held-back refreshes, done ${durationRangeText(h.durationMs)} after the outage ends`);
  }
  out.push(`  steady state before the outage: ${steadyRate(h.baselinePerSecond)}`);
  out.push(`  ${inFlightSentence(h)}`);
  out.push('');

  if (r.affected.length === 0) out.push('No token expires during the outage in any run.');
  else {
    const shown = r.affected.slice(0, TEXT_AFFECTED_LIMIT);
    out.push(`Tokens that expire (${shown.length < r.affected.length ? `first ${shown.length} of ${n(r.affected.length)}` : n(r.affected.length)}, soonest first):`);
    const kinds = new Map(r.kinds.map((k) => [k.kind.key, k.kind]));
    const affectedRows: SummaryCell[][] = shown.map((t) => {
      const kind = kinds.get(t.kindKey);
      return [
        `${t.namespace}/${t.pod}`,
        `${t.volume}/${t.path}`,
        kind ? kindShortLabel(kind) : t.kindKey,
        verdictText(t.runsExpired, r.runs),
        timeRangeText(t.expiryMs, r.outage.startMs),
        durationRangeText(t.expiredForMs),
        anchorText(t.anchor),
      ];
    });
    for (const l of textTable(['pod', 'token', 'kind', 'verdict', 'expires', 'expired for', 'history from'], affectedRows)) out.push(`  ${l}`);
  }
  out.push('');
  out.push('Assumptions:');
  for (const a of r.assumptions) out.push(`  - ${a}`);
  return `${out.join('\n')}\n`;
}
