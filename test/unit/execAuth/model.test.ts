// The exec-auth model in the engine (src/sim/execAuth/model.ts): the properties (no skew and
// no revocation → no expired credential sent and no 401; after a revocation the requests in flight
// fail, the plugin runs once and the next request succeeds), short-lived vs long-lived processes,
// the plugin's disk cache, clock skew, the install hint, interactive mode, determinism, skip == step,
// and composition (adding an execAuth section leaves every other lane byte-identical).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { runScenario } from '../../../src/sim/engine/run';
import type { ExecAuthSpec, ExecClientSpec, ExecUserSpec } from '../../../src/sim/execAuth/execAuthSpec';
import { execLaneId } from '../../../src/sim/execAuth/model';
import { formatDiagnostic, loadScenario } from '../../../src/sim/scenario/load';
import type { Scenario } from '../../../src/sim/scenario/types';
import type { Trace, TraceEvent } from '../../../src/sim/trace';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

function load(text: string, name = 'test.yaml'): Scenario {
  const r = loadScenario(text, name);
  assert.ok(r.ok, r.ok ? '' : r.errors.map((d) => formatDiagnostic(name, d)).join('\n'));
  return r.scenario;
}

const BASE = load(`start: 2026-03-02T09:00:00Z
horizon: 1h
execAuth:
  users:
    - name: base
      exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: plugin }
      cluster: { server: https://example.com }
      clients: [{ name: c }]
`);

function user(over: Partial<ExecUserSpec> & { clients: ExecClientSpec[] }): ExecUserSpec {
  return {
    name: 'u',
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'plugin', interactiveMode: 'IfAvailable' },
    clientGoVersion: '1.24',
    cluster: { server: 'https://example.com', serverClockAheadMs: 0, revocationsMs: [] },
    plugin: { latencyMs: 500, errorRate: 0, exitCodes: [0], installed: true },
    ...over,
  };
}

function client(over: Partial<ExecClientSpec> = {}, requests: Partial<ExecClientSpec['requests']> = {}): ExecClientSpec {
  return {
    name: 'c',
    process: 'long-lived',
    terminal: false,
    stdinUnavailable: false,
    ...over,
    requests: { atMs: 0, everyMs: 30 * S, burst: 1, concurrency: 1, latencyMs: 100, ...requests },
  };
}

function run(users: ExecUserSpec[], horizonMs = 2 * H, seed = 1, mode: 'skip' | 'step' = 'skip'): Trace {
  const execAuth: ExecAuthSpec = { users };
  return runScenario({ ...BASE, seed, horizonMs, execAuth }, { mode });
}

const of = (trace: Trace, lane: string, type: TraceEvent['type']): TraceEvent[] => trace.events.filter((e) => e.lane === lane && e.type === type);
const sentAt = (e: TraceEvent): number => e.t - (e.data?.durationMs as number);

/** serial → expiry per user, from the credsRotated events (the first lane to take a credential in says when). */
function expiries(trace: Trace): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  for (const e of trace.events) {
    if (e.type !== 'credsRotated') continue;
    const user = e.lane.split('/')[1];
    const key = `${user}${e.data?.credential}`;
    const exp = e.data?.noExpiry === true ? undefined : e.t + (e.data?.expiresInMs as number);
    if (out.has(key)) assert.equal(out.get(key), exp, `${key}: one expiry per credential`);
    out.set(key, exp);
  }
  return out;
}

const clientArb: fc.Arbitrary<ExecClientSpec> = fc
  .record({
    process: fc.constantFrom<ExecClientSpec['process']>('long-lived', 'invocations'),
    everyMs: fc.integer({ min: 1, max: 600 }).map((s) => s * S),
    burst: fc.integer({ min: 1, max: 5 }),
    concurrency: fc.integer({ min: 1, max: 5 }),
    latencyMs: fc.integer({ min: 0, max: 3000 }),
    atMs: fc.integer({ min: 0, max: 10 * MIN }),
  })
  .map((r) => client({ process: r.process }, { everyMs: r.everyMs, burst: r.burst, concurrency: r.concurrency, latencyMs: r.latencyMs, atMs: r.atMs }));

