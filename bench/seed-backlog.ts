/**
 * @module bench/seed-backlog: writes a queue with a large backlog straight into a SQLite data directory
 * (through the store, as a server would have written it), so a server started on that directory restores it.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Engine, type EngineEvent, type MessageRecord, type QueueRecord, SystemClock } from '../src/engine/index.ts';
import { openStore } from '../src/persistence/index.ts';
import { BATCH_SIZE, BENCH_BODIES, BENCH_BODY_MD5S, GROUP_COUNT } from './bench-messages.ts';
import type { QueueKind } from './sdk-workload.ts';

/** messageSent events per store.apply() (one transaction each). */
const MESSAGES_PER_APPLY = 10_000;
/** The SenderId an unsigned request gets (protocol/sender-id.ts): what the seeded messages would carry. */
const SEED_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';
const BENCH_VISIBILITY_TIMEOUT_SECONDS = '600';

/** What seeding cost. */
export interface SeedResult {
  queueName: string;
  messages: number;
  wallMs: number;
}

/**
 * The queue record exactly as the engine would create it (default settings from the engine itself, so the
 * seed never drifts from what CreateQueue stores).
 */
function queueRecord(name: string, kind: QueueKind): QueueRecord {
  const engine = new Engine({ clock: new SystemClock() });
  let record: QueueRecord | undefined;
  engine.onEvents((events) => {
    for (const event of events) if (event.type === 'queueCreated') record = event.queue;
  });
  engine.createQueue({
    name,
    attributes: { VisibilityTimeout: BENCH_VISIBILITY_TIMEOUT_SECONDS, ...(kind === 'fifo' ? { FifoQueue: 'true' } : {}) },
  });
  engine.close();
  if (record === undefined) throw new Error('the engine emitted no queueCreated event');
  return record;
}

/**
 * Creates queue `name` (`.fifo` appended for FIFO) in the SQLite store at `dataDir` and fills it with `count`
 * visible messages: the bench bodies, FIFO groups `g-${i % 100}`, increasing keys and sequence numbers.
 * Throws whatever the store throws (e.g. the directory already holds that queue).
 */
export function seedBacklog(dataDir: string, name: string, kind: QueueKind, count: number): SeedResult {
  const queueName = kind === 'fifo' ? `${name}.fifo` : name;
  const started = performance.now();
  const store = openStore({ kind: 'sqlite', dataDir });
  try {
    store.apply([{ type: 'queueCreated', queue: queueRecord(queueName, kind) }]);
    const now = Date.now();
    // The engine's own sequence numbers are now × 10^7 + n; seeded ones stay below any it will hand out later.
    const sequenceBase = BigInt(now - 1_000) * 10_000_000n;
    for (let first = 0; first < count; first += MESSAGES_PER_APPLY) {
      const events: EngineEvent[] = [];
      for (let i = first; i < Math.min(first + MESSAGES_PER_APPLY, count); i++) {
        const j = i % BATCH_SIZE;
        const message: MessageRecord = {
          key: i + 1,
          queueName,
          messageId: randomUUID(),
          md5OfBody: BENCH_BODY_MD5S[j]!,
          senderId: SEED_SENDER_ID,
          sentAt: now,
          enqueuedAt: now,
          visibleAt: now,
          receiveCount: 0,
          body: BENCH_BODIES[j]!,
          messageAttributes: {},
        };
        if (kind === 'fifo') {
          message.messageGroupId = `g-${i % GROUP_COUNT}`;
          message.deduplicationId = `seed-${i}`;
          message.sequenceNumber = (sequenceBase + BigInt(i)).toString();
        }
        events.push({ type: 'messageSent', message });
      }
      store.apply(events);
    }
  } finally {
    store.close();
  }
  return { queueName, messages: count, wallMs: performance.now() - started };
}
