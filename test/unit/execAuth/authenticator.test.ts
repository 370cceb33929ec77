import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../../../src/sim/clock';
import { Authenticator, bypass, pluginEnvironment, type Credentials, type PluginRunAnswer } from '../../../src/sim/execAuth/authenticator';
import { EXEC_API_V1, EXEC_API_V1ALPHA1, EXEC_API_V1BETA1, authenticatorKey, type ExecConfig } from '../../../src/sim/execAuth/execConfig';
import { withKubeconfigDefaults } from '../../../src/sim/execAuth/interactiveMode';
import { INSTALL_HINT_HELP } from '../../../src/sim/execAuth/installHint';
import { formatDateTime } from '../../../src/sim/units/datetime';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const V1: ExecConfig = { command: 'plugin', apiVersion: EXEC_API_V1, interactiveMode: 'Never' };
const tty = { stdinIsTerminal: true };

function setup(config: ExecConfig = V1, extra: Partial<ConstructorParameters<typeof Authenticator>[1]> = {}): { a: Authenticator; clock: ManualClock } {
  const clock = new ManualClock(T0);
  return { a: new Authenticator(config, { clock, terminal: tty, ...extra }), clock };
}

function tokenOut(token: string, exp?: number, api = EXEC_API_V1): PluginRunAnswer {
  const status: Record<string, string> = { token };
  if (exp !== undefined) status.expirationTimestamp = formatDateTime(exp);
  return { kind: 'output', stdout: JSON.stringify({ apiVersion: api, kind: 'ExecCredential', status }) };
}

