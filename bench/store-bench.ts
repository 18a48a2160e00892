/**
 * @module bench/store-bench: what the SQLite store costs per message (apply, loadPayloads), how fast a 1M backlog
 * seeds, and the RSS after loading that backlog's metadata.
 *
 * Run: node --expose-gc --import tsx bench/store-bench.ts [--messages 100000] [--seed 1000000] [--skip-seed]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { EngineEvent, MessageRecord, QueueRecord } from '../src/engine/types.ts';
import { MemoryStore, SQLITE_FILE_NAME, SqliteStore } from '../src/persistence/index.ts';
import type { QueueStore } from '../src/engine/types.ts';

const T0 = Date.UTC(2026, 0, 1);
const BATCH = 10;

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1000000' },
    'skip-seed': { type: 'boolean', default: false },
    'load-rss': { type: 'string' },
  },
});

const queue = (name: string): QueueRecord => ({
  name,
  settings: {
    delaySeconds: 0,
    maximumMessageSize: 1_048_576,
    messageRetentionPeriod: 345_600,
    receiveMessageWaitTimeSeconds: 0,
    visibilityTimeout: 30,
    kmsDataKeyReusePeriodSeconds: 300,
    sqsManagedSseEnabled: true,
    isFifo: name.endsWith('.fifo'),
    contentBasedDeduplication: false,
    deduplicationScope: 'queue',
    fifoThroughputLimit: 'perQueue',
  },
  tags: {},
  createdAt: T0,
  lastModifiedAt: T0,
});

/** An order event like the producer's: ~200-byte JSON body, FIFO group/dedup/sequence, one attribute. */
function orderMessage(key: number, queueName: string): MessageRecord {
  const group = `order-${key % 100}`;
  return {
    key,
    queueName,
    messageId: `6f1e${key.toString(16).padStart(4, '0')}-1c2d-4e3f-8a9b-${key.toString(16).padStart(12, '0')}`,
    md5OfBody: 'e99a18c428cb38d5f260853678922e03',
    md5OfMessageAttributes: '3ae6d8b7f2a1c0e9d8b7a6f5e4d3c2b1',
    senderId: 'AIDAEXAMPLEEXAMPLE',
    sentAt: T0 + key,
    enqueuedAt: T0 + key,
    visibleAt: T0 + key,
    receiveCount: 0,
    messageGroupId: group,
    deduplicationId: `dedup-${key}`,
    sequenceNumber: (18851234567890123456n + BigInt(key)).toString(),
    body: JSON.stringify({
      orderId: group,
      sequence: key,
      type: 'OrderUpdated',
      at: new Date(T0 + key).toISOString(),
      payload: { sku: 'SKU-12345', quantity: 3, priceCents: 4599, note: 'leave at the door' },
    }),
    messageAttributes: { eventType: { dataType: 'String', stringValue: 'OrderUpdated' } },
  };
}

const cpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

interface Measure {
  cpuUs: number;
  wallUs: number;
}

function measure(fn: () => void): Measure {
  const cpu = cpuMicros();
  const wall = process.hrtime.bigint();
  fn();
  return { cpuUs: cpuMicros() - cpu, wallUs: Number(process.hrtime.bigint() - wall) / 1000 };
}

const fmt = (n: number): string => n.toFixed(2).padStart(8);

/** send batch of 10 (+ dedup) → receive updates of 10 → delete 10, for `count` messages. */
function lifecycle(store: QueueStore, count: number, firstKey: number): { send: Measure; receive: Measure; delete: Measure } {
  const totals = { send: { cpuUs: 0, wallUs: 0 }, receive: { cpuUs: 0, wallUs: 0 }, delete: { cpuUs: 0, wallUs: 0 } };
  const add = (into: Measure, m: Measure) => {
    into.cpuUs += m.cpuUs;
    into.wallUs += m.wallUs;
  };
  for (let base = firstKey; base < firstKey + count; base += BATCH) {
    const send: EngineEvent[] = [];
    const receive: EngineEvent[] = [];
    const remove: EngineEvent[] = [];
    for (let key = base; key < base + BATCH; key++) {
      const message = orderMessage(key, 'orders.fifo');
      send.push({ type: 'messageSent', message });
      send.push({
        type: 'dedupRecorded',
        record: { queueName: 'orders.fifo', dedupKey: message.deduplicationId as string, messageId: message.messageId, sequenceNumber: message.sequenceNumber as string, expiresAt: message.sentAt + 300_000 },
      });
      receive.push({ type: 'messageUpdated', key, visibleAt: message.sentAt + 30_000, receiveCount: 1, firstReceiveAt: message.sentAt + 5 });
      remove.push({ type: 'messageDeleted', key });
    }
    add(totals.send, measure(() => store.apply(send)));
    add(totals.receive, measure(() => store.apply(receive)));
    add(totals.delete, measure(() => store.apply(remove)));
  }
  return totals;
}

function report(label: string, count: number, t: ReturnType<typeof lifecycle>): void {
  const per = (m: Measure) => `${fmt(m.cpuUs / count)} cpu ${fmt(m.wallUs / count)} wall`;
  const total = { cpuUs: t.send.cpuUs + t.receive.cpuUs + t.delete.cpuUs, wallUs: t.send.wallUs + t.receive.wallUs + t.delete.wallUs };
  console.log(`${label.padEnd(34)} µs/message  send ${per(t.send)} | receive ${per(t.receive)} | delete ${per(t.delete)} | total ${per(total)}`);
}

