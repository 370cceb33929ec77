/**
 * Calico CNI's TokenRefresher (`node/pkg/cni/token_watch.go`, v3.30+ with CNI_TOKEN_REFRESH_INTERVAL),
 * SPEC D.6: request a 24 h token for the CNI service account, hand it to the kubeconfig writer, sleep
 * a quarter of the remaining lifetime plus up to 100 % jitter, repeat; retry in 5–10 s after failures.
 * Not modelled: the unreleased fsnotify wake-up (master after v3.32.1) and the token-file fallback
 * for API servers without TokenRequest.
 */
import type { Clock } from '../clock';
import type { IssuedTokenRequest, TokenRequest, TokenRequestResult } from '../apiserver/tokenRequest';

/** SPEC D.6 defaults. */
export const CALICO_DEFAULT_EXPIRATION_SECONDS = 86_400;
export const CALICO_MIN_RETRY_MS = 5_000;
export const CALICO_REFRESH_FRACTION = 4;

const NS_PER_MS = 1_000_000;

export type CalicoSleepRule = 'quarter' | 'interval' | 'retry';

export interface CalicoSleep {
  /** Whole ms (the clock's resolution; the nanosecond Go duration is truncated). */
  sleepMs: number;
  /** The base before jitter, ms (may be fractional: it is a quarter of a ms difference). */
  baseMs: number;
  rule: CalicoSleepRule;
}

/**
 * getSleepTime (SPEC D.6). `expiration` undefined stands for Go's zero time (set after a failed
 * attempt). `u` is the float32 draw in [0, 1).
 */
export function calicoSleep(expiration: number | undefined, now: number, u: number, refreshIntervalMs?: number): CalicoSleep {
  // Step 1: (expiration − now) / 4 as a Go Duration (int64 ns, integer division truncates toward zero).
  let baseNs = expiration === undefined ? -Infinity : Math.trunc(((expiration - now) * NS_PER_MS) / CALICO_REFRESH_FRACTION);
  let rule: CalicoSleepRule = 'quarter';
  // Step 2 (v3.30+): CNI_TOKEN_REFRESH_INTERVAL replaces the base.
  if (refreshIntervalMs !== undefined) {
    baseNs = refreshIntervalMs * NS_PER_MS;
    rule = 'interval';
  }
  // Step 3: expiration.Before(now + 5 s × 4) → 5 s (strict; also the failure path, zero time).
  if (expiration === undefined || expiration < now + CALICO_MIN_RETRY_MS * CALICO_REFRESH_FRACTION) {
    baseNs = CALICO_MIN_RETRY_MS * NS_PER_MS;
    rule = 'retry';
  }
  // Step 4: jitter := rand.Float32() * float32(sleepTime) is float32 arithmetic; Duration(jitter) truncates.
  const jitterNs = Math.trunc(Math.fround(Math.fround(u) * Math.fround(baseNs)));
  const sleepNs = baseNs + jitterNs;
  // Our clock counts whole ms: truncate the nanosecond sleep (never more than 1 ms early).
  return { sleepMs: Math.floor(sleepNs / NS_PER_MS), baseMs: baseNs / NS_PER_MS, rule };
}

export interface CalicoSpec {
  namespace: string;
  serviceAccount: string;
  expirationSeconds?: number;
  refreshIntervalMs?: number;
}

export interface CalicoAttempt {
  at: number;
  ok: boolean;
  error?: string;
  response?: IssuedTokenRequest;
  sleep: CalicoSleep;
  u: number;
  nextAt: number;
}

/** The refresher loop as a step function: the engine calls attempt() when the previous sleep ends. */
export class CalicoRefresher {
  readonly request: TokenRequest;

  constructor(
    readonly spec: CalicoSpec,
    private readonly clock: Clock,
    private readonly random: { float32(): number },
    private readonly createToken: (namespace: string, name: string, tr: TokenRequest) => TokenRequestResult & { latencyMs?: number },
  ) {
    // SPEC D.6: audiences [] (→ API server default), 86400 s, not bound to any object.
    this.request = { spec: { audiences: [], expirationSeconds: spec.expirationSeconds ?? CALICO_DEFAULT_EXPIRATION_SECONDS } };
  }

  attempt(): CalicoAttempt {
    const at = this.clock.now();
    const res = this.createToken(this.spec.namespace, this.spec.serviceAccount, this.request);
    // The sleep is computed after the call returns (time.Now() inside getSleepTime).
    const after = at + (res.latencyMs ?? 0);
    const expiration = res.ok ? res.response.status.expirationTimestamp : undefined;
    const u = this.random.float32();
    const sleep = calicoSleep(expiration, after, u, this.spec.refreshIntervalMs);
    const base = { at, sleep, u, nextAt: after + sleep.sleepMs };
    return res.ok ? { ...base, ok: true, response: res.response } : { ...base, ok: false, error: res.error };
  }
}
