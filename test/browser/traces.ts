/**
 * Traces for the browser tests and the render benchmark: a small hand-made one whose every event
 * time is known, and a synthetic generator for large runs (1,000 lanes, 50,000 events).
 */
import type { Lane, Series, Span, Trace, TraceEvent } from '../../src/sim/trace';
import type { WhatIfFormData } from '../../src/protocol';
import { WHAT_IF_CONTRACT } from '../../src/sim/scenario/whatIf';
import type { WhatIfValues } from '../../src/sim/whatIf';

export const T0 = Date.UTC(2026, 0, 1);
const S = 1000;

/** 6 h: an API-server outage 2h–2h30m; web-0 serves stale through it, web-1 expires after failures. */
export function handTrace(): Trace {
  const lanes: Lane[] = [
    { id: 'apiserver', kind: 'apiServer', label: 'API server', detailed: true },
    { id: 'shop/web-0/token', kind: 'token', label: 'web-0 token', group: 'shop/web-0', detailed: true },
    { id: 'shop/web-1/token', kind: 'token', label: 'web-1 token', group: 'shop/web-1', detailed: true },
    { id: 'calico', kind: 'refresher', label: 'calico-cni', group: 'calico-system', detailed: true },
  ];
  const span = (lane: string, kind: Span['kind'], from: number, to: number, rule?: string): Span => ({ lane, kind, start: T0 + from * S, end: T0 + to * S, ...(rule ? { rule } : {}) });
  const spans: Span[] = [
    span('apiserver', 'outage', 7200, 9000, 'scenario outage 2h–2h30m'),
    span('shop/web-0/token', 'validity', 0, 3607, 'expirationSeconds 3607'),
    span('shop/web-0/token', 'refreshWindow', 2877, 2886, 'SPEC A.5: 80 % of TTL minus jitter 0–9 s'),
    span('shop/web-0/token', 'validity', 2880, 6487),
    span('shop/web-0/token', 'refreshWindow', 5757, 5766),
    span('shop/web-0/token', 'validity', 5760, 9367),
    span('shop/web-0/token', 'refreshWindow', 8637, 8646),
    span('shop/web-0/token', 'validity', 9010, 12617),
    span('shop/web-1/token', 'validity', 0, 3607),
    span('shop/web-1/token', 'refreshWindow', 2877, 2886),
    span('shop/web-1/token', 'validity', 3700, 7307),
    span('calico', 'validity', 600, 87000, 'Calico requests 86400 s'),
  ];
  const ev = (t: number, lane: string, type: TraceEvent['type'], rule: string, extra: Partial<TraceEvent> = {}): TraceEvent => ({ t: T0 + t * S, lane, type, rule, ...extra });
  const events: TraceEvent[] = [
    ev(0, 'shop/web-0/token', 'tokenRequest', 'first sync: no cached token', { ok: true }),
    ev(0, 'shop/web-0/token', 'tokenWritten', 'projected volume written'),
    ev(0, 'shop/web-1/token', 'tokenRequest', 'first sync: no cached token', { ok: true }),
    ev(0, 'shop/web-1/token', 'tokenWritten', 'projected volume written'),
    ev(600, 'calico', 'tokenRequest', 'Calico TokenRefresher start', { ok: true, data: { expirationSeconds: 86400 } }),
    ev(2880, 'shop/web-0/token', 'tokenRequest', 'SPEC A.5 80 % rule, jitter 5 s', { ok: true }),
    ev(2880, 'shop/web-0/token', 'tokenWritten', 'refreshed token written'),
    ev(2880, 'shop/web-1/token', 'tokenRequest', 'SPEC A.5 80 % rule, jitter 5 s', { ok: false, error: 'injected error (errorRate 1.0)' }),
    ev(2880, 'shop/web-1/token', 'tokenServedStale', 'SPEC A.6: keep the old token while it is valid'),
    ev(3000, 'shop/web-1/token', 'tokenRequest', 'retry on next sync', { ok: false, error: 'injected error (errorRate 1.0)' }),
    ev(3607, 'shop/web-1/token', 'tokenExpired', 'exp reached: 3607 s after issue'),
    ev(3700, 'shop/web-1/token', 'tokenRequest', 'expired token: request on next sync', { ok: true }),
    ev(3700, 'shop/web-1/token', 'tokenWritten', 'projected volume written'),
    ev(5760, 'shop/web-0/token', 'tokenRequest', 'SPEC A.5 80 % rule, jitter 5 s', { ok: true }),
    ev(5760, 'shop/web-0/token', 'tokenWritten', 'refreshed token written'),
    ev(7200, 'apiserver', 'outageStart', 'scenario outage from 2h'),
    ev(8640, 'shop/web-0/token', 'tokenRequest', 'SPEC A.5 80 % rule during the outage', { ok: false, error: 'connection refused' }),
    ev(8640, 'shop/web-0/token', 'tokenServedStale', 'SPEC A.6: keep the old token while it is valid'),
    ev(8700, 'shop/web-0/token', 'tokenRequest', 'retry on next sync', { ok: false, error: 'connection refused' }),
    ev(9000, 'apiserver', 'outageEnd', 'scenario outage until 2h30m'),
    ev(9010, 'shop/web-0/token', 'tokenRequest', 'retry after the outage', { ok: true }),
    ev(9010, 'shop/web-0/token', 'tokenWritten', 'refreshed token written'),
  ];
  const end = T0 + 6 * 3600 * S;
  const interval = 600 * S;
  const count = (pred: (e: TraceEvent) => boolean): number[] => {
    const values = new Array<number>(36).fill(0);
    for (const e of events) if (pred(e)) values[Math.floor((e.t - T0) / interval)]! += 1;
    return values;
  };
  const series: Series[] = [
    { name: 'tokenRequests', start: T0, intervalMs: interval, values: count((e) => e.type === 'tokenRequest') },
    { name: 'tokenRequestFailures', start: T0, intervalMs: interval, values: count((e) => e.type === 'tokenRequest' && e.ok === false) },
    { name: 'expiredTokens', start: T0, intervalMs: interval, values: count((e) => e.type === 'tokenExpired') },
  ];
  return {
    version: 1,
    meta: { name: 'hand-made', seed: 7, start: T0, end, models: ['kubelet 1.34+'], lanesTotal: lanes.length, eventsTotal: events.length },
    lanes,
    spans,
    events,
    series,
  };
}

