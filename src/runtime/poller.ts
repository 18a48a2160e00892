/**
 * @module runtime/poller: one event source mapping (spec §F.2): up to MaximumConcurrency pollers, each long-polling
 * the queue, invoking the function with the batch and deleting what §F.4 says to delete. Failed messages are left
 * alone: they come back after the visibility timeout, and the queue's RedrivePolicy moves them to the DLQ. For FIFO
 * queues the server's group lock makes concurrency min(groups with visible messages, MaximumConcurrency) by itself.
 * Lifecycle like bullmq's Worker: `start()`, then `stop()` drains in-flight batches, `stop({force})` does not wait.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { type BatchDecision, decideBatch } from './batch-result.ts';
import type { QueueBinding } from './bindings.ts';
import { compileFilters } from './event-filter.ts';
import type { InvocationOutcome } from './invocation.ts';
import type { FunctionPool, ThrottledOutcome } from './function-pool.ts';
import type { MappingPlan } from './plan.ts';
import { sqsRecordOf } from './sqs-event.ts';

/** Limits of the poll loop. */
export const POLLER_LIMITS = {
  /** Lambda long-polls with the maximum wait. */
  waitTimeSeconds: 20,
  maxMessagesPerReceive: 10,
  /**
   * Invoke payload limit (6 MB): no event is larger. A batching window stops filling before it, and the messages of
   * a receive that would push the event over it go in the poller's next batch.
   */
  maxPayloadBytes: 6 * 1024 * 1024,
  /** Back-off after a failed ReceiveMessage, doubling up to the max. */
  errorBackoffMs: 500,
  maxErrorBackoffMs: 5_000,
} as const;

/** What happened to one batch. */
export interface BatchReport {
  readonly mappingId: string;
  readonly queueUrl: string;
  readonly messageIds: readonly string[];
  /** Deleted after the invocation (successes, and messages the filters dropped). */
  readonly deletedIds: readonly string[];
  /** Left in flight: they come back after the visibility timeout. */
  readonly failedIds: readonly string[];
  /** Dropped by FilterCriteria (deleted without an invocation). */
  readonly filteredIds: readonly string[];
  readonly decision: BatchDecision;
  /** The invocation; absent when filters dropped the whole batch. */
  readonly outcome?: InvocationOutcome | ThrottledOutcome;
  /** Batches of this mapping in flight when this one was invoked (itself included). */
  readonly mappingConcurrency: number;
  /** Invocations of the function running when this one started (itself included). */
  readonly functionConcurrency: number;
}

/** A mapping's state and counters. */
export interface MappingStats {
  readonly id: string;
  readonly functionName: string;
  readonly queueUrl: string;
  readonly state: 'Enabled' | 'Disabled' | 'Stopping' | 'Stopped';
  readonly maximumConcurrency: number;
  readonly inFlightBatches: number;
  readonly maxInFlightBatches: number;
  readonly batches: number;
  readonly receivedMessages: number;
  readonly deletedMessages: number;
  readonly failedMessages: number;
  readonly filteredMessages: number;
  readonly lastError?: string;
}

/** What a poller needs. */
export interface PollerOptions {
  readonly mapping: MappingPlan;
  readonly queue: QueueBinding;
  readonly pool: FunctionPool;
  readonly sqs: SQSClient;
  /** Pollers (concurrent batches) when the mapping sets no MaximumConcurrency. */
  readonly defaultConcurrency: number;
  readonly onBatch: (report: BatchReport) => void;
}

const isAbort = (error: unknown) => error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');

/** `{"Records":[]}`: the event around its records. */
const EVENT_ENVELOPE_BYTES = 14;
/** More than a record's ids, receipt handle, digests, system attributes and JSON keys take. */
const RECORD_FIXED_BOUND_BYTES = 8 * 1024;

/**
 * An upper bound of a message's record in JSON, without rendering it: a string's JSON is at most 6 bytes a UTF-16 unit
 * (`\u0001`), a binary value's base64 4 bytes for 3.
 */
