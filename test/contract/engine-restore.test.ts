/** @module test/contract/engine-restore.test: the real engine's events go into each store, and a new engine restored from it carries on. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Engine, ManualClock } from '../../src/engine/index.ts';
import type { MessageAttributeMap, QueueStore } from '../../src/engine/index.ts';
import { GroupCommitStore, MemoryStore, SqliteStore } from '../../src/persistence/index.ts';

const CONTEXT = { senderId: 'AIDAEXAMPLE' };
const EVERY_BYTE = Uint8Array.from({ length: 256 }, (_, i) => i);
const ATTRIBUTES: MessageAttributeMap = {
  bytes: { dataType: 'Binary.custom', binaryValue: EVERY_BYTE },
  price: { dataType: 'Number.float', stringValue: '-1.50' },
  note: { dataType: 'String', stringValue: 'línea 1\r\nline 2 😀' },
};

function startEngine(store: QueueStore, clock: ManualClock): Engine {
  const engine = new Engine(store.keepsPayloads ? { clock } : { clock, payloads: store });
  engine.restore(store.load());
  engine.onEvents((events) => store.apply(events));
  return engine;
}

/** Everything a client could observe of a queue without changing it. */
function observe(engine: Engine) {
  return engine.queueNames().map((name) => ({
    attributes: engine.getQueueAttributes(name, ['All']),
    tags: engine.listQueueTags(name),
    inspection: engine.inspectQueue(name, 100),
  }));
}

/**
 * Drives a FIFO queue with a dead-letter queue through send, receive, delete, visibility expiry and redrive,
 * restarts on the same store, and checks that the new engine sees the same state and payloads.
 */
function restartScenario(openStore: () => QueueStore, reopen: (store: QueueStore) => QueueStore): void {
  const clock = new ManualClock();
  let store = openStore();
  const before = startEngine(store, clock);
  before.createQueue({ name: 'orders-dlq.fifo', attributes: { FifoQueue: 'true' } });
  before.createQueue({
    name: 'orders.fifo',
    attributes: {
      FifoQueue: 'true',
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: before.arnOf('orders-dlq.fifo'), maxReceiveCount: 1 }),
    },
    tags: { team: 'payments' },
  });
  const first = before.sendMessage(
    'orders.fifo',
    { body: 'first 😀\r\n', messageGroupId: 'g1', messageDeduplicationId: 'd1', messageAttributes: ATTRIBUTES },
    CONTEXT,
  );
  before.sendMessage('orders.fifo', { body: 'second', messageGroupId: 'g1', messageDeduplicationId: 'd2' }, CONTEXT);
  before.sendMessage('orders.fifo', { body: 'third', messageGroupId: 'g2', messageDeduplicationId: 'd3' }, CONTEXT);
  before.sendMessage('orders.fifo', { body: 'fourth', messageGroupId: 'g3', messageDeduplicationId: 'd4' }, CONTEXT);

  const received = before.receiveMessage('orders.fifo', { maxNumberOfMessages: 10 });
  const third = received.find((m) => m.body === 'third');
  assert.ok(third);
  before.deleteMessage('orders.fifo', third.receiptHandle);
  clock.advance(31_000);
  // g1's and g3's messages were received once already: this receive moves them to the dead-letter queue.
  before.receiveMessage('orders.fifo', { maxNumberOfMessages: 10, receiveRequestAttemptId: 'attempt-1' });
  clock.advance(1_000);
  const expected = observe(before);
  before.close();

  store = reopen(store);
  const after = startEngine(store, clock);
  assert.deepEqual(observe(after), expected);

  const fromDlq = after.receiveMessage('orders-dlq.fifo', {
    maxNumberOfMessages: 10,
    messageAttributeNames: ['All'],
    systemAttributeNames: ['All'],
  });
  assert.deepEqual(
    fromDlq.map((m) => m.body),
    ['first 😀\r\n', 'second', 'fourth'],
  );
  assert.equal(fromDlq[0]?.messageId, first.messageId);
  assert.deepEqual(fromDlq[0]?.messageAttributes, ATTRIBUTES);
  assert.equal(fromDlq[0]?.md5OfMessageAttributes, first.md5OfMessageAttributes);
  assert.equal(fromDlq[0]?.attributes?.['DeadLetterQueueSourceArn'], after.arnOf('orders.fifo'));
  // The dedup window survived the restart: the same dedup id answers with the original message id.
  const duplicate = after.sendMessage('orders.fifo', { body: 'again', messageGroupId: 'g1', messageDeduplicationId: 'd1' }, CONTEXT);
  assert.equal(duplicate.messageId, first.messageId);
  after.close();
  store.close();
}