const pluginArb: fc.Arbitrary<ExecUserSpec['plugin']> = fc
  .record({
    lifetime: fc.option(fc.integer({ min: 5, max: 3600 }).map((s) => s * S), { nil: undefined }),
    disk: fc.option(fc.tuple(fc.integer({ min: 0, max: 600 }), fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined })), { nil: undefined }),
    latencyMs: fc.integer({ min: 0, max: 5000 }),
    errorRate: fc.constantFrom(0, 0, 0.2),
    exitCodes: fc.constantFrom([0], [0, 0, 2], [1, 0]),
  })
  .map((p) => ({
    latencyMs: p.latencyMs,
    errorRate: p.errorRate,
    exitCodes: [...p.exitCodes],
    installed: true,
    ...(p.lifetime === undefined ? {} : { credentialLifetimeMs: p.lifetime }),
    ...(p.disk === undefined ? {} : { diskCache: { refreshWhenLessThanMs: p.disk[0] * S, ...(p.disk[1] === undefined ? {} : { hitLatencyMs: p.disk[1] }) } }),
  }));

/**
 * A plugin that never hands out a stored credential which expires before its answer arrives: it
 * refreshes its disk cache with more left than a cached run takes. (One that does not, e.g.
 * refreshWhenLessThan 0, really can make client-go send an expired credential and get a 401.)
 */
const saneDiskCache = (p: ExecUserSpec['plugin']): ExecUserSpec['plugin'] =>
  p.diskCache === undefined ? p : { ...p, diskCache: { ...p.diskCache, refreshWhenLessThanMs: Math.max(p.diskCache.refreshWhenLessThanMs, (p.diskCache.hitLatencyMs ?? p.latencyMs) + S) } };

const usersArb: fc.Arbitrary<ExecUserSpec[]> = fc
  .array(fc.tuple(pluginArb, fc.array(clientArb, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 2 })
  .map((list) => list.map(([plugin, clients], i) => user({ name: `u${i}`, plugin, clients: clients.map((c, j) => ({ ...c, name: `c${j}` })) })));

test('property: with no skew and no revocation no request carries an expired credential and no 401 occurs', () => {
  fc.assert(
    fc.property(usersArb, fc.integer({ min: 1, max: 1000 }), (drawn, seed) => {
      const users = drawn.map((u) => ({ ...u, plugin: saneDiskCache(u.plugin) }));
      const trace = run(users, 2 * H, seed);
      const exp = expiries(trace);
      let answered = 0;
      for (const e of trace.events) {
        if (e.type === 'unauthorized') assert.fail(`a 401 was handled at ${e.t}`);
        if (e.type !== 'request' || e.data?.status === 'error') continue;
        answered++;
        assert.equal(e.data?.status, 200, `${e.lane} at ${e.t}: ${e.rule}`);
        const expiresAt = exp.get(`${e.lane.split('/')[1]}${e.data?.credential}`);
        if (expiresAt !== undefined) assert.ok(sentAt(e) <= expiresAt, `${e.lane}: sent at ${sentAt(e)} with a credential that expired at ${expiresAt}`);
      }
      assert.equal(trace.series.find((s) => s.name === 'execUnauthorized')?.values.reduce((a, b) => a + b, 0), 0);
      return answered >= 0;
    }),
    { numRuns: 60 },
  );
});

test('property: after a revocation the requests in flight with the old credential fail, the plugin runs once, the next request succeeds', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 0, max: 3000 }),
      fc.integer({ min: 10 * MIN, max: 50 * MIN }),
      (burst, concurrency, latencyMs, pluginLatencyMs, revokeAt) => {
        const c = client({}, { everyMs: 5 * S, burst, concurrency, latencyMs });
        const u = user({ clients: [c], cluster: { server: 'https://example.com', serverClockAheadMs: 0, revocationsMs: [revokeAt] }, plugin: { latencyMs: pluginLatencyMs, errorRate: 0, exitCodes: [0], installed: true } });
        const trace = run([u], H);
        const lane = execLaneId('u', 'c');
        const revoked = trace.events.find((e) => e.type === 'credentialsRevoked')?.t as number;
        const requests = of(trace, lane, 'request');
        // In flight at the revocation with the old credential (#1): answered 401.
        const inFlight = requests.filter((e) => sentAt(e) < revoked && e.t >= revoked);
        assert.ok(inFlight.length > 0 || latencyMs < 5 * S, 'some request is in flight at the revocation');
        for (const e of inFlight) assert.equal(e.data?.status, 401, `sent ${sentAt(e)}, answered ${e.t}`);
        // Before: all 200.
        for (const e of requests.filter((r) => r.t < revoked)) assert.equal(e.data?.status, 200);
        // The plugin runs once after the revocation.
        const runs = of(trace, lane, 'pluginRun');
        assert.equal(runs.filter((e) => e.t >= revoked).length, 1, 'one plugin run after the revocation');
        assert.equal(runs.length, 2);
        const rotated = of(trace, lane, 'credsRotated').filter((e) => e.t >= revoked);
        assert.equal(rotated.length, 1);
        // Every request sent after the rotation succeeds; the first of them exists and is a 200.
        const after = requests.filter((e) => sentAt(e) >= (rotated[0] as TraceEvent).t);
        assert.ok(after.length > 0);
        for (const e of after) assert.equal(e.data?.status, 200, `sent ${sentAt(e)}`);
        // Every 401 was for the old credential.
        for (const e of requests.filter((r) => r.data?.status === 401)) assert.equal(e.data?.credential, '#1');
      },
    ),
    { numRuns: 60 },
  );
});

