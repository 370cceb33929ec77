import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideInteractive, interactiveModeError, missingInteractiveModeError, withKubeconfigDefaults } from '../../../src/sim/execAuth/interactiveMode';
import { EXEC_API_V1, EXEC_API_V1ALPHA1, EXEC_API_V1BETA1 } from '../../../src/sim/execAuth/execConfig';

const tty = { stdinIsTerminal: true };
const pipe = { stdinIsTerminal: false };

describe('SPEC C.6 interactiveMode table', () => {
  test('Never: false whatever the terminal', () => {
    for (const t of [tty, pipe, { stdinIsTerminal: true, stdinUnavailable: true }]) {
      assert.deepEqual(decideInteractive('Never', t, '1.24'), { ok: true, interactive: false });
    }
  });
  test('IfAvailable: true only with a terminal and stdin available', () => {
    assert.deepEqual(decideInteractive('IfAvailable', tty, '1.24'), { ok: true, interactive: true });
    assert.deepEqual(decideInteractive('IfAvailable', pipe, '1.24'), { ok: true, interactive: false });
    assert.deepEqual(decideInteractive('IfAvailable', { stdinIsTerminal: true, stdinUnavailable: true }, '1.24'), { ok: true, interactive: false });
    assert.deepEqual(decideInteractive('IfAvailable', { stdinIsTerminal: false, stdinUnavailable: true }, '1.24'), { ok: true, interactive: false });
  });
  test('Always: errors without a terminal (checked first) or with stdin unavailable', () => {
    assert.deepEqual(decideInteractive('Always', pipe, '1.24'), { ok: false, reason: 'standard input is not a terminal' });
    assert.deepEqual(decideInteractive('Always', { stdinIsTerminal: false, stdinUnavailable: true }, '1.24'), { ok: false, reason: 'standard input is not a terminal' });
    assert.deepEqual(decideInteractive('Always', { stdinIsTerminal: true, stdinUnavailable: true }, '1.24'), { ok: false, reason: 'standard input is unavailable' });
    assert.deepEqual(decideInteractive('Always', { stdinIsTerminal: true, stdinUnavailable: true, stdinUnavailableMessage: 'used by -f -' }, '1.24'), {
      ok: false,
      reason: 'standard input is unavailable: used by -f -',
    });
    assert.deepEqual(decideInteractive('Always', { stdinIsTerminal: true, stdinUnavailable: true, stdinUnavailableMessage: '' }, '1.24'), { ok: false, reason: 'standard input is unavailable' });
    assert.deepEqual(decideInteractive('Always', tty, '1.24'), { ok: true, interactive: true });
  });
  test('"" and unknown values error, quoted like Go', () => {
    assert.deepEqual(decideInteractive('', tty, '1.24'), { ok: false, reason: 'unknown interactiveMode: ""' });
    assert.deepEqual(decideInteractive(undefined, tty, '1.24'), { ok: false, reason: 'unknown interactiveMode: ""' });
    assert.deepEqual(decideInteractive('always', tty, '1.24'), { ok: false, reason: 'unknown interactiveMode: "always"' });
    assert.equal(interactiveModeError('x'), 'exec plugin cannot support interactive mode: x');
  });
  test('before 1.22 a terminal decides (stdout in 1.20, stdin in 1.21) and nothing errors', () => {
    assert.deepEqual(decideInteractive('', { stdinIsTerminal: true, stdoutIsTerminal: false }, '1.20'), { ok: true, interactive: false });
    assert.deepEqual(decideInteractive('', { stdinIsTerminal: false, stdoutIsTerminal: true }, '1.20'), { ok: true, interactive: true });
    assert.deepEqual(decideInteractive('bogus', { stdinIsTerminal: true }, '1.21'), { ok: true, interactive: true });
    assert.deepEqual(decideInteractive('Always', { stdinIsTerminal: false }, '1.21'), { ok: true, interactive: false });
  });
});

describe('SPEC C.6 kubeconfig defaulting', () => {
  const base = { command: 'p' };
  test('v1beta1 and v1alpha1 default to IfAvailable', () => {
    assert.equal(withKubeconfigDefaults({ ...base, apiVersion: EXEC_API_V1BETA1 }).interactiveMode, 'IfAvailable');
    assert.equal(withKubeconfigDefaults({ ...base, apiVersion: EXEC_API_V1ALPHA1, interactiveMode: '' }).interactiveMode, 'IfAvailable');
  });
  test('v1 gets no default; an explicit mode is kept', () => {
    assert.equal(withKubeconfigDefaults({ ...base, apiVersion: EXEC_API_V1 }).interactiveMode, undefined);
    assert.equal(withKubeconfigDefaults({ ...base, apiVersion: EXEC_API_V1BETA1, interactiveMode: 'Never' }).interactiveMode, 'Never');
  });
  test('validation message for v1 without a mode', () => {
    assert.equal(missingInteractiveModeError({ ...base, apiVersion: EXEC_API_V1 }, 'alice'), 'interactiveMode must be specified for alice to use exec authentication plugin');
    assert.equal(missingInteractiveModeError({ ...base, apiVersion: EXEC_API_V1, interactiveMode: 'Never' }, 'alice'), undefined);
    assert.equal(missingInteractiveModeError({ ...base, apiVersion: EXEC_API_V1BETA1 }, 'alice'), undefined);
  });
});
