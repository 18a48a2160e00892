/** @module engine/queue: one queue's messages and the structures that order them (standard and FIFO). */
import type { Timer } from './clock.ts';
import { MinHeap } from './heap.ts';
import type { DedupRecord, MessageDetail, QueueRecord } from './types.ts';

export type MessageState = 'visible' | 'inFlight' | 'delayed';

/**
 * Times are kept relative to this instant so that they fit V8's small integers (±24 days) instead of
 * each taking a boxed double: 32 bytes less per message, which a 1,000,000-message backlog notices.
 * Outside that range they are still exact, only larger.
 */
const TIME_BASE = Date.now();
const NO_TIME = -0x8000_0000;

const STATES: readonly MessageState[] = ['visible', 'inFlight', 'delayed'];
const STATE_CODES: Readonly<Record<MessageState, number>> = { visible: 0, inFlight: 1, delayed: 2 };
const STATE_MASK = 3;
const DELETED_BIT = 4;
const READY_BIT = 8;
const VER_MASK = 0x3ff_ffff;

/**
 * A message as the engine holds it: only what ordering, visibility and retention need. Its fixed facts and
 * body (`detail`) stay in memory only when no store can give them back; a class, so every message has the
 * same compact shape (a 1,000,000-message backlog must fit in a few hundred MB).
 */
export class Msg {
  group: MessageGroup | undefined = undefined;
  /**
   * `ver`, `isInReadyHeap`, `isDeleted` and `state` in one small integer:
   * (ver << 4) | (isInReadyHeap << 3) | (isDeleted << 2) | state. Every field costs a message 8 bytes.
   */
  private bits: number;
  private visibleAtRel: number;
  private enqueuedAtRel: number;
  private firstReceiveAtRel: number;
  constructor(
    readonly key: number,
    visibleAt: number,
    enqueuedAt: number,
    public receiveCount: number,
    firstReceiveAt: number,
    state: MessageState,
    public detail: MessageDetail | undefined,
  ) {
    this.bits = STATE_CODES[state];
    this.visibleAtRel = visibleAt - TIME_BASE;
    this.enqueuedAtRel = enqueuedAt - TIME_BASE;
    this.firstReceiveAtRel = firstReceiveAt === 0 ? NO_TIME : firstReceiveAt - TIME_BASE;
  }
  /** Bumped on every state change; heap entries carry the version they were pushed with. */
  get ver(): number {
    return this.bits >>> 4;
  }
  set ver(value: number) {
    // Wraps within a small integer; an entry would have to outlive 2^26 changes of its message to be fooled.
    this.bits = ((value & VER_MASK) << 4) | (this.bits & 15);
  }
  get isDeleted(): boolean {
    return (this.bits & DELETED_BIT) !== 0;
  }
  set isDeleted(value: boolean) {
    this.bits = value ? this.bits | DELETED_BIT : this.bits & ~DELETED_BIT;
  }
  /** Whether the standard queue's ready heap holds an entry for it (at most one: the heap orders by key alone). */
  get isInReadyHeap(): boolean {
    return (this.bits & READY_BIT) !== 0;
  }
  set isInReadyHeap(value: boolean) {
    this.bits = value ? this.bits | READY_BIT : this.bits & ~READY_BIT;
  }
  get state(): MessageState {
    return STATES[this.bits & STATE_MASK]!;
  }
  set state(value: MessageState) {
    this.bits = (this.bits & ~STATE_MASK) | STATE_CODES[value];
  }
  /** Visible when `visibleAt <= now`; otherwise delayed (receiveCount 0) or in flight. */
  get visibleAt(): number {
    return this.visibleAtRel + TIME_BASE;
  }
  set visibleAt(ms: number) {
    this.visibleAtRel = ms - TIME_BASE;
  }
  /** Retention counts from here. */
  get enqueuedAt(): number {
    return this.enqueuedAtRel + TIME_BASE;
  }
  set enqueuedAt(ms: number) {
    this.enqueuedAtRel = ms - TIME_BASE;
  }
  /** 0 until the first receive. */
  get firstReceiveAt(): number {
    return this.firstReceiveAtRel === NO_TIME ? 0 : this.firstReceiveAtRel + TIME_BASE;
  }
  set firstReceiveAt(ms: number) {
    this.firstReceiveAtRel = ms === 0 ? NO_TIME : ms - TIME_BASE;
  }
}

/** A FIFO message group: its undeleted messages in order, and how many of them are in flight. */
export interface MessageGroup {
  id: string;
  msgs: Msg[];
  head: number;
  inFlight: number;
  /** Undeleted messages in the group (its backlog, in flight included). */
  size: number;
  ver: number;
  /** Head key of the group's live entry in the receivable-groups heap, or -1 when it has none. */
  queuedHeadKey: number;
}