test('kubectl invocations run the plugin once per process; a disk cache hands them the same credential; a long-lived IDE rides each credential to expiry', () => {
  const plugin = { latencyMs: 1200, errorRate: 0, exitCodes: [0], installed: true, credentialLifetimeMs: 15 * MIN };
  const kubectl = client({ name: 'kubectl', process: 'invocations', terminal: true }, { everyMs: 2 * MIN, burst: 3 });
  const ide = client({ name: 'ide' }, { everyMs: 20 * S, burst: 4, concurrency: 4 });
  const plain = run([user({ plugin, clients: [kubectl] })], 8 * H);
  const cached = run([user({ plugin: { ...plugin, diskCache: { refreshWhenLessThanMs: MIN, hitLatencyMs: 80 } }, clients: [kubectl] })], 8 * H);
  const long = run([user({ plugin, clients: [ide] })], 8 * H);
  const lane = (c: string): string => execLaneId('u', c);
  // A process every 2 minutes; the one started at the horizon never sees its plugin's answer.
  const processes = 8 * 30;
  assert.equal(of(plain, lane('kubectl'), 'pluginRun').length, processes);
  assert.equal(of(plain, lane('kubectl'), 'credsRotated').length, processes);
  assert.equal(of(cached, lane('kubectl'), 'pluginRun').length, processes, 'the plugin still runs in every new process');
  const fresh = of(cached, lane('kubectl'), 'credsRotated').length;
  // Issued at 0:00:01.2, expiring at 0:15:01: the process at 0:14 still finds 61 s left (≥ 1 min) and
  // gets it from disk; the one at 0:16 gets a new one. So one new credential every 16 minutes.
  assert.equal(fresh, (8 * H) / (16 * MIN));
  const hits = of(cached, lane('kubectl'), 'pluginRun').filter((e) => e.data?.fromDiskCache === true);
  assert.equal(hits.length, processes - fresh);
  assert.ok(hits.every((e) => e.data?.durationMs === 80), 'a disk-cache hit only reads a file');
  // The IDE: one run per credential, after expiry (no early refresh), with the burst waiting for it.
  const runs = of(long, lane('ide'), 'pluginRun');
  assert.ok(runs.length >= 28 && runs.length <= 33, `${runs.length} runs`);
  assert.ok(long.spans.some((s) => s.kind === 'execCredentialExpired'), 'the IDE holds an expired credential until its next request');
  assert.equal(of(long, lane('ide'), 'request').filter((e) => e.data?.status !== 200).length, 0);
});