function recordBytesBound(message: Message): number {
  let bound = RECORD_FIXED_BOUND_BYTES + 6 * (message.Body?.length ?? 0);
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    bound += 64 + 6 * (name.length + (value.DataType?.length ?? 0) + (value.StringValue?.length ?? 0)) + 2 * (value.BinaryValue?.length ?? 0);
  }
  return bound;
}

/**
 * The longest prefix of `messages` whose event (`{"Records":[…]}`) stays within `maxBytes`, and the rest; the first
 * message always goes (one message is far below the limit).
 */
export function splitByPayload(messages: readonly Message[], arn: string, maxBytes: number): [Message[], Message[]] {
  // Most batches are far below the limit: no need to render their records to know it.
  let bound = EVENT_ENVELOPE_BYTES;
  for (const message of messages) bound += recordBytesBound(message);
  if (bound <= maxBytes) return [[...messages], []];
  let bytes = EVENT_ENVELOPE_BYTES;
  for (let i = 0; i < messages.length; i++) {
    const recordBytes = Buffer.byteLength(JSON.stringify(sqsRecordOf(messages[i]!, arn))) + (i > 0 ? 1 : 0);
    if (i > 0 && bytes + recordBytes > maxBytes) return [messages.slice(0, i), messages.slice(i)];
    bytes += recordBytes;
  }
  return [[...messages], []];
}

/**
 * How the next receive of a filling batching window waits, `remainingMs` before the window closes: long-poll whole
 * seconds, and for the last fraction of a second sleep it out, then take what is there (a short poll would spin).
 */
export function windowWait(remainingMs: number): { sleepMs: number; waitTimeSeconds: number } {
  const waitTimeSeconds = Math.max(0, Math.min(POLLER_LIMITS.waitTimeSeconds, Math.floor(remainingMs / 1000)));
  return { sleepMs: waitTimeSeconds === 0 ? Math.max(0, remainingMs) : 0, waitTimeSeconds };
}

/**
 * Why CreateEventSourceMapping would refuse these settings (spec §F.1), or undefined when it would not. The
 * visibility-timeout check is the runtime's (a warning locally, see runtime.ts).
 */
export function mappingSettingsProblem(mapping: Pick<MappingPlan, 'batchSize' | 'maximumBatchingWindowSeconds' | 'maximumConcurrency'>, isFifo: boolean): string | undefined {
  const { batchSize, maximumBatchingWindowSeconds: window, maximumConcurrency } = mapping;
  const maxBatch = isFifo ? 10 : 10_000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxBatch) {
    return `BatchSize must be an integer from 1 to ${maxBatch} for ${isFifo ? 'a FIFO' : 'a standard'} queue (got ${batchSize}).`;
  }
  if (!Number.isInteger(window) || window < 0 || window > 300) {
    return `MaximumBatchingWindowInSeconds must be an integer from 0 to 300 (got ${window}).`;
  }
  if (isFifo && window > 0) return `MaximumBatchingWindowInSeconds is not supported for FIFO queues (got ${window}).`;
  if (batchSize > 10 && window < 1) return 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10';
  if (maximumConcurrency !== undefined && (!Number.isInteger(maximumConcurrency) || maximumConcurrency < 2 || maximumConcurrency > 1000)) {
    return `ScalingConfig.MaximumConcurrency must be an integer from 2 to 1000 (got ${maximumConcurrency}).`;
  }
  return undefined;
}

/** One event source mapping. */
export class Poller {
  readonly #o: PollerOptions;
  readonly #concurrency: number;
  readonly #filter: (record: SQSRecord) => boolean;
  #abort = new AbortController();
  #slots: Array<Promise<void>> = [];
  #state: MappingStats['state'];
  #stats = { inFlight: 0, maxInFlight: 0, batches: 0, received: 0, deleted: 0, failed: 0, filtered: 0 };
  #lastError: string | undefined;

