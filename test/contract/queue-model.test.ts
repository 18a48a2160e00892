/**
 * @module test/contract/queue-model.test: random sequences of operations on a queue and its dead-letter queue (send,
 * duplicate send, receive, change visibility, delete, purge, time passing, server restart) run against the real
 * engine on each store and against a small model of the spec, FIFO (§E.7) and standard (§D.6):
 * - every receive returns exactly what the model predicts: standard queues oldest visible first; FIFO queues by
 *   group, groups in the order of their oldest message, a group skipped while any of its messages is in flight,
 *   consecutive messages of a group in order up to one still delayed (queue or per-message DelaySeconds); a message received more than maxReceiveCount times moves to the
 *   dead-letter queue instead (§C RedrivePolicy);
 * - deletes and visibility changes succeed exactly when the spec says (the handle is the live one; FIFO refuses
 *   expired handles, standard queues answer 200 and do nothing);
 * - a FIFO send inside the 5-minute window of its deduplication id returns the original MessageId, and enqueues
 *   nothing (§E.3); PurgeQueue empties the queue, at most once a minute;
 * - the counters match, and at the end every message not deleted still comes out, once.
 *
 * Reproduce a failure with `FUZZ_SEED=<seed>` (printed as a diagnostic, and by fast-check with the failing path).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Engine, EngineError, ManualClock, type QueueStore } from '../../src/engine/index.ts';
import { GroupCommitStore, MemoryStore, SqliteStore } from '../../src/persistence/index.ts';
import { seedFromEnv } from '../helpers/fuzz-seed.ts';

const VISIBILITY_TIMEOUT_S = 30;
const MAX_VISIBILITY_S = 40;
const DEDUP_WINDOW_MS = 5 * 60_000;
const PURGE_INTERVAL_MS = 60_000;
const CONTEXT = { senderId: 'AIDAEXAMPLE' };

type QueueId = 'source' | 'dlq';
const QUEUE_IDS = ['source', 'dlq'] as const;

type Op =
  | { op: 'send'; group: number; count: number; delaySeconds: number | undefined }
  | { op: 'resend'; message: number }
  | { op: 'receive'; queue: QueueId; max: number; visibilityTimeout: number | undefined }
  | { op: 'changeVisibility'; handle: number; seconds: number }
  | { op: 'delete'; handle: number }
  | { op: 'purge'; queue: QueueId }
  | { op: 'advance'; ms: number }
  | { op: 'restart' };

const queueArbitrary = fc.constantFrom<QueueId>('source', 'source', 'dlq');

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('send' as const),
      group: fc.integer({ min: 0, max: 3 }),
      count: fc.integer({ min: 1, max: 4 }),
      // Per-message delays are for standard queues; a FIFO scenario ignores them.
      delaySeconds: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined, freq: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('resend' as const), message: fc.nat() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('receive' as const),
      queue: queueArbitrary,
      max: fc.integer({ min: 1, max: 10 }),
      visibilityTimeout: fc.option(fc.integer({ min: 0, max: MAX_VISIBILITY_S }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('changeVisibility' as const),
      handle: fc.nat(),
      seconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MAX_VISIBILITY_S })),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), handle: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('purge' as const), queue: queueArbitrary }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 45_000 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'restart' as const }) },
);

interface Scenario {
  isFifo: boolean;
  /** The source queue's RedrivePolicy maxReceiveCount; undefined: no dead-letter queue in use. */
  maxReceiveCount: number | undefined;
  /** The source queue's DelaySeconds. */
  queueDelaySeconds: number;
  ops: Op[];
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  isFifo: fc.boolean(),
  maxReceiveCount: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  queueDelaySeconds: fc.constantFrom(0, 0, 5),
  ops: fc.array(opArbitrary, { minLength: 1, maxLength: 80, size: 'max' }),
});

/** One message as the model sees it. */
interface ModelMessage {
  readonly body: string;
  readonly group: string;
  readonly messageId: string;
  queue: QueueId;
  /** Its place in its queue: sends and moves to the dead-letter queue take the next one (the engine's key). */
  order: number;
  isDeleted: boolean;
  /** Not visible while `visibleAt > now`: in flight once received, delayed before. */
  visibleAt: number;
  receiveCount: number;
  /** The handle of its latest receive: the only one that can delete it or change its visibility. */
  handle: string | undefined;
}

