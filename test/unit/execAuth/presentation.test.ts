// How exec-auth traces are shown (src/sim/execAuth/presentation.ts): the per-client summary of plugin
// runs and 401s a day, the headline, event labels by outcome, and the lane state (credentials
// valid / expired / rejected after a revocation / none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../../src/sim/engine/run';
import { EXEC_AUTH_PRESENTATION } from '../../../src/sim/execAuth/presentation';
import type { LaneView, SummaryBlock } from '../../../src/sim/presentation';
import { categoryOf, eventLabel, LOOKUP, runHeadline } from '../../../src/sim/presentations';
import { loadScenario } from '../../../src/sim/scenario/load';
import type { Trace } from '../../../src/sim/trace';

function example(f: string): Trace {
  const r = loadScenario(readFileSync(f, 'utf8'), f);
  assert.ok(r.ok);
  return runScenario(r.scenario);
}

function table(trace: Trace): Extract<SummaryBlock, { kind: 'table' }> {
  const block = EXEC_AUTH_PRESENTATION.sections[0]?.text(trace, LOOKUP)[0];
  assert.ok(block !== undefined && block.kind === 'table');
  return block;
}

test('summary: plugin runs and 401s per client, and a day of them', () => {
  const t = table(example('examples/exec-auth-kubectl-vs-ide.yaml'));
  const row = (user: string, client: string) => t.rows.find((r) => r[0] === user && r[1] === client);
  // kubectl every 2 minutes for 8 h: 240 answered runs, 720 a day; the IDE about one run per credential.
  assert.equal(row('shop-admin', 'kubectl')?.[6], 240);
  assert.equal(row('shop-admin', 'kubectl')?.[9], '720');
  assert.ok((row('shop-admin', 'vscode')?.[6] as number) <= 33);
  // With the disk cache kubectl still runs the plugin each time, but gets a new credential far less often.
  assert.ok((row('shop-admin-cached', 'kubectl')?.[8] as number) < 40);
  assert.deepEqual(t.columns.slice(-2), ['runs / day', '401s / day']);
  const report = EXEC_AUTH_PRESENTATION.sections[0]?.report(example('examples/exec-auth-revocation.yaml'), LOOKUP)[0];
  assert.ok(report?.kind === 'table' && report.columns.includes('Plugin runs a day'));
});

test('headline: the 401s of the revocation example draw attention', () => {
  const h = runHeadline(example('examples/exec-auth-revocation.yaml'));
  assert.ok(h.attention);
  assert.ok(h.parts.some((p) => /^\d+ 401s$/.test(p)), h.parts.join(', '));
  assert.equal(EXEC_AUTH_PRESENTATION.sections[0]?.headline?.(example('examples/exec-auth-kubectl-vs-ide.yaml')), undefined);
});

test('event labels and categories follow the outcome', () => {
  assert.equal(eventLabel({ type: 'request', ok: false, data: { outcome: 'unauthorized', status: 401 } }), 'Request answered 401 Unauthorized');
  assert.equal(categoryOf({ type: 'request', ok: false, data: { outcome: 'unauthorized' } }), 'rejected');
  assert.equal(categoryOf({ type: 'request', ok: false, data: { outcome: 'error' } }), 'execRequestFailed');
  assert.equal(categoryOf({ type: 'pluginRun', ok: true }), 'pluginRun');
  assert.equal(eventLabel({ type: 'unauthorized', data: { outcome: 'alreadyRotated' } }), 'After the 401: credential already replaced');
});

function view(spans: Record<string, Array<[number, number]>>, status: Array<[number, string]> = []): LaneView {
  const of = (k: string): Array<[number, number]> => spans[k] ?? [];
  return {
    kind: 'kubeconfigUser',
    has: (k) => of(k).length > 0,
    started: (k, t) => of(k).some(([a]) => a <= t),
    containing: (k, t) => of(k).filter(([a, b]) => a <= t && t < b).reduce<number | undefined>((m, [, b]) => (m === undefined ? b : Math.max(m, b)), undefined),
    latestEnd: () => undefined,
    status: (t) => status.filter(([at]) => at <= t).at(-1)?.[1],
  };
}

test('lane state: valid with time left, expired while held, rejected after a revocation, none', () => {
  const rule = EXEC_AUTH_PRESENTATION.laneStates[0];
  assert.ok(rule !== undefined);
  const lane = view({ execCredential: [[0, 100]], execCredentialExpired: [[100, 130]] }, [[50, 'revoked']]);
  assert.deepEqual(rule(lane, 10), { code: 'valid', remainingMs: 90, remaining: 'left' });
  assert.deepEqual(rule(lane, 60), { code: 'rejected' });
  assert.deepEqual(rule(lane, 110), { code: 'expired' });
  assert.deepEqual(rule(lane, 200), { code: 'empty' });
  assert.equal(rule({ ...lane, kind: 'token' }, 10), undefined);
});

test('static credentials and certificate rotations: their labels, and the cut requests in the headline (not counted as "not sent")', () => {
  const r = loadScenario(
    `start: 2026-03-02T09:00:00Z
horizon: 1h
execAuth:
  users:
    - name: u
      exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: p }
      cluster: { server: https://e, revocations: [20m] }
      plugin: { returns: certificate, credentialLifetime: 10m }
      clients:
        - { name: ide, requests: { every: 2s, burst: 3, concurrency: 6, latency: 5s } }
        - { name: own-token, credentials: static, requests: { every: 1m } }
`,
    't.yaml',
  );
  assert.ok(r.ok);
  const trace = runScenario(r.scenario);
  const cut = trace.events.filter((e) => e.data?.outcome === 'connectionClosed');
  assert.ok(cut.length > 0);
  assert.equal(eventLabel(cut[0] as Trace['events'][number]), 'Request failed: connection closed (new client certificate)');
  const closed = trace.events.find((e) => e.type === 'connectionsClosed');
  assert.equal(eventLabel(closed as Trace['events'][number]), 'Connections closed (new client certificate)');
  const own = trace.events.find((e) => e.data?.outcome === 'static');
  assert.equal(eventLabel(own as Trace['events'][number]), "Request answered 200 (the client's own credentials; plugin not consulted)");
  const t = table(trace);
  const ide = t.rows.find((row) => row[1] === 'ide');
  assert.equal(ide?.[5], 0, 'cut requests were sent');
  assert.equal(t.rows.find((row) => row[1] === 'own-token')?.[6], 0, 'no plugin run for static credentials');
  const h = runHeadline(trace);
  assert.ok(h.parts.some((p) => new RegExp(`(^|, )${cut.length} requests? cut by a new client certificate$`).test(p)), h.parts.join(', '));
});