interface PendingEntry {
  msg: Msg;
  ver: number;
  at: number;
}
interface GroupEntry {
  group: MessageGroup;
  ver: number;
  headKey: number;
}

export interface AttemptRecord {
  entries: Array<{ msg: Msg; ver: number; receiptHandle: string }>;
  expiresAt: number;
  visibilityMs: number;
}

/** What a receive decided for a candidate message. */
/** `take` it (the caller marked it in flight), `skip` it (the caller removed it), or `stop` before it (left as it is). */
export type Decision = 'take' | 'skip' | 'stop';

/** Compaction threshold for a group's consumed head. */
const GROUP_COMPACT_AT = 64;
/** The key-ordered message list is not compacted below this many deleted entries. */
const MESSAGES_COMPACT_MIN = 1024;
/** The deadline heap is not compacted below this many entries. */
const PENDING_COMPACT_MIN = 4096;

/**
 * The state of one queue. It keeps exact counters (visible / in flight / delayed), a deadline heap
 * for delayed and in-flight messages, and either a ready heap (standard) or per-group lists with a
 * heap of receivable groups ordered by their oldest message (FIFO). It never reads the clock: callers
 * pass `now`.
 */
export class Queue {
  visible = 0;
  inFlight = 0;
  delayed = 0;
  readonly groups = new Map<string, MessageGroup>();
  readonly dedup = new Map<string, DedupRecord>();
  readonly attempts = new Map<string, AttemptRecord>();
  readonly waiters = new Set<() => void>();
  timer: Timer | undefined;
  /** Messages accepted, handed out and deleted since the engine started (what the dashboard charts as rates). */
  readonly totals = { sent: 0, received: 0, deleted: 0 };
  /** No message can pass its retention period before this time (messages are mostly enqueued in key order). */
  retentionCheckAt = 0;
  timerAt = Number.POSITIVE_INFINITY;
  private readonly pending = new MinHeap<PendingEntry>((a, b) => a.at < b.at || (a.at === b.at && a.msg.key < b.msg.key));
  /** Standard queues: visible messages by key, one entry a message (its `isInReadyHeap`), stale ones skipped on pop. */
  private readonly ready = new MinHeap<Msg>((a, b) => a.key < b.key);
  private readonly readyGroups = new MinHeap<GroupEntry>((a, b) => a.headKey < b.headKey);
  /**
   * Every message in key (= enqueue) order, found by binary search: 8 bytes a message where a Map<key, Msg> took
   * about 40. Deleted messages stay until they are `deletedCount` enough to compact (into a new array, so an
   * iteration in progress keeps its own); the entries before `head` are all deleted.
   */
  private byKey: Msg[] = [];
  private head = 0;
  private deletedCount = 0;

  constructor(
    public record: QueueRecord,
    readonly arn: string,
  ) {}