function isInFlight(message: ModelMessage, now: number): boolean {
  return message.visibleAt > now && message.receiveCount > 0;
}

interface HandleRecord {
  readonly handle: string;
  readonly message: ModelMessage;
  readonly queue: QueueId;
}

class Model {
  readonly messages: ModelMessage[] = [];
  readonly handles: HandleRecord[] = [];
  /** FIFO deduplication ids (scope queue) and what a duplicate inside the window answers. */
  readonly dedup = new Map<string, { messageId: string; expiresAt: number }>();
  readonly lastPurgeAt = new Map<QueueId, number>();
  private nextOrder = 0;

  constructor(
    readonly isFifo: boolean,
    readonly maxReceiveCount: number | undefined,
  ) {}

  takeOrder(): number {
    return this.nextOrder++;
  }

  live(queue: QueueId): ModelMessage[] {
    return this.messages.filter((m) => m.queue === queue && !m.isDeleted).sort((a, b) => a.order - b.order);
  }

  /**
   * What a receive of up to `max` returns now; messages due for the dead-letter queue on the way move there (in
   * the model) and are not returned.
   */
  receive(queue: QueueId, now: number, max: number): ModelMessage[] {
    const out: ModelMessage[] = [];
    const consider = (message: ModelMessage): void => {
      if (queue === 'source' && this.maxReceiveCount !== undefined && message.receiveCount + 1 > this.maxReceiveCount) {
        message.queue = 'dlq';
        message.order = this.takeOrder();
        message.visibleAt = now;
        message.handle = undefined;
        return;
      }
      out.push(message);
    };
    const live = this.live(queue);
    if (!this.isFifo) {
      for (const message of live) {
        if (out.length === max) break;
        if (message.visibleAt <= now) consider(message);
      }
      return out;
    }
    // Map order is the order of each group's oldest live message.
    const groups = new Map<string, ModelMessage[]>();
    for (const message of live) {
      let list = groups.get(message.group);
      if (list === undefined) groups.set(message.group, (list = []));
      list.push(message);
    }
    for (const list of groups.values()) {
      if (out.length === max) break;
      // Locked while any message of it is in flight; a delayed message only holds back those behind it.
      if (list.some((m) => isInFlight(m, now))) continue;
      for (const message of list) {
        if (out.length === max || message.visibleAt > now) break;
        consider(message);
      }
    }
    return out;
  }
}

interface Harness {
  openStore(): QueueStore;
  reopen(store: QueueStore): QueueStore;
  cleanup(): void;
}

