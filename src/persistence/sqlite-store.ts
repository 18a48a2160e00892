/** @module persistence/sqlite-store: the durable QueueStore, one SQLite file in WAL mode through better-sqlite3. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type {
  DedupRecord,
  EngineEvent,
  MessageCore,
  MessageDetail,
  MessageMeta,
  MessagePayload,
  MoveTaskRecord,
  QueueRecord,
  QueueStore,
  Snapshot,
} from '../engine/index.ts';
import { decodeAttributes, encodeAttributes } from './attribute-codec.ts';
import { dedupPruneCutoff } from './dedup-prune.ts';
import { STORE_ERROR_KINDS, StoreError } from './store-error.ts';

/** The file inside the data directory. */
export const SQLITE_FILE_NAME = 'mqs.sqlite';
/** `PRAGMA user_version` after schema.sql and every file of MIGRATIONS. */
export const SCHEMA_VERSION = 3;
/** What brings a database from version n - 1 to n, by n (schema.sql is version 1). */
const MIGRATIONS: ReadonlyArray<readonly [version: number, file: string]> = [
  [2, 'schema-2.sql'],
  [3, 'schema-3.sql'],
];

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/**
 * 8 KiB pages: a batch of 10 typical messages (~500-byte rows) fits in one or two leaf pages, with fewer
 * splits; measured ~30% less CPU per message than the default 4 KiB (16 KiB and up cost more again).
 */
const PAGE_SIZE_BYTES = 8192;
/** Caps the WAL file after a checkpoint (bytes), so a burst does not leave a huge file behind. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/** Page cache in KiB (negative pragma value): holds the hot tail of the b-trees; it counts in RSS, so it stays small. */
const CACHE_SIZE_KIB = 8 * 1024;
/** Prune expired dedup rows once per this many dedupRecorded events. */
const DEDUP_PRUNE_EVERY = 64;
/** loadPayloads uses one statement per key count up to this; larger requests go in chunks. */
const MAX_KEYS_PER_STATEMENT = 10;
/**
 * Fold the receive and delete logs into `messages` once this many rows were appended to them: about 3 ms of work
 * each time; larger folds measured no cheaper per message (schema-2.sql says why the logs exist).
 */
const COMPACT_EVERY_LOG_ROWS = 1024;

export interface SqliteStoreOptions {
  /** Directory of the database file; created (with parents) when missing. */
  dataDir: string;
  /**
   * `normal` (default): a batch whose apply() returned survives a crash of the process (kill -9); the
   * last batches before an OS crash or power loss may be lost. `full`: fsync on every commit, so they
   * survive power loss too, at a higher cost per apply().
   */
  sync?: 'normal' | 'full';
  /** How long opening waits for another process to release the file (default 5000 ms). */
  busyTimeoutMs?: number;
}

type Row = unknown[];

const MESSAGE_META_COLUMNS =
  'key, queue_name, message_id, md5_of_body, md5_of_attributes, trace_header, sender_id, sent_at, enqueued_at, ' +
  'visible_at, receive_count, first_receive_at, group_id, dedup_id, sequence_number, dlq_source_arn';
/** What load() reads of each message: the engine's in-memory part (MessageCore). */
const MESSAGE_CORE_COLUMNS = 'key, queue_name, visible_at, enqueued_at, receive_count, first_receive_at, group_id, sequence_number';
/** What loadDetails() reads: the rest, with body and attributes. */
const MESSAGE_DETAIL_COLUMNS =
  'key, message_id, md5_of_body, md5_of_attributes, trace_header, sender_id, sent_at, group_id, dedup_id, sequence_number, ' +
  'dlq_source_arn, body, attributes';

/**
 * Keeps queues, messages, dedup records and move tasks in `<dataDir>/mqs.sqlite`. Bodies stay on disk:
 * `keepsPayloads` is false and the engine asks `loadDetails` for them on receive, so a large backlog costs
 * memory only for its metadata. Every statement is prepared once in the constructor.
 */
