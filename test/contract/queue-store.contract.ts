/**
 * @module test/contract/queue-store.contract: the one conformance suite every QueueStore passes (memory, SQLite).
 *
 * What is in the contract: every EngineEvent applied through `apply` comes back through `load` (metadata,
 * messages in key order, possibly only their in-memory core) and `loadDetails` (the rest, body and attributes byte-exact); `apply` is atomic per call
 * (a batch that fails midway leaves nothing applied, and throws StoreError) in BOTH stores (SQLite by its
 * transaction, memory by an undo log); a durable store gives the same back after close and reopen.
 * Event semantics: queueCreated/queueUpdated upsert the whole record; messageUpdated sets visibleAt,
 * receiveCount and firstReceiveAt (absent = no first receive); messageMoved keeps the stored body and
 * attributes and takes everything else from the event; dedupRecorded upserts per (queueName, dedupKey).
 *
 * What is NOT in the contract (the engine must not rely on it):
 * - The memory store does not survive a process restart; a new MemoryStore is empty.
 * - Whether `load()` carries payloads: the memory store includes `body`/`messageAttributes`, the SQLite store
 *   does not (`keepsPayloads` says which; use `loadDetails`).
 * - Whether expired dedup records are still in `load()`: a store may drop a record once it has been expired for
 *   a full dedup window (dated by later dedupRecorded events), or keep it. The engine filters by its clock.
 * - Crash durability: what survives kill -9 or power loss is a SQLite property, tested in sqlite-store.test.ts.
 * - Properties set to `undefined` on events: a store may drop them (SQLite stores NULL and omits the field on
 *   load). The engine should omit absent optional fields rather than set them to undefined.
 * - Lone UTF-16 surrogates in strings: SQLite stores UTF-8 and replaces them with U+FFFD. SQS forbids them in
 *   bodies and attribute values, so the protocol layer must reject them before they reach a store.
 * - Order of `queues`, `dedup` and `moveTasks` in a snapshot.
 * - Updating or deleting a key the store does not hold is a no-op (not an error); moving from one is an error.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type {
  DedupRecord,
  EngineEvent,
  MessageMeta,
  MessagePayload,
  MessageRecord,
  MoveTaskRecord,
  QueueRecord,
  QueueSettings,
  QueueStore,
  Snapshot,
} from '../../src/engine/index.ts';
import { STORE_ERROR_KINDS, StoreError } from '../../src/persistence/index.ts';

/** One store under test, on its own empty location. */
export interface StoreSubject {
  /** Opens a store on this subject's location. Called again after `close()` to test reopening. */
  open(): QueueStore;
  /** Removes whatever the subject created (temp directories). The current store is closed first. */
  dispose(): void;
}

export interface StoreContractOptions {
  /** Suite title, e.g. 'MemoryStore'. */
  name: string;
  /** The `keepsPayloads` the store must report. */
  keepsPayloads: boolean;
  /** Whether a reopened store gives back what the closed one held (SQLite yes, memory no). */
  isDurable: boolean;
  /** Makes a fresh subject; called once per test. */
  createSubject(): StoreSubject;
}

const T0 = Date.UTC(2026, 0, 1);
const ACCOUNT_ARN = 'arn:aws:sqs:us-east-1:000000000000';

const STANDARD_SETTINGS: QueueSettings = {
  delaySeconds: 0,
  maximumMessageSize: 1_048_576,
  messageRetentionPeriod: 345_600,
  receiveMessageWaitTimeSeconds: 0,
  visibilityTimeout: 30,
  kmsDataKeyReusePeriodSeconds: 300,
  sqsManagedSseEnabled: true,
  isFifo: false,
  contentBasedDeduplication: false,
  deduplicationScope: 'queue',
  fifoThroughputLimit: 'perQueue',
};

/** A queue record; FIFO when the name ends in .fifo. */
export function queueRecord(name: string, overrides: Partial<QueueRecord> = {}): QueueRecord {
  return {
    name,
    settings: { ...STANDARD_SETTINGS, isFifo: name.endsWith('.fifo') },
    tags: {},
    createdAt: T0,
    lastModifiedAt: T0,
    ...overrides,
  };
}

