/** @module test/contract/memory-store.test: the QueueStore contract against MemoryStore, plus what only it does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore, openStore } from '../../src/persistence/index.ts';
import { messageRecord, queueRecord, queueStoreContract } from './queue-store.contract.ts';

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
    assert.equal(store.load().messages.length, 1);
    store.close();
    assert.deepEqual(store.load(), { queues: [], messages: [], dedup: [], moveTasks: [] });
    assert.deepEqual(new MemoryStore().load().messages, []);
  });

  it('shares payloads with the engine instead of copying them', () => {
    const store = new MemoryStore();
    const message = messageRecord(1, 'q', { messageAttributes: { a: { dataType: 'String', stringValue: 'v' } } });
    store.apply([{ type: 'messageSent', message }]);
    assert.equal(store.loadPayloads([1]).get(1)?.messageAttributes, message.messageAttributes);
  });
});
