/**
 * @module runtime/log-store: the functions' CloudWatch-like logs (groups, streams, events) in SQLite
 * (`<dataDir>/logs.sqlite`, WAL) or in memory. Writes are buffered and committed in one transaction per tick, so a
 * busy function costs one insert batch, not one fsync per line.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** File name of the log database inside the data directory. */
export const LOG_FILE_NAME = 'logs.sqlite';

/** Buffered events are committed when this many are waiting, or at the next tick. */
const FLUSH_AT_EVENTS = 2_000;

/** What a writer hands in. */
export interface LogEventInput {
  readonly group: string;
  readonly stream: string;
  /** When the line was written, ms since the epoch. */
  readonly timestamp: number;
  /** The event text, exactly as CloudWatch would hold it (Text-format lines keep their trailing newline). */
  readonly message: string;
}

/** A stored event; `id` grows in insertion order. */
export interface LogEvent extends LogEventInput {
  readonly id: number;
  readonly ingestionTime: number;
}

/** Which events to read; every field narrows the result. */
export interface LogQuery {
  readonly group?: string;
  /** Any of these groups (e.g. the three functions of a stack). */
  readonly groups?: readonly string[];
  readonly stream?: string;
  /** Inclusive, ms since the epoch. */
  readonly sinceMs?: number;
  /** Exclusive, ms since the epoch. */
  readonly untilMs?: number;
  /** Case-sensitive substring of the message. */
  readonly filter?: string;
  /** Only events stored after this id (for paging and following). */
  readonly afterId?: number;
  readonly limit?: number;
}

/** A stream's summary. */
export interface LogStreamInfo {
  readonly group: string;
  readonly stream: string;
  readonly firstEventAt: number;
  readonly lastEventAt: number;
  readonly events: number;
}