/**
 * A FIFO group restored half in flight (its first message made visible again, a later one still out) stays locked
 * through receives until nothing of it is in flight, then comes back whole and in order: after the in-flight
 * message's visibility expires, or after it is deleted.
 */
function halfInFlightGroupScenario(openStore: () => QueueStore, reopen: (store: QueueStore) => QueueStore, ending: 'expiry' | 'delete'): void {
  const clock = new ManualClock();
  let store = openStore();
  const before = startEngine(store, clock);
  before.createQueue({ name: 'half.fifo', attributes: { FifoQueue: 'true', VisibilityTimeout: '30' } });
  for (const body of ['a1', 'a2']) {
    before.sendMessage('half.fifo', { body, messageGroupId: 'A', messageDeduplicationId: body }, CONTEXT);
  }
  const received = before.receiveMessage('half.fifo', { maxNumberOfMessages: 10 });
  assert.deepEqual(
    received.map((m) => m.body),
    ['a1', 'a2'],
  );
  before.changeMessageVisibility('half.fifo', received[0]!.receiptHandle, 0);
  before.close();

  store = reopen(store);
  const after = startEngine(store, clock);
  // a2 is still in flight: the group stays locked, however often it is asked for.
  assert.deepEqual(after.receiveMessage('half.fifo', { maxNumberOfMessages: 10 }), []);
  assert.deepEqual(after.receiveMessage('half.fifo', { maxNumberOfMessages: 10 }), []);
  if (ending === 'expiry') clock.advance(30_000);
  else after.deleteMessage('half.fifo', received[1]!.receiptHandle);
  after.sendMessage('half.fifo', { body: 'a3', messageGroupId: 'A', messageDeduplicationId: 'a3' }, CONTEXT);
  after.sendMessage('half.fifo', { body: 'b1', messageGroupId: 'B', messageDeduplicationId: 'b1' }, CONTEXT);
  assert.deepEqual(
    after.receiveMessage('half.fifo', { maxNumberOfMessages: 10 }).map((m) => m.body),
    ending === 'expiry' ? ['a1', 'a2', 'a3', 'b1'] : ['a1', 'a3', 'b1'],
  );
  after.close();
  store.close();
}

/** Runs `scenario` on SQLite stores in a fresh directory (`wrap` adds a layer), reopened by close and open. */
function onSqlite(
  scenario: (openStore: () => QueueStore, reopen: (store: QueueStore) => QueueStore) => void,
  wrap: (store: SqliteStore) => QueueStore = (store) => store,
): void {
  const dataDir = mkdtempSync(join(tmpdir(), 'mqs-engine-restore-'));
  try {
    scenario(
      () => wrap(new SqliteStore({ dataDir })),
      (store) => {
        store.close();
        return wrap(new SqliteStore({ dataDir }));
      },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('engine restore from a store', () => {
  it('carries FIFO state, payloads and dedup across a restart on one MemoryStore', () => {
    restartScenario(
      () => new MemoryStore(),
      (store) => store,
    );
  });

  it('carries FIFO state, payloads and dedup across a restart on SQLite (close, reopen)', () => {
    onSqlite(restartScenario);
  });

  it('carries the same state through the group-commit layer the server uses (SQLite, close, reopen)', () => {
    onSqlite(restartScenario, (store) => new GroupCommitStore(store));
  });
});

describe('engine restore of a FIFO group half in flight', () => {
  for (const ending of ['expiry', 'delete'] as const) {
    it(`keeps the group locked until its in-flight message is back (${ending}), then serves it in order (MemoryStore)`, () => {
      halfInFlightGroupScenario(
        () => new MemoryStore(),
        (store) => store,
        ending,
      );
    });

    it(`keeps the group locked until its in-flight message is back (${ending}), then serves it in order (SQLite)`, () => {
      onSqlite((openStore, reopen) => halfInFlightGroupScenario(openStore, reopen, ending));
    });
  }
});
