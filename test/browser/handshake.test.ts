import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWebview } from './webviewPage';
import type { Trace } from '../../src/sim/trace';

const trace: Trace = {
  version: 1,
  meta: { seed: 7, start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 1, 6), models: ['kubelet 1.34+'], lanesTotal: 1, eventsTotal: 1 },
  lanes: [{ id: 'shop/web-0/token', kind: 'token', label: 'web-0 token', detailed: true }],
  spans: [],
  events: [{ t: Date.UTC(2026, 0, 1), lane: 'shop/web-0/token', type: 'tokenRequest', ok: true, rule: 'first sync' }],
  series: [],
};

test('the webview says ready, renders a trace it is sent, and rejects malformed messages', async () => {
  const view = await openWebview();
  try {
    await view.page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await view.posted(), [{ type: 'ready' }]);

    await view.send({ type: 'showTrace', title: 'web-0', trace });
    await view.page.getByRole('heading', { level: 1, name: 'web-0' }).waitFor();

    await view.send({ type: 'showTrace', title: 'broken', trace: { version: 2 } });
    await view.send({ type: 'launchMissiles' });
    await view.page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length >= 3);
    const posted = (await view.posted()) as Array<{ type: string; message?: string }>;
    assert.equal(posted[1]?.type, 'reportError');
    assert.match(posted[1]?.message ?? '', /trace\.version must be 1/);
    assert.match(posted[2]?.message ?? '', /unknown message type "launchMissiles"/);
    // The bad messages did not replace what was shown.
    assert.equal(await view.page.getByRole('heading', { level: 1 }).textContent(), 'web-0');
    await view.screenshot('handshake');
  } finally {
    await view.close();
  }
});
