/** @module persistence/memory-store: the QueueStore that keeps everything in process memory (reference store for the contract, tests, embedding). */
import type {
  DedupRecord,
  EngineEvent,
  MessageDetail,
  MessageMeta,
  MessagePayload,
  MessageRecord,
  MoveTaskRecord,
  QueueRecord,
  QueueStore,
  Snapshot,
} from '../engine/index.ts';
import { dedupPruneCutoff } from './dedup-prune.ts';
import { STORE_ERROR_KINDS, StoreError } from './store-error.ts';

/** Undoes one mutation; run in reverse order when a batch fails. */
type Undo = () => void;

/**
 * Mirrors the applied events in Maps so that `load()` gives back an equivalent snapshot; nothing survives
 * the process. `keepsPayloads` is true: the engine keeps bodies itself, and the mirror shares (does not copy)
 * each message's body and attribute map, which the engine never changes after the send.
 * `apply` is atomic like the SQLite store's: a batch that fails midway is rolled back through an undo log.
 * The server's `--in-memory` mode needs no store at all (the engine's own state is all there is); this one is
 * for a process that restarts an engine in place, for tests, and as the contract's reference.
 */
export class MemoryStore implements QueueStore {
  readonly keepsPayloads = true;
  private readonly queues = new Map<string, QueueRecord>();
  private readonly messages = new Map<number, MessageRecord>();
  /** Keyed by `${queueName}\0${dedupKey}` (queue names never hold U+0000); kept in insertion order ≈ expiry order. */
  private readonly dedup = new Map<string, DedupRecord>();
  private readonly moveTasks = new Map<string, MoveTaskRecord>();
  /** False while every key was added above the largest one, so Map order is key order. */
  private isOutOfKeyOrder = false;
  private maxKey = -Infinity;

