/** @module engine/clock.test: the manual clock runs due timers in time order and only when advanced. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock.ts';

describe('ManualClock', () => {
  it('runs timers in time order at their own time and skips cancelled ones', () => {
    const clock = new ManualClock(1000);
    const seen: Array<[string, number]> = [];
    clock.schedule(3000, () => seen.push(['late', clock.now()]));
    clock.schedule(2000, () => seen.push(['early', clock.now()]));
    const cancelled = clock.schedule(2500, () => seen.push(['cancelled', clock.now()]));
    cancelled.cancel();
    clock.advance(1500);
    assert.deepEqual(seen, [['early', 2000]]);
    clock.advance(1500);
    assert.deepEqual(seen, [['early', 2000], ['late', 3000]]);
    assert.equal(clock.now(), 4000);
  });

  it('runs a timer scheduled by another timer when it falls inside the same advance', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.schedule(10, () => clock.schedule(20, () => seen.push(clock.now())));
    clock.advance(30);
    assert.deepEqual(seen, [20]);
  });
});
