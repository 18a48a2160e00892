/**
 * @module test/contract/fifo-model.test: random sequences of FIFO operations (send, receive, change visibility,
 * delete, time passing, server restart) run against the real engine on each store and against a small model of
 * spec §E.7: every receive must return exactly what the model predicts (groups by their oldest message, a group
 * locked while any of its messages is in flight, consecutive messages of a group in order), deletes and visibility
 * changes must succeed exactly when their handle is the live one, the counters must match, and at the end every
 * message not deleted must still come out, in order.
 *
 * Reproduce a failure with `FUZZ_SEED=<seed>` (printed as a diagnostic, and by fast-check with the failing path).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Engine, EngineError, ManualClock, type QueueStore, type ReceivedMessage } from '../../src/engine/index.ts';
import { GroupCommitStore, MemoryStore, SqliteStore } from '../../src/persistence/index.ts';
import { seedFromEnv } from '../helpers/fuzz-seed.ts';

const QUEUE = 'model.fifo';
const VISIBILITY_TIMEOUT_S = 30;
const CONTEXT = { senderId: 'AIDAEXAMPLE' };

type Op =
  | { op: 'send'; group: number; count: number }
  | { op: 'receive'; max: number; visibilityTimeout: number | undefined }
  | { op: 'changeVisibility'; handle: number; seconds: number }
  | { op: 'delete'; handle: number }
  | { op: 'advance'; ms: number }
  | { op: 'restart' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('send' as const), group: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 1, max: 4 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('receive' as const),
      max: fc.integer({ min: 1, max: 10 }),
      visibilityTimeout: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('changeVisibility' as const), handle: fc.nat(), seconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), handle: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 45_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
);

/** One message as the model sees it. */
interface ModelMessage {
  readonly body: string;
  readonly group: string;
  isDeleted: boolean;
  /** In flight while `visibleAt > now`. */
  visibleAt: number;
  /** The handle of its latest receive: the only one that can delete it or change its visibility. */
  handle: string | undefined;
}

/** Spec §E.7's receive, on the model: groups by their oldest message, locked groups skipped, consecutive messages. */
function expectedReceive(messages: readonly ModelMessage[], now: number, max: number): ModelMessage[] {
  const byGroup = new Map<string, ModelMessage[]>();
  for (const message of messages) {
    if (message.isDeleted) continue;
    let list = byGroup.get(message.group);
    if (list === undefined) byGroup.set(message.group, (list = []));
    list.push(message);
  }
  const out: ModelMessage[] = [];
  // Map order is the order of each group's oldest live message, since `messages` is in send order.
  for (const list of byGroup.values()) {
    if (list.some((m) => m.visibleAt > now)) continue;
    for (const message of list) {
      if (out.length === max) return out;
      out.push(message);
    }
  }
  return out;
}

interface Harness {
  openStore(): QueueStore;
  reopen(store: QueueStore): QueueStore;
  cleanup(): void;
}

function runScenario(ops: readonly Op[], harness: Harness): void {
  const clock = new ManualClock();
  let store = harness.openStore();
  const start = () => {
    const engine = new Engine(store.keepsPayloads ? { clock } : { clock, payloads: store });
    engine.restore(store.load());
    engine.onEvents((events) => store.apply(events));
    return engine;
  };
  let engine = start();
  engine.createQueue({ name: QUEUE, attributes: { FifoQueue: 'true', VisibilityTimeout: String(VISIBILITY_TIMEOUT_S) } });
  const messages: ModelMessage[] = [];
  const byBody = new Map<string, ModelMessage>();
  const handles: Array<{ handle: string; message: ModelMessage }> = [];

  const receive = (max: number, visibilityTimeout: number | undefined): void => {
    const now = clock.now();
    const expected = expectedReceive(messages, now, max).map((m) => m.body);
    const got: ReceivedMessage[] = engine.receiveMessage(QUEUE, visibilityTimeout === undefined ? { maxNumberOfMessages: max } : { maxNumberOfMessages: max, visibilityTimeout });
    assert.deepEqual(
      got.map((m) => m.body),
      expected,
      `receive of ${max} at ${now} ms`,
    );
    for (const received of got) {
      const message = byBody.get(received.body)!;
      message.visibleAt = now + (visibilityTimeout ?? VISIBILITY_TIMEOUT_S) * 1000;
      message.handle = received.receiptHandle;
      handles.push({ handle: received.receiptHandle, message });
    }
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
    assert.equal(shouldSucceed, true, `${what} succeeded, but its handle is not the live one`);
    return true;
  };

  try {
    for (const op of ops) {
      const now = clock.now();
      switch (op.op) {
        case 'send':
          for (let i = 0; i < op.count; i++) {
            const message: ModelMessage = { body: `m${messages.length}`, group: `g${op.group}`, isDeleted: false, visibleAt: now, handle: undefined };
            engine.sendMessage(QUEUE, { body: message.body, messageGroupId: message.group, messageDeduplicationId: message.body }, CONTEXT);
            messages.push(message);
            byBody.set(message.body, message);
          }
          break;
        case 'receive':
          receive(op.max, op.visibilityTimeout);
          break;
        case 'changeVisibility': {
          if (handles.length === 0) break;
          const { handle, message } = handles[op.handle % handles.length]!;
          const isLive = !message.isDeleted && message.handle === handle && message.visibleAt > now;
          if (expectOutcome(`ChangeMessageVisibility(${message.body}, ${op.seconds})`, isLive, () => engine.changeMessageVisibility(QUEUE, handle, op.seconds))) {
            message.visibleAt = now + op.seconds * 1000;
          }
          break;
        }
        case 'delete': {
          if (handles.length === 0) break;
          const { handle, message } = handles[op.handle % handles.length]!;
          // Deleting a deleted message answers 200; on FIFO an expired or superseded handle is an error.
          const isLive = !message.isDeleted && message.handle === handle && message.visibleAt > now;
          if (expectOutcome(`DeleteMessage(${message.body})`, message.isDeleted || isLive, () => engine.deleteMessage(QUEUE, handle))) {
            message.isDeleted = true;
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
      const attributes = engine.getQueueAttributes(QUEUE, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
      const live = messages.filter((m) => !m.isDeleted);
      assert.deepEqual(
        [attributes['ApproximateNumberOfMessages'], attributes['ApproximateNumberOfMessagesNotVisible']],
        [String(live.filter((m) => m.visibleAt <= at).length), String(live.filter((m) => m.visibleAt > at).length)],
        `counters after ${JSON.stringify(op)}`,
      );
    }

    // Every message not deleted comes out once nothing is in flight, each group in send order.
    clock.advance(41_000);
    for (let round = 0; messages.some((m) => !m.isDeleted); round++) {
      assert.ok(round <= messages.length, 'the queue did not drain');
      const before = handles.length;
      receive(10, undefined);
      assert.ok(handles.length > before, `a receive with ${messages.filter((m) => !m.isDeleted).length} messages left returned none`);
      for (const { handle, message } of handles.slice(before)) {
        engine.deleteMessage(QUEUE, handle);
        message.isDeleted = true;
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
    fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => runScenario(ops, harness())),
    { seed, numRuns, includeErrorInReport: true },
  );
}

describe('FIFO operations against the spec §E.7 model', () => {
  it('in memory, restarts keeping the same MemoryStore', (t) => {
    check(t, 400, () => ({
      openStore: () => new MemoryStore(),
      reopen: (store) => store,
      cleanup: () => {},
    }));
  });

  it('on SQLite through the group-commit layer, restarts closing and reopening the file', (t) => {
    check(t, 60, () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'mqs-fifo-model-'));
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