/** A minimal message: no optional field set. */
export function messageRecord(key: number, queueName: string, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    key,
    queueName,
    messageId: `00000000-0000-4000-8000-${String(key).padStart(12, '0')}`,
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    senderId: 'AIDAEXAMPLE',
    sentAt: T0 + key,
    enqueuedAt: T0 + key,
    visibleAt: T0 + key,
    receiveCount: 0,
    body: `body of ${key}`,
    messageAttributes: {},
    ...overrides,
  };
}

/** A FIFO message with every optional field set. */
function fullMessageRecord(key: number, queueName: string): MessageRecord {
  return messageRecord(key, queueName, {
    md5OfMessageAttributes: '0123456789abcdef0123456789abcdef',
    awsTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    receiveCount: 3,
    firstReceiveAt: T0 + 10_000,
    visibleAt: T0 + 40_000,
    messageGroupId: 'order-42',
    deduplicationId: 'dedup-42',
    sequenceNumber: '18851234567890123456',
    deadLetterSourceArn: `${ACCOUNT_ARN}:source.fifo`,
    messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } },
  });
}

const EVERY_BYTE = Uint8Array.from({ length: 256 }, (_, i) => i);

/** Payload edge cases: astral chars, CR/LF, every byte value, lists, custom data types. */
function trickyPayload(): MessagePayload {
  return {
    body: 'héllo 😀 𝄞 \u{10FFFF} \uE000 \uFFFD\r\n\r\n\ttabs\rcr-only\nlf-only <xml>&amp;</xml> "quotes" \\ 中文 ' + 'x'.repeat(5000),
    messageAttributes: {
      bytes: { dataType: 'Binary', binaryValue: EVERY_BYTE },
      emptyBytes: { dataType: 'Binary.empty', binaryValue: new Uint8Array(0) },
      text: { dataType: 'String', stringValue: 'línea 1\r\nline 2 🎉' },
      number: { dataType: 'Number.float', stringValue: '-1.5e-10' },
      custom: { dataType: 'String.custom-type_with.dots', stringValue: '' },
      strings: { dataType: 'String', stringListValues: ['a', '', 'ü😀', '\r\n'] },
      binaries: { dataType: 'Binary.list', binaryListValues: [EVERY_BYTE, new Uint8Array(0), Uint8Array.of(0, 255)] },
      emptyLists: { dataType: 'String', stringListValues: [], binaryListValues: [] },
    },
  };
}

function dedupRecord(queueName: string, dedupKey: string, overrides: Partial<DedupRecord> = {}): DedupRecord {
  return { queueName, dedupKey, messageId: `mid-${dedupKey}`, expiresAt: T0 + 300_000, ...overrides };
}

function moveTask(taskHandle: string, overrides: Partial<MoveTaskRecord> = {}): MoveTaskRecord {
  return {
    taskHandle,
    sourceArn: `${ACCOUNT_ARN}:dlq`,
    status: 'RUNNING',
    approximateNumberOfMessagesMoved: 0,
    approximateNumberOfMessagesToMove: 10,
    startedAt: T0,
    ...overrides,
  };
}

const sent = (message: MessageRecord): EngineEvent => ({ type: 'messageSent', message });
const created = (queue: QueueRecord): EngineEvent => ({ type: 'queueCreated', queue });

function metaOf(message: MessageMeta & Partial<MessagePayload>): MessageMeta {
  const { body: _body, messageAttributes: _attributes, ...meta } = message;
  return meta;
}

const byString = <T>(pick: (item: T) => string) => (a: T, b: T) => (pick(a) < pick(b) ? -1 : pick(a) > pick(b) ? 1 : 0);

/** Body and attributes of the given keys, through the port the engine uses (`loadDetails`). */
export function payloadsOf(store: QueueStore, keys: readonly number[]): Map<number, { body: string; messageAttributes: MessageRecord['messageAttributes'] }> {
  const out = new Map<number, { body: string; messageAttributes: MessageRecord['messageAttributes'] }>();
  for (const [key, detail] of store.loadDetails(keys)) out.set(key, { body: detail.body, messageAttributes: detail.messageAttributes });
  return out;
}

/** What a store must give back: the records as applied, messages in key order. */
interface Expected {
  queues?: QueueRecord[];
  messages?: MessageRecord[];
  dedup?: DedupRecord[];
  moveTasks?: MoveTaskRecord[];
  /** `load().nextKey`, when the test is about it. */
  nextKey?: number;
}