test('a server clock ahead: the last moments of each credential are answered 401, and the 401 rotates it once', () => {
  const c = client({}, { everyMs: 15 * S, burst: 2, concurrency: 2, latencyMs: 300 });
  const trace = run([user({ clients: [c], cluster: { server: 'https://e', serverClockAheadMs: 45 * S, revocationsMs: [] }, plugin: { latencyMs: 800, errorRate: 0, exitCodes: [0], installed: true, credentialLifetimeMs: 10 * MIN } })], 2 * H);
  const lane = execLaneId('u', 'c');
  const rejected = of(trace, lane, 'request').filter((e) => e.data?.status === 401);
  assert.ok(rejected.length > 0);
  for (const e of rejected) assert.equal(e.data?.reason, 'expired');
  const handled = of(trace, lane, 'unauthorized');
  assert.equal(handled.length, rejected.length);
  // Each batch of 401s for one credential rotates it once.
  const refreshes = handled.filter((e) => e.data?.outcome === 'refresh');
  assert.equal(new Set(refreshes.map((e) => e.data?.credential)).size, refreshes.length);
});

test('a missing plugin: every request fails with "not found"; the install hint at most 10 times an hour in one process, every time in new ones', () => {
  const plugin = { latencyMs: 500, errorRate: 0, exitCodes: [0], installed: false };
  const long = run([user({ plugin, exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubelogin', interactiveMode: 'Never', installHint: 'brew install kubelogin' }, clients: [client({}, { everyMs: MIN })] })], 2 * H);
  const lane = execLaneId('u', 'c');
  const failed = of(long, lane, 'request');
  assert.ok(failed.length > 100 && failed.every((e) => e.data?.status === 'error'));
  assert.match(failed[0]?.error ?? '', /^getting credentials: exec: executable kubelogin not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed\.[\s\S]*brew install kubelogin$/);
  assert.equal(failed[20]?.error, 'getting credentials: exec: executable kubelogin not found');
  // Windows of an hour from the first use: 10 at 0–59 min, 10 from 60 min, 1 at 120 min.
  assert.equal(of(long, lane, 'installHint').length, 21);
  const short = run([user({ plugin, clients: [client({ process: 'invocations' }, { everyMs: MIN })] })], H);
  assert.equal(of(short, lane, 'installHint').length, 61);
});

test('interactive mode: v1 without interactiveMode fails every run; Always without a terminal fails; IfAvailable runs', () => {
  const lane = execLaneId('u', 'c');
  const v1 = run([user({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'p' }, clients: [client()] })], 10 * MIN);
  assert.equal(of(v1, lane, 'request')[0]?.error, 'getting credentials: exec plugin cannot support interactive mode: unknown interactiveMode: ""');
  assert.equal(of(v1, lane, 'pluginRun').length, 0);
  const always = run([user({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'p', interactiveMode: 'Always' }, clients: [client()] })], 10 * MIN);
  assert.equal(of(always, lane, 'request')[0]?.error, 'getting credentials: exec plugin cannot support interactive mode: standard input is not a terminal');
  const tty = run([user({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'p', interactiveMode: 'Always' }, clients: [client({ terminal: true })] })], 10 * MIN);
  assert.ok(of(tty, lane, 'request').every((e) => e.data?.status === 200));
  const alpha = run([user({ exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'p' }, clients: [client()] })], 10 * MIN);
  assert.equal(of(alpha, lane, 'request')[0]?.error, 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"');
});

test('failed runs: a scripted exit code fails the requests waiting on that run; the next request runs the plugin again', () => {
  const c = client({}, { everyMs: MIN, burst: 3, concurrency: 3 });
  const trace = run([user({ plugin: { latencyMs: 500, errorRate: 0, exitCodes: [2, 0], installed: true, credentialLifetimeMs: 5 * MIN }, clients: [c] })], 30 * MIN);
  const lane = execLaneId('u', 'c');
  const runs = of(trace, lane, 'pluginRun');
  assert.equal(runs[0]?.ok, false);
  assert.equal(runs[0]?.data?.exitCode, 2);
  // client-go has a mutex, not a singleflight: after a failed run each waiting caller runs it in turn.
  assert.equal(runs[1]?.ok, true);
  const first = of(trace, lane, 'request').filter((e) => e.t < MIN + BASE.start);
  assert.equal(first.filter((e) => e.data?.status === 'error').length, 1);
  assert.match(first.find((e) => e.data?.status === 'error')?.error ?? '', /exit code 2$/);
});

test('determinism and skip == step: the same seed gives the same trace in both modes', () => {
  fc.assert(
    fc.property(usersArb, fc.integer({ min: 1, max: 1000 }), (users, seed) => {
      const withRevocation = users.map((u) => ({ ...u, cluster: { ...u.cluster, revocationsMs: [20 * MIN], serverClockAheadMs: 10 * S } }));
      const a = run(withRevocation, H, seed, 'skip');
      assert.deepStrictEqual(run(withRevocation, H, seed, 'skip'), a);
      assert.deepStrictEqual(run(withRevocation, H, seed, 'step'), a);
    }),
    { numRuns: 25 },
  );
});

test('composition: adding an execAuth section leaves every other lane, span, event and series byte-identical', () => {
  for (const f of ['examples/shop-outage.yaml', 'examples/kubelet-vs-calico.yaml', 'examples/registry-cache-burst.yaml']) {
    const alone = load(readFileSync(f, 'utf8'), f);
    const exec = load(readFileSync('examples/exec-auth-revocation.yaml', 'utf8'));
    const both: Scenario = { ...alone, ...(exec.execAuth === undefined ? {} : { execAuth: exec.execAuth }) };
    const a = runScenario(alone);
    const b = runScenario(both);
    const mine = new Set(b.lanes.filter((l) => l.kind === 'kubeconfigUser').map((l) => l.id));
    assert.ok(mine.size > 0);
    const strip = (t: Trace): string =>
      JSON.stringify({
        lanes: t.lanes.filter((l) => !mine.has(l.id)),
        spans: t.spans.filter((s) => !mine.has(s.lane)),
        events: t.events.filter((e) => !mine.has(e.lane)),
        series: t.series.filter((s) => !s.name.startsWith('exec')),
      });
    assert.equal(strip(b), strip(a), f);
  }
});

// ------------------------------------------------------------ SPEC C.2 / C.3 step 1 and C.5 step 7

test('static credentials: every request is sent with them and answered 200, the plugin never runs (and a revocation of the plugin\'s credentials does not touch them)', () => {
  const lane = execLaneId('u', 'c');
  for (const process of ['long-lived', 'invocations'] as const) {
    const c = { ...client({ process }, { everyMs: MIN, burst: 3, concurrency: 2 }), credentials: 'static' as const };
    const trace = run([user({ clients: [c], cluster: { server: 'https://e', serverClockAheadMs: 0, revocationsMs: [10 * MIN] } })], H);
    assert.equal(of(trace, lane, 'pluginRun').length, 0, process);
    assert.equal(trace.series.find((s) => s.name === 'execPluginRuns')?.values.reduce((a, b) => a + b, 0), 0);
    const requests = of(trace, lane, 'request');
    // A batch a minute; the one at the horizon is answered after it.
    assert.equal(requests.length, 60 * 3, process);
    for (const e of requests) {
      assert.equal(e.data?.status, 200);
      assert.equal(e.data?.outcome, 'static');
      assert.match(e.rule ?? '', /never consulted the plugin/);
    }
  }
  // A build error still fails the client first (SPEC C.1: the authenticator is built all the same).
  const alpha = run([user({ exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'p' }, clients: [{ ...client(), credentials: 'static' }] })], 10 * MIN);
  assert.ok(of(alpha, lane, 'request').every((e) => e.data?.status === 'error'));
});

