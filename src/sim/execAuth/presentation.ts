/**
 * How the exec-auth part of a trace is shown: each kubeconfig user × client lane with its requests
 * (200 / 401 / failed before sending), plugin runs, credential rotations and revocations, the life
 * of each credential (and a long-lived client holding one past expiry), the lane state, and a
 * per-client table of what the setup costs a day in plugin runs and 401s.
 * Imports only the vocabulary (no engine code): the webview bundle imports it.
 */
import { count, type LaneStateRule, type ModelPresentation, type SummaryBlock, type SummaryCell, type SummarySection } from '../presentation';
import type { Trace } from '../trace';

interface ClientTally {
  user: string;
  client: string;
  requests: number;
  unauthorized: number;
  failed: number;
  /** Sent, then cut when a new client certificate closed the connections. */
  cut: number;
  runs: number;
  failedRuns: number;
  /** Credentials this client took in that it had not used before. */
  credentials: number;
  processes: number;
}

function tallies(trace: Trace): ClientTally[] {
  const byLane = new Map<string, ClientTally & { seen: Set<number> }>();
  for (const lane of trace.lanes) {
    if (lane.kind !== 'kubeconfigUser') continue;
    byLane.set(lane.id, { user: lane.group ?? '', client: lane.label, requests: 0, unauthorized: 0, failed: 0, cut: 0, runs: 0, failedRuns: 0, credentials: 0, processes: 0, seen: new Set() });
  }
  for (const e of trace.events) {
    const t = byLane.get(e.lane);
    if (t === undefined) continue;
    const process = e.data?.process;
    if (typeof process === 'number') t.seen.add(process);
    if (e.type === 'request') {
      t.requests++;
      if (e.data?.status === 401) t.unauthorized++;
      else if (e.data?.outcome === 'connectionClosed') t.cut++;
      else if (e.ok === false) t.failed++;
    } else if (e.type === 'pluginRun') {
      t.runs++;
      if (e.ok === false) t.failedRuns++;
    } else if (e.type === 'credsRotated') t.credentials++;
  }
  return [...byLane.values()].map(({ seen, ...t }) => ({ ...t, processes: seen.size }));
}

function perDay(n: number, trace: Trace): string {
  const days = (trace.meta.end - trace.meta.start) / 86_400_000;
  return days > 0 ? `${Math.round((n / days) * 10) / 10}` : '–';
}

function table(trace: Trace, heading: string | undefined, columns: readonly string[]): SummaryBlock[] {
  const rows: SummaryCell[][] = tallies(trace).map((t) => [
    t.user,
    t.client,
    t.processes,
    t.requests,
    t.unauthorized,
    t.failed,
    t.runs,
    t.failedRuns,
    t.credentials,
    perDay(t.runs, trace),
    perDay(t.unauthorized, trace),
  ]);
  const block: SummaryBlock = { kind: 'table', columns, rows, empty: 'No kubeconfig users.' };
  if (heading !== undefined) block.heading = heading;
  return rows.length === 0 ? [] : [block];
}

const TEXT_COLUMNS = ['user', 'client', 'processes', 'requests', '401s', 'failed', 'plugin runs', 'failed runs', 'new credentials', 'runs / day', '401s / day'];
const REPORT_COLUMNS = ['User', 'Client', 'Processes', 'Requests', 'Answered 401', 'Not sent (no credentials)', 'Plugin runs', 'Failed runs', 'New credentials', 'Plugin runs a day', '401s a day'];

const clientsSection: SummarySection = {
  id: 'execAuth.clients',
  text: (trace) => table(trace, 'Exec credential plugins (what this setup costs a day, per client)', TEXT_COLUMNS),
  report: (trace) => table(trace, undefined, REPORT_COLUMNS),
  headline(trace) {
    const all = tallies(trace);
    const unauthorized = all.reduce((n, t) => n + t.unauthorized, 0);
    const failed = all.reduce((n, t) => n + t.failed, 0);
    const cut = all.reduce((n, t) => n + t.cut, 0);
    if (unauthorized + failed + cut === 0) return undefined;
    const parts = [
      unauthorized > 0 ? count(unauthorized, '401') : '',
      failed > 0 ? count(failed, 'request without credentials', 'requests without credentials') : '',
      cut > 0 ? count(cut, 'request cut by a new client certificate', 'requests cut by a new client certificate') : '',
    ];
    return { text: parts.filter((p) => p !== '').join(', '), attention: true };
  },
};

/** Credentials valid (time left), held past expiry, rejected after a revocation, or none. */
const userLaneState: LaneStateRule = (lane, t) => {
  if (lane.kind !== 'kubeconfigUser') return undefined;
  const valid = lane.containing('execCredential', t);
  if (valid !== undefined) {
    if (lane.status(t) === 'revoked') return { code: 'rejected' };
    return { code: 'valid', remainingMs: valid - t, remaining: 'left' };
  }
  if (lane.containing('execCredentialExpired', t) !== undefined) return { code: 'expired' };
  return { code: 'empty' };
};

