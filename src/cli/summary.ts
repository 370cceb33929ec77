/** The default output of `simulate`: a readable summary of a Trace, one row per token lane. */
import type { Trace } from '../sim/trace';
import { laneStats, totals, type LaneStats } from './stats';
import { count, formatDuration, iso, rel } from './timefmt';

const COLUMNS = ['ISSUED', 'ATTEMPTS', 'FAILED', 'STALE', 'EXPIRED', 'REJECTED'] as const;

export function formatSummary(trace: Trace): string {
  const { meta } = trace;
  const out: string[] = [];
  out.push(meta.name === undefined ? 'Simulation' : `Simulation: ${meta.name}`);
  out.push(`  ${iso(meta.start)} → ${iso(meta.end)} (${formatDuration(meta.end - meta.start)}), seed ${meta.seed}`);
  if (meta.models.length > 0) out.push(`  models: ${meta.models.join(', ')}`);
  out.push('');

  const stats = laneStats(trace);
  const tokenLanes = trace.lanes.filter((l) => l.kind === 'token' || l.kind === 'refresher');
  out.push(`Token lanes (${stats.length} with detail${meta.lanesTotal > trace.lanes.length ? `, of ${meta.lanesTotal} lanes in all` : ''}):`);
  if (tokenLanes.length === 0) out.push('  (none)');
  else out.push(...laneTable(stats, trace.meta.end));
  out.push('');

  const t = totals(trace, stats);
  const partial = meta.lanesTotal > trace.lanes.length ? ' (lanes with detail)' : '';
  out.push(
    `Totals: ${t.issued} issued, ${count(t.attempts, 'TokenRequest')}, ${t.failures} failed, ${count(t.stale, 'stale serve')}, ` +
      `${count(t.expiries, 'expiry', 'expiries')}${partial}` +
      (t.rejected > 0 ? `, ${count(t.rejected, 'rejection')}${partial}` : '') +
      (t.peakExpired !== undefined && t.peakExpired > 0 ? `; at most ${count(t.peakExpired, 'token')} expired at once` : ''),
  );
  out.push('');

  const outages = trace.spans.filter((s) => s.kind === 'outage').sort((a, b) => a.start - b.start);
  const labels = new Map(trace.lanes.map((l) => [l.id, l.label]));
  out.push(outages.length === 0 ? 'Outages: none' : 'Outages:');
  for (const o of outages) {
    out.push(
      `  ${labels.get(o.lane) ?? o.lane}: ${iso(o.start)} → ${iso(o.end)} ` +
        `(${rel(o.start - meta.start)} → ${rel(o.end - meta.start)}, ${formatDuration(o.end - o.start)})`,
    );
  }
  return `${out.join('\n')}\n`;
}

function laneTable(stats: LaneStats[], end: number): string[] {
  const names = stats.map((s) => (s.lane.group === undefined ? s.lane.label : `${s.lane.group} ${s.lane.label}`));
  const width = Math.max(4, ...names.map((n) => n.length));
  const header = ['LANE'.padEnd(width), ...COLUMNS].join('  ') + '  NEXT REFRESH WINDOW (from the last issued token)';
  const rows = stats.map((s, i) => {
    const counts = [s.issued, s.attempts, s.failures, s.stale, s.expiries, s.rejected].map((n, j) =>
      String(n).padStart(COLUMNS[j]?.length ?? 0),
    );
    return ['  ' + (names[i] ?? '').padEnd(width), ...counts, windowText(s, end)].join('  ');
  });
  return ['  ' + header, ...rows];
}

export function windowText(s: LaneStats, end: number): string {
  const w = s.next;
  if (w === undefined) {
    if (s.issued === 0) return 'none (no token issued)';
    return s.lane.kind === 'token' ? 'never (no expirationSeconds)' : '—';
  }
  const after = w.earliest > end ? ', after the horizon' : '';
  return `${iso(w.earliest)} … ${iso(w.latest)} (issue ${rel(w.earliest - w.issuedAt)} … ${rel(w.latest - w.issuedAt)}, ${w.label}${after})`;
}