/** Sorted distinct-by-position event times of handTrace (what stepping visits, in order). */
export function handEventTimes(): number[] {
  return handTrace()
    .events.map((e) => e.t)
    .sort((a, b) => a - b);
}

/** The what-if values of the hand-made trace (the same keys as the form's fields). */
export const HAND_VALUES: WhatIfValues = {
  horizon: '6h',
  seed: 7,
  syncFrequency: '1m',
  expirationSeconds: 3607,
  maxTokenExpiration: '',
  extendTokenExpiration: true,
  outages: [{ from: '2h', to: '2h30m' }],
  refresher: 'calico',
  pluginLatency: '500ms',
  pluginFailurePercent: 0,
  pluginCacheDuration: '',
  execCredentialLifetime: '',
  execInvocationEvery: '2m',
  execDiskCache: false,
};

/** The what-if form the host sends with the hand-made trace: the real contract and HAND_VALUES. */
export function handWhatIf(values: WhatIfValues = HAND_VALUES): WhatIfFormData {
  return { ...WHAT_IF_CONTRACT, values };
}

/** A deterministic PRNG (mulberry32) for synthetic traces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A large synthetic trace: `lanes` token lanes (plus an API-server lane) over `hours`, token
 * lifetimes of 1h0m7s refreshed at ~80 %, outages every 8 h, and filler events up to `events`.
 */