export const EXEC_AUTH_PRESENTATION: ModelPresentation = {
  model: 'execAuth',
  categories: [
    { id: 'execRequestOk', label: 'Request (exec user)', shape: 'circle', color: 'blue', help: 'A request with exec credentials the API server accepted', dy: -5, rank: 12 },
    { id: 'execRequestFailed', label: 'Request not sent', shape: 'cross', color: 'orange', help: 'client-go could not get credentials, so the request was not sent', dy: -5, rank: 22 },
    { id: 'execUnauthorized', label: 'Unauthorized handled', shape: 'hollowTriangle', color: 'purple', help: 'What client-go did about a 401: run the plugin, or nothing (already rotated)', dy: 5, rank: 65 },
    { id: 'execRotated', label: 'New credential', shape: 'diamond', color: 'green', help: 'The client took in a credential it had not used before', dy: 5, rank: 35 },
    { id: 'execInstallHint', label: 'Install hint', shape: 'hollowSquare', color: 'orange', help: 'The plugin is not installed: client-go showed the install help', dy: 5, rank: 99 },
    { id: 'execConnectionsClosed', label: 'Connections closed', shape: 'bar', color: 'orange', help: 'The plugin returned a new client certificate: client-go closed every connection', dy: 0, rank: 113 },
    { id: 'execRevoked', label: 'Credentials revoked', shape: 'triangleDown', color: 'red', help: 'The API server stopped accepting credentials issued before', dy: 0, rank: 112 },
  ],
  events: [
    {
      type: 'request',
      category: 'execRequestOk',
      failedCategory: 'execRequestFailed',
      label: 'Request to the API server',
      failedLabel: 'Request not sent: no credentials',
      outcomes: {
        ok: { category: 'execRequestOk', label: 'Request answered 200' },
        unauthorized: { category: 'rejected', label: 'Request answered 401 Unauthorized' },
        error: { category: 'execRequestFailed', label: 'Request not sent: no credentials' },
        static: { category: 'execRequestOk', label: "Request answered 200 (the client's own credentials; plugin not consulted)" },
        connectionClosed: { category: 'execRequestFailed', label: 'Request failed: connection closed (new client certificate)' },
      },
    },
    { type: 'pluginRun', category: 'pluginRun', failedCategory: 'requestFailed', label: 'Exec plugin run', failedLabel: 'Exec plugin run failed' },
    { type: 'credsRotated', category: 'execRotated', label: 'New credential from the plugin', status: 'fresh' },
    {
      type: 'unauthorized',
      category: 'execUnauthorized',
      failedCategory: 'requestFailed',
      label: 'Unauthorized (401) handled',
      failedLabel: 'Refresh after a 401 could not start',
      outcomes: {
        refresh: { category: 'execUnauthorized', label: 'After the 401, client-go runs the plugin' },
        alreadyRotated: { category: 'execUnauthorized', label: 'After the 401: credential already replaced' },
        queued: { category: 'execUnauthorized', label: 'After the 401: waits for the plugin run in progress' },
        error: { category: 'requestFailed', label: 'Refresh after a 401 could not start' },
      },
    },
    { type: 'installHint', category: 'execInstallHint', label: 'Install hint shown' },
    { type: 'credentialsRevoked', category: 'execRevoked', label: 'Credentials revoked by the server', status: 'revoked' },
    { type: 'connectionsClosed', category: 'execConnectionsClosed', label: 'Connections closed (new client certificate)' },
  ],
  spans: [
    { id: 'execCredential', label: 'Exec credential', color: 'foreground', alpha: 0.3, help: 'The credential a client uses: obtained → its expirationTimestamp', rank: 45, layout: 'lifetime' },
    { id: 'execCredentialExpired', label: 'Held past expiry', color: 'red', alpha: 0.3, help: 'Expired but still cached in the process, until a request runs the plugin', rank: 46, layout: 'lifetime' },
    { id: 'execPluginRun', label: 'Exec plugin run', color: 'orange', alpha: 0.4, help: 'client-go ran the exec plugin, start → output', rank: 47, layout: 'lifetime' },
  ],
  lanes: [{ kind: 'kubeconfigUser', label: 'Kubeconfig user', short: 'USR' }],
  series: [
    { name: 'execRequests', label: 'API requests (exec users)', color: 'foreground', kind: 'bar', measure: 'counter' },
    { name: 'execUnauthorized', label: '401 answers', color: 'red', kind: 'line', measure: 'counter' },
    { name: 'execPluginRuns', label: 'Exec plugin runs', color: 'orange', kind: 'bar', measure: 'counter' },
  ],
  laneStates: [userLaneState],
  sections: [clientsSection],
};
