/** @module test/contract/memory-store.test: the QueueStore contract against MemoryStore, plus what only it does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore, openStore } from '../../src/persistence/index.ts';
import { messageRecord, queueRecord, queueStoreContract } from './queue-store.contract.ts';
import { payloadsOf } from './queue-store.contract.ts';

queueStoreContract({
  name: 'MemoryStore',
  keepsPayloads: true,
  isDurable: false,
  createSubject: () => ({ open: () => new MemoryStore(), dispose: () => {} }),
});

describe('MemoryStore', () => {
  it('is what openStore gives for kind memory', () => {
    assert.ok(openStore({ kind: 'memory' }) instanceof MemoryStore);
  });

  it('keeps nothing across a restart: a new store is empty and close forgets', () => {
    const store = new MemoryStore();
    store.apply([
      { type: 'queueCreated', queue: queueRecord('q') },
      { type: 'messageSent', message: messageRecord(1, 'q') },
    ]);
    assert.equal([...store.load().messages].length, 1);
    store.close();
    assert.deepEqual(store.load(), { queues: [], messages: [], dedup: [], moveTasks: [], nextKey: 1 });
    assert.deepEqual([...new MemoryStore().load().messages], []);
  });

  it('shares payloads with the engine instead of copying them', () => {
    const store = new MemoryStore();
    const message = messageRecord(1, 'q', { messageAttributes: { a: { dataType: 'String', stringValue: 'v' } } });
    store.apply([{ type: 'messageSent', message }]);
    assert.equal(payloadsOf(store, [1]).get(1)?.messageAttributes, message.messageAttributes);
  });

  it('forgets dedup records that expired a full dedup window before later ones were recorded', () => {
    const store = new MemoryStore();
    const record = (dedupKey: string, expiresAt: number) => ({ queueName: 'q.fifo', dedupKey, messageId: dedupKey, expiresAt });
    const T = Date.UTC(2026, 0, 1);
    store.apply([{ type: 'dedupRecorded', record: record('old', T) }]);
    // Recorded 11 minutes later: 'old' expired 6 minutes ago, more than one 5-minute window.
    for (let i = 0; i < 64; i++) store.apply([{ type: 'dedupRecorded', record: record(`new-${i}`, T + 11 * 60_000 + i) }]);
    const keys = store.load().dedup.map((d) => d.dedupKey);
    assert.equal(keys.includes('old'), false);
    assert.equal(keys.length, 64);
    store.close();
  });
});
