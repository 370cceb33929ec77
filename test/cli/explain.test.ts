import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/cli';
import { explainRefresh } from '../../src/sim/kubelet/refreshExplanation';
import { fakeIO } from './fakeIO';

// SPEC A.5, "Worked numbers": ES → floor(ES·20/100), refresh strictly after (jitter 0), (jitter 9).
const TABLE: [number, number, number, number][] = [
  [600, 120, 480, 471],
  [3600, 720, 2880, 2871],
  [3607, 721, 2886, 2877],
  [86_400, 17_280, 69_120, 69_111],
  [144_000, 28_800, 86_400, 86_391],
];

test('explainRefresh reproduces SPEC A.5 worked numbers', () => {
  for (const [es, twenty, latest, earliest] of TABLE) {
    const r = explainRefresh({ ttl: es, version: '1.34' });
    assert.ok(r.ok);
    assert.equal(r.explanation.latestOffsetSeconds, latest, `ES ${es}`);
    assert.equal(r.explanation.earliestOffsetSeconds, earliest, `ES ${es}`);
    assert.equal(r.explanation.thresholdRule, es > 108_000 ? '24h' : '80%');
    assert.match(r.explanation.text, new RegExp(`floor\\(${es}·20/100\\) = ${twenty} s`));
  }
});

test('explain-refresh prints the window as offsets, or as instants with --issued', async () => {
  for (const [es, , latest, earliest] of TABLE) {
    const f = fakeIO();
    assert.equal(await main(['explain-refresh', '--ttl', String(es)], f.io), 0);
    assert.match(f.stdout(), new RegExp(`strictly after iat\\+${earliest} s .* with jitter 9 s … strictly after iat\\+${latest} s .* with jitter 0`));
  }
  const f = fakeIO();
  assert.equal(await main(['explain-refresh', '--ttl', '3607', '--issued', '2026-01-01T00:00:00Z'], f.io), 0);
  const out = f.stdout();
  assert.match(out, /refresh strictly after 2026-01-01T00:47:57Z … 2026-01-01T00:48:06Z; the token expires 2026-01-01T01:00:07Z/);
  assert.match(out, /iat\+2886 s \(48m6s\)/);
  assert.match(out, /0\.\.9/);
  assert.match(out, /strict/);
  // The kube-api-access note: one-year JWT, ~1 h status.
  assert.match(out, /one year/);
  assert.match(out, /status\.expirationTimestamp = iat \+ 3607 s/);
  const other = fakeIO();
  await main(['explain-refresh', '--ttl', '3600'], other.io);
  assert.doesNotMatch(other.stdout(), /one year/);
});

test('explain-refresh: the 24 h rule for long tokens, and no jitter for 1.19', async () => {
  const f = fakeIO();
  assert.equal(await main(['explain-refresh', '--ttl', '144000'], f.io), 0);
  assert.match(f.stdout(), /the 24 h rule comes first/);
  const old = fakeIO();
  assert.equal(await main(['explain-refresh', '--ttl', '600', '--version', '1.19'], old.io), 0);
  assert.match(old.stdout(), /Refresh: strictly after iat\+480 s \(8m\)\./);
  assert.doesNotMatch(old.stdout(), /jitter 9 s/);
  const r = explainRefresh({ ttl: 600, version: '1.19' });
  assert.ok(r.ok && r.explanation.earliestOffsetSeconds === 480);
});

test('explain-refresh: lifetimes the API server rejects', async () => {
  const f = fakeIO();
  assert.equal(await main(['explain-refresh', '--ttl', '599'], f.io), 1);
  assert.match(f.stderr(), /may not specify a duration less than 10 minutes/);
  assert.equal(f.stdout(), '');
  const big = fakeIO();
  assert.equal(await main(['explain-refresh', '--ttl', String(2 ** 32 + 1)], big.io), 1);
  assert.match(big.stderr(), /larger than 2\^32 seconds/);
});