  get name(): string {
    return this.record.name;
  }
  get isFifo(): boolean {
    return this.record.settings.isFifo;
  }
  /** Time of the next scheduled state change, or +Infinity. */
  get nextDeadline(): number {
    return this.pending.peek()?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Adds a message (new, moved in, or restored); its state follows from `visibleAt` and `receiveCount`. */
  insert(msg: Msg, now: number, groupId = ''): void {
    this.addByKey(msg);
    // A message moved into a standard dead-letter queue keeps its older enqueue time.
    const expiresAt = msg.enqueuedAt + this.record.settings.messageRetentionPeriod * 1000;
    if (expiresAt < this.retentionCheckAt) this.retentionCheckAt = expiresAt;
    msg.state = msg.visibleAt > now ? (msg.receiveCount > 0 ? 'inFlight' : 'delayed') : 'visible';
    this.count(msg.state, 1);
    if (this.isFifo) {
      let group = this.groups.get(groupId);
      if (!group) {
        group = { id: groupId, msgs: [], head: 0, inFlight: 0, size: 0, ver: 0, queuedHeadKey: -1 };
        this.groups.set(groupId, group);
      }
      msg.group = group;
      group.msgs.push(msg);
      group.size++;
      if (msg.state === 'inFlight') {
        // Restored behind a visible message that queued the group: the group is locked now, so its entry goes.
        if (group.inFlight === 0) this.dequeueGroup(group);
        group.inFlight++;
      }
    }
    if (msg.state === 'visible') this.makeAvailable(msg);
    else this.pending.push({ msg, ver: msg.ver, at: msg.visibleAt });
  }

  /** Moves every message whose deadline passed to visible; returns whether any became receivable. */
  promote(now: number): boolean {
    let isWoken = false;
    for (;;) {
      const top = this.pending.peek();
      if (!top || top.at > now) break;
      this.pending.pop();
      const msg = top.msg;
      if (msg.isDeleted || msg.ver !== top.ver || msg.state === 'visible') continue;
      const wasInFlight = msg.state === 'inFlight';
      this.setState(msg, 'visible');
      if (wasInFlight && msg.group) msg.group.inFlight--;
      if (this.makeAvailable(msg)) isWoken = true;
    }
    if (isWoken) this.notify();
    return isWoken;
  }

  /** Starts an in-flight period ending at `visibleAt`. */
  markInFlight(msg: Msg, visibleAt: number): void {
    if (msg.state !== 'inFlight') {
      this.setState(msg, 'inFlight');
      if (msg.group) {
        if (msg.group.inFlight === 0) this.dequeueGroup(msg.group);
        msg.group.inFlight++;
      }
    } else {
      msg.ver++;
    }
    msg.visibleAt = visibleAt;
    this.pending.push({ msg, ver: msg.ver, at: visibleAt });
  }

  /** Changes the deadline of an in-flight message (ChangeMessageVisibility); `visibleAt <= now` releases it at the next promote. */
  setDeadline(msg: Msg, visibleAt: number): void {
    msg.ver++;
    msg.visibleAt = visibleAt;
    this.pending.push({ msg, ver: msg.ver, at: visibleAt });
  }

  /** Removes a message for good (delete, purge, retention, moved away). */
  remove(msg: Msg): void {
    if (msg.isDeleted) return;
    msg.isDeleted = true;
    // Heap entries may still point at the message until they surface: let its body go now.
    msg.detail = undefined;
    this.dropByKey();
    this.count(msg.state, -1);
    this.dropStaleDeadlines();
    const group = msg.group;
    if (group) {
      group.size--;
      if (msg.state === 'inFlight') group.inFlight--;
      this.evalGroup(group);
    }
  }

  /**
   * Deleted messages leave their deadline entries behind until those fall due (30 s later by default);
   * at high rates that is a lot of garbage, so rebuild the heap once stale entries outnumber live ones.
   */
  private dropStaleDeadlines(): void {
    const live = this.inFlight + this.delayed;
    if (this.pending.size < PENDING_COMPACT_MIN || this.pending.size < 2 * live) return;
    this.pending.retain((e) => !e.msg.isDeleted && e.msg.ver === e.ver && e.msg.state !== 'visible');
  }

  /** Removes every message. */
  clear(): void {
    for (let i = this.head; i < this.byKey.length; i++) this.byKey[i]!.isDeleted = true;
    this.byKey = [];
    this.head = 0;
    this.deletedCount = 0;
    this.groups.clear();
    this.pending.clear();
    this.ready.clear();
    this.readyGroups.clear();
    this.attempts.clear();
    this.visible = this.inFlight = this.delayed = 0;
  }

  /**
   * Offers receivable messages in SQS order until `max` are taken: standard, oldest first; FIFO, the
   * group with the oldest visible message first, as many of its messages in order as possible, then
   * the next group. `decide` takes a message (it must then call `markInFlight`) or skips it (after
   * removing it, e.g. moved to a dead-letter queue).
   */
  collect(max: number, decide: (msg: Msg) => Decision): Msg[] {
    const out: Msg[] = [];
    if (!this.isFifo) {
      while (out.length < max) {
        const msg = this.ready.pop();
        if (!msg) break;
        msg.isInReadyHeap = false;
        if (msg.isDeleted || msg.state !== 'visible') continue;
        const decision = decide(msg);
        if (decision === 'stop') {
          msg.isInReadyHeap = true;
          this.ready.push(msg);
          break;
        }
        if (decision === 'take') out.push(msg);
      }
      return out;
    }
    let isStopped = false;
    while (out.length < max && !isStopped) {
      const entry = this.readyGroups.pop();
      if (!entry) break;
      const group = entry.group;
      if (entry.ver !== group.ver) continue;
      group.queuedHeadKey = -1;
      // A live entry of a locked group would be a bug elsewhere; it is dropped, and the unlock queues the group again.
      if (group.inFlight > 0) continue;
      // Iterate a fixed array: removing a message may compact `group.msgs` into a new one.
      const msgs = group.msgs;
      for (let i = group.head; i < msgs.length && out.length < max; i++) {
        const msg = msgs[i]!;
        if (msg.isDeleted) continue;
        if (msg.state !== 'visible') break;
        const decision = decide(msg);
        if (decision === 'stop') {
          isStopped = true;
          break;
        }
        if (decision === 'take') out.push(msg);
      }
      this.evalGroup(group);
    }
    return out;
  }

  /** The undeleted messages, oldest (lowest key) first. Removing messages while iterating is allowed. */
  *inOrder(): Iterable<Msg> {
    const msgs = this.byKey;
    for (let i = this.head; i < msgs.length; i++) {
      const msg = msgs[i]!;
      if (!msg.isDeleted) yield msg;
    }
  }

  /** How many messages the queue holds (visible, in flight and delayed). */
  get size(): number {
    return this.visible + this.inFlight + this.delayed;
  }

  /** The undeleted message with this key, if the queue holds it. */
  find(key: number): Msg | undefined {
    const msgs = this.byKey;
    let low = this.head;
    let high = msgs.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const msg = msgs[mid]!;
      if (msg.key < key) low = mid + 1;
      else if (msg.key > key) high = mid - 1;
      else return msg.isDeleted ? undefined : msg;
    }
    return undefined;
  }