/** Where the store keeps its data. */
export type LogStoreOptions = { readonly dataDir: string; readonly isReadOnly?: boolean } | { readonly inMemory: true };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log_events (
  id INTEGER PRIMARY KEY,
  log_group TEXT NOT NULL,
  log_stream TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  ingestion_time INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_events_by_group_time ON log_events (log_group, timestamp);
CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (log_group, log_stream, id);
`;

interface Row {
  id: number;
  log_group: string;
  log_stream: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

const toEvent = (row: Row): LogEvent => ({
  id: row.id,
  group: row.log_group,
  stream: row.log_stream,
  timestamp: row.timestamp,
  ingestionTime: row.ingestion_time,
  message: row.message,
});

/** The log store. One writer process; any number of read-only readers (`mqs logs` while `mqs start` runs). */
export class LogStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement | undefined;
  #pending: LogEventInput[] = [];
  #isFlushScheduled = false;
  readonly #listeners = new Set<() => void>();
  /** `<dataDir>/logs.sqlite`, or undefined in memory. */
  readonly path: string | undefined;

  /**
   * Opens (creating when writable) the store.
   * @throws better-sqlite3's SqliteError when the file cannot be opened (read-only: when it does not exist).
   */
  constructor(options: LogStoreOptions) {
    if ('inMemory' in options) {
      this.path = undefined;
      this.#db = new Database(':memory:');
    } else {
      this.path = join(options.dataDir, LOG_FILE_NAME);
      if (options.isReadOnly === true) {
        this.#db = new Database(this.path, { readonly: true, fileMustExist: true });
      } else {
        mkdirSync(options.dataDir, { recursive: true });
        this.#db = new Database(this.path);
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma('synchronous = NORMAL');
      }
    }
    const isReadOnly = 'dataDir' in options && options.isReadOnly === true;
    this.#db.pragma('busy_timeout = 5000');
    if (!isReadOnly) this.#db.exec(SCHEMA);
    this.#insert = isReadOnly
      ? undefined
      : this.#db.prepare('INSERT INTO log_events (log_group, log_stream, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)');
  }

  /** Queues events for writing (committed at the next tick). @throws TypeError on a read-only store. */
  append(events: readonly LogEventInput[]): void {
    if (this.#insert === undefined) throw new TypeError('the log store is open read-only');
    for (const event of events) this.#pending.push(event);
    if (this.#pending.length >= FLUSH_AT_EVENTS) this.flush();
    else if (!this.#isFlushScheduled && this.#pending.length > 0) {
      this.#isFlushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commits queued events now (reads flush first, so they always see every appended event). */
  flush(): void {
    this.#isFlushScheduled = false;
    const insert = this.#insert;
    if (this.#pending.length === 0 || insert === undefined || !this.#db.open) return;
    const events = this.#pending;
    this.#pending = [];
    const now = Date.now();
    this.#db.transaction(() => {
      for (const event of events) insert.run(event.group, event.stream, event.timestamp, now, event.message);
    })();
    for (const listener of this.#listeners) listener();
  }

  #where(query: LogQuery): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.group !== undefined) {
      clauses.push('log_group = ?');
      params.push(query.group);
    }
    if (query.groups !== undefined) {
      clauses.push(`log_group IN (${query.groups.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...query.groups);
    }
    if (query.stream !== undefined) {
      clauses.push('log_stream = ?');
      params.push(query.stream);
    }
    if (query.sinceMs !== undefined) {
      clauses.push('timestamp >= ?');
      params.push(query.sinceMs);
    }
    if (query.untilMs !== undefined) {
      clauses.push('timestamp < ?');
      params.push(query.untilMs);
    }
    if (query.filter !== undefined && query.filter !== '') {
      clauses.push('instr(message, ?) > 0');
      params.push(query.filter);
    }
    if (query.afterId !== undefined) {
      clauses.push('id > ?');
      params.push(query.afterId);
    }
    const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
    const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
    // Insertion order: within a stream it is write order, across streams close to time order.
    return { sql: `SELECT * FROM log_events ${where} ORDER BY id${limit}`, params };
  }

  /** Events matching the query, oldest first. */
  query(query: LogQuery = {}): LogEvent[] {
    this.flush();
    const { sql, params } = this.#where(query);
    return (this.#db.prepare(sql).all(...params) as Row[]).map(toEvent);
  }

  /** Like {@link query}, one row at a time (for whole-run scans such as `mqs verify`). */
  *iterate(query: LogQuery = {}): Generator<LogEvent> {
    this.flush();
    const { sql, params } = this.#where(query);
    for (const row of this.#db.prepare(sql).iterate(...params) as Iterable<Row>) yield toEvent(row);
  }

  /** Log groups that have events. */
  groups(): string[] {
    this.flush();
    return (this.#db.prepare('SELECT DISTINCT log_group FROM log_events ORDER BY log_group').pluck().all() as string[]);
  }

  /** The streams of a group, oldest first. */
  streams(group: string): LogStreamInfo[] {
    this.flush();
    const rows = this.#db
      .prepare(
        'SELECT log_stream AS stream, min(timestamp) AS firstEventAt, max(timestamp) AS lastEventAt, count(*) AS events ' +
          'FROM log_events WHERE log_group = ? GROUP BY log_stream ORDER BY min(id)',
      )
      .all(group) as Array<Omit<LogStreamInfo, 'group'>>;
    return rows.map((row) => ({ group, ...row }));
  }

  /**
   * Calls `listener` with each new batch of matching events, starting after the events that exist now (or after
   * `query.afterId`). It polls the database every `intervalMs`, so it also sees what another process writes; appends in
   * this process are delivered at once. Returns the function that stops following.
   */
  follow(query: LogQuery, listener: (events: LogEvent[]) => void, intervalMs = 250): () => void {
    let lastId = query.afterId ?? (this.#db.prepare('SELECT coalesce(max(id), 0) FROM log_events').pluck().get() as number);
    const poll = () => {
      if (!this.#db.open) return;
      const events = this.query({ ...query, afterId: lastId });
      const last = events.at(-1);
      if (last === undefined) return;
      lastId = last.id;
      listener(events);
    };
    const timer = setInterval(poll, intervalMs);
    timer.unref();
    this.#listeners.add(poll);
    return () => {
      clearInterval(timer);
      this.#listeners.delete(poll);
    };
  }

  /** Commits what is queued and closes the database. Idempotent. */
  close(): void {
    if (!this.#db.open) return;
    this.flush();
    this.#listeners.clear();
    this.#db.close();
  }
}