export class SqliteStore implements QueueStore {
  readonly keepsPayloads = false;
  /** The database file's path. */
  readonly path: string;
  private readonly db: Database.Database;
  private isClosed = false;
  private dedupSincePrune = 0;
  private logRowsSinceCompaction = 0;
  private readonly compactInTransaction: () => void;
  private readonly applyInTransaction: (events: readonly EngineEvent[]) => void;
  private readonly payloadStatements: Array<Database.Statement<number[], Row> | undefined> = [];
  private readonly stmt: {
    upsertQueue: Database.Statement;
    deleteQueue: Database.Statement;
    deleteQueueMessages: Database.Statement;
    deleteQueueDedup: Database.Statement;
    insertMessage: Database.Statement;
    moveMessage: Database.Statement;
    appendReceipt: Database.Statement;
    appendTombstone: Database.Statement;
    foldTombstones: Database.Statement;
    foldReceipts: Database.Statement;
    clearReceipts: Database.Statement;
    clearTombstones: Database.Statement;
    raiseKeyHighWater: Database.Statement;
    selectNextKey: Database.Statement<[], number>;
    appendDedup: Database.Statement;
    pruneDedup: Database.Statement;
    upsertMoveTask: Database.Statement;
    selectQueues: Database.Statement<[], Row>;
    selectMessages: Database.Statement<[], Row>;
    selectDedup: Database.Statement<[], Row>;
    selectMoveTasks: Database.Statement<[], Row>;
  };

