import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/sim/clock';
import { INSTALL_HINT_HELP, INSTALL_HINT_INTERVAL_MS, InstallHintLimiter, notFoundMessage } from '../../../src/sim/execAuth/installHint';

const T0 = Date.UTC(2026, 0, 1);

describe('SPEC C.8 install hint rate limit', () => {
  test('10 per window; the 11th inside the window is refused', () => {
    const clock = new ManualClock(T0);
    const l = new InstallHintLimiter(clock);
    for (let i = 0; i < 10; i++) {
      assert.equal(l.allow(), true, `call ${i}`);
      clock.advance(1000);
    }
    assert.equal(l.allow(), false);
  });
  test('window boundary: start + 1 h − 1 ms is inside, start + 1 h opens a new window', () => {
    const clock = new ManualClock(T0);
    const l = new InstallHintLimiter(clock);
    for (let i = 0; i < 10; i++) l.allow();
    clock.set(T0 + INSTALL_HINT_INTERVAL_MS - 1);
    assert.equal(l.allow(), false);
    clock.set(T0 + INSTALL_HINT_INTERVAL_MS);
    assert.equal(l.allow(), true);
    // The new window is anchored at that call: 9 more, then refused until start' + 1 h.
    for (let i = 0; i < 9; i++) assert.equal(l.allow(), true);
    assert.equal(l.allow(), false);
    clock.set(T0 + 2 * INSTALL_HINT_INTERVAL_MS - 1);
    assert.equal(l.allow(), false);
    clock.set(T0 + 2 * INSTALL_HINT_INTERVAL_MS);
    assert.equal(l.allow(), true);
  });
  test('the window starts at the first call, not at construction', () => {
    const clock = new ManualClock(T0);
    const l = new InstallHintLimiter(clock);
    clock.set(T0 + 5 * INSTALL_HINT_INTERVAL_MS);
    for (let i = 0; i < 10; i++) assert.equal(l.allow(), true);
    clock.advance(INSTALL_HINT_INTERVAL_MS - 1);
    assert.equal(l.allow(), false);
  });
  test('a refused call inside the window does not move it', () => {
    const clock = new ManualClock(T0);
    const l = new InstallHintLimiter(clock);
    for (let i = 0; i < 10; i++) l.allow();
    clock.set(T0 + 30 * 60_000);
    assert.equal(l.allow(), false);
    clock.set(T0 + INSTALL_HINT_INTERVAL_MS);
    assert.equal(l.allow(), true);
  });
});

describe('SPEC C.5 step 5 not-found message', () => {
  test('base text, help, and the configured hint', () => {
    assert.equal(notFoundMessage('aws', 'brew install awscli', false), 'exec: executable aws not found');
    assert.equal(notFoundMessage('aws', 'brew install awscli', true), `exec: executable aws not found${INSTALL_HINT_HELP}\n\nbrew install awscli`);
    assert.equal(notFoundMessage('aws', '', true), `exec: executable aws not found${INSTALL_HINT_HELP}`);
    assert.equal(notFoundMessage('aws', undefined, true), `exec: executable aws not found${INSTALL_HINT_HELP}`);
    assert.ok(INSTALL_HINT_HELP.startsWith('\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\n'));
  });
});
