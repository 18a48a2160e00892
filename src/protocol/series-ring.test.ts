/** @module protocol/series-ring.test: the sample ring keeps the newest samples in time order, column by column. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeriesRing } from './series-ring.ts';

describe('SeriesRing', () => {
  it('returns the samples oldest first while it fills', () => {
    const ring = new SeriesRing(['a', 'b'] as const, 3);
    ring.push(1, { a: 10, b: 20 });
    ring.push(2, { a: 11, b: 21 });
    assert.deepEqual(ring.columns(), { t: [1, 2], a: [10, 11], b: [20, 21] });
    assert.equal(ring.lastTime, 2);
  });

  it('drops the oldest sample once full and keeps time order across the wrap', () => {
    const ring = new SeriesRing(['a'] as const, 3);
    for (let t = 1; t <= 5; t++) ring.push(t, { a: t * 10 });
    assert.deepEqual(ring.columns(), { t: [3, 4, 5], a: [30, 40, 50] });
    assert.equal(ring.size, 3);
    assert.equal(ring.lastTime, 5);
  });

  it('returns only the samples after a given time', () => {
    const ring = new SeriesRing(['a'] as const, 4);
    for (let t = 1; t <= 6; t++) ring.push(t, { a: t });
    assert.deepEqual(ring.columns(4), { t: [5, 6], a: [5, 6] });
    assert.deepEqual(ring.columns(6), { t: [], a: [] });
  });

  it('is empty before the first sample and refuses a capacity below one', () => {
    const ring = new SeriesRing(['a'] as const, 2);
    assert.deepEqual(ring.columns(), { t: [], a: [] });
    assert.equal(ring.lastTime, undefined);
    assert.throws(() => new SeriesRing(['a'] as const, 0), RangeError);
  });
});
