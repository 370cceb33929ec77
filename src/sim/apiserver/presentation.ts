/**
 * How the API server's part of a trace is shown. The API server owns the TokenRequest endpoint and
 * everything about issued tokens as the API defines them: the TokenRequest event (whoever sent it:
 * a kubelet token source or a refresher), the validity it reported, verification (a rejected token),
 * outages, the external signer's keys (rotation, sync), its two lanes, the request series, the
 * up/outage lane state and the summaries' outage list and the Simulations view's failed-request count.
 * Imports only the vocabulary (no engine code): the webview bundle imports it.
 */
import { formatDateTime } from '../units/datetime';
import { formatDuration } from '../units/duration';
import { rel, type LaneStateRule, type ModelPresentation, type SummarySection } from '../presentation';
import type { Trace } from '../trace';

/** Outage windows in time order, one line each: "API server: from → to (+2h → +3h30m, 1h30m)". */
function outageItems(trace: Trace): string[] {
  const labels = new Map(trace.lanes.map((l) => [l.id, l.label]));
  const { start } = trace.meta;
  return trace.spans
    .filter((s) => s.kind === 'outage')
    .sort((a, b) => a.start - b.start)
    .map(
      (o) =>
        `${labels.get(o.lane) ?? o.lane}: ${formatDateTime(o.start)} → ${formatDateTime(o.end)} ` +
        `(${rel(o.start - start)} → ${rel(o.end - start)}, ${formatDuration(o.end - o.start)})`,
    );
}

const outageSection: SummarySection = {
  id: 'apiserver.outages',
  text: (trace) => [{ kind: 'list', heading: 'Outages', items: outageItems(trace), empty: 'Outages: none' }],
  report: (trace) => [{ kind: 'list', heading: 'Outages', items: outageItems(trace), empty: 'No outages.' }],
  headline(trace) {
    let failures = 0;
    for (const e of trace.events) if (e.type === 'tokenRequest' && e.ok === false) failures++;
    return failures > 0 ? { text: `${failures} failed requests`, attention: true } : undefined;
  },
};

/** The API server and the signer are up or in an outage, also before their first outage. */
const availability: LaneStateRule = (lane, t) => {
  if (!lane.has('outage') && lane.kind !== 'apiServer' && lane.kind !== 'signer') return undefined;
  const end = lane.containing('outage', t);
  return end === undefined ? { code: 'up' } : { code: 'outage', remainingMs: end - t, remaining: 'to go' };
};

export const APISERVER_PRESENTATION: ModelPresentation = {
  model: 'apiserver',
  categories: [
    { id: 'requestOk', label: 'Token request', shape: 'circle', color: 'green', help: 'TokenRequest succeeded', dy: -5, rank: 10 },
    { id: 'requestFailed', label: 'Request failed', shape: 'cross', color: 'red', help: 'TokenRequest failed (outage, error, rejected spec)', dy: -5, rank: 20 },
    { id: 'rejected', label: 'Rejected / 401', shape: 'triangleDown', color: 'purple', help: 'A consumer rejected the credential (401, key dropped)', dy: 5, rank: 60 },
    { id: 'outage', label: 'Outage start / end', shape: 'bar', color: 'red', help: 'An API-server or signer outage began or ended', dy: 0, rank: 110 },
    { id: 'keys', label: 'Key rotation / sync', shape: 'arrow', color: 'purple', help: 'Signing keys rotated or re-synced', dy: 0, rank: 120 },
  ],
  events: [
    { type: 'tokenRequest', category: 'requestOk', failedCategory: 'requestFailed', label: 'Token request', failedLabel: 'Token request failed', status: 'fresh' },
    { type: 'tokenRejected', category: 'rejected', label: 'Token rejected', status: 'rejected' },
    { type: 'outageStart', category: 'outage', label: 'Outage started' },
    { type: 'outageEnd', category: 'outage', label: 'Outage ended' },
    { type: 'keyRotated', category: 'keys', label: 'Signing key rotated' },
    { type: 'keySync', category: 'keys', label: 'Signer keys synced' },
  ],
  spans: [
    { id: 'validity', label: 'Token validity', color: 'blue', alpha: 0.32, help: 'Issue → reported expiry, as the client sees it', rank: 10, layout: 'lifetime' },
    { id: 'outage', label: 'Outage', color: 'red', alpha: 0.4, help: 'API server / signer unavailable', rank: 30, layout: 'band', backdrop: true },
  ],
  lanes: [
    { kind: 'apiServer', label: 'API server', short: 'API' },
    { kind: 'signer', label: 'Signer', short: 'SIG' },
  ],
  series: [
    { name: 'tokenRequests', label: 'Token requests', color: 'blue', kind: 'bar', measure: 'counter' },
    { name: 'tokenRequestFailures', label: 'Request failures', color: 'red', kind: 'bar', measure: 'counter' },
  ],
  laneStates: [availability],
  sections: [outageSection],
};
