// The exec-auth what-if fields (src/sim/execAuth/whatIf.ts): read from the scenario, applied to every
// user (credential lifetime, the rate of new kubectl processes, the plugin's disk cache), unchanged
// values leave the slice as it was, and the base is never modified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execAuthWhatIf } from '../../../src/sim/execAuth/whatIf';
import { loadScenario } from '../../../src/sim/scenario/load';
import type { Scenario } from '../../../src/sim/scenario/types';

function example(f: string): Scenario {
  const r = loadScenario(readFileSync(f, 'utf8'), f);
  assert.ok(r.ok);
  return r.scenario;
}

test('read: the first user\'s lifetime, the first invocation rate, whether any plugin caches on disk', () => {
  assert.deepEqual(execAuthWhatIf.read(example('examples/exec-auth-kubectl-vs-ide.yaml')), { execCredentialLifetime: '15m', execInvocationEvery: '2m', execDiskCache: true });
  assert.deepEqual(execAuthWhatIf.read(example('examples/exec-auth-revocation.yaml')), { execCredentialLifetime: '', execInvocationEvery: '2m', execDiskCache: false });
  assert.deepEqual(execAuthWhatIf.read(example('examples/shop-outage.yaml')), { execCredentialLifetime: '', execInvocationEvery: '2m', execDiskCache: false });
});

test('apply: unchanged values keep the slice; changed ones apply to every user; the base is left alone', () => {
  const base = example('examples/exec-auth-kubectl-vs-ide.yaml');
  const before = structuredClone(base);
  const read = execAuthWhatIf.read(base);
  assert.equal(execAuthWhatIf.apply(base, read), base);
  const changed = execAuthWhatIf.apply(base, { execCredentialLifetime: '', execInvocationEvery: '5m', execDiskCache: false });
  const users = changed.execAuth?.users ?? [];
  assert.ok(users.every((u) => u.plugin.credentialLifetimeMs === undefined && u.plugin.diskCache === undefined));
  for (const u of users) for (const c of u.clients) assert.equal(c.requests.everyMs, c.process === 'invocations' ? 300_000 : 20_000);
  assert.deepEqual(base, before);
  // Switching the disk cache on where no plugin had one uses the format's default threshold.
  const rev = example('examples/exec-auth-revocation.yaml');
  const on = execAuthWhatIf.apply(rev, { ...execAuthWhatIf.read(rev), execDiskCache: true });
  assert.ok(on.execAuth?.users.every((u) => u.plugin.diskCache?.refreshWhenLessThanMs === 60_000));
  const shop = example('examples/shop-outage.yaml');
  assert.equal(execAuthWhatIf.apply(shop, { execCredentialLifetime: '1h', execInvocationEvery: '1m', execDiskCache: true }), shop);
});
