// Explain Refresh Timing's report (src/vscode/refreshReport.ts): plain words, human durations, local times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refreshReport } from '../../../src/vscode/refreshReport';

const ISSUED = Date.UTC(2026, 11, 2, 12, 0, 0);

test('a 1 h token: the 80 % rule, the window in the given zone, no spec references or epoch numbers', () => {
  const r = refreshReport({ ttl: 3600, issuedMs: ISSUED, issuedIsNow: false, timeZone: 'Europe/Berlin' });
  assert.ok(r.ok);
  assert.equal(r.title, 'Refresh timing of a 1 h token');
  assert.match(r.markdown, /80 % of the lifetime/);
  assert.match(r.markdown, /after \*\*48 min\*\*/);
  // 12:00 UTC is 13:00 in Berlin; the 80 % point (48 min) minus 0–9 s of jitter.
  assert.match(r.markdown, /Refresh window:\*\* 2026-12-02 13:47:51 GMT\+1 – 2026-12-02 13:48:00 GMT\+1/);
  assert.match(r.markdown, /Kubelet expiry:\*\* 2026-12-02 14:00:00 GMT\+1/);
  assert.doesNotMatch(r.markdown, /SPEC|\b\d{10,}\b/);
});

test('a 2 day token is refreshed by the 24 h rule; kube-api-access lifetimes say why the JWT lasts longer', () => {
  const r = refreshReport({ ttl: 2 * 86_400, issuedMs: ISSUED, issuedIsNow: true, timeZone: 'UTC' });
  assert.ok(r.ok);
  assert.match(r.markdown, /24 hours old/);
  assert.match(r.markdown, /If the token is issued now/);
  const k = refreshReport({ ttl: 3607, issuedMs: ISSUED, issuedIsNow: true, timeZone: 'UTC' });
  assert.ok(k.ok);
  assert.match(k.markdown, /kube-api-access/);
});

test('a lifetime the API server rejects is a plain error', () => {
  const r = refreshReport({ ttl: 60, issuedMs: ISSUED, issuedIsNow: true });
  assert.equal(r.ok, false);
  assert.ok(!r.ok && /between 10 minutes/.test(r.error) && !/SPEC/.test(r.error));
});
