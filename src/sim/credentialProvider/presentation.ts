/**
 * How the credential providers' part of a trace is shown: the cache hit / miss / no-credentials
 * markers of image pulls, plugin runs (with the pulls that joined them), every cache entry's life and
 * its lingering after expiry, the cache-key lane state, and a per-provider table in the summaries.
 * Imports only the vocabulary (no engine code): the webview bundle imports it.
 */
import { count, type LaneStateRule, type ModelPresentation, type SummaryBlock, type SummaryCell, type SummarySection } from '../presentation';
import type { Trace } from '../trace';

interface ProviderTally {
  name: string;
  pulls: number;
  hits: number;
  misses: number;
  noCredentials: number;
  runs: number;
  failedRuns: number;
  joined: number;
}

/** Per provider lane: the pulls it answered and its plugin runs, from detailed lanes. */
function tallies(trace: Trace): ProviderTally[] {
  const byLane = new Map<string, ProviderTally>();
  const ownerOf = new Map<string, ProviderTally>();
  for (const lane of trace.lanes) {
    if (lane.kind === 'credentialProvider') {
      const t: ProviderTally = { name: lane.label, pulls: 0, hits: 0, misses: 0, noCredentials: 0, runs: 0, failedRuns: 0, joined: 0 };
      byLane.set(lane.id, t);
      ownerOf.set(lane.id, t);
    }
  }
  for (const lane of trace.lanes) {
    if (lane.kind !== 'cacheKey') continue;
    const owner = [...byLane.entries()].find(([id]) => lane.id.startsWith(`${id}/`))?.[1];
    if (owner !== undefined) ownerOf.set(lane.id, owner);
  }
  for (const e of trace.events) {
    const t = ownerOf.get(e.lane);
    if (t === undefined) continue;
    if (e.type === 'pull') {
      t.pulls++;
      const outcome = e.data?.outcome;
      if (outcome === 'hit') t.hits++;
      else if (outcome === 'miss') t.misses++;
      else t.noCredentials++;
    } else if (e.type === 'pluginExec') {
      t.runs++;
      if (e.ok === false) t.failedRuns++;
      const joined = e.data?.joined;
      if (typeof joined === 'number' && joined > 1) t.joined += joined - 1;
    }
  }
  return [...byLane.values()];
}

function perDay(n: number, trace: Trace): string {
  const days = (trace.meta.end - trace.meta.start) / 86_400_000;
  return days > 0 ? `${Math.round((n / days) * 10) / 10}` : '–';
}

function table(trace: Trace, heading: string | undefined): SummaryBlock[] {
  const rows: SummaryCell[][] = tallies(trace).map((t) => [t.name, t.pulls, t.hits, t.misses, t.noCredentials, t.runs, t.failedRuns, t.joined, perDay(t.runs, trace)]);
  const block: SummaryBlock = {
    kind: 'table',
    columns: ['provider', 'pulls', 'cache hits', 'misses', 'no credentials', 'plugin runs', 'failed runs', 'joined a run', 'runs / day'],
    rows,
    empty: 'No credential providers.',
  };
  if (heading !== undefined) block.heading = heading;
  return rows.length === 0 ? [] : [block];
}

const providerSection: SummarySection = {
  id: 'credentialProvider.providers',
  text: (trace) => table(trace, 'Credential providers'),
  report: (trace) => table(trace, undefined),
  headline(trace) {
    const none = tallies(trace).reduce((n, t) => n + t.noCredentials, 0);
    return none > 0 ? { text: count(none, 'pull without credentials', 'pulls without credentials'), attention: true } : undefined;
  },
};

/** A cache key is cached (time left), expired but still stored, or empty. */
const cacheKeyState: LaneStateRule = (lane, t) => {
  if (lane.kind !== 'cacheKey') return undefined;
  const valid = lane.containing('cacheEntry', t);
  if (valid !== undefined) return { code: 'cached', remainingMs: valid - t, remaining: 'left' };
  if (lane.containing('cacheLinger', t) !== undefined) return { code: 'expired' };
  return { code: 'empty' };
};

