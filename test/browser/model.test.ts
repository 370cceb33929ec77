// The timeline's pure parts (webview/model.ts, categories.ts, clock.ts, format.ts), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceModel, mergeIntervals, upperBound, lowerBound } from '../../webview/model';
import { traceToColumns } from '../../src/traceColumns';
import { categoryOf, eventLabel } from '../../webview/categories';
import { VirtualClock, defaultSpeed, type FrameSource } from '../../webview/clock';
import { formatSpan, formatTime, humanize } from '../../webview/format';
import { handEventTimes, handTrace, T0 } from './traces';

const S = 1000;

test('lanes, markers by category and span slots', () => {
  const m = new TraceModel(traceToColumns(handTrace()));
  assert.deepEqual(m.lanes.map((l) => l.id), ['apiserver', 'shop/web-0/token', 'shop/web-1/token', 'calico']);
  assert.deepEqual([...m.markers.keys()], ['requestOk', 'requestFailed', 'written', 'stale', 'expired', 'outage']);
  // web-0's overlapping validities alternate between two slots; its refresh windows follow them.
  const web0 = (m.spans.get('validity') ?? []).filter((d) => d[0] === 1).map((d) => [d[3], d[4]]);
  assert.deepEqual(web0, [
    [0, 2],
    [1, 2],
    [0, 2],
    [1, 2],
  ]);
  const windows = (m.spans.get('refreshWindow') ?? []).filter((d) => d[0] === 1).map((d) => d[3]);
  assert.deepEqual(windows, [0, 1, 0]);
  assert.deepEqual(m.backdrops.get('outage'), [[T0 + 7200 * S, T0 + 9000 * S]]);
});

test('lane state at a time: valid, refresh window, stale, expired, outage, pending', () => {
  const m = new TraceModel(traceToColumns(handTrace()));
  const at = (lane: number, s: number): string => {
    const st = m.stateAt(lane, T0 + s * S);
    return st.remaining ? `${st.code} ${st.remaining}` : st.code;
  };
  assert.equal(at(0, 100), 'up');
  assert.equal(at(0, 7300), 'outage 28 min 20 s to go');
  assert.equal(at(1, 100), 'valid Kubelet expiry in 58 min 27 s');
  assert.equal(at(1, 2878), 'window Kubelet expiry in 12 min 9 s');
  assert.equal(at(1, 8650), 'stale Kubelet expiry in 11 min 57 s');
  assert.equal(at(1, 9010), 'valid Kubelet expiry in ≈1 h');
  assert.equal(at(2, 2900), 'stale Kubelet expiry in 11 min 47 s');
  assert.equal(at(2, 3607), 'expired Kubelet expiry now');
  assert.equal(at(2, 3650), 'expired Kubelet expiry 43 s ago');
  assert.equal(at(2, 3700), 'valid Kubelet expiry in ≈1 h');
  assert.equal(at(3, 100), 'pending');
  const counts = m.stateCounts(T0 + 3650 * S);
  assert.deepEqual(Object.fromEntries(counts), { up: 1, valid: 2, expired: 1 });
});

test('stepping visits every event once, in time order, both ways', () => {
  const m = new TraceModel(traceToColumns(handTrace()));
  const times = handEventTimes();
  const fwd: number[] = [];
  let pos = m.nextPos(T0, -1);
  while (pos !== undefined) {
    fwd.push(m.event(m.eventAtPos(pos)).t);
    pos = m.nextPos(0, pos);
  }
  assert.deepEqual(fwd, times);
  const back: number[] = [];
  pos = m.prevPos(m.end, m.order.length);
  while (pos !== undefined) {
    back.push(m.event(m.eventAtPos(pos)).t);
    pos = m.prevPos(0, pos);
  }
  assert.deepEqual(back, [...times].reverse());
  // Without a position: strictly after / before the cursor.
  assert.equal(m.times[m.nextPos(T0 + 2880 * S, undefined)!], T0 + 3000 * S);
  assert.equal(m.times[m.prevPos(T0 + 2880 * S, undefined)!], T0 + 600 * S);
  assert.equal(m.nextPos(m.end, undefined), undefined);
  // Within a lane.
  assert.equal(m.event(m.nextInLane(2, T0, undefined)!).t, T0 + 2880 * S);
  assert.equal(m.event(m.prevInLane(2, T0 + 3650 * S, undefined)!).type, 'tokenExpired');
  assert.equal(m.event(m.nearestInLane(2, T0 + 3640 * S)!).type, 'tokenExpired');
});

