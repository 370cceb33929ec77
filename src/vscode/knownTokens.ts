import * as vscode from 'vscode';
import { decodeJwt, type DecodedJwt } from '../token/decode';
import { DisposableBase } from './disposable';

export type TokenOrigin = 'readFromPod' | 'requested' | 'legacySecret' | 'pasted';

export interface KnownToken {
  /** The raw JWT. A secret: never logged, persisted or sent anywhere; shown only on an explicit action. */
  readonly value: string;
  readonly decoded: DecodedJwt;
  readonly origin: TokenOrigin;
  /** Wall-clock time it was obtained. */
  readonly obtainedAt: number;
  /** For minted tokens: the TokenRequest status expiry (what the kubelet would store). */
  readonly statusExpirationMs?: number;
}

/**
 * Tokens the user has fetched in this window, in memory only (dropped on reload), keyed by where they
 * belong in the tree, e.g. "kubeconfig:prod/shop/web-0/kube-api-access-x/token".
 */
export class KnownTokens extends DisposableBase {
  private readonly tokens = new Map<string, KnownToken>();
  private readonly changed = this.own(new vscode.EventEmitter<string>());
  readonly onDidChange = this.changed.event;

  /** Decodes and keeps a token; returns the decode error text when it is not a JWT. */
  set(key: string, value: string, origin: TokenOrigin, obtainedAt: number, statusExpirationMs?: number): string | undefined {
    const decoded = decodeJwt(value);
    if (!decoded.ok) return `${decoded.where}: ${decoded.error}`;
    this.tokens.set(key, { value: decoded.token, decoded, origin, obtainedAt, ...(statusExpirationMs !== undefined ? { statusExpirationMs } : {}) });
    this.changed.fire(key);
    return undefined;
  }

  get size(): number {
    return this.tokens.size;
  }

  get(key: string): KnownToken | undefined {
    return this.tokens.get(key);
  }

  /** Forgets one token (e.g. its pod restarted, so the token read from it is no longer the one it holds). */
  delete(key: string): boolean {
    const had = this.tokens.delete(key);
    if (had) this.changed.fire(key);
    return had;
  }

  /** The keys under a prefix, in the order they were first set (e.g. the tokens minted for one source). */
  keysUnder(prefix: string): string[] {
    return [...this.tokens.keys()].filter((k) => k.startsWith(prefix));
  }

  clear(): void {
    this.tokens.clear();
    this.changed.fire('');
  }

  protected override onDispose(): void {
    // Token values are secrets: drop them with the window's services.
    this.tokens.clear();
  }
}
