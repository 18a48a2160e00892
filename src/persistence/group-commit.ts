/**
 * @module persistence/group-commit: one store transaction per event-loop turn instead of one per operation.
 *
 * The engine hands each operation's events to `apply`, which only queues them; the queue is committed in one
 * `store.apply` when the turn's I/O callbacks are done (`setImmediate`), or at once when it grows past
 * MAX_PENDING_EVENTS, when details are read, and on close. The HTTP edge answers a request only after
 * `whenCommitted()` settles, so an answered change is exactly as durable as before: what a client was told
 * survives a kill -9. Concurrent requests share a commit, and with it the b-tree pages they both touched (eight
 * FIFO consumers write the same leaf pages), which is most of what a transaction costs in WAL mode.
 */
import type { EngineEvent, MessageDetail, QueueStore, Snapshot } from '../engine/index.ts';

/** Commit at once past this many queued events, so a burst inside one turn cannot grow the queue without bound. */
const MAX_PENDING_EVENTS = 10_000;

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** A QueueStore that batches `apply` calls into one transaction per event-loop turn. */
export class GroupCommitStore implements QueueStore {
  readonly keepsPayloads: boolean;
  private pending: EngineEvent[] = [];
  private waiters: Waiter[] = [];
  private isScheduled = false;
  private commits = 0;
  private failure: unknown = undefined;
  private isFailed = false;

  /**
   * `onError` hears the failed commit (its waiters are rejected with the same error, and so is every later
   * `whenCommitted`: the store is failed for good).
   */
  constructor(
    private readonly store: QueueStore,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.keepsPayloads = store.keepsPayloads;
  }

  /**
   * Queues one operation's events; they commit with the rest of this turn's. After a failed commit nothing more is
   * written: memory and disk already disagree, and only a restart from what is on disk makes them one again.
   */
  apply(events: readonly EngineEvent[]): void {
    if (events.length === 0 || this.isFailed) return;
    for (const event of events) this.pending.push(event);
    if (this.pending.length >= MAX_PENDING_EVENTS) {
      this.flush();
      return;
    }
    if (!this.isScheduled) {
      this.isScheduled = true;
      setImmediate(() => {
        this.isScheduled = false;
        this.flush();
      });
    }
  }

  /**
   * Settles once every event queued so far is committed (rejects with the store's error when that commit
   * failed); `undefined` when nothing is queued, so callers with nothing to wait for do not wait a turn.
   */
  whenCommitted(): Promise<void> | undefined {
    if (this.isFailed) return Promise.reject(this.failure);
    if (this.pending.length === 0) return undefined;
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** How many transactions this store has committed (failed ones included). */
  get commitCount(): number {
    return this.commits;
  }

  /** Commits what is queued now, in one transaction, and settles the waiters. Never throws: see `onError`. */
  flush(): void {
    if (this.pending.length === 0) return;
    const events = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    this.commits++;
    try {
      this.store.apply(events);
    } catch (error) {
      this.isFailed = true;
      this.failure = error;
      this.onError(error);
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }

  /** Reads through the store after committing what is queued: a message sent this turn is only there after that. */
  loadDetails(keys: readonly number[]): Map<number, MessageDetail> {
    this.flush();
    return this.store.loadDetails(keys);
  }

  load(): Snapshot {
    this.flush();
    return this.store.load();
  }

  /** Commits what is queued (unless failed), then closes the store. */
  close(): void {
    if (!this.isFailed) this.flush();
    this.store.close();
  }
}
