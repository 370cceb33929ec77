import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScenario } from '../../../src/sim/engine/run';
import { plainRuleText } from '../../../src/sim/ruleText';
import { loadScenario } from '../../../src/sim/scenario/load';

test('citations of our upstream notes are removed, the sentence kept', () => {
  const cases: Array<[string, string]> = [
    ['SPEC A.5 step 5: inside the last 20 % (jitter 7 s)', 'Inside the last 20 % (jitter 7 s)'],
    ['kube-apiserver TokenRequest, newest (SPEC D.1, D.2)', 'kube-apiserver TokenRequest, newest'],
    ['cached token expired (SPEC A.4) and the refresh failed → error', 'cached token expired and the refresh failed → error'],
    ['dropped by cleanup after expiry, SPEC A.7) → TokenRequest', 'dropped by cleanup after expiry) → TokenRequest'],
    ['Note (kube-api-access, SPEC A.8, D.1): for a pod-bound 3607 s request', 'Note (kube-api-access): for a pod-bound 3607 s request'],
    ['kubelet 1.34 rules (SPEC A.5, jitter 0–9 s)', 'kubelet 1.34 rules (jitter 0–9 s)'],
    ['client-go 1.34 exec credential plugins (SPEC C)', 'client-go 1.34 exec credential plugins'],
    ['the API server rejects this request (SPEC D.1): spec.expirationSeconds: Invalid value', 'the API server rejects this request: spec.expirationSeconds: Invalid value'],
    ['no SPEC here', 'no SPEC here'],
  ];
  for (const [input, want] of cases) assert.equal(plainRuleText(input), want, input);
});

test('no rule text of any example trace keeps a citation once made plain', () => {
  const dir = join(process.cwd(), 'examples');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.length > 3, 'examples found');
  let seen = 0;
  for (const file of files) {
    const loaded = loadScenario(readFileSync(join(dir, file), 'utf8'), file);
    if (!loaded.ok) continue;
    const trace = runScenario(loaded.scenario);
    const texts = [...trace.events.map((e) => e.rule), ...trace.spans.map((s) => s.rule ?? ''), ...trace.meta.models];
    for (const t of texts) {
      if (t.includes('SPEC ')) seen++;
      const plain = plainRuleText(t);
      assert.doesNotMatch(plain, /SPEC|\(\s*\)|\s{2}|^\s|\s$/, `${file}: "${t}" → "${plain}"`);
    }
  }
  assert.ok(seen > 0, 'the examples cite the notes somewhere (else this test proves nothing)');
});