  /** Keys are handed out in increasing order, so a message almost always goes at the end. */
  private addByKey(msg: Msg): void {
    const msgs = this.byKey;
    if (msgs.length === this.head || msgs[msgs.length - 1]!.key < msg.key) {
      msgs.push(msg);
      return;
    }
    let low = this.head;
    let high = msgs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (msgs[mid]!.key < msg.key) low = mid + 1;
      else high = mid;
    }
    msgs.splice(low, 0, msg);
  }

  /** Accounts for one more deleted entry (already marked), advancing the head and compacting when they pile up. */
  private dropByKey(): void {
    const msgs = this.byKey;
    this.deletedCount++;
    while (this.head < msgs.length && msgs[this.head]!.isDeleted) {
      this.head++;
      this.deletedCount--;
    }
    if (this.head === msgs.length) {
      this.byKey = [];
      this.head = 0;
      this.deletedCount = 0;
      return;
    }
    if (this.deletedCount + this.head >= MESSAGES_COMPACT_MIN && (this.deletedCount + this.head) * 2 > msgs.length) {
      const live: Msg[] = [];
      for (let i = this.head; i < msgs.length; i++) if (!msgs[i]!.isDeleted) live.push(msgs[i]!);
      this.byKey = live;
      this.head = 0;
      this.deletedCount = 0;
    }
  }

  /** Resolves every long-poll waiter of this queue (they receive again). */
  notify(): void {
    if (this.waiters.size === 0) return;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Puts a visible message where receives find it; returns whether it became receivable now. */
  private makeAvailable(msg: Msg): boolean {
    if (msg.group) return this.evalGroup(msg.group);
    if (!msg.isInReadyHeap) {
      msg.isInReadyHeap = true;
      this.ready.push(msg);
    }
    this.notify();
    return true;
  }

  /** Re-checks a group after a change: drops consumed heads, and queues it if it became receivable. */
  private evalGroup(group: MessageGroup): boolean {
    const msgs = group.msgs;
    while (group.head < msgs.length && msgs[group.head]!.isDeleted) group.head++;
    if (group.head >= msgs.length) {
      group.msgs = [];
      group.head = 0;
      if (group.inFlight === 0 && this.groups.get(group.id) === group) this.groups.delete(group.id);
      return false;
    }
    if (group.head > GROUP_COMPACT_AT && group.head * 2 > msgs.length) {
      group.msgs = msgs.slice(group.head);
      group.head = 0;
    }
    const head = group.msgs[group.head]!;
    if (group.inFlight > 0 || head.state !== 'visible') {
      this.dequeueGroup(group);
      return false;
    }
    // One live heap entry per group: sends to a receivable group must not add one each.
    if (group.queuedHeadKey === head.key) return true;
    group.ver++;
    group.queuedHeadKey = head.key;
    this.readyGroups.push({ group, ver: group.ver, headKey: head.key });
    this.notify();
    return true;
  }

  /** Makes the group's heap entry stale (the group is locked or its head changed). */
  private dequeueGroup(group: MessageGroup): void {
    if (group.queuedHeadKey === -1) return;
    group.ver++;
    group.queuedHeadKey = -1;
  }

  private setState(msg: Msg, state: MessageState): void {
    this.count(msg.state, -1);
    msg.state = state;
    msg.ver++;
    this.count(state, 1);
  }

  private count(state: MessageState, delta: number): void {
    if (state === 'visible') this.visible += delta;
    else if (state === 'inFlight') this.inFlight += delta;
    else this.delayed += delta;
  }
}