export const CREDENTIAL_PROVIDER_PRESENTATION: ModelPresentation = {
  model: 'credentialProvider',
  categories: [
    { id: 'cacheHit', label: 'Cache hit', shape: 'hollowCircle', color: 'green', help: 'A pull served from the cache', dy: -5, rank: 80 },
    { id: 'cacheMiss', label: 'Cache miss', shape: 'hollowDiamond', color: 'orange', help: 'Not in the cache (or expired there): the plugin ran', dy: -5, rank: 90 },
    { id: 'pullNoCredentials', label: 'No credentials', shape: 'hollowSquare', color: 'red', help: 'A pull got no credentials from this provider', dy: 5, rank: 95 },
    { id: 'pullUnmatched', label: 'No provider matches', shape: 'hollowDiamond', color: 'muted', help: "The image matches no provider's matchImages", dy: 0, rank: 96 },
    { id: 'cacheStore', label: 'Cached', shape: 'square', color: 'green', help: "A plugin's answer was stored in the cache", dy: 5, rank: 97 },
    { id: 'cacheRemoved', label: 'Cache entry removed', shape: 'hollowTriangle', color: 'muted', help: 'An expired entry was removed (on read, or by the 15-minute purge)', dy: 5, rank: 98 },
  ],
  events: [
    {
      type: 'pull',
      category: 'cacheHit',
      failedCategory: 'pullNoCredentials',
      label: 'Image pull',
      failedLabel: 'Image pull without credentials',
      outcomes: {
        hit: { category: 'cacheHit', label: 'Pull served from the cache' },
        miss: { category: 'cacheMiss', label: 'Pull not in the cache: plugin ran' },
        notMatched: { category: 'pullUnmatched', label: 'Pull of an image no provider matches' },
        noCredentials: { category: 'pullNoCredentials', label: 'Pull without credentials' },
        error: { category: 'pullNoCredentials', label: 'Pull failed: plugin run failed' },
      },
    },
    { type: 'pluginExec', category: 'pluginRun', failedCategory: 'pullNoCredentials', label: 'Plugin run', failedLabel: 'Plugin run failed' },
    { type: 'cacheStore', category: 'cacheStore', label: 'Stored in the cache' },
    { type: 'cacheExpire', category: 'cacheRemoved', label: 'Expired entry removed on read' },
    { type: 'cachePurge', category: 'cacheRemoved', label: 'Expired entry purged' },
    { type: 'echoRejected', category: 'rejected', label: 'Plugin returned the service-account token: answer dropped' },
  ],
  spans: [
    { id: 'cacheEntry', label: 'Cache entry', color: 'green', alpha: 0.35, help: "A cache entry's life: stored → expiry", rank: 40, layout: 'lifetime' },
    { id: 'cacheLinger', label: 'Expired, still stored', color: 'muted', alpha: 0.3, help: 'Expired, until a read or the purge removes it', rank: 41, layout: 'lifetime' },
    { id: 'pluginRun', label: 'Plugin run', color: 'purple', alpha: 0.35, help: 'A plugin run, start → answer', rank: 42, layout: 'lifetime' },
  ],
  lanes: [
    { kind: 'credentialProvider', label: 'Credential provider', short: 'CRP' },
    { kind: 'cacheKey', label: 'Cache key', short: 'KEY' },
    { kind: 'imagePulls', label: 'Image pulls', short: 'IMG' },
  ],
  series: [
    { name: 'imagePulls', label: 'Image pulls', color: 'green', kind: 'bar', measure: 'counter' },
    { name: 'pluginExecs', label: 'Plugin runs', color: 'purple', kind: 'bar', measure: 'counter' },
    { name: 'pullMisses', label: 'Pulls not served from cache', color: 'purple', kind: 'line', measure: 'counter' },
  ],
  laneStates: [cacheKeyState],
  sections: [providerSection],
};
