import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { redactingLog } from '../../../src/vscode/redactingLog';
import { encodeBase64UrlText } from '../../../src/token/base64url';

const JWT = `${encodeBase64UrlText('{"alg":"RS256"}')}.${encodeBase64UrlText('{"sub":"x"}')}.c2lnbmF0dXJl`;

/** Records what reaches the channel, as VS Code's LogOutputChannel would receive it. */
function fakeChannel(): { channel: vscode.LogOutputChannel; lines: unknown[][]; disposed: () => boolean } {
  const lines: unknown[][] = [];
  let disposed = false;
  const record = (...args: unknown[]) => void lines.push(args);
  const channel = {
    name: 'Kube Token Lens',
    logLevel: 2,
    trace: record,
    debug: record,
    info: record,
    warn: record,
    error: record,
    append: record,
    appendLine: record,
    replace: record,
    dispose() {
      disposed = true;
    },
  } as unknown as vscode.LogOutputChannel;
  return { channel, lines, disposed: () => disposed };
}

test('every write method redacts its message and its extra arguments', () => {
  const { channel, lines } = fakeChannel();
  const log = redactingLog(channel);
  log.info(`read token ${JWT}`);
  log.warn('header', { authorization: `Bearer ${JWT}` });
  log.error(new Error(`exec plugin printed {"token":"${JWT}"}`));
  log.debug('d', JWT);
  log.trace(JWT);
  log.appendLine(`Authorization: Bearer abcdefghijklmnop1234`);
  log.append(JWT);
  log.replace(JWT);
  assert.equal(lines.length, 8);
  for (const args of lines) {
    for (const a of args) {
      assert.equal(typeof a, 'string');
      assert.ok(!(a as string).includes('c2lnbmF0dXJl') && !(a as string).includes('abcdefghijklmnop1234'), `leaked: ${String(a)}`);
    }
  }
  assert.match(lines[0]?.[0] as string, /^read token \[redacted\]$/);
  assert.match(lines[2]?.[0] as string, /^Error: exec plugin printed \{"token":"\[redacted\]"\}/);
});

test('the rest of the channel is passed through', () => {
  const { channel, disposed } = fakeChannel();
  const log = redactingLog(channel);
  assert.equal(log.name, 'Kube Token Lens');
  assert.equal(log.logLevel, 2);
  log.dispose();
  assert.ok(disposed());
});