  /**
   * Opens (creating if needed) the database and applies the schema to a new one, then holds it exclusively
   * until `close()`. Throws when the directory cannot be created, another process still holds the file after
   * busyTimeoutMs, the file is not an mqs database, or its schema is newer than this code
   * (`user_version` > SCHEMA_VERSION).
   */
  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, SQLITE_FILE_NAME);
    const db = new Database(this.path);
    this.db = db;
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      // One process owns the file: no shared-memory WAL index and no lock round trips per transaction
      // (measured ~5 µs less per message), and a second server on the same data directory fails at start
      // instead of silently diverging from the first. Must precede the switch to WAL.
      db.pragma('locking_mode = EXCLUSIVE');
      // Takes effect only on a new file, and only before the switch to WAL.
      db.pragma(`page_size = ${PAGE_SIZE_BYTES}`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
      db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
      db.pragma('temp_store = MEMORY');
      migrate(db);
    } catch (error) {
      db.close();
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_BUSY') {
        throw new Error(`${this.path} is in use by another process (is another mqs server using this data directory?)`, { cause: error });
      }
      throw error;
    }

    this.stmt = {
      upsertQueue: db.prepare(
        'INSERT INTO queues (name, settings, tags, created_at, last_modified_at, last_purged_at) VALUES (?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (name) DO UPDATE SET settings = excluded.settings, tags = excluded.tags, created_at = excluded.created_at, ' +
          'last_modified_at = excluded.last_modified_at, last_purged_at = excluded.last_purged_at',
      ),
      deleteQueue: db.prepare('DELETE FROM queues WHERE name = ?'),
      deleteQueueMessages: db.prepare('DELETE FROM messages WHERE queue_name = ?'),
      deleteQueueDedup: db.prepare('DELETE FROM dedup WHERE queue_name = ?'),
      insertMessage: db.prepare(
        `INSERT INTO messages (${MESSAGE_META_COLUMNS}, body, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      appendReceipt: db.prepare('INSERT INTO receipts (key, visible_at, receive_count, first_receive_at) VALUES (?, ?, ?, ?)'),
      appendTombstone: db.prepare('INSERT OR IGNORE INTO tombstones (key) VALUES (?)'),
      foldTombstones: db.prepare('DELETE FROM messages WHERE key IN (SELECT key FROM tombstones)'),
      // Runs after foldTombstones, so only live messages are written; SQLite's bare-column rule makes the other
      // columns come from the row of max(seq), i.e. each key's latest state.
      foldReceipts: db.prepare(
        'UPDATE messages SET visible_at = r.visible_at, receive_count = r.receive_count, first_receive_at = r.first_receive_at ' +
          'FROM (SELECT key, visible_at, receive_count, first_receive_at, max(seq) FROM receipts GROUP BY key) AS r WHERE messages.key = r.key',
      ),
      clearReceipts: db.prepare('DELETE FROM receipts'),
      // Before message rows are deleted: the largest key among them may be the largest ever (schema-3.sql).
      raiseKeyHighWater: db.prepare('UPDATE key_high_water SET next_key = max(next_key, (SELECT coalesce(max(key), 0) + 1 FROM messages))'),
      selectNextKey: db.prepare<[], number>('SELECT max(next_key, (SELECT coalesce(max(key), 0) + 1 FROM messages)) FROM key_high_water').pluck(),
      clearTombstones: db.prepare('DELETE FROM tombstones'),
      moveMessage: db.prepare(
        'UPDATE messages SET key = ?, queue_name = ?, message_id = ?, md5_of_body = ?, md5_of_attributes = ?, trace_header = ?, ' +
          'sender_id = ?, sent_at = ?, enqueued_at = ?, visible_at = ?, receive_count = ?, first_receive_at = ?, group_id = ?, ' +
          'dedup_id = ?, sequence_number = ?, dlq_source_arn = ? WHERE key = ?',
      ),
      appendDedup: db.prepare('INSERT INTO dedup (queue_name, dedup_key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)'),
      // Deletes the prefix (in recording order) before the first row still alive at the cutoff: reads only
      // what it deletes plus one row.
      pruneDedup: db.prepare('DELETE FROM dedup WHERE seq < (SELECT seq FROM dedup WHERE expires_at >= ? ORDER BY seq LIMIT 1)'),
      upsertMoveTask: db.prepare(
        'INSERT INTO move_tasks (task_handle, started_at, task) VALUES (?, ?, ?) ' +
          'ON CONFLICT (task_handle) DO UPDATE SET started_at = excluded.started_at, task = excluded.task',
      ),
      selectQueues: db
        .prepare<[], Row>('SELECT name, settings, tags, created_at, last_modified_at, last_purged_at FROM queues ORDER BY name')
        .raw(),
      selectMessages: db.prepare<[], Row>(`SELECT ${MESSAGE_CORE_COLUMNS} FROM messages ORDER BY key`).raw(),
      selectDedup: db
        .prepare<[], Row>('SELECT queue_name, dedup_key, message_id, sequence_number, expires_at FROM dedup ORDER BY seq')
        .raw(),
      selectMoveTasks: db.prepare<[], Row>('SELECT task FROM move_tasks ORDER BY started_at, task_handle').raw(),
    };
    for (let count = 1; count <= MAX_KEYS_PER_STATEMENT; count++) {
      const placeholders = new Array<string>(count).fill('?').join(', ');
      this.payloadStatements[count] = db
        .prepare<number[], Row>(
          `SELECT ${MESSAGE_DETAIL_COLUMNS} FROM messages WHERE key IN (${placeholders}) AND key NOT IN (SELECT key FROM tombstones)`,
        )
        .raw();
    }
    this.applyInTransaction = db.transaction((events: readonly EngineEvent[]) => {
      for (const event of events) this.applyOne(event);
      if (this.logRowsSinceCompaction >= COMPACT_EVERY_LOG_ROWS) this.compact();
    });
    this.compactInTransaction = db.transaction(() => this.compact());
  }

  /**
   * Applies one operation's events in one transaction: all of them or, when one fails, none.
   * Throws StoreError (DuplicateKey, MissingKey) when an event contradicts the stored state, and
   * better-sqlite3's SqliteError on I/O failure (disk full, busy past busy_timeout).
   */
  apply(events: readonly EngineEvent[]): void {
    if (events.length === 0) return;
    const dedupSincePrune = this.dedupSincePrune;
    const logRowsSinceCompaction = this.logRowsSinceCompaction;
    try {
      this.applyInTransaction(events);
    } catch (error) {
      this.dedupSincePrune = dedupSincePrune;
      this.logRowsSinceCompaction = logRowsSinceCompaction;
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new StoreError(STORE_ERROR_KINDS.DUPLICATE_KEY, `A message with that key already exists: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  private applyOne(event: EngineEvent): void {
    const s = this.stmt;
    switch (event.type) {
      case 'queueCreated':
      case 'queueUpdated': {
        const q = event.queue;
        s.upsertQueue.run(q.name, JSON.stringify(q.settings), JSON.stringify(q.tags), q.createdAt, q.lastModifiedAt, q.lastPurgedAt ?? null);
        return;
      }
      case 'queueDeleted':
        s.raiseKeyHighWater.run();
        s.deleteQueueMessages.run(event.queueName);
        s.deleteQueueDedup.run(event.queueName);
        s.deleteQueue.run(event.queueName);
        return;
      case 'queuePurged':
        s.raiseKeyHighWater.run();
        s.deleteQueueMessages.run(event.queueName);
        return;
      case 'messageSent': {
        const m = event.message;
        s.insertMessage.run(
          m.key,
          m.queueName,
          m.messageId,
          m.md5OfBody,
          m.md5OfMessageAttributes ?? null,
          m.awsTraceHeader ?? null,
          m.senderId,
          m.sentAt,
          m.enqueuedAt,
          m.visibleAt,
          m.receiveCount,
          m.firstReceiveAt ?? null,
          m.messageGroupId ?? null,
          m.deduplicationId ?? null,
          m.sequenceNumber ?? null,
          m.deadLetterSourceArn ?? null,
          m.body,
          encodeAttributes(m.messageAttributes),
        );
        return;
      }
      case 'messageUpdated':
        s.appendReceipt.run(event.key, event.visibleAt, event.receiveCount, event.firstReceiveAt ?? null);
        this.logRowsSinceCompaction++;
        return;
      case 'messageDeleted':
        s.appendTombstone.run(event.key);
        this.logRowsSinceCompaction++;
        return;
      case 'messageMoved': {
        const m = event.message;
        const info = s.moveMessage.run(
          m.key,
          m.queueName,
          m.messageId,
          m.md5OfBody,
          m.md5OfMessageAttributes ?? null,
          m.awsTraceHeader ?? null,
          m.senderId,
          m.sentAt,
          m.enqueuedAt,
          m.visibleAt,
          m.receiveCount,
          m.firstReceiveAt ?? null,
          m.messageGroupId ?? null,
          m.deduplicationId ?? null,
          m.sequenceNumber ?? null,
          m.deadLetterSourceArn ?? null,
          event.oldKey,
        );
        if (info.changes === 0) {
          throw new StoreError(STORE_ERROR_KINDS.MISSING_KEY, `messageMoved: no message with key ${event.oldKey}`);
        }
        return;
      }
      case 'dedupRecorded': {
        const d = event.record;
        s.appendDedup.run(d.queueName, d.dedupKey, d.messageId, d.sequenceNumber ?? null, d.expiresAt);
        if (++this.dedupSincePrune >= DEDUP_PRUNE_EVERY) {
          this.dedupSincePrune = 0;
          s.pruneDedup.run(dedupPruneCutoff(d.expiresAt));
        }
        return;
      }
      case 'moveTaskSaved':
        s.upsertMoveTask.run(event.task.taskHandle, event.task.startedAt, JSON.stringify(event.task));
        return;
      default: {
        const unknown: never = event;
        throw new Error(`Unknown engine event ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Reads everything back for the engine: messages in key order with metadata only (no body, no attributes:
   * `loadPayloads` serves those). Rows are streamed, and repeated strings (queue names, sender ids, group ids)
   * are shared, to keep a large backlog's snapshot small.
   */
  load(): Snapshot {
    const s = this.stmt;
    // Rows as the engine must see them, and no key of a deleted message left for it to hand out again.
    this.compactInTransaction();
    const queues: QueueRecord[] = [];
    for (const row of s.selectQueues.iterate()) {
      const [name, settings, tags, createdAt, lastModifiedAt, lastPurgedAt] = row;
      const queue: QueueRecord = {
        name: name as string,
        settings: JSON.parse(settings as string) as QueueRecord['settings'],
        tags: JSON.parse(tags as string) as QueueRecord['tags'],
        createdAt: createdAt as number,
        lastModifiedAt: lastModifiedAt as number,
      };
      if (lastPurgedAt !== null) queue.lastPurgedAt = lastPurgedAt as number;
      queues.push(queue);
    }

    const interned = new Map<string, string>();
    const intern = (value: string): string => {
      const known = interned.get(value);
      if (known !== undefined) return known;
      // Bound the table: ids that never repeat (unique group ids) must not grow it without limit.
      if (interned.size < 100_000) interned.set(value, value);
      return value;
    };
    // Streamed: the engine builds its own compact message while the row is read, so a large backlog is
    // never held twice. Nothing else may use the connection until the engine has read them all.
    const selectMessages = s.selectMessages;
    const messages: Iterable<MessageCore> = {
      *[Symbol.iterator]() {
        for (const row of selectMessages.iterate()) yield coreFromRow(row, intern);
      },
    };

    // Later rows of the same (queue, dedupKey) replace earlier ones: the table is append-only.
    const dedup = new Map<string, DedupRecord>();
    for (const row of s.selectDedup.iterate()) {
      const [queueName, dedupKey, messageId, sequenceNumber, expiresAt] = row;
      const record: DedupRecord = {
        queueName: intern(queueName as string),
        dedupKey: dedupKey as string,
        messageId: messageId as string,
        expiresAt: expiresAt as number,
      };
      if (sequenceNumber !== null) record.sequenceNumber = sequenceNumber as string;
      const id = `${record.queueName}\u0000${record.dedupKey}`;
      dedup.delete(id);
      dedup.set(id, record);
    }

    const moveTasks: MoveTaskRecord[] = [];
    for (const row of s.selectMoveTasks.iterate()) moveTasks.push(JSON.parse(row[0] as string) as MoveTaskRecord);

    // The engine also takes every loaded key + 1, so a missing row (never written by this code) cannot lower it.
    const nextKey = s.selectNextKey.get() ?? 1;
    return { queues, messages, dedup: [...dedup.values()], moveTasks, nextKey };
  }

  /**
   * Reads what the engine does not keep in memory of the given keys: ids, digests, timestamps, body and
   * attributes (one statement per call for up to 10 keys, one per 10 beyond). Unknown keys are absent.
   */
  loadDetails(keys: readonly number[]): Map<number, MessageDetail> {
    const details = new Map<number, MessageDetail>();
    for (let start = 0; start < keys.length; start += MAX_KEYS_PER_STATEMENT) {
      const chunk = start === 0 && keys.length <= MAX_KEYS_PER_STATEMENT ? keys : keys.slice(start, start + MAX_KEYS_PER_STATEMENT);
      for (const row of this.payloadStatement(chunk.length).all(...chunk)) details.set(row[0] as number, detailFromRow(row));
    }
    return details;
  }

  // A fixed-arity `key IN (?, ?, …)` per key count, all prepared in the constructor. bench/store-bench.ts
  // measured it level with `key IN (SELECT value FROM json_each(?))` on random keys and ~10% faster on the
  // consecutive keys a FIFO consumer reads, without a JSON.stringify per call.
  private payloadStatement(count: number): Database.Statement<number[], Row> {
    return this.payloadStatements[count] as Database.Statement<number[], Row>;
  }

  /** Folds the receive and delete logs into `messages` (inside the caller's transaction). */
  private compact(): void {
    const s = this.stmt;
    s.raiseKeyHighWater.run();
    s.foldTombstones.run();
    s.foldReceipts.run();
    s.clearReceipts.run();
    s.clearTombstones.run();
    this.logRowsSinceCompaction = 0;
  }

  /** Checkpoints the WAL into the main file and closes the database. Safe to call twice. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}

function coreFromRow(row: Row, intern: (value: string) => string): MessageCore {
  const core: MessageCore = {
    key: row[0] as number,
    queueName: intern(row[1] as string),
    visibleAt: row[2] as number,
    enqueuedAt: row[3] as number,
    receiveCount: row[4] as number,
  };
  if (row[5] !== null) core.firstReceiveAt = row[5] as number;
  if (row[6] !== null) core.messageGroupId = intern(row[6] as string);
  if (row[7] !== null) core.sequenceNumber = row[7] as string;
  return core;
}

function detailFromRow(row: Row): MessageDetail {
  const detail: MessageDetail = {
    messageId: row[1] as string,
    md5OfBody: row[2] as string,
    senderId: row[5] as string,
    sentAt: row[6] as number,
    body: row[11] as string,
    messageAttributes: decodeAttributes(row[12] as string | null),
  };
  if (row[3] !== null) detail.md5OfMessageAttributes = row[3] as string;
  if (row[4] !== null) detail.awsTraceHeader = row[4] as string;
  if (row[7] !== null) detail.messageGroupId = row[7] as string;
  if (row[8] !== null) detail.deduplicationId = row[8] as string;
  if (row[9] !== null) detail.sequenceNumber = row[9] as string;
  if (row[10] !== null) detail.deadLetterSourceArn = row[10] as string;
  return detail;
}

/** Brings a database to SCHEMA_VERSION (a new one from schema.sql up), or throws when it is foreign or newer than this code. */
function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new Error(`${db.name} has schema version ${version}, newer than this mqs (${SCHEMA_VERSION}); upgrade mqs to open it`);
  }
  if (version === 0) {
    const tableCount = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number;
    if (tableCount !== 0) throw new Error(`${db.name} is not an mqs database (user_version 0 but not empty)`);
  }
  const sql = (file: string) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
  db.transaction(() => {
    if (version === 0) db.exec(sql('schema.sql'));
    for (const [to, file] of MIGRATIONS) if (to > Math.max(version, 1)) db.exec(sql(file));
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
