/** @module engine/types: the engine's value types, its inputs and outputs, and the ports it defines. */

/** A message attribute value as SQS models it (one of the value fields is set). */
export interface MessageAttributeValue {
  dataType: string;
  stringValue?: string;
  binaryValue?: Uint8Array;
  stringListValues?: string[];
  binaryListValues?: Uint8Array[];
}
export type MessageAttributeMap = Record<string, MessageAttributeValue>;

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** A queue's settable attributes, typed. Durations keep SQS's units (seconds) because they are SQS's attributes. */
export interface QueueSettings {
  delaySeconds: number;
  maximumMessageSize: number;
  messageRetentionPeriod: number;
  receiveMessageWaitTimeSeconds: number;
  visibilityTimeout: number;
  policy?: string;
  redrivePolicy?: RedrivePolicy;
  /** The JSON text as given (validated). */
  redriveAllowPolicy?: string;
  kmsMasterKeyId?: string;
  kmsDataKeyReusePeriodSeconds: number;
  sqsManagedSseEnabled: boolean;
  isFifo: boolean;
  contentBasedDeduplication: boolean;
  deduplicationScope: 'queue' | 'messageGroup';
  fifoThroughputLimit: 'perQueue' | 'perMessageGroupId';
}

/** What the store keeps of a queue. */
export interface QueueRecord {
  name: string;
  settings: QueueSettings;
  tags: Record<string, string>;
  createdAt: number;
  lastModifiedAt: number;
  /** Time of the last PurgeQueue (ms), for the 60 s rule. */
  lastPurgedAt?: number;
}

/** The part of a message that may live only in the store (bodies need not stay in memory). */
export interface MessagePayload {
  body: string;
  messageAttributes: MessageAttributeMap;
}

/** Everything the store keeps of a message except its payload. */
export interface MessageMeta {
  /** Engine-wide increasing key: storage primary key and enqueue order. */
  key: number;
  queueName: string;
  messageId: string;
  md5OfBody: string;
  /** MD5 over all message attributes, when there are any. */
  md5OfMessageAttributes?: string;
  awsTraceHeader?: string;
  senderId: string;
  sentAt: number;
  /** Retention counts from here (a FIFO DLQ resets it on move). */
  enqueuedAt: number;
  /** Visible when `visibleAt <= now`; otherwise delayed (receiveCount 0) or in flight. */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  messageGroupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
}

export interface MessageRecord extends MessageMeta, MessagePayload {}

/**
 * What the engine keeps in memory of every message. Everything else (ids, digests, timestamps, the body)
 * comes back from the store with the body when the message is returned, so a large backlog stays small.
 */
export type MessageCore = Pick<MessageMeta, 'key' | 'queueName' | 'visibleAt' | 'enqueuedAt' | 'receiveCount' | 'firstReceiveAt' | 'messageGroupId' | 'sequenceNumber'>;

/** A message's fixed facts and payload: what a receive needs beyond {@link MessageCore}. */
export type MessageDetail = Omit<MessageMeta, 'key' | 'queueName' | 'visibleAt' | 'enqueuedAt' | 'receiveCount' | 'firstReceiveAt'> &
  MessagePayload;