  /** @throws InvalidFilterPatternError when a filter pattern is invalid (as CreateEventSourceMapping would). */
  constructor(options: PollerOptions) {
    this.#o = options;
    this.#concurrency = options.mapping.maximumConcurrency ?? options.defaultConcurrency;
    this.#filter = compileFilters(options.mapping.filterPatterns);
    this.#state = 'Disabled';
  }

  /** Starts the pollers (no-op when already running). */
  start(): void {
    if (this.#state === 'Enabled' || this.#state === 'Stopping') return;
    this.#state = 'Enabled';
    this.#abort = new AbortController();
    this.#slots = Array.from({ length: this.#concurrency }, () => this.#run(this.#abort.signal));
  }

  /**
   * Stops polling: long polls are abandoned (the server returns nothing to a client that went away), batches being
   * processed finish and are deleted as usual. `force` returns without waiting for them. Idempotent.
   */
  async stop(options: { force?: boolean; state?: 'Disabled' | 'Stopped' } = {}): Promise<void> {
    if (this.#state !== 'Enabled') {
      this.#state = options.state ?? 'Stopped';
      return;
    }
    this.#state = 'Stopping';
    this.#abort.abort();
    if (options.force !== true) await Promise.allSettled(this.#slots);
    this.#state = options.state ?? 'Stopped';
  }

  async #run(signal: AbortSignal): Promise<void> {
    let backoffMs = 0;
    // Received messages that did not fit in the last event (6 MB): the next batch, before anything new.
    let carried: Message[] = [];
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const received = carried.length > 0 ? carried : await this.#receiveBatch(signal);
        [messages, carried] = splitByPayload(received, this.#o.queue.arn, POLLER_LIMITS.maxPayloadBytes);
        backoffMs = 0;
      } catch (error) {
        if (signal.aborted || isAbort(error)) return;
        this.#lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        backoffMs = Math.min(POLLER_LIMITS.maxErrorBackoffMs, Math.max(POLLER_LIMITS.errorBackoffMs, backoffMs * 2));
        await sleep(backoffMs, undefined, { signal }).catch(() => undefined);
        continue;
      }
      if (messages.length === 0) continue;
      try {
        await this.#process(messages);
      } catch (error) {
        // Only a stopped pool gets here (a force stop); the batch comes back after the visibility timeout.
        this.#lastError = error instanceof Error ? error.message : String(error);
      }
    }
  }

