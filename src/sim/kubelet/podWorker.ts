/**
 * A kubelet pod worker as far as tokens are concerned (SPEC addendum on pod workers, A.3, D.3):
 * every sync sets up the pod's projected volumes again, asking the token manager for each
 * serviceAccountToken source; the pod is re-queued after wait.Jitter(syncFrequency, 0.5) after a
 * successful sync and wait.Jitter(10 s, 0.5) after a failed one.
 *
 * Volumes: sources are grouped by the first segment of their path (the projected volume). As in the
 * projected-volume plugin, a volume with any failing source is not written at all (its other
 * sources' new tokens wait for a later sync), and any failure fails the sync.
 *
 * Latency: a sync is atomic for the other actors, but each API call advances the sync's own local
 * time by the call's latency, so later sources are asked (and files written) later, and the next
 * sync is scheduled from the end of this one.
 *
 * The kubelet model (model.ts) drives the rest of the kubelet side: the manager's cleanup every
 * minute from construction (SPEC A.1, A.7), and on pod deletion deleteServiceAccountToken(pod UID)
 * (SPEC A.6) after which the worker stops (`deleted`).
 */
import type { SeededRandom } from '../random';
import type { PodSpec, TokenSource } from './kubeletSpec';
import type { IssueResult } from '../apiserver/tokenIssuer';
import type { IssuedTokenRequest, TokenRequest } from '../apiserver/tokenRequest';
import type { KubeletVersion, TokenOutcome } from './tokenManager';
import { keyFunc } from './tokenManager';

/** wait.Jitter's factor for pod re-syncs. */
export const SYNC_JITTER_FACTOR = 0.5;
/** Base delay after a failed sync. */
export const FAILED_SYNC_BASE_MS = 10_000;

/**
 * wait.Jitter(base, 0.5) = base + U·0.5·base. Go truncates the float product to whole nanoseconds;
 * our clock counts milliseconds, so we truncate to whole milliseconds (floor of a positive number).
 */
export function jitteredInterval(baseMs: number, u: number): number {
  return baseMs + Math.floor(u * SYNC_JITTER_FACTOR * baseMs);
}

/** The projected volume a source belongs to: the first segment of its path. */
export function volumeOf(path: string): string {
  const i = path.indexOf('/');
  return i < 0 ? path : path.slice(0, i);
}

/**
 * The TokenRequest the kubelet sends for a projected source (SPEC D.3): audiences as given (nil when
 * none), expirationSeconds as given, bound to the pod; from 1.34 metadata.uid = the SA UID (SPEC A.2).
 */
export function podTokenRequest(pod: PodSpec, source: TokenSource, version: KubeletVersion, saUid: string): TokenRequest {
  const tr: TokenRequest = {
    spec: {
      ...(source.audiences === undefined ? {} : { audiences: [...source.audiences] }),
      ...(source.expirationSeconds === undefined ? {} : { expirationSeconds: source.expirationSeconds }),
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.name, uid: pod.uid },
    },
  };
  if (version === '1.34') tr.metadata = { uid: saUid };
  return tr;
}

/** One projected serviceAccountToken source of one pod: one trace lane. */
export interface PodSlot {
  readonly index: number;
  readonly laneId: string;
  /** Engine-wide lane number (for series and detail decisions). */
  readonly lane: number;
  readonly source: TokenSource;
  readonly volume: number;
  readonly request: TokenRequest;
  readonly key: string;
  /** The token in the pod's file (undefined before the first write). */
  file: IssuedTokenRequest | undefined;
}

/** What one manager call did, as the engine reports it back. */
export interface ManagerCall {
  outcome: TokenOutcome;
  /** Round trip of the API call (0 when served from cache or the connection was refused). */
  latencyMs: number;
  /** The issuer's answer when the manager called the API. */
  issue?: IssueResult;
}

