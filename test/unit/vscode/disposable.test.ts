import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisposableBase, toDisposable } from '../../../src/vscode/disposable';

class Holder extends DisposableBase {
  readonly cleanups: string[] = [];
  hold(name: string, fail = false) {
    return this.own({
      dispose: () => {
        this.cleanups.push(name);
        if (fail) throw new Error(`${name} failed`);
      },
    });
  }
  protected override onDispose(): void {
    this.cleanups.push('onDispose');
  }
  get isGone(): boolean {
    return this.disposed;
  }
}

test('owned disposables go once, newest first, after onDispose', () => {
  const h = new Holder();
  h.hold('emitter');
  h.hold('listener');
  assert.equal(h.isGone, false);
  h.dispose();
  h.dispose();
  assert.deepEqual(h.cleanups, ['onDispose', 'listener', 'emitter']);
  assert.equal(h.isGone, true);
});

test('one failing dispose does not keep the others alive', () => {
  const h = new Holder();
  h.hold('a');
  h.hold('b', true);
  h.hold('c');
  assert.doesNotThrow(() => h.dispose());
  assert.deepEqual(h.cleanups, ['onDispose', 'c', 'b', 'a']);
});

test('owning something after disposal disposes it at once (a late listener cannot leak)', () => {
  const h = new Holder();
  h.dispose();
  h.hold('late');
  assert.deepEqual(h.cleanups, ['onDispose', 'late']);
  h.dispose();
  assert.deepEqual(h.cleanups, ['onDispose', 'late'], 'and only once');
});

test('a re-entrant dispose (a panel whose close event disposes its owner) runs once', () => {
  class Panel extends DisposableBase {
    count = 0;
    constructor() {
      super();
      // What a webview panel does: its own onDidDispose calls back into the owner's dispose().
      this.own({ dispose: () => this.dispose() });
    }
    protected override onDispose(): void {
      this.count++;
      this.dispose();
    }
  }
  const p = new Panel();
  p.dispose();
  assert.equal(p.count, 1);
});

test('toDisposable runs its cleanup once', () => {
  let n = 0;
  const d = toDisposable(() => n++);
  d.dispose();
  d.dispose();
  assert.equal(n, 1);
});
