import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { EventQueue } from '../../src/engine/eventQueue.js';
import { Simulation } from '../../src/engine/simulation.js';
import { RandomStreams } from '../../src/engine/random.js';

interface Ev {
  time: number;
  phase: number;
  seq: number;
  kind: number;
  a: number;
  b: number;
}

function popAll(queue: EventQueue): Ev[] {
  const out: Ev[] = [];
  while (queue.size > 0) {
    queue.pop();
    out.push({ time: queue.poppedTimeUs, phase: queue.poppedPhase, seq: -1, kind: queue.poppedKind, a: queue.poppedA, b: queue.poppedB });
  }
  return out;
}

const byKey = (x: Ev, y: Ev): number => x.time - y.time || x.phase - y.phase || x.seq - y.seq;

describe('EventQueue', () => {
  it('orders by time, then phase, then insertion sequence', () => {
    const q = new EventQueue(4);
    q.push(10, 3, 1, 0, 0);
    q.push(10, 0, 2, 0, 0);
    q.push(5, 4, 3, 0, 0);
    q.push(10, 0, 4, 0, 0);
    q.push(10, 3, 5, 0, 0);
    q.push(0, 4, 6, 0, 0);
    assert.deepEqual(
      popAll(q).map((e) => e.kind),
      [6, 3, 2, 4, 1, 5],
    );
  });

  it('breaks ties by insertion sequence, whatever the heap shape (1,000 events at one instant and phase)', () => {
    const q = new EventQueue(2);
    for (let i = 0; i < 1000; i++) q.push(7, 1, i, -i, i * 2);
    const popped = popAll(q);
    assert.deepEqual(
      popped.map((e) => e.kind),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.ok(popped.every((e) => e.a === -e.kind && e.b === 2 * e.kind && e.time === 7 && e.phase === 1));
  });

  it('grows from capacity 1 and keeps every field (time, phase, kind, a, b) intact', () => {
    const q = new EventQueue(1);
    const n = 5000;
    for (let i = 0; i < n; i++) q.push(n - i, i % 5, i, 2 ** 31 - 1 - i, -(2 ** 31) + i);
    assert.equal(q.size, n);
    assert.equal(q.scheduled, n);
    const popped = popAll(q);
    assert.equal(popped.length, n);
    popped.forEach((e, index) => {
      const i = n - 1 - index;
      assert.deepEqual([e.time, e.phase, e.kind, e.a, e.b], [n - i, i % 5, i, 2 ** 31 - 1 - i, -(2 ** 31) + i]);
    });
  });

  it('matches a sorted-array model under random interleavings of pushes and pops', () => {
    // Commands: a push (time from a small range so that ties are common, phase 0..7) or a pop.
    const command = fc.oneof(
      fc.record({ op: fc.constant('push' as const), time: fc.integer({ min: 0, max: 30 }), phase: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ op: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 400 }), fc.integer({ min: 1, max: 8 }), (commands, capacity) => {
        const q = new EventQueue(capacity);
        const model: Ev[] = [];
        let seq = 0;
        let floor = 0; // times pushed are never below the last popped time (as in a simulation)
        for (const c of commands) {
          if (c.op === 'push') {
            const time = floor + c.time;
            const e = { time, phase: c.phase, seq, kind: seq, a: seq * 3, b: -1 - seq };
            seq++;
            q.push(e.time, e.phase, e.kind, e.a, e.b);
            model.push(e);
          } else if (model.length > 0) {
            model.sort(byKey);
            const expected = model.shift()!;
            q.pop();
            assert.deepEqual(
              [q.poppedTimeUs, q.poppedPhase, q.poppedKind, q.poppedA, q.poppedB],
              [expected.time, expected.phase, expected.kind, expected.a, expected.b],
            );
            floor = expected.time;
          }
          assert.equal(q.size, model.length);
          if (model.length > 0) assert.equal(q.peekTime(), Math.min(...model.map((e) => e.time)));
        }
        model.sort(byKey);
        assert.deepEqual(
          popAll(q).map((e) => e.kind),
          model.map((e) => e.kind),
        );
      }),
      { seed: 20260301, numRuns: 300 },
    );
  });

  it('keeps the order exact with large times (integer µs up to years) and many sequence numbers', () => {
    const q = new EventQueue();
    const year = 365 * 24 * 3600 * 1e6;
    q.push(year + 1, 0, 1, 0, 0);
    q.push(year, 7, 2, 0, 0);
    q.push(year, 6, 3, 0, 0);
    assert.deepEqual(
      popAll(q).map((e) => e.kind),
      [3, 2, 1],
    );
  });
});

describe('Simulation', () => {
  it('runs events in (time, phase, sequence) order, advancing the clock, and stops at untilUs', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    const handler = {
      handle(kind: number, a: number) {
        seen.push(`${sim.nowUs}:${kind}:${a}`);
        // An event may schedule another at the current instant, in an earlier phase: it runs next.
        if (kind === 1) sim.schedule(sim.nowUs, 0, 9, a);
      },
    };
    sim.schedule(20, 4, 2, 0);
    sim.schedule(10, 4, 1, 0);
    sim.schedule(10, 4, 3, 0);
    assert.equal(sim.run(handler, 10), 3);
    assert.deepEqual(seen, ['10:1:0', '10:9:0', '10:3:0']);
    assert.equal(sim.nowUs, 10);
    assert.equal(sim.run(handler), 1);
    assert.deepEqual(seen.at(-1), '20:2:0');
    assert.equal(sim.processed, 4);
  });

  it('refuses an event in the past', () => {
    const sim = new Simulation();
    sim.schedule(5, 0, 1, 0);
    sim.run({ handle() {} });
    assert.throws(() => sim.schedule(4, 0, 1, 0), /in the past/);
  });
});

describe('RandomStreams', () => {
  it('gives each name its own reproducible stream, independent of the order streams are made or used', () => {
    const one = new RandomStreams(7);
    const a1 = one.stream('replica/x/lag');
    const b1 = one.stream('session/1');
    const drawsA = [a1(), a1(), a1()];
    const drawsB = [b1(), b1()];
    const two = new RandomStreams(7);
    const b2 = two.stream('session/1');
    b2();
    b2();
    const a2 = two.stream('replica/x/lag');
    assert.deepEqual([a2(), a2(), a2()], drawsA);
    assert.notDeepEqual(drawsA.slice(0, 2), drawsB);
    assert.notEqual(new RandomStreams(8).stream('replica/x/lag')(), drawsA[0]);
  });

  it('derives each stream as seedrandom alea of "<seed>\\0<name>" (outputs stay byte-identical across refactors)', () => {
    const expected = seedrandom.alea('3\u0000routing');
    const stream = new RandomStreams(3).stream('routing');
    for (let i = 0; i < 5; i++) assert.equal(stream(), expected());
  });
});
