/**
 * The base of everything in src/vscode that holds listeners, registrations or child objects: it owns
 * them and disposes them exactly once, newest first, when it is disposed itself. Pure (it needs only
 * the `dispose()` shape), so its contract is unit-tested without VS Code.
 */

/** Anything with a dispose(): vscode.Disposable, an EventEmitter, a webview panel, a timer wrapper… */
export interface DisposableLike {
  dispose(): unknown;
}

export abstract class DisposableBase implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private isDisposed = false;

  /** True once dispose() has started: late callbacks (a worker reply, a timer) check it and do nothing. */
  protected get disposed(): boolean {
    return this.isDisposed;
  }

  /**
   * Takes ownership of `d` and returns it. Owning something after disposal disposes it at once, so a
   * listener registered by a late async step cannot outlive its owner.
   */
  protected own<T extends DisposableLike>(d: T): T {
    if (this.isDisposed) disposeQuietly(d);
    else this.owned.push(d);
    return d;
  }

  /** Runs once, before the owned disposables go; subclasses release what they do not `own()`. */
  protected onDispose(): void {}

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    try {
      this.onDispose();
    } finally {
      // Newest first: a listener goes before the emitter or panel it listens to. One failing
      // dispose() must not leave the others alive.
      for (const d of this.owned.splice(0).reverse()) disposeQuietly(d);
    }
  }
}

function disposeQuietly(d: DisposableLike): void {
  try {
    d.dispose();
  } catch {
    // Disposing is cleanup on the way out: there is no one left to tell.
  }
}

/** A plain disposable from a cleanup function (e.g. clearInterval), run at most once. */
export function toDisposable(cleanup: () => void): DisposableLike & { dispose(): void } {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      cleanup();
    },
  };
}