test('categories: known types, failed requests, and unknown types by name', () => {
  assert.equal(categoryOf({ type: 'tokenRequest', ok: false }), 'requestFailed');
  assert.equal(categoryOf({ type: 'tokenRequest' }), 'requestOk');
  assert.equal(categoryOf({ type: 'tokenServedStale' }), 'stale');
  const unknown = (type: string, ok?: boolean): string => categoryOf({ type, ok } as unknown as Parameters<typeof categoryOf>[0]);
  assert.equal(unknown('cacheHit'), 'cacheHit');
  assert.equal(unknown('cacheMiss'), 'cacheMiss');
  assert.equal(unknown('pluginExec'), 'pluginRun');
  assert.equal(unknown('http401'), 'rejected');
  assert.equal(unknown('somethingNew'), 'other');
  assert.equal(unknown('somethingNew', false), 'requestFailed');
  assert.equal(eventLabel({ type: 'cacheHit' } as unknown as Parameters<typeof eventLabel>[0]), 'Cache hit');
});

test('virtual clock: plays at speed, clamps at the end, stops', () => {
  const frames: Array<(t: number) => void> = [];
  const fake: FrameSource = { request: (cb) => frames.push(cb), cancel: () => undefined };
  const clock = new VirtualClock(0, 100_000, 10_000, fake);
  const seen: number[] = [];
  clock.onChange((t) => seen.push(t));
  clock.play();
  const run = (real: number): void => frames.shift()?.(real);
  run(0); // first frame: no time passes
  run(200); // 0.2 s at 10 s/s → 2 s
  assert.equal(clock.now, 2_000);
  run(400);
  assert.equal(clock.now, 4_000);
  run(1_000_000); // a long stall (hidden tab) counts as 250 ms at most
  assert.equal(clock.now, 6_500);
  clock.set(99_000);
  run(1_000_250);
  assert.equal(clock.now, 100_000);
  assert.equal(clock.playing, false);
  assert.deepEqual(seen.slice(0, 3), [0, 2_000, 4_000]);
  assert.equal(defaultSpeed(6 * 3600 * S), 600_000);
  assert.equal(defaultSpeed(30 * 86_400 * S), 86_400_000);
});

test('helpers: binary search, interval merge, formatting', () => {
  const a = [1, 2, 2, 3];
  assert.deepEqual([upperBound(a, 2), lowerBound(a, 2), upperBound(a, 0), lowerBound(a, 9)], [3, 1, 0, 4]);
  assert.deepEqual(mergeIntervals([[5, 7], [1, 3], [2, 4]]), [[1, 4], [5, 7]]);
  assert.equal(formatSpan(2_886_000), '48 min 6 s');
  assert.equal(formatSpan(90_061_000), '≈1 d 1 h');
  assert.equal(formatSpan(90_061_000, true), '1 d 1 h 1 min 1 s');
  assert.equal(formatSpan(0), '0 s');
  assert.equal(formatSpan(250), '250 ms');
  assert.equal(formatTime(Date.UTC(2026, 0, 1, 3, 12, 5), 'UTC'), '2026-01-01 03:12:05 UTC');
  assert.equal(formatTime(Date.UTC(2026, 0, 1, 3, 12, 5), 'Europe/Berlin'), '2026-01-01 04:12:05 GMT+1');
  assert.equal(formatTime(Date.UTC(2026, 0, 1, 3, 12, 5, 7), 'UTC'), '2026-01-01 03:12:05.007 UTC');
  assert.equal(humanize('tokenServedStale'), 'Token served stale');
});
