import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUEUE_DEFAULTS } from './limits.ts';
import { Msg, Queue } from './queue.ts';
import type { QueueRecord } from './types.ts';

const NOW = Date.UTC(2026, 10, 28);

function queueRecord(isFifo: boolean): QueueRecord {
  return { name: isFifo ? 'q.fifo' : 'q', settings: { ...QUEUE_DEFAULTS, isFifo }, tags: {}, createdAt: NOW, lastModifiedAt: NOW };
}

const message = (key: number, visibleAt = NOW) => new Msg(key, visibleAt, NOW, 0, 0, 'visible', undefined);

for (const isFifo of [false, true]) {
  describe(`Queue message lookup (${isFifo ? 'FIFO' : 'standard'})`, () => {
    it('finds every live message by key, none of the removed ones, across compactions', () => {
      const queue = new Queue(queueRecord(isFifo), 'arn');
      const msgs = Array.from({ length: 5_000 }, (_, i) => message(i * 2 + 1));
      for (const msg of msgs) queue.insert(msg, NOW, `g${msg.key % 7}`);
      // The oldest 1,500 go first (the head advances), then two in every three of the rest (compactions).
      const removed = new Set<number>();
      for (const msg of msgs.slice(0, 1_500)) {
        queue.remove(msg);
        removed.add(msg.key);
      }
      for (const msg of msgs.slice(1_500)) {
        if (msg.key % 3 !== 0) {
          queue.remove(msg);
          removed.add(msg.key);
        }
      }
      for (const msg of msgs) assert.equal(queue.find(msg.key), removed.has(msg.key) ? undefined : msg, `key ${msg.key}`);
      assert.equal(queue.find(0), undefined);
      assert.equal(queue.find(2), undefined, 'a key between two messages');
      assert.equal(queue.find(20_000), undefined);
      const live = msgs.filter((m) => !removed.has(m.key));
      assert.equal(queue.size, live.length);
      assert.deepEqual([...queue.inOrder()].map((m) => m.key), live.map((m) => m.key));
    });

    it('keeps key order when a message arrives with a lower key than the newest', () => {
      const queue = new Queue(queueRecord(isFifo), 'arn');
      for (const key of [10, 30, 20, 5]) queue.insert(message(key), NOW, 'g');
      assert.deepEqual([...queue.inOrder()].map((m) => m.key), [5, 10, 20, 30]);
      assert.equal(queue.find(20)?.key, 20);
    });

    it('lets an iteration remove the messages it visits', () => {
      const queue = new Queue(queueRecord(isFifo), 'arn');
      for (let key = 1; key <= 3_000; key++) queue.insert(message(key), NOW, `g${key % 5}`);
      const seen: number[] = [];
      for (const msg of queue.inOrder()) {
        seen.push(msg.key);
        queue.remove(msg);
      }
      assert.equal(seen.length, 3_000);
      assert.equal(queue.size, 0);
      assert.deepEqual([...queue.inOrder()], []);
      queue.insert(message(3_001), NOW, 'g');
      assert.equal(queue.find(3_001)?.key, 3_001);
    });

    it('forgets everything on clear', () => {
      const queue = new Queue(queueRecord(isFifo), 'arn');
      const msgs = [message(1), message(2)];
      for (const msg of msgs) queue.insert(msg, NOW, 'g');
      queue.clear();
      assert.equal(queue.find(1), undefined);
      assert.equal(queue.size, 0);
      assert.ok(msgs.every((m) => m.isDeleted));
    });
  });
}