  /**
   * Applies one operation's events: all of them or, when one fails, none.
   * Throws StoreError DuplicateKey (messageSent/messageMoved onto a key in use) or MissingKey (messageMoved
   * from a key it does not hold).
   */
  apply(events: readonly EngineEvent[]): void {
    const undo: Undo[] = [];
    let pruneBefore = -Infinity;
    const savedOrder = { isOutOfKeyOrder: this.isOutOfKeyOrder, maxKey: this.maxKey };
    try {
      for (const event of events) {
        this.applyOne(event, undo);
        if (event.type === 'dedupRecorded') pruneBefore = Math.max(pruneBefore, dedupPruneCutoff(event.record.expiresAt));
      }
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) (undo[i] as Undo)();
      // Undoing a delete re-inserts at the end of the Map, so order is only known to hold if nothing was undone.
      this.isOutOfKeyOrder = savedOrder.isOutOfKeyOrder || undo.length > 0;
      this.maxKey = savedOrder.maxKey;
      throw error;
    }
    // Pruning forgets only records that are long dead, so it runs after the batch and needs no undo.
    if (pruneBefore !== -Infinity) this.pruneDedup(pruneBefore);
  }

  private applyOne(event: EngineEvent, undo: Undo[]): void {
    switch (event.type) {
      case 'queueCreated':
      case 'queueUpdated':
        setUndoable(this.queues, event.queue.name, copyQueue(event.queue), undo);
        return;
      case 'queueDeleted':
        this.deleteMessagesOf(event.queueName, undo);
        for (const [id, record] of this.dedup) {
          if (record.queueName === event.queueName) deleteUndoable(this.dedup, id, undo);
        }
        deleteUndoable(this.queues, event.queueName, undo);
        return;
      case 'queuePurged':
        this.deleteMessagesOf(event.queueName, undo);
        return;
      case 'messageSent':
        if (this.messages.has(event.message.key)) {
          throw new StoreError(STORE_ERROR_KINDS.DUPLICATE_KEY, `messageSent: key ${event.message.key} is already in use`);
        }
        this.noteKey(event.message.key);
        setUndoable(this.messages, event.message.key, { ...event.message }, undo);
        return;
      case 'messageUpdated': {
        // In place: the record is the store's own copy, and receives are the hottest path.
        const message = this.messages.get(event.key);
        if (message === undefined) return;
        const { visibleAt, receiveCount, firstReceiveAt } = message;
        undo.push(() => {
          message.visibleAt = visibleAt;
          message.receiveCount = receiveCount;
          if (firstReceiveAt === undefined) delete message.firstReceiveAt;
          else message.firstReceiveAt = firstReceiveAt;
        });
        message.visibleAt = event.visibleAt;
        message.receiveCount = event.receiveCount;
        if (event.firstReceiveAt === undefined) delete message.firstReceiveAt;
        else message.firstReceiveAt = event.firstReceiveAt;
        return;
      }
      case 'messageDeleted':
        deleteUndoable(this.messages, event.key, undo);
        return;
      case 'messageMoved': {
        const old = this.messages.get(event.oldKey);
        if (old === undefined) throw new StoreError(STORE_ERROR_KINDS.MISSING_KEY, `messageMoved: no message with key ${event.oldKey}`);
        const newKey = event.message.key;
        if (newKey !== event.oldKey && this.messages.has(newKey)) {
          throw new StoreError(STORE_ERROR_KINDS.DUPLICATE_KEY, `messageMoved: key ${newKey} is already in use`);
        }
        const moved: MessageRecord = { ...metaOnly(event.message), body: old.body, messageAttributes: old.messageAttributes };
        deleteUndoable(this.messages, event.oldKey, undo);
        this.noteKey(newKey);
        setUndoable(this.messages, newKey, moved, undo);
        return;
      }
      case 'dedupRecorded': {
        const id = `${event.record.queueName}\u0000${event.record.dedupKey}`;
        // Re-insert so that Map order follows recording order, which the prune relies on.
        deleteUndoable(this.dedup, id, undo);
        setUndoable(this.dedup, id, { ...event.record }, undo);
        return;
      }
      case 'moveTaskSaved':
        setUndoable(this.moveTasks, event.task.taskHandle, { ...event.task }, undo);
        return;
      default: {
        const unknown: never = event;
        throw new Error(`Unknown engine event ${JSON.stringify(unknown)}`);
      }
    }
  }

  private noteKey(key: number): void {
    if (key <= this.maxKey) this.isOutOfKeyOrder = true;
    else this.maxKey = key;
  }

  private deleteMessagesOf(queueName: string, undo: Undo[]): void {
    for (const [key, message] of this.messages) {
      if (message.queueName === queueName) deleteUndoable(this.messages, key, undo);
    }
  }

  private pruneDedup(before: number): void {
    // Records arrive in about expiry order; stop at the first live one rather than scanning everything.
    for (const [id, record] of this.dedup) {
      if (record.expiresAt >= before) break;
      this.dedup.delete(id);
    }
  }

  /** A copy of everything held, messages in key order and with their payloads. */
  load(): Snapshot {
    const messages = Array.from(this.messages.values(), (message) => ({ ...message }));
    if (this.isOutOfKeyOrder) messages.sort((a, b) => a.key - b.key);
    return {
      queues: Array.from(this.queues.values(), copyQueue).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      messages,
      dedup: Array.from(this.dedup.values(), (record) => ({ ...record })),
      moveTasks: Array.from(this.moveTasks.values(), (task) => ({ ...task })),
      // maxKey only grows (deletes leave it), so a restored engine never hands out a deleted message's key.
      nextKey: Math.max(1, this.maxKey + 1),
    };
  }

  /** The details (everything but the engine's in-memory core) of the given keys; unknown keys are absent. */
  loadDetails(keys: readonly number[]): Map<number, MessageDetail> {
    const details = new Map<number, MessageDetail>();
    for (const key of keys) {
      const message = this.messages.get(key);
      if (message === undefined) continue;
      const { key: _key, queueName: _queue, visibleAt: _visible, enqueuedAt: _enqueued, receiveCount: _count, firstReceiveAt: _first, ...detail } =
        message;
      details.set(key, detail);
    }
    return details;
  }

  /** Forgets everything: nothing of a memory store outlives it. */
  close(): void {
    this.queues.clear();
    this.messages.clear();
    this.dedup.clear();
    this.moveTasks.clear();
    this.maxKey = -Infinity;
    this.isOutOfKeyOrder = false;
  }
}

function setUndoable<K, V>(map: Map<K, V>, key: K, value: V, undo: Undo[]): void {
  const had = map.has(key);
  const previous = map.get(key);
  map.set(key, value);
  undo.push(had ? () => void map.set(key, previous as V) : () => void map.delete(key));
}

function deleteUndoable<K, V>(map: Map<K, V>, key: K, undo: Undo[]): void {
  if (!map.has(key)) return;
  const previous = map.get(key) as V;
  map.delete(key);
  // Re-inserting puts the entry at the end of the Map; load() sorts messages when that breaks key order.
  undo.push(() => void map.set(key, previous));
}

function copyQueue(queue: QueueRecord): QueueRecord {
  const copy: QueueRecord = {
    ...queue,
    settings: { ...queue.settings },
    tags: { ...queue.tags },
  };
  if (queue.settings.redrivePolicy !== undefined) copy.settings.redrivePolicy = { ...queue.settings.redrivePolicy };
  return copy;
}

/** The meta fields of a moved message, even if the engine hands over a whole record. */
function metaOnly(message: MessageMeta): MessageMeta {
  const { body: _body, messageAttributes: _attributes, ...meta } = message as MessageMeta & Partial<MessagePayload>;
  return meta;
}