export interface DedupRecord {
  queueName: string;
  /** dedupId, or `${groupId}\u0000${dedupId}` when DeduplicationScope is messageGroup. */
  dedupKey: string;
  messageId: string;
  sequenceNumber?: string;
  expiresAt: number;
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface MoveTaskRecord {
  taskHandle: string;
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  status: MoveTaskStatus;
  approximateNumberOfMessagesMoved: number;
  approximateNumberOfMessagesToMove: number;
  failureReason?: string;
  startedAt: number;
}

/**
 * What an engine operation changed, in order. The server hands each operation's events to the store
 * in one transaction before it answers; the engine itself never calls the store.
 */
export type EngineEvent =
  | { type: 'queueCreated'; queue: QueueRecord }
  | { type: 'queueUpdated'; queue: QueueRecord }
  | { type: 'queueDeleted'; queueName: string }
  | { type: 'queuePurged'; queueName: string }
  | { type: 'messageSent'; message: MessageRecord }
  /** Receive, visibility change or receive-count change: the mutable fields only (`firstReceiveAt` absent = none yet). */
  | { type: 'messageUpdated'; key: number; visibleAt: number; receiveCount: number; firstReceiveAt?: number }
  | { type: 'messageDeleted'; key: number }
  /** Moved to another queue (redrive or move task): the payload stays; `message` is the new meta (new key). */
  | { type: 'messageMoved'; oldKey: number; message: MessageMeta }
  | { type: 'dedupRecorded'; record: DedupRecord }
  | { type: 'moveTaskSaved'; task: MoveTaskRecord };

/** What a store hands back at start-up for the engine to rebuild its state. */
export interface Snapshot {
  queues: QueueRecord[];
  /**
   * In key order, read once. A store that keeps payloads (`keepsPayloads` false) may give only the
   * {@link MessageCore} of each message, streamed, and serve the rest through `loadDetails`.
   */
  messages: Iterable<MessageCore & Partial<MessageRecord>>;
  dedup: DedupRecord[];
  moveTasks: MoveTaskRecord[];
  /**
   * Above every key the store has ever held, deleted messages included (1 when it held none): the engine hands out
   * keys from here on, because an old receipt handle names its message by key and must never match a new one.
   */
  nextKey: number;
}

/** Lets the engine fetch what it did not keep in memory of a message (the SQLite store implements it). */
export interface PayloadSource {
  /** The details of the given keys; keys the store does not hold are absent from the result. */
  loadDetails(keys: readonly number[]): Map<number, MessageDetail>;
}

/** The port the server pipes events into (memory and SQLite stores implement it). */
export interface QueueStore extends PayloadSource {
  /** Applies one operation's events atomically. */
  apply(events: readonly EngineEvent[]): void;
  /** Everything needed to rebuild the engine. */
  load(): Snapshot;
  /** True when the engine must keep message details in memory itself; false when it may drop them and ask `loadDetails`. */
  readonly keepsPayloads: boolean;
  close(): void;
}

// ---------------------------------------------------------------------------------------------
// Operation inputs and outputs (camelCase; protocol/ maps them to and from the AWS shapes).

export interface SendInput {
  body: string;
  delaySeconds?: number;
  messageAttributes?: MessageAttributeMap;
  /** Only `AWSTraceHeader` is accepted. */
  messageSystemAttributes?: MessageAttributeMap;
  messageDeduplicationId?: string;
  messageGroupId?: string;
}

export interface SendContext {
  senderId: string;
  /** Value of an `X-Amzn-Trace-Id` request header, used when no AWSTraceHeader system attribute is sent. */
  traceHeader?: string;
}

export interface SendResult {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  sequenceNumber?: string;
}

export interface BatchFailure {
  id: string;
  senderFault: boolean;
  /** Legacy short code, e.g. `InvalidParameterValue`. */
  code: string;
  message: string;
}

export interface BatchResult<T> {
  successful: Array<T & { id: string }>;
  failed: BatchFailure[];
}

export interface ReceiveInput {
  maxNumberOfMessages?: number;
  /** Seconds; queue default when absent. */
  visibilityTimeout?: number;
  /** Union of AttributeNames and MessageSystemAttributeNames. */
  systemAttributeNames?: string[];
  messageAttributeNames?: string[];
  receiveRequestAttemptId?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  /** Selected system attributes; absent when none were asked for. */
  attributes?: Record<string, string>;
  messageAttributes?: MessageAttributeMap;
  md5OfMessageAttributes?: string;
}

export interface VisibilityEntry {
  id: string;
  receiptHandle: string;
  visibilityTimeout: number;
}

export interface PageInput {
  maxResults?: number;
  nextToken?: string;
}

export interface Page {
  names: string[];
  nextToken?: string;
}

export interface StartMoveTaskInput {
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
}

/** Read-only view for the dashboard; never changes state. */
export interface QueueInspection {
  name: string;
  arn: string;
  isFifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  settings: QueueSettings;
  deadLetterTargetName?: string;
  groups?: Array<{ groupId: string; backlog: number; inFlight: number; isLocked: boolean }>;
  /** Oldest-first sample of messages, read without receiving them. */
  peek: Array<{
    messageId: string;
    body: string;
    sentAt: number;
    receiveCount: number;
    state: 'visible' | 'inFlight' | 'delayed';
    messageGroupId?: string;
    sequenceNumber?: string;
  }>;
}
