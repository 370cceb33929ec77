/**
 * The API server's cache of an external JWT signer's public keys (SPEC D.5, KEP-740,
 * `pkg/serviceaccount/externaljwt/plugin/keycache.go`), plus a small model of the signer itself.
 *
 * Behaviour kept from upstream:
 * - the scheduled sync runs on its own timer: after a successful sync the timer is set to the
 *   signer's NextRefreshHint (fetch time + refreshHintSeconds), after a failure to 10 s; on-demand
 *   syncs update the hint but do not move a timer that is already set;
 * - a failed sync keeps the old key set;
 * - a kid that is not cached triggers one on-demand sync (concurrent callers share it: in the
 *   simulation, calls at the same millisecond share the sync made at that millisecond), then the
 *   lookup is repeated; still absent → no keys → the token is rejected;
 * - kid "" matches every key.
 */
import type { Clock } from '../clock';

export const FALLBACK_REFRESH_MS = 10_000;
const MAX_KEY_ID_BYTES = 1024;

export interface PublicKeyInfo {
  keyId: string;
  excludeFromOidcDiscovery?: boolean;
}

export interface FetchKeysResponse {
  keys: PublicKeyInfo[];
  refreshHintSeconds: number;
  /** Epoch ms. */
  dataTimestamp: number;
}

export type FetchKeysResult = { ok: true; value: FetchKeysResponse } | { ok: false; error: string };
export type FetchKeys = () => FetchKeysResult;

export type KeySyncReason = 'startup' | 'scheduled' | 'onDemand';

export interface KeySyncOutcome {
  at: number;
  reason: KeySyncReason;
  ok: boolean;
  error?: string;
  /** Upstream's keysChanged: data timestamp, key count, or any key id / OIDC flag by index. */
  changed: boolean;
  keyIds: string[];
  added: string[];
  removed: string[];
  /** True when this call shared a sync already made at the same instant (no new FetchKeys). */
  coalesced: boolean;
}

export type KeyCacheListener = (outcome: KeySyncOutcome) => void;

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** SPEC D.5: a FetchKeys response is rejected as a whole if any of these fail. */
function validateResponse(r: FetchKeysResponse): string | undefined {
  if (!(r.refreshHintSeconds > 0)) return `found invalid refresh hint (${r.refreshHintSeconds}s)`;
  if (r.keys.length === 0) return 'found no keys';
  if (!Number.isFinite(r.dataTimestamp)) return 'invalid data timestamp';
  for (const k of r.keys) {
    if (k.keyId.length === 0 || utf8Length(k.keyId) > MAX_KEY_ID_BYTES) return `found invalid public key id "${k.keyId}"`;
  }
  return undefined;
}

function keysChanged(oldKeys: PublicKeyInfo[], oldTs: number | undefined, newKeys: PublicKeyInfo[], newTs: number): boolean {
  if (oldTs !== newTs) return true;
  if (oldKeys.length !== newKeys.length) return true;
  for (let i = 0; i < oldKeys.length; i++) {
    const a = oldKeys[i] as PublicKeyInfo;
    const b = newKeys[i] as PublicKeyInfo;
    if (a.keyId !== b.keyId) return true;
    if ((a.excludeFromOidcDiscovery ?? false) !== (b.excludeFromOidcDiscovery ?? false)) return true;
  }
  return false;
}

export class KeyCache {
  private keys: PublicKeyInfo[] = [];
  private dataTimestamp: number | undefined;
  private nextRefreshHint: number;
  private timerAt: number;
  private last: KeySyncOutcome | undefined;

  constructor(
    private readonly fetchKeys: FetchKeys,
    private readonly clock: Clock,
    private readonly listener?: KeyCacheListener,
  ) {
    this.nextRefreshHint = clock.now();
    this.timerAt = clock.now();
  }

  /** When the scheduled sync timer fires next. */
  get nextScheduledSync(): number {
    return this.timerAt;
  }

  keyIds(): string[] {
    return this.keys.map((k) => k.keyId);
  }

  has(keyId: string): boolean {
    return this.keys.some((k) => k.keyId === keyId);
  }

  /**
   * Startup fill (SPEC D.5). Upstream aborts the API server when it fails; the simulation keeps going
   * and retries on the 10 s fallback timer so that the rest of the run stays observable.
   */
  initialFill(): KeySyncOutcome {
    const o = this.sync('startup');
    this.timerAt = o.ok ? this.nextRefreshHint : this.clock.now() + FALLBACK_REFRESH_MS;
    return o;
  }

  /** The timer fired: sync, then re-arm (hint on success, 10 s on failure). */
  runScheduledSync(): KeySyncOutcome {
    const o = this.sync('scheduled');
    // A hint in the past (possible only with odd signers) re-arms immediately, like a negative timer.
    this.timerAt = o.ok ? Math.max(this.nextRefreshHint, this.clock.now()) : this.clock.now() + FALLBACK_REFRESH_MS;
    return o;
  }

