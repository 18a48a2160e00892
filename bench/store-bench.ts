/**
 * @module bench/store-bench: what the SQLite store costs per message (apply, loadDetails), how fast a 1M backlog
 * seeds, and the RSS after loading that backlog's metadata.
 *
 * Run: node --expose-gc --import tsx bench/store-bench.ts [--messages 30000] [--seed 1000000] [--skip-seed]
 * CPU µs are process CPU time (user + system) per message; wall µs include waiting for the disk.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { EngineEvent, MessageRecord, QueueRecord, QueueStore } from '../src/engine/index.ts';
import { Engine, ManualClock } from '../src/engine/index.ts';
import { MemoryStore, SQLITE_FILE_NAME, SqliteStore } from '../src/persistence/index.ts';

const T0 = Date.UTC(2026, 0, 1);
const BATCH = 10;

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '30000' },
    seed: { type: 'string', default: '1000000' },
    'skip-seed': { type: 'boolean', default: false },
    'load-rss': { type: 'string' },
    'engine-rss': { type: 'string' },
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
  const rounds = 3;
  console.log(`\n== apply(): FIFO lifecycle, best of ${rounds} rounds of ${count} messages, batches of ${BATCH} (send+dedup, receive, delete) ==`);
  const best = (runs: Array<ReturnType<typeof lifecycle>>) =>
    runs.reduce((a, b) => (a.send.cpuUs + a.receive.cpuUs + a.delete.cpuUs <= b.send.cpuUs + b.receive.cpuUs + b.delete.cpuUs ? a : b));
  {
    const store = new MemoryStore();
    store.apply([{ type: 'queueCreated', queue: queue('orders.fifo') }]);
    lifecycle(store, 10_000, 1_000_000_000); // warm-up
    report('memory', count, best(Array.from({ length: rounds }, (_, r) => lifecycle(store, count, 1 + r * count))));
  }
  for (const sync of ['normal', 'full'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mqs-bench-'));
    const store = new SqliteStore({ dataDir, sync });
    store.apply([{ type: 'queueCreated', queue: queue('orders.fifo') }]);
    lifecycle(store, sync === 'full' ? 1_000 : 10_000, 1_000_000_000); // warm-up
    // A backlog of 100k other messages so the b-trees are not trivially small.
    seed(store, 100_000, 2_000_000_000, 1_000);
    const n = sync === 'full' ? Math.min(count, 5_000) : count;
    report(`sqlite synchronous=${sync.toUpperCase()}`, n, best(Array.from({ length: rounds }, (_, r) => lifecycle(store, n, 1 + r * n))));
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
  console.log('\n== loadDetails(10 keys) over a 200k-message table (min of 5 interleaved runs of 10,000 calls) ==');
  const dataDir = mkdtempSync(join(tmpdir(), 'mqs-bench-'));
  const seeding = new SqliteStore({ dataDir });
  seed(seeding, 200_000, 1, 1_000);
  seeding.close();
  const calls = 10_000;
  // FIFO consumers read the oldest messages: consecutive keys. Random keys show the cold-page cost.
  const patterns = {
    consecutive: (i: number) => Array.from({ length: 10 }, (_, j) => 1 + ((i * 10 + j) % 200_000)),
    random: (i: number) => Array.from({ length: 10 }, (_, j) => 1 + ((i * 7919 + j * 104_729) % 200_000)),
  };
  const best = new Map<string, number>();
  const run = (label: string, fn: (keys: number[]) => unknown, keysFor: (i: number) => number[]) => {
    const keys = Array.from({ length: calls }, (_, i) => keysFor(i));
    const m = measure(() => {
      for (const k of keys) fn(k);
    });
    best.set(label, Math.min(best.get(label) ?? Infinity, m.cpuUs / calls));
  };
  // The statement shapes alone, on a plain connection opened like the store's.
  const db = new Database(join(dataDir, SQLITE_FILE_NAME));
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  const jsonEach = db.prepare('SELECT key, body, attributes FROM messages WHERE key IN (SELECT value FROM json_each(?))').raw();
  const fixed = db.prepare(`SELECT key, body, attributes FROM messages WHERE key IN (${new Array(10).fill('?').join(',')})`).raw();
  for (let round = 0; round < 5; round++) {
    for (const [name, keysFor] of Object.entries(patterns)) {
      run(`statement fixed-arity IN (?×10), ${name} keys`, (keys) => fixed.all(...keys), keysFor);
      run(`statement json_each(?), ${name} keys`, (keys) => jsonEach.all(JSON.stringify(keys)), keysFor);
    }
  }
  db.close();
  const store = new SqliteStore({ dataDir });
  for (let round = 0; round < 5; round++) {
    for (const [name, keysFor] of Object.entries(patterns)) run(`store.loadDetails (decoded), ${name} keys`, (keys) => store.loadDetails(keys), keysFor);
  }
  store.close();
  for (const [label, us] of best) console.log(`${label.padEnd(50)} ${fmt(us)} µs cpu per call, ${fmt(us / 10)} µs per message`);
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
  for (const mode of ['--load-rss', '--engine-rss']) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, mode, dataDir], {
      encoding: 'utf8',
    });
    process.stdout.write(out);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function loadRss(dataDir: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const store = new SqliteStore({ dataDir });
  // load() streams the messages' cores: hold them all here to see what a whole backlog costs in memory.
  let cores: unknown[] = [];
  const t = measure(() => {
    cores = [...store.load().messages];
  });
  gc?.();
  const after = process.memoryUsage();
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
  console.log(
    `load(): ${cores.length} message cores in ${(t.wallUs / 1e6).toFixed(2)} s; RSS ${mb(before.rss)} before → ${mb(after.rss)} after ` +
      `(heapUsed ${mb(after.heapUsed)}, ${((after.heapUsed - before.heapUsed) / cores.length).toFixed(0)} B/message)`,
  );
  store.close();
}

/** The whole engine restored from the backlog, snapshot dropped: what a server would hold at rest. */
function engineRss(dataDir: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const store = new SqliteStore({ dataDir });
  // A clock just after the seeded send times, so every message is visible and none has expired.
  const engine = new Engine({ clock: new ManualClock(T0 + 3_600_000), payloads: store });
  const t = measure(() => engine.restore(store.load()));
  gc?.();
  const after = process.memoryUsage();
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
  const counts = engine.getQueueAttributes('backlog.fifo', ['ApproximateNumberOfMessages']);
  console.log(
    `engine.restore(store.load()): ${counts['ApproximateNumberOfMessages']} messages in ${(t.wallUs / 1e6).toFixed(2)} s; ` +
      `RSS after, snapshot garbage-collected: ${mb(after.rss)} (heapUsed ${mb(after.heapUsed)})`,
  );
  engine.close();
  store.close();
}

if (args['engine-rss'] !== undefined) {
  engineRss(args['engine-rss']);
} else if (args['load-rss'] !== undefined) {
  loadRss(args['load-rss']);
} else {
  benchLifecycle(Number(args.messages));
  benchLoadPayloads();
  if (!args['skip-seed']) benchSeedAndLoad(Number(args.seed));
}