export function queueStoreContract(options: StoreContractOptions): void {
  describe(`QueueStore contract: ${options.name}`, () => {
    let subject: StoreSubject;
    let store: QueueStore;

    beforeEach(() => {
      subject = options.createSubject();
      store = subject.open();
    });
    afterEach(() => {
      store.close();
      subject.dispose();
    });

    /** Asserts the snapshot and payloads, then (durable stores) again after close and reopen. */
    function assertHolds(expected: Expected): void {
      assertSnapshot(store, expected);
      if (options.isDurable) {
        store.close();
        store = subject.open();
        assertSnapshot(store, expected);
      }
    }

    function assertSnapshot(target: QueueStore, expected: Expected): void {
      const snapshot: Snapshot = target.load();
      const expectedMessages = expected.messages ?? [];
      assert.deepEqual(
        [...snapshot.queues].sort(byString((q) => q.name)),
        [...(expected.queues ?? [])].sort(byString((q) => q.name)),
        'queues',
      );
      // load() may give only each message's core (what the engine keeps in memory); loadDetails gives the rest.
      const cores = [...snapshot.messages];
      const details = target.loadDetails(cores.map((m) => m.key));
      const whole = cores.map((core) => ({ ...details.get(core.key), ...core }) as MessageRecord);
      assert.deepEqual(whole.map(metaOf), expectedMessages.map(metaOf), 'message metadata in key order');
      if (target.keepsPayloads) {
        assert.deepEqual(
          cores.map((m) => ({ body: m.body, messageAttributes: m.messageAttributes })),
          expectedMessages.map((m) => ({ body: m.body, messageAttributes: m.messageAttributes })),
          'a store that keeps payloads returns them in load()',
        );
      }
      const payloads = payloadsOf(target, expectedMessages.map((m) => m.key));
      assert.equal(payloads.size, expectedMessages.length, 'one payload per held key');
      for (const message of expectedMessages) {
        assert.deepEqual(payloads.get(message.key), { body: message.body, messageAttributes: message.messageAttributes }, `payload of ${message.key}`);
      }
      const dedupId = (d: DedupRecord) => `${d.queueName}\u0000${d.dedupKey}`;
      assert.deepEqual([...snapshot.dedup].sort(byString(dedupId)), [...(expected.dedup ?? [])].sort(byString(dedupId)), 'dedup');
      assert.deepEqual(
        [...snapshot.moveTasks].sort(byString((t) => t.taskHandle)),
        [...(expected.moveTasks ?? [])].sort(byString((t) => t.taskHandle)),
        'move tasks',
      );
      if (expected.nextKey !== undefined) assert.equal(snapshot.nextKey, expected.nextKey, 'nextKey');
    }

    it(`reports keepsPayloads ${options.keepsPayloads}`, () => {
      assert.equal(store.keepsPayloads, options.keepsPayloads);
    });

    it('loads an empty snapshot from a fresh store', () => {
      const snapshot = store.load();
      assert.deepEqual({ ...snapshot, messages: [...snapshot.messages] }, { queues: [], messages: [], dedup: [], moveTasks: [], nextKey: 1 });
      assert.equal(payloadsOf(store, [1, 2, 3]).size, 0);
      assert.equal(payloadsOf(store, []).size, 0);
    });

    it('treats an empty batch as a no-op', () => {
      store.apply([]);
      assertHolds({});
    });

    it('round-trips queueCreated with every setting, tags and timestamps', () => {
      const fifo = queueRecord('orders.fifo', {
        settings: {
          ...STANDARD_SETTINGS,
          delaySeconds: 5,
          maximumMessageSize: 2048,
          messageRetentionPeriod: 60,
          receiveMessageWaitTimeSeconds: 20,
          visibilityTimeout: 0,
          policy: '{"Version":"2012-10-17","Statement":[]}',
          redrivePolicy: { deadLetterTargetArn: `${ACCOUNT_ARN}:orders-dlq.fifo`, maxReceiveCount: 5 },
          redriveAllowPolicy: '{"redrivePermission":"allowAll"}',
          kmsMasterKeyId: 'alias/aws/sqs',
          kmsDataKeyReusePeriodSeconds: 86_400,
          sqsManagedSseEnabled: false,
          isFifo: true,
          contentBasedDeduplication: true,
          deduplicationScope: 'messageGroup',
          fifoThroughputLimit: 'perMessageGroupId',
        },
        tags: { team: 'pay ments', 'ü-😀': 'v\r\n', empty: '' },
        createdAt: T0 + 1,
        lastModifiedAt: T0 + 2,
        lastPurgedAt: T0 + 3,
      });
      const plain = queueRecord('plain');
      store.apply([created(fifo), created(plain)]);
      assertHolds({ queues: [fifo, plain] });
    });

    it('replaces a queue on queueUpdated', () => {
      const before = queueRecord('q', { tags: { a: '1' } });
      const after = queueRecord('q', {
        settings: { ...STANDARD_SETTINGS, visibilityTimeout: 99 },
        tags: { b: '2' },
        lastModifiedAt: T0 + 5,
        lastPurgedAt: T0 + 6,
      });
      store.apply([created(before)]);
      store.apply([{ type: 'queueUpdated', queue: after }]);
      assertHolds({ queues: [after] });
    });

    it('does not alias the records it was given', () => {
      const queue = queueRecord('q', { tags: { a: '1' } });
      const message = messageRecord(1, 'q');
      store.apply([created(queue), sent(message)]);
      queue.tags['b'] = '2';
      queue.settings.visibilityTimeout = 1;
      message.visibleAt = 0;
      const snapshot = store.load();
      assert.deepEqual(snapshot.queues[0]?.tags, { a: '1' });
      assert.equal(snapshot.queues[0]?.settings.visibilityTimeout, 30);
      assert.equal([...snapshot.messages][0]?.visibleAt, T0 + 1);
    });

    it('round-trips messageSent metadata, minimal and with every optional field', () => {
      const minimal = messageRecord(1, 'q');
      const full = fullMessageRecord(2, 'q.fifo');
      store.apply([created(queueRecord('q')), created(queueRecord('q.fifo')), sent(minimal), sent(full)]);
      assertHolds({ queues: [queueRecord('q'), queueRecord('q.fifo')], messages: [minimal, full] });
    });

    it('returns payloads byte-exact: unicode, CR/LF, every byte value, lists, custom data types', () => {
      const tricky = messageRecord(7, 'q', trickyPayload());
      const attributeNamedProto = messageRecord(8, 'q', {
        body: '{"json":true}',
        messageAttributes: JSON.parse('{"__proto__":{"dataType":"String","stringValue":"p"}}') as MessageRecord['messageAttributes'],
      });
      store.apply([sent(tricky), sent(attributeNamedProto)]);
      const payloads = payloadsOf(store, [7, 8]);
      const got = payloads.get(7);
      assert.ok(got);
      assert.equal(got.body, tricky.body);
      assert.deepEqual(Buffer.from(got.body, 'utf8'), Buffer.from(tricky.body, 'utf8'));
      const bytes = got.messageAttributes['bytes']?.binaryValue;
      assert.ok(bytes instanceof Uint8Array);
      assert.deepEqual([...bytes], [...EVERY_BYTE]);
      assert.ok(Object.hasOwn(payloads.get(8)?.messageAttributes ?? {}, '__proto__'), 'an attribute may be named __proto__');
      assertHolds({ messages: [tricky, attributeNamedProto] });
    });

    it('changes only visibleAt, receiveCount and firstReceiveAt on messageUpdated', () => {
      const message = fullMessageRecord(1, 'q.fifo');
      store.apply([sent(message), sent(messageRecord(2, 'q.fifo'))]);
      store.apply([{ type: 'messageUpdated', key: 1, visibleAt: T0 + 99_000, receiveCount: 4, firstReceiveAt: T0 + 10_000 }]);
      store.apply([{ type: 'messageUpdated', key: 2, visibleAt: T0 + 50_000, receiveCount: 1, firstReceiveAt: T0 + 20_000 }]);
      assertHolds({
        messages: [
          { ...message, visibleAt: T0 + 99_000, receiveCount: 4 },
          messageRecord(2, 'q.fifo', { visibleAt: T0 + 50_000, receiveCount: 1, firstReceiveAt: T0 + 20_000 }),
        ],
      });
    });

    it('removes a message on messageDeleted and ignores keys it does not hold', () => {
      store.apply([sent(messageRecord(1, 'q')), sent(messageRecord(2, 'q'))]);
      store.apply([{ type: 'messageDeleted', key: 1 }]);
      store.apply([{ type: 'messageDeleted', key: 404 }]);
      store.apply([{ type: 'messageUpdated', key: 404, visibleAt: T0, receiveCount: 1 }]);
      assert.deepEqual([...payloadsOf(store, [1, 2, 404]).keys()], [2]);
      assertHolds({ messages: [messageRecord(2, 'q')] });
    });

    it('keeps the payload and takes the new key, queue and metadata on messageMoved', () => {
      const original = messageRecord(3, 'source.fifo', { ...trickyPayload(), messageGroupId: 'g', sequenceNumber: '1', receiveCount: 5 });
      store.apply([sent(messageRecord(1, 'dlq.fifo')), sent(original), sent(messageRecord(4, 'source.fifo'))]);
      const movedMeta: MessageMeta = {
        ...metaOf(messageRecord(10, 'dlq.fifo')),
        messageId: original.messageId,
        md5OfBody: original.md5OfBody,
        messageGroupId: 'g',
        sequenceNumber: '2',
        receiveCount: 5,
        firstReceiveAt: T0 + 7,
        enqueuedAt: T0 + 1000,
        deadLetterSourceArn: `${ACCOUNT_ARN}:source.fifo`,
      };
      store.apply([{ type: 'messageMoved', oldKey: 3, message: movedMeta }]);
      assert.equal(payloadsOf(store, [3]).size, 0, 'the old key is gone');
      assertHolds({
        messages: [
          messageRecord(1, 'dlq.fifo'),
          messageRecord(4, 'source.fifo'),
          { ...movedMeta, body: original.body, messageAttributes: original.messageAttributes },
        ],
      });
    });

    it('takes payloads from the stored message, not from a whole record handed to messageMoved', () => {
      const original = messageRecord(1, 'a', { body: 'stored body' });
      store.apply([sent(original)]);
      const wholeRecord = messageRecord(2, 'b', { body: 'stray body' });
      store.apply([{ type: 'messageMoved', oldKey: 1, message: wholeRecord }]);
      assertHolds({ messages: [{ ...wholeRecord, body: 'stored body' }] });
    });

    it('deletes the queue, its messages and its dedup records on queueDeleted, and nothing of other queues', () => {
      const keep = queueRecord('keep.fifo');
      store.apply([
        created(queueRecord('gone.fifo')),
        created(keep),
        sent(messageRecord(1, 'gone.fifo')),
        sent(messageRecord(2, 'keep.fifo')),
        sent(messageRecord(3, 'gone.fifo')),
        { type: 'dedupRecorded', record: dedupRecord('gone.fifo', 'd1') },
        { type: 'dedupRecorded', record: dedupRecord('keep.fifo', 'd1') },
        { type: 'moveTaskSaved', task: moveTask('task-1') },
      ]);
      store.apply([{ type: 'queueDeleted', queueName: 'gone.fifo' }]);
      assert.equal(payloadsOf(store, [1, 3]).size, 0);
      assertHolds({
        queues: [keep],
        messages: [messageRecord(2, 'keep.fifo')],
        dedup: [dedupRecord('keep.fifo', 'd1')],
        moveTasks: [moveTask('task-1')],
      });
    });

    it('deletes only the queue’s messages on queuePurged', () => {
      const purged = queueRecord('p', { lastPurgedAt: T0 + 9 });
      store.apply([
        created(queueRecord('p')),
        created(queueRecord('other')),
        sent(messageRecord(1, 'p')),
        sent(messageRecord(2, 'other')),
        sent(messageRecord(3, 'p')),
        { type: 'dedupRecorded', record: dedupRecord('p', 'd') },
      ]);
      store.apply([{ type: 'queuePurged', queueName: 'p' }, { type: 'queueUpdated', queue: purged }]);
      assertHolds({
        queues: [queueRecord('other'), purged],
        messages: [messageRecord(2, 'other')],
        dedup: [dedupRecord('p', 'd')],
      });
    });

    it('hands out no key it ever held (nextKey): not after messageDeleted, messageMoved, queuePurged or queueDeleted', () => {
      const nextKeyIs = (expected: number, after: string) => {
        assert.equal(store.load().nextKey, expected, `nextKey after ${after}`);
        if (options.isDurable) {
          store.close();
          store = subject.open();
          assert.equal(store.load().nextKey, expected, `nextKey after ${after}, reopened`);
        }
      };
      store.apply([created(queueRecord('p')), created(queueRecord('gone')), created(queueRecord('q'))]);
      store.apply([sent(messageRecord(1, 'q')), sent(messageRecord(2, 'q'))]);
      nextKeyIs(3, 'two sends');
      store.apply([{ type: 'messageDeleted', key: 2 }]);
      nextKeyIs(3, 'deleting the last key');
      store.apply([{ type: 'messageMoved', oldKey: 1, message: messageRecord(4, 'q') }]);
      store.apply([{ type: 'messageDeleted', key: 4 }]);
      nextKeyIs(5, 'a move to key 4 and its delete');
      store.apply([sent(messageRecord(5, 'p'))]);
      store.apply([{ type: 'queuePurged', queueName: 'p' }]);
      nextKeyIs(6, 'a purge of the last key');
      store.apply([sent(messageRecord(6, 'gone'))]);
      store.apply([{ type: 'queueDeleted', queueName: 'gone' }]);
      nextKeyIs(7, 'a queue delete with the last key');
      assertHolds({ queues: [queueRecord('p'), queueRecord('q')] });
    });

    it('upserts dedup records per (queue, dedupKey), including keys holding U+0000', () => {
      const groupScoped = dedupRecord('q.fifo', 'group-1\u0000dedup-1', { sequenceNumber: '18851234567890123456' });
      const first = dedupRecord('q.fifo', 'dedup-1', { messageId: 'first', expiresAt: T0 + 300_000 });
      const replaced = dedupRecord('q.fifo', 'dedup-1', { messageId: 'second', sequenceNumber: '7', expiresAt: T0 + 301_000 });
      const otherQueue = dedupRecord('r.fifo', 'dedup-1');
      store.apply([
        { type: 'dedupRecorded', record: first },
        { type: 'dedupRecorded', record: groupScoped },
        { type: 'dedupRecorded', record: otherQueue },
      ]);
      store.apply([{ type: 'dedupRecorded', record: replaced }]);
      assertHolds({ dedup: [replaced, groupScoped, otherQueue] });
    });

    it('keeps every dedup record that has not expired while many are recorded', () => {
      // 200 records a second apart: all are inside one window of the last, so none may be pruned.
      const records = Array.from({ length: 200 }, (_, i) => dedupRecord('q.fifo', `d${i}`, { expiresAt: T0 + 300_000 + i * 1000 }));
      for (const record of records) store.apply([{ type: 'dedupRecorded', record }]);
      assertHolds({ dedup: records });
    });

    it('upserts move tasks by task handle with every field', () => {
      const running = moveTask('task-1', {
        destinationArn: `${ACCOUNT_ARN}:source`,
        maxNumberOfMessagesPerSecond: 50,
      });
      const failed = moveTask('task-1', {
        destinationArn: `${ACCOUNT_ARN}:source`,
        maxNumberOfMessagesPerSecond: 50,
        status: 'FAILED',
        approximateNumberOfMessagesMoved: 4,
        failureReason: 'AWS.SimpleQueueService.NonExistentQueue',
      });
      const other = moveTask('task-2', { status: 'COMPLETED', startedAt: T0 + 5 });
      store.apply([{ type: 'moveTaskSaved', task: running }, { type: 'moveTaskSaved', task: other }]);
      store.apply([{ type: 'moveTaskSaved', task: failed }]);
      assertHolds({ moveTasks: [failed, other] });
    });

    it('returns messages in key order whatever order they were applied in', () => {
      store.apply([sent(messageRecord(5, 'q')), sent(messageRecord(3, 'q'))]);
      store.apply([sent(messageRecord(9, 'q')), sent(messageRecord(1, 'q'))]);
      store.apply([{ type: 'messageMoved', oldKey: 9, message: metaOf(messageRecord(2, 'r')) }]);
      store.apply([{ type: 'messageMoved', oldKey: 1, message: metaOf(messageRecord(12, 'r')) }]);
      const keys = [...store.load().messages].map((m) => m.key);
      assert.deepEqual(keys, [2, 3, 5, 12]);
      assertHolds({
        messages: [
          { ...messageRecord(2, 'r'), body: 'body of 9' },
          messageRecord(3, 'q'),
          messageRecord(5, 'q'),
          { ...messageRecord(12, 'r'), body: 'body of 1' },
        ],
      });
    });

    it('round-trips a large batch in one apply and serves payloads for more than ten keys', () => {
      const messages = Array.from({ length: 1000 }, (_, i) => messageRecord(i + 1, i % 2 === 0 ? 'a' : 'b', { body: `m${i}` }));
      store.apply(messages.map(sent));
      const keys = [3, 1, 999, 500, 2, 4, 5, 6, 7, 8, 9, 10, 11, 1000, 123456];
      const payloads = payloadsOf(store, keys);
      assert.equal(payloads.size, 14);
      assert.equal(payloads.get(999)?.body, 'm998');
      assertHolds({ messages });
    });

    it('applies nothing of a batch whose messageSent reuses a key, and throws StoreError DuplicateKey', () => {
      const queue = queueRecord('q');
      store.apply([created(queue), sent(messageRecord(1, 'q'))]);
      const failing: EngineEvent[] = [
        sent(messageRecord(2, 'q')),
        { type: 'messageUpdated', key: 1, visibleAt: T0 + 1_000_000, receiveCount: 9 },
        { type: 'messageDeleted', key: 1 },
        { type: 'dedupRecorded', record: dedupRecord('q', 'x') },
        { type: 'moveTaskSaved', task: moveTask('t') },
        created(queueRecord('new')),
        { type: 'queuePurged', queueName: 'q' },
        sent(messageRecord(3, 'q')),
        sent(messageRecord(3, 'q')),
      ];
      assert.throws(
        () => store.apply(failing),
        (error: unknown) => error instanceof StoreError && error.kind === STORE_ERROR_KINDS.DUPLICATE_KEY,
      );
      assertHolds({ queues: [queue], messages: [messageRecord(1, 'q')] });
      // The store stays usable after a failed batch.
      store.apply([sent(messageRecord(2, 'q'))]);
      assertHolds({ queues: [queue], messages: [messageRecord(1, 'q'), messageRecord(2, 'q')] });
    });

    it('applies nothing of a batch whose messageMoved targets a taken key or a missing one', () => {
      store.apply([sent(messageRecord(1, 'q')), sent(messageRecord(2, 'q'))]);
      assert.throws(
        () =>
          store.apply([
            { type: 'messageDeleted', key: 2 },
            sent(messageRecord(5, 'q')),
            { type: 'messageMoved', oldKey: 1, message: metaOf(messageRecord(5, 'dlq')) },
          ]),
        (error: unknown) => error instanceof StoreError && error.kind === STORE_ERROR_KINDS.DUPLICATE_KEY,
      );
      assert.throws(
        () =>
          store.apply([
            { type: 'messageDeleted', key: 2 },
            { type: 'messageMoved', oldKey: 77, message: metaOf(messageRecord(78, 'dlq')) },
          ]),
        (error: unknown) => error instanceof StoreError && error.kind === STORE_ERROR_KINDS.MISSING_KEY,
      );
      assertHolds({ messages: [messageRecord(1, 'q'), messageRecord(2, 'q')] });
    });

    it('applies nothing of a failed batch that deleted a queue with messages and dedup records', () => {
      const queue = queueRecord('q.fifo');
      const record = dedupRecord('q.fifo', 'd');
      store.apply([created(queue), sent(messageRecord(1, 'q.fifo')), sent(messageRecord(2, 'q.fifo')), { type: 'dedupRecorded', record }]);
      assert.throws(() => store.apply([{ type: 'queueDeleted', queueName: 'q.fifo' }, sent(messageRecord(9, 'x')), sent(messageRecord(9, 'x'))]), StoreError);
      assertHolds({ queues: [queue], messages: [messageRecord(1, 'q.fifo'), messageRecord(2, 'q.fifo')], dedup: [record] });
    });
  });
}