  /**
   * GetPublicKeys(kid): cached keys for kid (all keys for ""), else one on-demand sync and a second
   * look. `sync` is set when an on-demand sync was made (or shared).
   */
  getPublicKeys(keyId: string): { keys: PublicKeyInfo[]; sync?: KeySyncOutcome } {
    const found = this.find(keyId);
    if (found.length > 0) return { keys: found };
    const sync = this.sync('onDemand');
    if (!sync.ok) return { keys: [], sync };
    return { keys: this.find(keyId), sync };
  }

  private find(keyId: string): PublicKeyInfo[] {
    if (this.keys.length === 0) return [];
    if (keyId === '') return [...this.keys];
    return this.keys.filter((k) => k.keyId === keyId);
  }

  private sync(reason: KeySyncReason): KeySyncOutcome {
    const now = this.clock.now();
    // Concurrent callers share one sync (singleflight): same instant → same sync.
    if (this.last !== undefined && this.last.at === now) {
      return { ...this.last, reason, coalesced: true };
    }
    const res = this.fetchKeys();
    let outcome: KeySyncOutcome;
    if (!res.ok) {
      outcome = {
        at: now,
        reason,
        ok: false,
        error: `while fetching token verification keys: while getting externally supported jwt signing keys: ${res.error}`,
        changed: false,
        keyIds: this.keyIds(),
        added: [],
        removed: [],
        coalesced: false,
      };
    } else {
      const problem = validateResponse(res.value);
      if (problem !== undefined) {
        outcome = { at: now, reason, ok: false, error: `while fetching token verification keys: ${problem}`, changed: false, keyIds: this.keyIds(), added: [], removed: [], coalesced: false };
      } else {
        const newKeys = res.value.keys.map((k) => ({ ...k }));
        const oldIds = new Set(this.keyIds());
        const newIds = new Set(newKeys.map((k) => k.keyId));
        const changed = keysChanged(this.keys, this.dataTimestamp, newKeys, res.value.dataTimestamp);
        this.keys = newKeys;
        this.dataTimestamp = res.value.dataTimestamp;
        this.nextRefreshHint = now + res.value.refreshHintSeconds * 1000;
        outcome = {
          at: now,
          reason,
          ok: true,
          changed,
          keyIds: [...newIds],
          added: [...newIds].filter((k) => !oldIds.has(k)),
          removed: [...oldIds].filter((k) => !newIds.has(k)),
          coalesced: false,
        };
      }
    }
    this.last = outcome;
    this.listener?.(outcome);
    return outcome;
  }
}

/** What the API server's gRPC client says when the signer's socket refuses connections. */
export const SIGNER_UNREACHABLE =
  'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/external-jwt-signer.sock: connect: connection refused"';

/**
 * A model of the external signer: it signs with its newest key and publishes every key it has not
 * dropped. During its outages it is unreachable: FetchKeys fails, and so does signing (tokenIssuer.ts).
 */
export class SimulatedSigner {
  private keys: PublicKeyInfo[];
  private current: string;
  private counter = 1;
  private changedAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly refreshHintSeconds: number,
    private readonly outages: readonly { from: number; to: number }[] = [],
  ) {
    this.current = 'key-1';
    this.keys = [{ keyId: this.current }];
    this.changedAt = clock.now();
  }

  /** kid of the key that signs new tokens. */
  get currentKeyId(): string {
    return this.current;
  }

  publishedKeyIds(): string[] {
    return this.keys.map((k) => k.keyId);
  }

  /** Start signing with a new key (published at once). Returns the old and new kid. */
  rotate(): { oldKeyId: string; newKeyId: string } {
    const oldKeyId = this.current;
    this.counter++;
    this.current = `key-${this.counter}`;
    this.keys = [...this.keys, { keyId: this.current }];
    this.changedAt = this.clock.now();
    return { oldKeyId, newKeyId: this.current };
  }

  /** Stop publishing a key (never the current one). Returns false if it was not published. */
  drop(keyId: string): boolean {
    if (keyId === this.current || !this.keys.some((k) => k.keyId === keyId)) return false;
    this.keys = this.keys.filter((k) => k.keyId !== keyId);
    this.changedAt = this.clock.now();
    return true;
  }

  inOutage(t: number): boolean {
    return this.outages.some((o) => t >= o.from && t < o.to);
  }

  fetchKeys(): FetchKeysResult {
    if (this.inOutage(this.clock.now())) {
      return {
        ok: false,
        error: SIGNER_UNREACHABLE,
      };
    }
    return { ok: true, value: { keys: this.keys.map((k) => ({ ...k })), refreshHintSeconds: this.refreshHintSeconds, dataTimestamp: this.changedAt } };
  }
}
