// The simulated plugin (src/sim/execAuth/simulatedPlugin.ts) and the server's judgement
// (serverAuthentication.ts) at their boundaries: whole-second expiries, the disk cache's threshold,
// scripted exit codes in turn, a missing binary; revocation and skewed expiry, strict on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeExecCredential } from '../../../src/sim/execAuth/execCredential';
import { judgeRequest } from '../../../src/sim/execAuth/serverAuthentication';
import { SimulatedPlugin, type IssuedCredential } from '../../../src/sim/execAuth/simulatedPlugin';
import type { ExecPluginBehaviour } from '../../../src/sim/execAuth/execAuthSpec';

const V1 = 'client.authentication.k8s.io/v1';
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const never = { float: (): number => 0.99 };

function plugin(b: Partial<ExecPluginBehaviour> = {}): SimulatedPlugin {
  return new SimulatedPlugin({ latencyMs: 1000, errorRate: 0, exitCodes: [0], installed: true, ...b }, V1, 'u', never);
}

test('a credential expires at the run end + lifetime, in whole seconds, and client-go decodes it', () => {
  const p = plugin({ credentialLifetimeMs: 900_000 });
  const run = p.start(T0);
  const r = run.finish(T0 + 1200);
  assert.equal(r.credential?.expiresAt, T0 + 901_000);
  assert.ok(r.answer.kind === 'output');
  const decoded = decodeExecCredential(r.answer.kind === 'output' ? r.answer.stdout : '', V1, '1.24');
  assert.ok(decoded.ok);
  assert.equal(decoded.ok && decoded.status.expirationTimestamp, T0 + 901_000);
  assert.equal(p.credential(r.credential?.token), r.credential);
  // No lifetime: no expirationTimestamp.
  const none = plugin().start(T0).finish(T0);
  assert.equal(none.credential?.expiresAt, undefined);
  assert.doesNotMatch(none.answer.kind === 'output' ? none.answer.stdout : '', /expirationTimestamp/);
});

test('disk cache: the stored credential while at least refreshWhenLessThan remains, a new one below', () => {
  const p = plugin({ credentialLifetimeMs: 600_000, diskCache: { refreshWhenLessThanMs: 60_000, hitLatencyMs: 50 } });
  const first = p.start(T0).finish(T0).credential as IssuedCredential;
  const exp = first.expiresAt as number;
  const hit = p.start(exp - 60_000);
  assert.equal(hit.latencyMs, 50);
  const r = hit.finish(exp - 60_000 + 50);
  assert.equal(r.fromDiskCache, true);
  assert.equal(r.credential, first);
  const miss = p.start(exp - 59_999);
  assert.equal(miss.latencyMs, 1000);
  assert.equal(miss.finish(exp).credential?.serial, 2);
  // Without a disk cache every run issues.
  const q = plugin({ credentialLifetimeMs: 600_000 });
  assert.equal(q.start(T0).finish(T0).credential?.serial, 1);
  assert.equal(q.start(T0).finish(T0).credential?.serial, 2);
});

test('exit codes in turn, and a missing binary fails at once', () => {
  const p = plugin({ exitCodes: [0, 3] });
  assert.equal(p.start(T0).finish(T0).answer.kind, 'output');
  assert.deepEqual(p.start(T0).finish(T0).answer, { kind: 'exit', code: 3, stderr: 'simulated failure' });
  assert.equal(p.start(T0).finish(T0).answer.kind, 'output');
  const missing = plugin({ installed: false }).start(T0);
  assert.equal(missing.latencyMs, 0);
  assert.deepEqual(missing.finish(T0).answer, { kind: 'notFound' });
  const always = new SimulatedPlugin({ latencyMs: 0, errorRate: 0.5, exitCodes: [0], installed: true }, V1, 'u', { float: () => 0.2 });
  assert.deepEqual(always.start(T0).finish(T0).answer, { kind: 'exit', code: 1, stderr: 'simulated failure' });
});

test('server: a revocation rejects what was issued strictly before it, up to the answer; expiry strict with the clock ahead', () => {
  const c: IssuedCredential = { serial: 1, issuedAt: T0, expiresAt: T0 + 600_000, token: 't' };
  const cluster = (revocationsMs: number[], serverClockAheadMs = 0) => ({ server: 's', serverClockAheadMs, revocationsMs });
  assert.deepEqual(judgeRequest(cluster([0]), T0, c, T0, T0 + 10), { ok: true }, 'issued at the revocation instant: not before it');
  assert.deepEqual(judgeRequest(cluster([5]), T0, c, T0, T0 + 5), { ok: false, reason: 'revoked', revokedAt: T0 + 5 }, 'in flight: answered at the revocation');
  assert.deepEqual(judgeRequest(cluster([5]), T0, c, T0, T0 + 4), { ok: true }, 'answered before it');
  assert.deepEqual(judgeRequest(cluster([]), T0, c, T0 + 600_000, T0 + 600_100), { ok: true }, 'sent at the expiry instant');
  assert.deepEqual(judgeRequest(cluster([]), T0, c, T0 + 600_001, T0 + 600_100), { ok: false, reason: 'expired' });
  assert.deepEqual(judgeRequest(cluster([], 30_000), T0, c, T0 + 570_000, T0 + 570_001), { ok: true });
  assert.deepEqual(judgeRequest(cluster([], 30_000), T0, c, T0 + 570_001, T0 + 570_002), { ok: false, reason: 'expired' });
  assert.deepEqual(judgeRequest(cluster([]), T0, undefined, T0, T0), { ok: false, reason: 'unknown' });
});

test('returns: certificate: a different PEM certificate per credential, which the authenticator parses back to it', () => {
  const p = plugin({ returns: 'certificate', credentialLifetimeMs: 60_000 });
  const outs = [p.start(T0).finish(T0), p.start(T0).finish(T0 + 1000)];
  const statuses = outs.map((r) => {
    const d = decodeExecCredential(r.answer.kind === 'output' ? r.answer.stdout : '', V1, '1.24');
    assert.ok(d.ok);
    return d.status;
  });
  assert.ok(statuses.every((s) => s.token === '' && s.clientKeyData !== ''));
  assert.notEqual(statuses[0]?.clientCertificateData, statuses[1]?.clientCertificateData);
  statuses.forEach((s, i) => {
    const pair = p.keyPair(s.clientCertificateData, s.clientKeyData);
    assert.ok(pair.ok);
    assert.equal(p.presented({ certificate: { subject: pair.ok ? pair.subject : '' } }), outs[i]?.credential);
  });
});