  /** One ReceiveMessage, or several while a batching window fills the batch (§F.2 step 2). */
  async #receiveBatch(signal: AbortSignal): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.#o.mapping;
    // The batching window does not apply to FIFO queues.
    const windowMs = this.#o.queue.isFifo ? 0 : maximumBatchingWindowSeconds * 1000;
    const batch: Message[] = [];
    let bytes = 0;
    let deadline = Number.POSITIVE_INFINITY;
    do {
      let waitTimeSeconds: number = POLLER_LIMITS.waitTimeSeconds;
      if (batch.length > 0) {
        const wait = windowWait(deadline - Date.now());
        if (wait.sleepMs > 0) await sleep(wait.sleepMs, undefined, { signal });
        waitTimeSeconds = wait.waitTimeSeconds;
      }
      const { Messages = [] } = await this.#o.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#o.queue.url,
          MaxNumberOfMessages: Math.min(POLLER_LIMITS.maxMessagesPerReceive, batchSize - batch.length),
          WaitTimeSeconds: waitTimeSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      if (batch.length === 0 && Messages.length > 0) deadline = Date.now() + windowMs;
      for (const message of Messages) {
        batch.push(message);
        bytes += Buffer.byteLength(message.Body ?? '');
      }
    } while (batch.length > 0 && batch.length < batchSize && Date.now() < deadline && bytes < POLLER_LIMITS.maxPayloadBytes - 262_144 && !signal.aborted);
    return batch;
  }

  async #process(messages: Message[]): Promise<void> {
    const stats = this.#stats;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const mappingConcurrency = stats.inFlight;
    try {
      stats.batches++;
      stats.received += messages.length;
      const arn = this.#o.queue.arn;
      const records: SQSRecord[] = [];
      const filtered: Message[] = [];
      for (const message of messages) {
        const record = sqsRecordOf(message, arn);
        if (this.#filter(record)) records.push(record);
        else filtered.push(message);
      }
      let outcome: InvocationOutcome | ThrottledOutcome | undefined;
      let functionConcurrency = 0;
      let decision: BatchDecision = { kind: 'delete-all' };
      if (records.length > 0) {
        const event: SQSEvent = { Records: records };
        const invocation = this.#o.pool.invoke(event);
        functionConcurrency = this.#o.pool.concurrentExecutions;
        outcome = await invocation;
        const result = outcome.status === 'success' ? { isSuccess: true, payload: outcome.payload } : { isSuccess: false, errorType: outcome.error?.errorType };
        decision = decideBatch(result, new Set(records.map((record) => record.messageId)), this.#o.mapping.isReportingBatchItemFailures);
      }
      // Filtered-out messages are always deleted; the invoked ones as the decision says.
      const isFiltered = new Set(filtered);
      const toDelete = messages.filter((message) => {
        if (isFiltered.has(message)) return true;
        if (decision.kind === 'fail-all') return false;
        return decision.kind === 'delete-all' || !decision.failedIds.has(message.MessageId ?? '');
      });
      const deletedIds = await this.#delete(toDelete);
      const deletedSet = new Set(deletedIds);
      const failedIds = records.map((record) => record.messageId).filter((id) => !deletedSet.has(id));
      stats.deleted += deletedIds.length;
      stats.failed += failedIds.length;
      stats.filtered += filtered.length;
      this.#o.onBatch({
        mappingId: this.#o.mapping.logicalId,
        queueUrl: this.#o.queue.url,
        messageIds: messages.map((message) => message.MessageId ?? ''),
        deletedIds,
        failedIds,
        filteredIds: filtered.map((message) => message.MessageId ?? ''),
        decision,
        ...(outcome === undefined ? {} : { outcome }),
        mappingConcurrency,
        functionConcurrency,
      });
    } finally {
      stats.inFlight--;
    }
  }

  /** DeleteMessageBatch in chunks of 10; returns the ids really deleted (an expired receipt handle is not). */
  async #delete(messages: Message[]): Promise<string[]> {
    const deleted: string[] = [];
    for (let start = 0; start < messages.length; start += POLLER_LIMITS.maxMessagesPerReceive) {
      const chunk = messages.slice(start, start + POLLER_LIMITS.maxMessagesPerReceive);
      try {
        const { Successful = [], Failed = [] } = await this.#o.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.#o.queue.url,
            Entries: chunk.map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle ?? '' })),
          }),
        );
        for (const entry of Successful) deleted.push(chunk[Number(entry.Id?.slice(1))]?.MessageId ?? '');
        if (Failed.length > 0) this.#lastError = `DeleteMessageBatch: ${Failed.map((entry) => `${entry.Code}: ${entry.Message}`).join('; ')}`;
      } catch (error) {
        // The messages were processed but stay in the queue: they will be delivered again (at-least-once).
        this.#lastError = `DeleteMessageBatch: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return deleted;
  }

  stats(): MappingStats {
    const s = this.#stats;
    return {
      id: this.#o.mapping.logicalId,
      functionName: this.#o.mapping.functionName,
      queueUrl: this.#o.queue.url,
      state: this.#state,
      maximumConcurrency: this.#concurrency,
      inFlightBatches: s.inFlight,
      maxInFlightBatches: s.maxInFlight,
      batches: s.batches,
      receivedMessages: s.received,
      deletedMessages: s.deleted,
      failedMessages: s.failed,
      filteredMessages: s.filtered,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
    };
  }
}
