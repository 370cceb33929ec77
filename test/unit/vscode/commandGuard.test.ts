import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, guardCommand, guarded, type GuardSink } from '../../../src/vscode/commandGuard';
import { encodeBase64UrlText } from '../../../src/token/base64url';

const JWT = `${encodeBase64UrlText('{"alg":"RS256","kid":"k1"}')}.${encodeBase64UrlText('{"sub":"system:serviceaccount:shop:web"}')}.c2lnbmF0dXJlc2lnbmF0dXJl`;

function sink(): GuardSink & { errors: string[]; infos: string[]; shown: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  const shown: string[] = [];
  return { errors, infos, shown, log: { error: (m) => void errors.push(m), info: (m) => void infos.push(m) }, showError: (t) => void shown.push(t) };
}

test('a failing command is logged and shown once, and never rejects', async () => {
  const s = sink();
  const command = guardCommand('runScenario', s, async (file: string) => {
    throw new Error(`cannot open ${file}`);
  });
  await assert.doesNotReject(command('x.yaml'));
  assert.deepEqual(s.errors, ['runScenario: cannot open x.yaml']);
  assert.deepEqual(s.shown, ['Token Lens: cannot open x.yaml']);
});

test('a synchronous throw and a non-Error value are guarded too', async () => {
  const s = sink();
  await guardCommand('refresh', s, () => {
    throw 'plain string';
  })();
  assert.deepEqual(s.shown, ['Token Lens: plain string']);
});

test('a token quoted by an error reaches neither the notification nor the log', async () => {
  const s = sink();
  const r = await guarded('readTokenFromPod', s, () => {
    throw new Error(`the API server said: invalid bearer token ${JWT}`);
  });
  assert.equal(r.ok, false);
  for (const text of [...s.errors, ...s.shown, r.ok ? '' : r.text]) {
    assert.ok(!text.includes(JWT) && !text.includes('c2lnbmF0dXJl'), text);
    assert.match(text, /\[redacted\]/);
  }
  assert.equal(errorText(new Error(`Bearer ${'a'.repeat(30)}`)), 'Bearer [redacted]');
});

test('a cancellation (Cancel on the progress notification) is not an error', async () => {
  const s = sink();
  const cancelled = Object.assign(new Error('Canceled'), { name: 'Canceled' });
  const r = await guarded('simulateRefresh', s, () => Promise.reject(cancelled));
  assert.deepEqual(r, { ok: false, cancelled: true, text: 'Canceled' });
  assert.deepEqual(s.shown, []);
  assert.deepEqual(s.errors, []);
  assert.deepEqual(s.infos, ['simulateRefresh: cancelled']);
});

test('success passes the value through and says nothing', async () => {
  const s = sink();
  assert.deepEqual(await guarded('x', s, () => 42), { ok: true, value: 42 });
  assert.deepEqual([...s.errors, ...s.shown, ...s.infos], []);
});