const pem = (type: string, body: string): string => `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
function certOut(body: string, exp?: number, key = pem('PRIVATE KEY', 'S0VZ')): PluginRunAnswer {
  const status: Record<string, string> = { clientCertificateData: pem('CERTIFICATE', body), clientKeyData: key };
  if (exp !== undefined) status.expirationTimestamp = formatDateTime(exp);
  return { kind: 'output', stdout: JSON.stringify({ apiVersion: EXEC_API_V1, status }) };
}

/** getCreds that must start a run; the run answers `answer` after `latency` ms. */
function fetch(a: Authenticator, clock: ManualClock, answer: PluginRunAnswer, latency = 0): Credentials {
  const g = a.getCreds();
  assert.equal(g.kind, 'run');
  clock.advance(latency);
  const f = a.runFinished(answer);
  assert.ok(f.ok, f.ok ? '' : f.error);
  return f.creds;
}

describe('SPEC C.1: construction', () => {
  test('apiVersions per release', () => {
    const clock = new ManualClock(T0);
    assert.throws(() => new Authenticator({ ...V1, apiVersion: 'client.authentication.k8s.io/v2' }, { clock, terminal: tty }), {
      message: 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v2"',
    });
    assert.deepEqual(Authenticator.create({ ...V1, apiVersion: EXEC_API_V1ALPHA1 }, { clock, terminal: tty }), { ok: false, error: 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"' });
    assert.ok(Authenticator.create({ ...V1, apiVersion: EXEC_API_V1ALPHA1 }, { clock, terminal: tty, clientGoVersion: '1.22' }).ok);
    assert.equal(Authenticator.create(V1, { clock, terminal: tty, clientGoVersion: '1.21' }).ok, false);
    assert.ok(Authenticator.create(V1, { clock, terminal: tty, clientGoVersion: '1.22' }).ok);
  });
  test('authenticatorKey: every field counts; absent and empty lists differ; cluster only with provideClusterInfo', () => {
    const k = (e: ExecConfig, c?: { server: string }) => authenticatorKey(e, c);
    assert.equal(k(V1), k({ ...V1 }));
    assert.equal(k(V1), k({ ...V1, installHint: '', provideClusterInfo: false }));
    assert.notEqual(k(V1), k({ ...V1, args: [] }));
    assert.notEqual(k({ ...V1, args: ['a', 'b'] }), k({ ...V1, args: ['b', 'a'] }));
    assert.notEqual(k(V1), k({ ...V1, env: [] }));
    assert.notEqual(k({ ...V1, env: [{ name: 'A', value: '1' }] }), k({ ...V1, env: [{ name: 'A', value: '2' }] }));
    assert.notEqual(k(V1), k({ ...V1, apiVersion: EXEC_API_V1BETA1 }));
    assert.notEqual(k(V1), k({ ...V1, installHint: 'x' }));
    assert.notEqual(k(V1), k({ ...V1, interactiveMode: 'Always' }));
    assert.equal(k(V1, { server: 'a' }), k(V1, { server: 'b' }));
    const p = { ...V1, provideClusterInfo: true };
    assert.notEqual(k(p, { server: 'a' }), k(p, { server: 'b' }));
    assert.notEqual(authenticatorKey(V1, undefined, { stdinUnavailable: true }), k(V1));
    assert.equal(authenticatorKey(p, { server: 'a', config: { x: 1, y: 2 } } as never), authenticatorKey(p, { server: 'a', config: { y: 2, x: 1 } } as never));
  });
});

describe('SPEC C.4: cache and strict expiry', () => {
  test('cached until exactly expiresAt; the plugin runs again 1 ms later', () => {
    const { a, clock } = setup();
    const E = T0 + 10 * MIN;
    const c1 = fetch(a, clock, tokenOut('t1', E));
    assert.equal(c1.token, 't1');
    assert.equal(c1.expiresAt, E);
    clock.set(E);
    assert.deepEqual(a.getCreds().kind, 'creds');
    clock.set(E + 1);
    const g = a.getCreds();
    assert.equal(g.kind, 'run');
    assert.equal(a.runs, 2);
  });
  test('no expirationTimestamp: never expires by time', () => {
    const { a, clock } = setup();
    const c1 = fetch(a, clock, tokenOut('t1'));
    assert.equal(c1.expiresAt, undefined);
    clock.advance(10 * 365 * 24 * 60 * MIN);
    const g = a.getCreds();
    assert.ok(g.kind === 'creds' && g.creds === c1);
  });
  test('the starter gets the new creds without an expiry check (even if already expired); waiters check', () => {
    const { a, clock } = setup();
    a.getCreds();
    const w = a.getCreds();
    assert.equal(w.kind, 'wait');
    clock.advance(5000);
    const f = a.runFinished(tokenOut('t', T0 + 1000));
    assert.ok(f.ok);
    assert.equal(f.served.length, 0);
    assert.ok(f.next !== undefined && f.next.ticket === w.ticket && f.next.trigger === 'request');
  });
  test('concurrent requests during a run wait and share its result', () => {
    const { a, clock } = setup();
    const first = a.getCreds();
    const waiters = [a.getCreds(), a.getCreds(), a.getCreds()];
    assert.ok(waiters.every((w) => w.kind === 'wait'));
    assert.equal(a.waiting, 3);
    clock.advance(800);
    const f = a.runFinished(tokenOut('t', T0 + 10 * MIN));
    assert.ok(f.ok);
    assert.equal(f.ticket, first.ticket);
    assert.deepEqual(f.served.map((s) => [s.kind, s.ticket]), waiters.map((w) => ['creds', w.ticket]));
    assert.equal(f.next, undefined);
    assert.equal(a.runs, 1);
  });
  test('after a failed run each waiter runs the plugin itself, one after another (a mutex, not a singleflight)', () => {
    const { a } = setup();
    a.getCreds();
    const w1 = a.getCreds();
    const w2 = a.getCreds();
    const f1 = a.runFinished({ kind: 'exit', code: 1, stderr: 'boom' });
    assert.ok(!f1.ok);
    assert.equal(f1.error, 'getting credentials: exec: executable plugin failed with exit code 1');
    assert.equal(f1.next?.ticket, w1.ticket);
    assert.equal(a.waiting, 1);
    const f2 = a.runFinished(tokenOut('t'));
    assert.ok(f2.ok);
    assert.equal(f2.ticket, w1.ticket);
    assert.deepEqual(f2.served, [{ kind: 'creds', ticket: w2.ticket, creds: f2.creds }]);
    assert.equal(a.runs, 2);
  });
  test('a request during a 401 refresh waits even though the cached creds are valid', () => {
    const { a, clock } = setup();
    const c1 = fetch(a, clock, tokenOut('t1', T0 + 60 * MIN));
    assert.equal(a.unauthorized(c1).kind, 'refresh');
    const w = a.getCreds();
    assert.equal(w.kind, 'wait');
    const f = a.runFinished(tokenOut('t2', T0 + 60 * MIN));
    assert.ok(f.ok && f.served[0]?.kind === 'creds' && f.served[0].creds.token === 't2');
  });
});

describe('SPEC C.3 step 5: 401s', () => {
  test('N concurrent 401s with the same creds rotate once', () => {
    const { a, clock } = setup();
    const c1 = fetch(a, clock, tokenOut('t1', T0 + 60 * MIN));
    const r = [a.unauthorized(c1), a.unauthorized(c1), a.unauthorized(c1)];
    assert.deepEqual(r.map((x) => x.kind), ['refresh', 'wait', 'wait']);
    const f = a.runFinished(tokenOut('t2', T0 + 60 * MIN));
    assert.ok(f.ok);
    assert.equal(f.trigger, 'unauthorized');
    assert.deepEqual(f.served.map((s) => s.kind), ['noop', 'noop']);
    assert.equal(a.runs, 2);
    assert.equal(a.current?.token, 't2');
  });
  test('a 401 for creds already rotated does nothing', () => {
    const { a, clock } = setup();
    const c1 = fetch(a, clock, tokenOut('t1', T0 + 60 * MIN));
    a.unauthorized(c1);
    a.runFinished(tokenOut('t2', T0 + 60 * MIN));
    assert.equal(a.unauthorized(c1).kind, 'noop');
    assert.equal(a.runs, 2);
  });
  test('a failed refresh keeps the old creds and expiry; the error is a log line; a later 401 tries again', () => {
    const { a, clock } = setup();
    const E = T0 + 60 * MIN;
    const c1 = fetch(a, clock, tokenOut('t1', E));
    a.unauthorized(c1);
    const w = a.unauthorized(c1);
    const f = a.runFinished({ kind: 'exit', code: 2, stderr: '' });
    assert.ok(!f.ok);
    assert.equal(f.error, 'refreshing credentials: exec: executable plugin failed with exit code 2');
    assert.equal(f.expiryChanged, false);
    assert.equal(a.current, c1);
    assert.equal(a.expiresAt, E);
    // The queued 401 finds the same creds still cached, so it runs the plugin too.
    assert.equal(f.next?.ticket, w.ticket);
    a.runFinished({ kind: 'output', stdout: '{}' });
    assert.equal(a.current, c1);
    const g = a.getCreds();
    assert.ok(g.kind === 'creds' && g.creds === c1);
  });
  test('every failure kind keeps the old creds', () => {
    const answers: PluginRunAnswer[] = [
      { kind: 'notFound' },
      { kind: 'timeout' },
      { kind: 'startError', message: 'fork/exec plugin: permission denied' },
      { kind: 'output', stdout: '' },
      { kind: 'output', stdout: JSON.stringify({ apiVersion: EXEC_API_V1, status: {} }) },
      { kind: 'output', stdout: JSON.stringify({ apiVersion: EXEC_API_V1, status: { clientKeyData: 'k' } }) },
    ];
    for (const answer of answers) {
      const { a, clock } = setup();
      const c1 = fetch(a, clock, tokenOut('t1', T0 + MIN));
      a.unauthorized(c1);
      const f = a.runFinished(answer);
      assert.ok(!f.ok);
      assert.equal(a.current, c1);
      assert.equal(a.expiresAt, T0 + MIN);
    }
  });
  test('the expiry quirk: an unparseable key pair updates the expiry but keeps the old creds', () => {
    const { a, clock } = setup();
    const c1 = fetch(a, clock, tokenOut('t1', T0 + MIN));
    a.unauthorized(c1);
    const f = a.runFinished(certOut('QUJD', T0 + 60 * MIN, 'not a key'));
    assert.ok(!f.ok);
    assert.equal(f.error, 'refreshing credentials: failed parsing client key/certificate: tls: failed to find any PEM data in key input');
    assert.equal(f.expiryChanged, true);
    assert.equal(a.current, c1);
    assert.equal(a.expiresAt, T0 + 60 * MIN);
    // c1 now lives until the new expiry.
    clock.set(T0 + 30 * MIN);
    const g = a.getCreds();
    assert.ok(g.kind === 'creds' && g.creds === c1);
  });
  test('the expiry quirk without a new expiry: the old creds stop expiring', () => {
    const { a, clock } = setup();
    const c1 = fetch(a, clock, tokenOut('t1', T0 + MIN));
    a.unauthorized(c1);
    a.runFinished(certOut('QUJD', undefined, 'nope'));
    assert.equal(a.expiresAt, undefined);
    clock.advance(1000 * MIN);
    assert.equal(a.getCreds().kind, 'creds');
  });
  test('v1alpha1 before 1.24 is told about the 401; a request-triggered run is not', () => {
    const { a, clock } = setup({ command: 'p', apiVersion: EXEC_API_V1ALPHA1 }, { clientGoVersion: '1.21' });
    const g = a.getCreds();
    assert.ok(g.kind === 'run' && !g.input.execInfo.includes('response'));
    const f = a.runFinished(tokenOut('t', undefined, EXEC_API_V1ALPHA1));
    assert.ok(f.ok);
    const r = a.unauthorized(f.creds);
    assert.ok(r.kind === 'refresh' && r.input.execInfo.includes('"response":{"code":401}'));
    void clock;
  });
});

describe('SPEC C.5 step 7: certificate rotation', () => {
  test('only a changed certificate closes connections, never the first fetch', () => {
    const { a, clock } = setup();
    const c1 = fetch(a, clock, certOut('QUJD'));
    assert.ok(c1.certificate !== undefined && c1.token === undefined);
    const rotate = (answer: PluginRunAnswer): boolean => {
      const cur = a.current as Credentials;
      assert.equal(a.unauthorized(cur).kind, 'refresh');
      const f = a.runFinished(answer);
      assert.ok(f.ok);
      return f.rotatedCertificate;
    };
    assert.equal(rotate(certOut('QUJD')), false);
    assert.equal(rotate(certOut('REVG')), true);
    assert.equal(rotate(tokenOut('t')), true);
    assert.equal(rotate(tokenOut('t2')), false);
    assert.equal(rotate(certOut('REVG')), true);
  });
  test('first fetch never reports a rotation', () => {
    const { a } = setup();
    a.getCreds();
    const f = a.runFinished(certOut('QUJD'));
    assert.ok(f.ok && !f.rotatedCertificate);
  });
  test('an injected key pair parser supplies subject and notAfter', () => {
    const { a, clock } = setup(V1, { keyPair: () => ({ ok: true, identity: 'x', subject: 'CN=alice', notAfter: T0 + 5 }) });
    const c = fetch(a, clock, certOut('QUJD'));
    assert.deepEqual(c.certificate, { subject: 'CN=alice', notAfter: T0 + 5 });
  });
});

describe('SPEC C.6 at run time', () => {
  test('v1 without interactiveMode builds fine and fails when the plugin is about to run', () => {
    const { a } = setup({ command: 'p', apiVersion: EXEC_API_V1 });
    const g = a.getCreds();
    assert.deepEqual(g, { kind: 'error', ticket: g.ticket, error: 'getting credentials: exec plugin cannot support interactive mode: unknown interactiveMode: ""' });
    assert.equal(a.runs, 0);
    assert.equal(a.runInProgress, false);
  });
  test('v1beta1 from a kubeconfig defaults to IfAvailable: interactive on a terminal, not in a pipe', () => {
    const cfg = withKubeconfigDefaults({ command: 'p', apiVersion: EXEC_API_V1BETA1 });
    const onTty = setup(cfg).a.getCreds();
    assert.ok(onTty.kind === 'run' && onTty.input.interactive && onTty.input.execInfo.includes('"interactive":true'));
    const clock = new ManualClock(T0);
    const inPipe = new Authenticator(cfg, { clock, terminal: { stdinIsTerminal: false } }).getCreds();
    assert.ok(inPipe.kind === 'run' && !inPipe.input.interactive);
  });
  test('Always without a terminal: every request fails, the plugin never runs', () => {
    const clock = new ManualClock(T0);
    const a = new Authenticator({ ...V1, interactiveMode: 'Always' }, { clock, terminal: { stdinIsTerminal: false } });
    for (let i = 0; i < 3; i++) assert.equal(a.getCreds().kind, 'error');
    assert.equal(a.runs, 0);
  });
  test('after a failed 401 refresh a queued request is served the old, still valid creds', () => {
    const clock = new ManualClock(T0);
    const a = new Authenticator({ ...V1, interactiveMode: 'Always' }, { clock, terminal: tty });
    const c1 = fetch(a, clock, tokenOut('t1', T0 + MIN));
    assert.equal(a.unauthorized(c1).kind, 'refresh');
    assert.equal(a.getCreds().kind, 'wait');
    const f = a.runFinished({ kind: 'exit', code: 1, stderr: '' });
    assert.ok(!f.ok);
    assert.equal(f.served[0]?.kind, 'creds');
  });
  test('cluster info is sent only with provideClusterInfo', () => {
    const cluster = { server: 'https://k' };
    const clock = new ManualClock(T0);
    const without = new Authenticator(V1, { clock, terminal: tty, cluster }).getCreds();
    const withInfo = new Authenticator({ ...V1, provideClusterInfo: true }, { clock, terminal: tty, cluster }).getCreds();
    assert.ok(without.kind === 'run' && !without.input.execInfo.includes('cluster'));
    assert.ok(withInfo.kind === 'run' && withInfo.input.execInfo.includes('"cluster":{"server":"https://k"'));
  });
});

describe('SPEC C.5 step 5 / C.8: run failures', () => {
  test('missing binary: the hint 10 times per hour per authenticator, then the base text', () => {
    const { a, clock } = setup({ ...V1, installHint: 'install it' });
    const texts: string[] = [];
    for (let i = 0; i < 11; i++) {
      a.getCreds();
      const f = a.runFinished({ kind: 'notFound' });
      assert.ok(!f.ok);
      texts.push(f.error);
      clock.advance(MIN);
    }
    const full = `getting credentials: exec: executable plugin not found${INSTALL_HINT_HELP}\n\ninstall it`;
    assert.deepEqual(texts.slice(0, 10), Array(10).fill(full));
    assert.equal(texts[10], 'getting credentials: exec: executable plugin not found');
    // A new process (new authenticator) shows it again.
    const b = new Authenticator({ ...V1, installHint: 'install it' }, { clock, terminal: tty });
    b.getCreds();
    const f = b.runFinished({ kind: 'notFound' });
    assert.ok(!f.ok && f.installHint && f.error === full);
  });
  test('a command with a path is not looked up: no hint', () => {
    const { a } = setup({ ...V1, command: '/opt/bin/plugin' });
    a.getCreds();
    const f = a.runFinished({ kind: 'notFound' });
    assert.ok(!f.ok && !f.installHint);
    assert.equal(f.error, 'getting credentials: exec: fork/exec /opt/bin/plugin: no such file or directory');
  });
  test('short-lived clients: a new authenticator has an empty cache', () => {
    const clock = new ManualClock(T0);
    let runs = 0;
    for (let i = 0; i < 5; i++) {
      const a = new Authenticator(V1, { clock, terminal: tty });
      fetch(a, clock, tokenOut('t', T0 + 60 * MIN));
      runs += a.runs;
    }
    assert.equal(runs, 5);
  });
  test('runFinished without a run is a programming error', () => {
    assert.throws(() => setup().a.runFinished({ kind: 'notFound' }));
  });
});

describe('SPEC C.5 step 3: the environment', () => {
  test('process env, then configured env, then KUBERNETES_EXEC_INFO; later wins', () => {
    const env = pluginEnvironment(
      [
        ['PATH', '/bin'],
        ['A', 'process'],
        ['KUBERNETES_EXEC_INFO', 'stale'],
      ],
      { ...V1, env: [{ name: 'A', value: 'config' }] },
      '{"x":1}',
    );
    assert.deepEqual(new Map(env), new Map([['PATH', '/bin'], ['A', 'config'], ['KUBERNETES_EXEC_INFO', '{"x":1}']]));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random interleavings

type Op =
  | { op: 'get' }
  | { op: 'unauthorized'; pick: number }
  | { op: 'finish'; answer: number; lifetime: number | null }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ op: 'get' as const }),
  fc.record({ op: fc.constant('unauthorized' as const), pick: fc.nat(20) }),
  fc.record({ op: fc.constant('finish' as const), answer: fc.nat(7), lifetime: fc.option(fc.integer({ min: 1, max: 30 * MIN })) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 * MIN }) }),
);

function answerFor(n: number, now: number, lifetime: number | null, allFine: boolean): PluginRunAnswer {
  const exp = lifetime === null ? undefined : now + lifetime;
  if (allFine) return n % 2 === 0 ? tokenOut(`t${n}`, exp) : certOut(n % 4 === 1 ? 'QUJD' : 'REVG', exp);
  switch (n) {
    case 0:
      return { kind: 'notFound' };
    case 1:
      return { kind: 'exit', code: 3, stderr: '' };
    case 2:
      return { kind: 'output', stdout: 'garbage' };
    case 3:
      return certOut('QUJD', exp, 'bad');
    case 4:
      return { kind: 'timeout' };
    default:
      return tokenOut(`t${n}`, exp);
  }
}

function drive(ops: Op[], allFine: boolean, check: (a: Authenticator, now: number, creds: Credentials) => void): void {
  const clock = new ManualClock(T0);
  const a = new Authenticator(V1, { clock, terminal: tty });
  const held: Credentials[] = [];
  const got = (c: Credentials): void => {
    check(a, clock.now(), c);
    held.push(c);
  };
  for (const o of ops) {
    if (o.op === 'get') {
      const g = a.getCreds();
      if (g.kind === 'creds') got(g.creds);
    } else if (o.op === 'unauthorized') {
      const c = held[o.pick % Math.max(1, held.length)];
      if (c !== undefined) a.unauthorized(c);
    } else if (o.op === 'finish') {
      if (!a.runInProgress) continue;
      const f = a.runFinished(answerFor(o.answer, clock.now(), o.lifetime, allFine));
      if (f.ok) got(f.creds);
      for (const s of f.served) if (s.kind === 'creds') got(s.creds);
      assert.equal(a.runInProgress, f.next !== undefined);
    } else clock.advance(o.ms);
  }
}

describe('properties', () => {
  test('random sequences never throw and keep the queue consistent', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        drive(ops, false, () => {});
      }),
    );
  });
  test('with answers expiring in the future (or never), no caller ever gets expired creds', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        drive(ops, true, (a, now, c) => {
          assert.ok(c.expiresAt === undefined || now <= c.expiresAt, `expired creds handed out at ${now}`);
          assert.ok(!a.expired(now));
        });
      }),
    );
  });
  test('one run at a time: runs started never exceed runFinished calls + 1', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const clock = new ManualClock(T0);
        const a = new Authenticator(V1, { clock, terminal: tty });
        let finished = 0;
        for (const o of ops) {
          if (o.op === 'get') a.getCreds();
          else if (o.op === 'unauthorized' && a.current !== undefined) a.unauthorized(a.current);
          else if (o.op === 'finish' && a.runInProgress) {
            a.runFinished(answerFor(o.answer, clock.now(), o.lifetime, false));
            finished++;
          } else if (o.op === 'advance') clock.advance(o.ms);
          assert.equal(a.runs, finished + (a.runInProgress ? 1 : 0));
        }
      }),
    );
  });
});

describe('SPEC C.2 / C.3 step 1: credentials of the client itself leave the plugin out', () => {
  test('a token always; basic auth from 1.22; a client certificate from 1.24; else a request header', () => {
    assert.equal(bypass({}), 'none');
    assert.equal(bypass({ authorizationHeader: true }), 'header');
    for (const v of ['1.20', '1.21', '1.22', '1.24'] as const) assert.equal(bypass({ transport: ['token'] }, v), 'transport', v);
    assert.equal(bypass({ transport: ['basicAuth'] }, '1.21'), 'none');
    assert.equal(bypass({ transport: ['basicAuth'] }, '1.22'), 'transport');
    assert.equal(bypass({ transport: ['clientCertificate'] }, '1.22'), 'none');
    assert.equal(bypass({ transport: ['clientCertificate'], authorizationHeader: true }, '1.22'), 'header');
    assert.equal(bypass({ transport: ['clientCertificate'] }), 'transport');
  });
});
