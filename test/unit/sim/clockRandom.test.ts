import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MinHeap, Scheduler } from '../../../src/sim/clock';
import { createStream, hashString, randomUuid, uuidFromText } from '../../../src/sim/random';

describe('Scheduler', () => {
  test('runs events in (time, rank, insertion) order, regardless of scheduling order', () => {
    const s = new Scheduler(1000);
    const log: string[] = [];
    const at = (time: number, rank: number, name: string) => s.schedule(time, rank, { run: (t) => log.push(`${name}@${t}`) });
    at(2000, 5, 'c');
    at(2000, 1, 'b');
    at(1500, 9, 'a');
    at(2000, 5, 'd');
    s.runUntil(3000);
    assert.deepEqual(log, ['a@1500', 'b@2000', 'c@2000', 'd@2000']);
    assert.equal(s.now(), 3000);
  });

  test('events scheduled while running, cancellation, the end bound is inclusive', () => {
    const s = new Scheduler(0);
    const log: number[] = [];
    const tick = { run: (t: number) => (log.push(t), s.schedule(t + 10, 0, tick)) };
    s.schedule(0, 0, tick);
    const c = s.schedule(15, 0, { run: () => log.push(-1) });
    s.cancel(c);
    s.runUntil(30);
    assert.deepEqual(log, [0, 10, 20, 30]);
    assert.equal(s.processed, 4);
  });

  test('rejects times in the past and non-integer times', () => {
    const s = new Scheduler(100);
    assert.throws(() => s.schedule(99, 0, { run: () => undefined }), /before now/);
    assert.throws(() => s.schedule(100.5, 0, { run: () => undefined }), /integer/);
  });

  test('MinHeap sorts like Array.sort (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (xs) => {
        const h = new MinHeap<number>((a, b) => a < b);
        for (const x of xs) h.push(x);
        const out: number[] = [];
        while (h.size > 0) out.push(h.pop() as number);
        assert.deepEqual(out, [...xs].sort((a, b) => a - b));
      }),
    );
  });
});

describe('seeded random (random.ts)', () => {
  test('same seed and stream id → same draws; different ids or seeds → different draws', () => {
    const a = createStream(42, 'pod/a');
    const b = createStream(42, 'pod/a');
    const xs = Array.from({ length: 5 }, () => a.float());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.float()));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, () => createStream(42, 'pod/b').float()));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, () => createStream(43, 'pod/a').float()));
  });

  test('float() in [0, 1), float32() exactly representable in [0, 1), int(n) in [0, n)', () => {
    const r = createStream(1, 'x');
    for (let i = 0; i < 10_000; i++) {
      const f = r.float();
      assert.ok(f >= 0 && f < 1);
      const g = r.float32();
      assert.ok(g >= 0 && g < 1 && Math.fround(g) === g);
      const n = r.int(10);
      assert.ok(Number.isInteger(n) && n >= 0 && n < 10);
    }
  });

  test('skip(n) and position give O(1) jumps that match drawing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer(), (n, seed) => {
        const a = createStream(seed, 's');
        const b = createStream(seed, 's');
        for (let i = 0; i < n; i++) a.float();
        b.skip(n);
        assert.equal(a.peekFloat(), b.peekFloat());
        assert.equal(a.float(), b.float());
        const p = a.position;
        const x = a.uint32();
        a.position = p;
        assert.equal(a.uint32(), x);
      }),
    );
  });

  test('roughly uniform (chi-square over 10 buckets)', () => {
    const r = createStream(9, 'chi');
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) buckets[Math.trunc(r.float() * 10)]! += 1;
    const chi = buckets.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    assert.ok(chi < 30, `chi-square ${chi}`);
  });

  test('UUIDs: v4 from draws, stable v8 from text', () => {
    assert.match(randomUuid(createStream(1, 'u')), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(uuidFromText('serviceaccount:shop/web'), uuidFromText('serviceaccount:shop/web'));
    assert.match(uuidFromText('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(hashString('a'), hashString('b'));
  });
});

describe('jitteredWalk', () => {
  test('equals skipping and drawing one step at a time', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (seed, skip, until, limit) => {
        const a = createStream(seed, 'w');
        const b = createStream(seed, 'w');
        let t = 0;
        while (t <= until && t < limit) {
          a.skip(skip);
          t += 60_000 + Math.floor(a.float() * 30_000);
        }
        assert.equal(b.jitteredWalk(0, until, limit, skip, 60_000, 30_000), t);
        assert.equal(b.position, a.position);
      }),
    );
  });
});