export interface SlotResult {
  slot: PodSlot;
  /** Local time the manager was asked (= request time when it called the API). */
  at: number;
  /** Local time the answer was back. */
  done: number;
  call: ManagerCall;
}

export interface FileWrite {
  slot: PodSlot;
  at: number;
  previous: IssuedTokenRequest | undefined;
  token: IssuedTokenRequest;
}

export interface SyncOutcome {
  start: number;
  end: number;
  failed: boolean;
  results: SlotResult[];
  writes: FileWrite[];
  /** The re-queue draw and delay. */
  u: number;
  baseMs: number;
  nextAt: number;
}

/** How the worker reaches the (shared) token manager; the engine routes clock, random and issuer. */
export interface PodSyncEnv {
  call(worker: PodWorker, slot: PodSlot, at: number): ManagerCall;
}

export class PodWorker {
  readonly slots: PodSlot[];
  readonly volumeCount: number;
  deleted = false;

  constructor(
    readonly pod: PodSpec,
    /** Index of the pod in the scenario (its scheduling rank). */
    readonly index: number,
    /** Kubelet-side draws: requiresRefresh jitter and re-queue jitter. */
    readonly stream: SeededRandom,
    /** Server-side draws for this pod's requests (error rate, jti). */
    readonly issuerStream: SeededRandom,
    readonly syncFrequencyMs: number,
    /** Absolute deletion time, or Infinity. */
    readonly deleteAt: number,
    version: KubeletVersion,
    saUid: string,
    lanes: { id: string; lane: number }[],
  ) {
    const volumes = new Map<string, number>();
    this.slots = pod.tokens.map((source, i) => {
      const v = volumeOf(source.path);
      if (!volumes.has(v)) volumes.set(v, volumes.size);
      const request = podTokenRequest(pod, source, version, saUid);
      const lane = lanes[i] ?? { id: `${pod.namespace}/${pod.name}/${source.path}`, lane: -1 };
      return {
        index: i,
        laneId: lane.id,
        lane: lane.lane,
        source,
        volume: volumes.get(v) ?? 0,
        request,
        // The key is a pure function of the request: compute it once.
        key: keyFunc(pod.serviceAccount, pod.namespace, request, version),
        file: undefined,
      };
    });
    this.volumeCount = volumes.size;
  }

  /** One full sync at `t` (the normal path; the engine's fast path must agree with it exactly). */
  sync(t: number, env: PodSyncEnv): SyncOutcome {
    let local = t;
    let failed = false;
    const results: SlotResult[] = [];
    const volumeEnd: number[] = new Array<number>(this.volumeCount).fill(t);
    const volumeFailed: boolean[] = new Array<boolean>(this.volumeCount).fill(false);
    for (const slot of this.slots) {
      const call = env.call(this, slot, local);
      const done = local + call.latencyMs;
      results.push({ slot, at: local, done, call });
      if (!call.outcome.ok) {
        failed = true;
        volumeFailed[slot.volume] = true;
      }
      local = done;
      volumeEnd[slot.volume] = local;
    }
    // Each volume is written once its last source is back, only if none of its sources failed, and
    // (atomic writer) only files whose content changed.
    const writes: FileWrite[] = [];
    for (const r of results) {
      const slot = r.slot;
      if (volumeFailed[slot.volume] === true || !r.call.outcome.ok) continue;
      const token = r.call.outcome.token;
      if (token === slot.file) continue;
      writes.push({ slot, at: volumeEnd[slot.volume] ?? local, previous: slot.file, token });
      slot.file = token;
    }
    // Pod workers addendum: re-queue after wait.Jitter(syncFrequency or 10 s, 0.5), from the end of this sync.
    const u = this.stream.float();
    const baseMs = failed ? FAILED_SYNC_BASE_MS : this.syncFrequencyMs;
    return { start: t, end: local, failed, results, writes, u, baseMs, nextAt: local + jitteredInterval(baseMs, u) };
  }
}