const rotating = (returns: 'token' | 'certificate' | undefined, latencyMs: number): ExecUserSpec =>
  user({
    plugin: { latencyMs: 700, errorRate: 0, exitCodes: [0], installed: true, credentialLifetimeMs: 5 * MIN, ...(returns === 'certificate' ? { returns } : {}) },
    // A slow, busy IDE: many requests in flight whenever a 401 after a revocation rotates the credential.
    cluster: { server: 'https://e', serverClockAheadMs: 0, revocationsMs: [7 * MIN, 23 * MIN] },
    clients: [client({}, { everyMs: 2 * S, burst: 3, concurrency: 6, latencyMs })],
  });

test('a token rotation cuts no request', () => {
  const lane = execLaneId('u', 'c');
  const trace = run([rotating(undefined, 3 * S)], H);
  assert.ok(of(trace, lane, 'credsRotated').length > 3);
  assert.equal(of(trace, lane, 'connectionsClosed').length, 0);
  assert.equal(of(trace, lane, 'request').filter((e) => e.data?.outcome === 'connectionClosed').length, 0);
});

test('property: a certificate rotation cuts exactly the requests in flight at that instant, each failing with a plain error', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6000 }), fc.integer({ min: 1, max: 200 }), (latencyMs, seed) => {
      const lane = execLaneId('u', 'c');
      const trace = run([rotating('certificate', latencyMs)], H, seed);
      const rotations = of(trace, lane, 'credsRotated');
      const closed = of(trace, lane, 'connectionsClosed');
      // Every rotation but the first fetch closes the connections.
      assert.equal(closed.length, rotations.length - 1);
      const requests = of(trace, lane, 'request');
      const cutEvents = requests.filter((e) => e.data?.outcome === 'connectionClosed');
      assert.equal(cutEvents.length, closed.reduce((n, e) => n + (e.data?.cut as number), 0));
      for (const c of closed) {
        const cut = requests.filter((e) => e.data?.outcome === 'connectionClosed' && e.t === c.t);
        assert.equal(cut.length, c.data?.cut);
        for (const e of cut) {
          assert.equal(e.ok, false);
          assert.equal(e.error, 'the connection was closed because the client certificate changed');
          assert.ok(sentAt(e) <= c.t);
        }
        // No request sent before the rotation is answered after it: all were cut.
        assert.ok(!requests.some((e) => e.data?.outcome !== 'connectionClosed' && e.data?.status !== 'error' && sentAt(e) < c.t && e.t > c.t), `at ${c.t}`);
      }
      if (latencyMs >= 2 * S) assert.ok(cutEvents.length > 0, 'a slow client has requests in flight at a rotation');
      // The answered ones carry the certificate.
      assert.ok(requests.filter((e) => e.data?.status === 200).every((e) => e.rule === 'the API server accepted the client certificate'));
    }),
    { numRuns: 30 },
  );
});

test('determinism and skip == step with static credentials and certificates', () => {
  fc.assert(
    fc.property(usersArb, fc.integer({ min: 1, max: 1000 }), fc.boolean(), (users, seed, staticFirst) => {
      const changed = users.map((u) => ({
        ...u,
        plugin: { ...u.plugin, returns: 'certificate' as const },
        cluster: { ...u.cluster, revocationsMs: [20 * MIN], serverClockAheadMs: 10 * S },
        clients: u.clients.map((c, j) => (staticFirst && j === 0 ? { ...c, credentials: 'static' as const } : c)),
      }));
      const a = run(changed, H, seed, 'skip');
      assert.deepStrictEqual(run(changed, H, seed, 'skip'), a);
      assert.deepStrictEqual(run(changed, H, seed, 'step'), a);
    }),
    { numRuns: 25 },
  );
});