function runScenario(scenario: Scenario, harness: Harness): void {
  const { isFifo, maxReceiveCount } = scenario;
  const clock = new ManualClock();
  let store = harness.openStore();
  const start = () => {
    const engine = new Engine(store.keepsPayloads ? { clock } : { clock, payloads: store });
    engine.restore(store.load());
    engine.onEvents((events) => store.apply(events));
    return engine;
  };
  let engine = start();
  const names: Record<QueueId, string> = isFifo ? { source: 'source.fifo', dlq: 'dlq.fifo' } : { source: 'source', dlq: 'dlq' };
  const fifoAttributes: Record<string, string> = isFifo ? { FifoQueue: 'true' } : {};
  engine.createQueue({ name: names.dlq, attributes: { ...fifoAttributes, VisibilityTimeout: String(VISIBILITY_TIMEOUT_S) } });
  engine.createQueue({
    name: names.source,
    attributes: {
      ...fifoAttributes,
      VisibilityTimeout: String(VISIBILITY_TIMEOUT_S),
      DelaySeconds: String(scenario.queueDelaySeconds),
      ...(maxReceiveCount === undefined ? {} : { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: engine.arnOf(names.dlq), maxReceiveCount }) }),
    },
  });
  const model = new Model(isFifo, maxReceiveCount);
  const byBody = new Map<string, ModelMessage>();

  const send = (group: string, dedupId: string | undefined, delaySeconds: number | undefined): void => {
    const now = clock.now();
    const body = `m${byBody.size}`;
    const result = engine.sendMessage(
      names.source,
      isFifo ? { body, messageGroupId: group, messageDeduplicationId: dedupId ?? body } : { body, ...(delaySeconds === undefined ? {} : { delaySeconds }) },
      CONTEXT,
    );
    if (isFifo) {
      const original = model.dedup.get(dedupId ?? body);
      if (original !== undefined && original.expiresAt > now) {
        assert.equal(result.messageId, original.messageId, `a send of deduplication id ${dedupId} inside its window answers the original id`);
        return;
      }
      model.dedup.set(dedupId ?? body, { messageId: result.messageId, expiresAt: now + DEDUP_WINDOW_MS });
    }
    const message: ModelMessage = {
      body,
      group,
      messageId: result.messageId,
      queue: 'source',
      order: model.takeOrder(),
      isDeleted: false,
      visibleAt: now + (isFifo || delaySeconds === undefined ? scenario.queueDelaySeconds : delaySeconds) * 1000,
      receiveCount: 0,
      handle: undefined,
    };
    model.messages.push(message);
    byBody.set(body, message);
  };

  const receive = (queue: QueueId, max: number, visibilityTimeout: number | undefined): number => {
    const now = clock.now();
    const expected = model.receive(queue, now, max);
    const got = engine.receiveMessage(names[queue], visibilityTimeout === undefined ? { maxNumberOfMessages: max } : { maxNumberOfMessages: max, visibilityTimeout });
    assert.deepEqual(
      got.map((m) => m.body),
      expected.map((m) => m.body),
      `receive of ${max} from ${queue} at ${now} ms`,
    );
    for (const received of got) {
      const message = byBody.get(received.body)!;
      assert.equal(received.messageId, message.messageId);
      message.receiveCount++;
      message.visibleAt = now + (visibilityTimeout ?? VISIBILITY_TIMEOUT_S) * 1000;
      message.handle = received.receiptHandle;
      model.handles.push({ handle: received.receiptHandle, message, queue });
    }
    return got.length;
  };

  /** Runs `action`; it must succeed exactly when `shouldSucceed`, and fail with an EngineError otherwise. */
  const expectOutcome = (what: string, shouldSucceed: boolean, action: () => void): boolean => {
    try {
      action();
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      assert.equal(shouldSucceed, false, `${what} failed: ${error.kind} ${error.message}`);
      return false;
    }
    assert.equal(shouldSucceed, true, `${what} succeeded, but the spec says it fails`);
    return true;
  };

  try {
    for (const op of scenario.ops) {
      const now = clock.now();
      switch (op.op) {
        case 'send':
          for (let i = 0; i < op.count; i++) send(`g${op.group}`, undefined, op.delaySeconds);
          break;
        case 'resend': {
          if (model.messages.length === 0) break;
          const original = model.messages[op.message % model.messages.length]!;
          // The same deduplication id again (a producer's retry); on a standard queue just another send.
          send(original.group, isFifo ? original.body : undefined, undefined);
          break;
        }
        case 'receive':
          receive(op.queue, op.max, op.visibilityTimeout);
          break;
        case 'changeVisibility': {
          if (model.handles.length === 0) break;
          const { handle, message, queue } = model.handles[op.handle % model.handles.length]!;
          const isHeld = !message.isDeleted && message.queue === queue;
          const isLive = isHeld && message.handle === handle && isInFlight(message, now);
          // A deleted (or moved) message: always an error. A stale or expired handle: an error on FIFO, 200 on standard.
          const shouldSucceed = isHeld && (isLive || !isFifo);
          const what = `ChangeMessageVisibility(${message.body} in ${queue}, ${op.seconds})`;
          if (expectOutcome(what, shouldSucceed, () => engine.changeMessageVisibility(names[queue], handle, op.seconds)) && isLive) {
            message.visibleAt = now + op.seconds * 1000;
          }
          break;
        }
        case 'delete': {
          if (model.handles.length === 0) break;
          const { handle, message, queue } = model.handles[op.handle % model.handles.length]!;
          const isHeld = !message.isDeleted && message.queue === queue;
          const isCurrent = isHeld && message.handle === handle;
          // Gone already: 200. FIFO: only the live handle deletes, others fail. Standard: the latest handle deletes
          // even after its visibility expired; older ones answer 200 and do nothing.
          const isDeleting = isCurrent && (!isFifo || isInFlight(message, now));
          const shouldSucceed = !isHeld || isDeleting || (!isFifo && !isCurrent);
          if (expectOutcome(`DeleteMessage(${message.body} in ${queue})`, shouldSucceed, () => engine.deleteMessage(names[queue], handle)) && isDeleting) {
            message.isDeleted = true;
          }
          break;
        }
        case 'purge': {
          const last = model.lastPurgeAt.get(op.queue);
          const isAllowed = last === undefined || now - last >= PURGE_INTERVAL_MS;
          if (expectOutcome(`PurgeQueue(${op.queue})`, isAllowed, () => engine.purgeQueue(names[op.queue]))) {
            model.lastPurgeAt.set(op.queue, now);
            for (const message of model.live(op.queue)) message.isDeleted = true;
          }
          break;
        }
        case 'advance':
          clock.advance(op.ms);
          break;
        case 'restart':
          engine.close();
          store = harness.reopen(store);
          engine = start();
          break;
      }
      const at = clock.now();
      for (const queue of QUEUE_IDS) {
        const attributes = engine.getQueueAttributes(names[queue], [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ]);
        const live = model.live(queue);
        const inFlight = live.filter((m) => isInFlight(m, at)).length;
        const visible = live.filter((m) => m.visibleAt <= at).length;
        assert.deepEqual(
          [
            attributes['ApproximateNumberOfMessages'],
            attributes['ApproximateNumberOfMessagesNotVisible'],
            attributes['ApproximateNumberOfMessagesDelayed'],
          ],
          [String(visible), String(inFlight), String(live.length - visible - inFlight)],
          `${queue} counters after ${JSON.stringify(op)}`,
        );
      }
    }

    // Every message not deleted comes out once nothing is in flight: the source first (it may still redrive), then
    // the dead-letter queue.
    clock.advance((MAX_VISIBILITY_S + 1) * 1000);
    for (const queue of QUEUE_IDS) {
      for (let round = 0; model.live(queue).length > 0; round++) {
        assert.ok(round <= model.messages.length, `${queue} did not drain`);
        const before = model.handles.length;
        const left = model.live(queue).length;
        receive(queue, 10, undefined);
        assert.ok(model.live(queue).length < left || model.handles.length > before, `a receive from ${queue} with ${left} messages left did nothing`);
        for (const { handle, message } of model.handles.slice(before)) {
          engine.deleteMessage(names[queue], handle);
          message.isDeleted = true;
        }
      }
    }
  } finally {
    engine.close();
    store.close();
    harness.cleanup();
  }
}

const seed = seedFromEnv();

function check(t: { diagnostic(message: string): void }, numRuns: number, harness: () => Harness): void {
  t.diagnostic(`FUZZ_SEED=${seed}`);
  fc.assert(
    fc.property(scenarioArbitrary, (scenario) => runScenario(scenario, harness())),
    { seed, numRuns, includeErrorInReport: true },
  );
}

describe('queue operations against a model of the spec (FIFO and standard, with a dead-letter queue)', () => {
  it('in memory, restarts keeping the same MemoryStore', (t) => {
    check(t, 1000, () => ({
      openStore: () => new MemoryStore(),
      reopen: (store) => store,
      cleanup: () => {},
    }));
  });

  it('on SQLite through the group-commit layer, restarts closing and reopening the file', (t) => {
    check(t, 120, () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'mqs-queue-model-'));
      return {
        openStore: () => new GroupCommitStore(new SqliteStore({ dataDir })),
        reopen: (store) => {
          store.close();
          return new GroupCommitStore(new SqliteStore({ dataDir }));
        },
        cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
      };
    });
  });
});
