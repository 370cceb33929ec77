// The general runner under both plugin runners: real processes, stdin, env, caps, timeout.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { environmentObject, runProcess } from '../../src/plugins/processRunner';
import { alive, nodeScript, tempDir } from './fakePlugins';

const dir = tempDir('ktl-runner-');
after(() => dir.remove());

test('stdin reaches the process, and stdout, stderr and the exit code come back', async () => {
  const file = dir.script('echo-back', nodeScript(`let s = ''; process.stdin.on('data', (c) => { s += c; });
process.stdin.on('end', () => { process.stdout.write('got:' + s); process.stderr.write('note'); process.exit(3); });`));
  const r = await runProcess({ file, args: [], env: [], stdin: 'hello\n', timeoutMs: 10_000 });
  assert.equal(r.kind, 'exited');
  assert.ok(r.kind === 'exited');
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'got:hello\n');
  assert.equal(r.stderr, 'note');
  assert.ok(r.durationMs >= 0 && !r.stdoutTruncated && !r.stderrTruncated);
});

test('arguments are passed as they are: no shell expands them', async () => {
  const file = dir.script('argv', nodeScript('process.stdout.write(JSON.stringify(process.argv.slice(2)));'));
  const args = ['$(touch /tmp/ktl-should-not-exist)', '*', 'a b', '; echo x'];
  const r = await runProcess({ file, args, env: [], stdin: '', timeoutMs: 10_000 });
  assert.ok(r.kind === 'exited');
  assert.deepEqual(JSON.parse(r.stdout), args);
});

test('the environment is exactly the list given; a later entry for the same name wins', async () => {
  const file = dir.script('env', nodeScript('process.stdout.write(JSON.stringify(process.env));'));
  const r = await runProcess({ file, args: [], env: ['A=first', 'B=b=with=equals', 'A=second', 'NOEQUALS', '=empty-name'], stdin: '', timeoutMs: 10_000 });
  assert.ok(r.kind === 'exited');
  const env = JSON.parse(r.stdout) as Record<string, string>;
  assert.equal(env.A, 'second');
  assert.equal(env.B, 'b=with=equals');
  assert.equal(env.PATH, undefined, 'nothing of our own environment leaks in');
  assert.deepEqual(environmentObject(['X=1', 'X=2', '__proto__=p']), Object.defineProperty({ X: '2' }, '__proto__', { value: 'p', enumerable: true, writable: true, configurable: true }));
});

test('output beyond the cap is read and dropped, and flagged', async () => {
  const file = dir.script('chatty', nodeScript("process.stdout.write('x'.repeat(200000)); process.stderr.write('y'.repeat(5000));"));
  const r = await runProcess({ file, args: [], env: [], stdin: '', timeoutMs: 10_000, maxStdoutBytes: 1000, maxStderrBytes: 10 });
  assert.ok(r.kind === 'exited');
  assert.equal(r.code, 0, 'the process was never blocked on a full pipe');
  assert.equal(r.stdout.length, 1000);
  assert.equal(r.stderr, 'y'.repeat(10));
  assert.ok(r.stdoutTruncated && r.stderrTruncated);
});

test('a process that ignores its stdin and exits does not fail the run', async () => {
  const file = dir.script('no-stdin', '#!/bin/sh\necho done\n');
  const r = await runProcess({ file, args: [], env: [], stdin: 'z'.repeat(1 << 20), timeoutMs: 10_000 });
  assert.ok(r.kind === 'exited');
  assert.equal(r.stdout, 'done\n');
});

test('on timeout the whole process group is killed, children included', async () => {
  const pidFile = `${dir.path}/grandchild.pid`;
  const file = dir.script('hang', `#!/bin/sh\nsleep 300 &\necho $! > '${pidFile}'\necho started\nsleep 300\n`);
  const started = performance.now();
  const r = await runProcess({ file, args: [], env: ['PATH=/usr/bin:/bin'], stdin: '', timeoutMs: 300 });
  assert.equal(r.kind, 'timedOut');
  assert.ok(r.kind === 'timedOut');
  assert.equal(r.timeoutMs, 300);
  assert.equal(r.stdout, 'started\n', 'output written before the kill is kept');
  assert.ok(performance.now() - started < 5000);
  const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
  assert.ok(grandchild > 0);
  for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((res) => setTimeout(res, 20));
  assert.equal(alive(grandchild), false, 'the background child was killed with its group');
});

test('a missing binary is notFound; a directory is a failure with its reason', async () => {
  assert.deepEqual(await runProcess({ file: `${dir.path}/nope`, args: [], env: [], stdin: '', timeoutMs: 1000 }), { kind: 'notFound' });
  const r = await runProcess({ file: dir.path, args: [], env: [], stdin: '', timeoutMs: 1000 });
  assert.equal(r.kind, 'failed');
});