function benchLifecycle(count: number): void {
  console.log(`\n== apply(): FIFO lifecycle, ${count} messages, batches of ${BATCH} (send+dedup, receive, delete) ==`);
  {
    const store = new MemoryStore();
    store.apply([{ type: 'queueCreated', queue: queue('orders.fifo') }]);
    lifecycle(store, 10_000, 1_000_000_000); // warm-up
    report('memory', count, lifecycle(store, count, 1));
  }
  for (const sync of ['normal', 'full'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mqs-bench-'));
    const store = new SqliteStore({ dataDir, sync });
    store.apply([{ type: 'queueCreated', queue: queue('orders.fifo') }]);
    lifecycle(store, sync === 'full' ? 1_000 : 10_000, 1_000_000_000); // warm-up
    // A backlog of 100k other messages so the b-trees are not trivially small.
    seed(store, 100_000, 2_000_000_000, 1_000);
    const n = sync === 'full' ? Math.min(count, 10_000) : count;
    report(`sqlite synchronous=${sync.toUpperCase()}`, n, lifecycle(store, n, 1));
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function seed(store: QueueStore, count: number, firstKey: number, perApply: number): void {
  for (let base = firstKey; base < firstKey + count; base += perApply) {
    const events: EngineEvent[] = [];
    for (let key = base; key < Math.min(base + perApply, firstKey + count); key++) {
      events.push({ type: 'messageSent', message: orderMessage(key, 'backlog.fifo') });
    }
    store.apply(events);
  }
}

function benchLoadPayloads(): void {
  console.log('\n== loadPayloads(10 keys) over a 200k-message table ==');
  const dataDir = mkdtempSync(join(tmpdir(), 'mqs-bench-'));
  const store = new SqliteStore({ dataDir });
  seed(store, 200_000, 1, 1_000);
  const rounds = 20_000;
  const keysFor = (i: number) => Array.from({ length: 10 }, (_, j) => 1 + ((i * 7919 + j * 13) % 200_000));
  const run = (label: string, fn: (keys: number[]) => unknown) => {
    for (let i = 0; i < 2_000; i++) fn(keysFor(i)); // warm-up
    const m = measure(() => {
      for (let i = 0; i < rounds; i++) fn(keysFor(i));
    });
    console.log(`${label.padEnd(44)} ${fmt(m.cpuUs / rounds)} µs cpu per call, ${fmt(m.cpuUs / rounds / 10)} µs per message`);
  };
  run('store.loadPayloads (fixed-arity IN (?×10))', (keys) => store.loadPayloads(keys));
  // The alternative, measured on a second connection to the same file with the same decoding work.
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  const jsonEach = db.prepare('SELECT key, body, attributes FROM messages WHERE key IN (SELECT value FROM json_each(?))').raw();
  const fixed = db.prepare(`SELECT key, body, attributes FROM messages WHERE key IN (${new Array(10).fill('?').join(',')})`).raw();
  const decode = (rows: unknown[][]) => {
    const out = new Map<number, unknown>();
    for (const row of rows) out.set(row[0] as number, { body: row[1], messageAttributes: row[2] === null ? {} : JSON.parse(row[2] as string) });
    return out;
  };
  run('raw fixed-arity IN (?×10), second connection', (keys) => decode(fixed.all(...keys) as unknown[][]));
  run('raw json_each(?), second connection', (keys) => decode(jsonEach.all(JSON.stringify(keys)) as unknown[][]));
  db.close();
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
}

function benchSeedAndLoad(count: number): void {
  console.log(`\n== seeding ${count} messages through apply(), 1,000 messageSent per apply ==`);
  const dataDir = mkdtempSync(join(tmpdir(), 'mqs-bench-'));
  const store = new SqliteStore({ dataDir });
  store.apply([{ type: 'queueCreated', queue: queue('backlog.fifo') }]);
  const m = measure(() => seed(store, count, 1, 1_000));
  console.log(`seed: ${(m.wallUs / 1e6).toFixed(1)} s wall, ${(m.cpuUs / 1e6).toFixed(1)} s cpu, ${fmt(m.wallUs / count)} µs/message wall`);
  store.close();
  console.log(`database file: ${(statSync(join(dataDir, SQLITE_FILE_NAME)).size / 2 ** 20).toFixed(0)} MiB`);
  // RSS in a fresh process, so nothing of the seeding counts.
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, '--load-rss', dataDir], {
    encoding: 'utf8',
  });
  process.stdout.write(out);
  rmSync(dataDir, { recursive: true, force: true });
}

function loadRss(dataDir: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const store = new SqliteStore({ dataDir });
  let snapshot: ReturnType<SqliteStore['load']> = { queues: [], messages: [], dedup: [], moveTasks: [] };
  const t = measure(() => {
    snapshot = store.load();
  });
  gc?.();
  const after = process.memoryUsage();
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
  console.log(
    `load(): ${snapshot.messages.length} metas in ${(t.wallUs / 1e6).toFixed(2)} s; RSS ${mb(before.rss)} before → ${mb(after.rss)} after ` +
      `(heapUsed ${mb(after.heapUsed)}, ${((after.heapUsed - before.heapUsed) / snapshot.messages.length).toFixed(0)} B/message)`,
  );
  store.close();
}

if (args['load-rss'] !== undefined) {
  loadRss(args['load-rss']);
} else {
  benchLifecycle(Number(args.messages));
  benchLoadPayloads();
  if (!args['skip-seed']) benchSeedAndLoad(Number(args.seed));
}
