import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceBuilder } from '../../../src/sim/traceBuilder';

const MIN = 60_000;

function series(b: TraceBuilder, name: string): number[] {
  return b.build({ seed: 1, start: 0, end: 10 * MIN, models: [], lanesTotal: 0 }).series.find((s) => s.name === name)?.values ?? [];
}

describe('TraceBuilder and its series registry', () => {
  test('counters: one value per interval; increments land in their interval, a latency tail past the end in the last', () => {
    const b = new TraceBuilder(0, 10 * MIN, MIN);
    const requests = b.series.counter('tokenRequests');
    requests.add(0, 1);
    requests.add(MIN - 1, 1);
    requests.add(MIN, 1);
    b.series.counter('staleServes').add(5 * MIN + 3, 2);
    requests.add(10 * MIN + 500, 1);
    assert.deepEqual(series(b, 'tokenRequests'), [2, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(series(b, 'staleServes'), [0, 0, 0, 0, 0, 2, 0, 0, 0, 0]);
  });

  test('levels: a stretch counts in every interval overlapping [from, until)', () => {
    const b = new TraceBuilder(0, 10 * MIN, MIN);
    const expired = b.series.level('expiredTokens');
    expired.addStretch(2 * MIN, 4 * MIN + 1); // 2:00.000 to 4:00.000 inclusive
    expired.addStretch(7 * MIN + 1, 7 * MIN + 1); // empty
    expired.addStretch(8 * MIN + 11, 10 * MIN + 1); // until the end
    expired.addStretch(10 * MIN + 1, 11 * MIN); // starts after the end
    assert.deepEqual(series(b, 'expiredTokens'), [0, 0, 1, 1, 1, 0, 0, 0, 1, 1]);
  });

  test('series come out in the order first asked for; asking again shares one; a kind mismatch is refused', () => {
    const b = new TraceBuilder(0, 10 * MIN, MIN);
    const a = b.series.counter('b-first');
    b.series.level('a-second');
    assert.equal(b.series.counter('b-first'), a);
    assert.throws(() => b.series.level('b-first'), /is a counter, asked for as a level/);
    const t = b.build({ seed: 1, start: 0, end: 10 * MIN, models: [], lanesTotal: 0 });
    assert.deepEqual(t.series.map((x) => x.name), ['b-first', 'a-second']);
  });

  test('a run that asks for no series has none', () => {
    assert.deepEqual(new TraceBuilder(0, MIN, MIN).build({ seed: 1, start: 0, end: MIN, models: [], lanesTotal: 0 }).series, []);
  });

  test('events sort by (t, emitting rank, emission order)', () => {
    const b = new TraceBuilder(0, MIN, MIN);
    const ev = (t: number, rank: number, rule: string) => {
      b.rank = rank;
      b.event({ t, lane: 'l', type: 'tokenRequest', rule });
    };
    ev(20, 11, 'pod late emitted first');
    ev(10, 11, 'pod a');
    ev(10, 11, 'pod b');
    ev(20, 3, 'cleanup');
    ev(10, -1, 'setup');
    const t = b.build({ seed: 1, start: 0, end: MIN, models: [], lanesTotal: 1 });
    assert.deepEqual(t.events.map((e) => e.rule), ['setup', 'pod a', 'pod b', 'cleanup', 'pod late emitted first']);
    assert.equal(t.meta.eventsTotal, 5);
  });
});
