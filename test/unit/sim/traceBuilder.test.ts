import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SERIES_EXPIRED, SERIES_REQUEST_FAILED, SERIES_REQUEST_OK, SERIES_STALE, TraceBuilder } from '../../../src/sim/traceBuilder';

const MIN = 60_000;

function series(b: TraceBuilder, name: string): number[] {
  return b.build({ seed: 1, start: b.start, end: b.end, models: [], lanesTotal: 0 }).series.find((s) => s.name === name)?.values ?? [];
}

describe('TraceBuilder', () => {
  test('series: one value per interval; requests, failures and stale serves land in their interval', () => {
    const b = new TraceBuilder(0, 10 * MIN, MIN);
    b.countRequest(0, true);
    b.countRequest(MIN - 1, false);
    b.countRequest(MIN, true);
    b.countStale(5 * MIN + 3);
    b.countRequest(10 * MIN + 500, true); // a latency tail past the end counts in the last interval
    assert.deepEqual(series(b, 'tokenRequests'), [2, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(series(b, 'tokenRequestFailures'), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(series(b, 'staleServes'), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  test('expiredTokens: every interval overlapping [exp + 1 ms, replaced)', () => {
    const b = new TraceBuilder(0, 10 * MIN, MIN);
    b.countExpired(2 * MIN - 1, 4 * MIN + 1); // expired from 2:00.000 to 4:00.000 inclusive
    b.countExpired(7 * MIN, 7 * MIN + 1); // replaced at the first expired instant: never expired
    b.countExpired(8 * MIN + 10, 10 * MIN + 1); // expired until the end
    assert.deepEqual(series(b, 'expiredTokens'), [0, 0, 1, 1, 1, 0, 0, 0, 1, 1]);
  });

  test('countEncoded: triples with counts give the same series as the single-count calls', () => {
    const one = new TraceBuilder(0, 10 * MIN, MIN);
    one.countRequest(30_000, true);
    for (let k = 0; k < 4; k++) one.countRequest(2 * MIN + k, false);
    for (let k = 0; k < 3; k++) one.countStale(2 * MIN + 7);
    one.countRequest(10 * MIN + 500, false);
    one.countExpired(MIN, 3 * MIN);
    const bulk = new TraceBuilder(0, 10 * MIN, MIN);
    const buf = Float64Array.from([
      [SERIES_REQUEST_OK, 30_000, 1],
      [SERIES_REQUEST_FAILED, 2 * MIN, 4],
      [SERIES_STALE, 2 * MIN + 7, 3],
      [SERIES_REQUEST_FAILED, 10 * MIN + 500, 1],
      [SERIES_EXPIRED, MIN, 3 * MIN],
    ].flat());
    bulk.countEncoded(buf, buf.length);
    // Entries past `length` are ignored.
    bulk.countEncoded(Float64Array.from([SERIES_REQUEST_OK, 0, 9]), 0);
    for (const name of ['tokenRequests', 'tokenRequestFailures', 'staleServes', 'expiredTokens']) {
      assert.deepEqual(series(bulk, name), series(one, name), name);
    }
    assert.deepEqual(series(bulk, 'tokenRequests'), [1, 0, 4, 0, 0, 0, 0, 0, 0, 1]);
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
