/**
 * The affected-tokens list as the table shows it: filtered by a text query and sorted by a column,
 * as an array of indices into result.affected (the rows themselves are never copied). Pure, so that
 * 100,000 rows sort in one pass and the table renders only a page of them.
 */
import type { AffectedToken, TokenKind } from '../../src/sim/blastRadius/blastRadiusResult';

export type SortKey = 'namespace' | 'pod' | 'token' | 'kind' | 'verdict' | 'expiry' | 'expiredFor' | 'anchor';
export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  key: SortKey;
  direction: SortDirection;
}

/** The result's own order: earliest expiry first. */
export const DEFAULT_SORT: SortOrder = { key: 'expiry', direction: 'ascending' };

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function audienceOf(kinds: ReadonlyMap<string, TokenKind>, t: AffectedToken): string {
  const k = kinds.get(t.kindKey);
  return k?.audience ?? 'api server';
}

function compare(a: AffectedToken, b: AffectedToken, key: SortKey, kinds: ReadonlyMap<string, TokenKind>): number {
  switch (key) {
    case 'namespace':
      return collator.compare(a.namespace, b.namespace);
    case 'pod':
      return collator.compare(a.pod, b.pod) || collator.compare(a.namespace, b.namespace);
    case 'token':
      return collator.compare(a.volume, b.volume) || collator.compare(a.path, b.path);
    case 'kind': {
      const ka = kinds.get(a.kindKey);
      const kb = kinds.get(b.kindKey);
      return collator.compare(audienceOf(kinds, a), audienceOf(kinds, b)) || (ka?.issuedSeconds ?? 0) - (kb?.issuedSeconds ?? 0);
    }
    case 'verdict':
      // More runs expired = more certain: "certain" sorts after "possible" ascending.
      return a.runsExpired - b.runsExpired;
    case 'expiry':
      return a.expiryMs.min - b.expiryMs.min || a.expiryMs.max - b.expiryMs.max;
    case 'expiredFor':
      return a.expiredForMs.max - b.expiredForMs.max || a.expiredForMs.min - b.expiredForMs.min;
    case 'anchor':
      return collator.compare(a.anchor, b.anchor);
  }
}

/** Indices of the rows that match `query` (namespace, pod, volume or audience contain it, any case). */
export function filterAffected(rows: readonly AffectedToken[], kinds: ReadonlyMap<string, TokenKind>, query: string): number[] {
  const q = query.trim().toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i] as AffectedToken;
    if (
      q === '' ||
      t.namespace.toLowerCase().includes(q) ||
      t.pod.toLowerCase().includes(q) ||
      t.volume.toLowerCase().includes(q) ||
      audienceOf(kinds, t).toLowerCase().includes(q)
    ) {
      out.push(i);
    }
  }
  return out;
}

/** Sorts row indices in place by `order`; ties keep the result's order (stable, either direction). */
export function sortAffected(indices: number[], rows: readonly AffectedToken[], kinds: ReadonlyMap<string, TokenKind>, order: SortOrder): number[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return indices.sort((i, j) => sign * compare(rows[i] as AffectedToken, rows[j] as AffectedToken, order.key, kinds) || i - j);
}