export function syntheticTrace(options: { lanes?: number; events?: number; hours?: number; seed?: number } = {}): Trace {
  const laneCount = options.lanes ?? 1000;
  const target = options.events ?? 50_000;
  const hours = options.hours ?? 24;
  const random = rng(options.seed ?? 1);
  const start = T0;
  const end = start + hours * 3600 * S;
  const ttl = 3607 * S;
  const lanes: Lane[] = [{ id: 'apiserver', kind: 'apiServer', label: 'API server', detailed: true }];
  const spans: Span[] = [];
  const events: TraceEvent[] = [];
  const outages: Array<[number, number]> = [];
  for (let t = start + 6 * 3600 * S; t < end; t += 8 * 3600 * S) outages.push([t, t + 30 * 60 * S]);
  for (const [a, b] of outages) {
    spans.push({ lane: 'apiserver', kind: 'outage', start: a, end: b, rule: 'synthetic outage' });
    events.push({ t: a, lane: 'apiserver', type: 'outageStart', rule: 'synthetic outage' }, { t: b, lane: 'apiserver', type: 'outageEnd', rule: 'synthetic outage' });
  }
  const inOutage = (t: number): boolean => outages.some(([a, b]) => t >= a && t < b);
  const perLane = Math.max(2, Math.floor(target / laneCount));
  for (let i = 0; i < laneCount; i++) {
    const ns = `ns-${Math.floor(i / 50)}`;
    const id = `${ns}/pod-${i}/token`;
    lanes.push({ id, kind: 'token', label: `pod-${i} token`, group: `${ns}/pod-${i}`, detailed: true });
    let issued = start + Math.floor(random() * 60 * S);
    let laneEvents = 0;
    while (issued < end && laneEvents < perLane) {
      const refreshAt = issued + Math.floor(ttl * 0.8) - Math.floor(random() * 10 * S);
      spans.push({ lane: id, kind: 'validity', start: issued, end: issued + ttl });
      spans.push({ lane: id, kind: 'refreshWindow', start: issued + Math.floor(ttl * 0.8) - 10 * S, end: issued + Math.floor(ttl * 0.8) });
      events.push({ t: issued, lane: id, type: 'tokenRequest', ok: true, rule: 'synthetic refresh' }, { t: issued, lane: id, type: 'tokenWritten', rule: 'synthetic write' });
      laneEvents += 2;
      let next = refreshAt;
      while (inOutage(next) && next < end && laneEvents < perLane) {
        events.push({ t: next, lane: id, type: 'tokenRequest', ok: false, error: 'connection refused', rule: 'synthetic outage' });
        laneEvents++;
        if (next < issued + ttl) {
          events.push({ t: next, lane: id, type: 'tokenServedStale', rule: 'keep old token' });
          laneEvents++;
        } else if (next - 60 * S < issued + ttl) {
          events.push({ t: issued + ttl, lane: id, type: 'tokenExpired', rule: 'exp reached' });
          laneEvents++;
        }
        next += 60 * S;
      }
      issued = next;
    }
  }
  events.sort((a, b) => a.t - b.t);
  const interval = 60 * S;
  const n = Math.ceil((end - start) / interval);
  const mk = (pred: (e: TraceEvent) => boolean): number[] => {
    const v = new Array<number>(n).fill(0);
    for (const e of events) if (pred(e) && e.t < end) v[Math.floor((e.t - start) / interval)]! += 1;
    return v;
  };
  const series: Series[] = [
    { name: 'tokenRequests', start, intervalMs: interval, values: mk((e) => e.type === 'tokenRequest') },
    { name: 'tokenRequestFailures', start, intervalMs: interval, values: mk((e) => e.type === 'tokenRequest' && e.ok === false) },
    { name: 'expiredTokens', start, intervalMs: interval, values: mk((e) => e.type === 'tokenExpired') },
    { name: 'staleServes', start, intervalMs: interval, values: mk((e) => e.type === 'tokenServedStale') },
  ];
  return {
    version: 1,
    meta: { name: 'synthetic', seed: options.seed ?? 1, start, end, models: ['synthetic'], lanesTotal: lanes.length, eventsTotal: events.length },
    lanes,
    spans,
    events,
    series,
  };
}
