/** @module functions/producer — the producer Lambda: sends N order events over G message groups to the FIFO queue, in order, without duplicates. */

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SQSClient,
  SQSServiceException,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readProducerConfig, type Env, type ProducerConfig } from './shared/env.ts';
import { InvalidProducerPayloadError, SendBatchRejectedError } from './shared/errors.ts';
import { SERVICE_NAMES, createLogger } from './shared/logger.ts';
import { RUN_ID_PATTERN, dedupIdFor, orderEventType, orderIdFor, type OrderEvent } from './shared/order-event.ts';

/** Limits of the producer payload and of SQS batches. */
export const PRODUCER_LIMITS = {
  /** Largest `count` one invocation accepts. */
  maxCount: 1_000_000,
  /** SendMessageBatch takes at most 10 entries. */
  batchSize: 10,
} as const;

/** Exponential backoff between attempts of a failed entry: full jitter over `min(maxMs, baseMs * 2^(attempt-1))`. */
export const BACKOFF_DEFAULTS = { baseMs: 50, maxMs: 2_000 } as const;

/** Stop starting batches when less than this is left of the invocation's time, so it returns a result instead of timing out. */
export const DEADLINE_MARGIN_MS = 10_000;

/** A validated producer payload, with the run id filled in. */
export interface ProducerRequest {
  /** Number of order events to send (1..1,000,000). */
  readonly count: number;
  /** Number of message groups (orders) to spread them over (1..count). */
  readonly groups: number;
  /** Run id: prefix of every deduplication id; re-invoking with the same one sends no duplicates. */
  readonly runId: string;
  /** When set, every `poisonEvery`-th event (in send order, 1-based) carries `"poison": true`. */
  readonly poisonEvery?: number;
}

/** What the producer returns. */
export interface ProducerResult {
  /** Events SQS accepted (including ones it recognised as duplicates of an earlier run with this run id). */
  readonly sent: number;
  /** Events not accepted: entries that used up their attempts, plus the later events of their order, which are withheld so no order has a gap. */
  readonly failed: number;
  /** SendMessageBatch requests made, retries included. */
  readonly batches: number;
  readonly durationMs: number;
  readonly runId: string;
}

const PAYLOAD_KEYS = ['count', 'groups', 'runId', 'poisonEvery'] as const;

/**
 * Validates an invocation payload `{ "count": N, "groups": G, "runId"?: string, "poisonEvery"?: K }`.
 * A missing run id gets a fresh random one (`newRunId`).
 * @throws {InvalidProducerPayloadError} listing every problem: not an object, unknown keys, count not
 *   an integer in 1..1,000,000, groups not an integer in 1..count, runId not 1–64 printable ASCII
 *   characters without `:`, poisonEvery not an integer in 1..1,000,000.
 */
export function parseProducerPayload(payload: unknown, newRunId: () => string = randomUUID): ProducerRequest {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidProducerPayloadError(['the payload must be a JSON object such as {"count": 100, "groups": 10}']);
  }
  const input = payload as Record<string, unknown>;
  const issues: string[] = [];
  for (const key of Object.keys(input)) {
    if (!(PAYLOAD_KEYS as readonly string[]).includes(key)) issues.push(`unknown field "${key}" (allowed: ${PAYLOAD_KEYS.join(', ')})`);
  }
  const { count, groups, runId, poisonEvery } = input;
  const isCountValid = isIntegerIn(count, 1, PRODUCER_LIMITS.maxCount);
  if (!isCountValid) issues.push(`count must be an integer from 1 to ${PRODUCER_LIMITS.maxCount}, got ${JSON.stringify(count)}`);
  if (!isIntegerIn(groups, 1, isCountValid ? count : PRODUCER_LIMITS.maxCount)) {
    issues.push(`groups must be an integer from 1 to count${isCountValid ? ` (${count})` : ''}, got ${JSON.stringify(groups)}`);
  }
  if (runId !== undefined && (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId))) {
    issues.push(`runId must be 1-64 printable ASCII characters (no spaces, no ":"), got ${JSON.stringify(runId)}`);
  }
  if (poisonEvery !== undefined && !isIntegerIn(poisonEvery, 1, PRODUCER_LIMITS.maxCount)) {
    issues.push(`poisonEvery must be an integer from 1 to ${PRODUCER_LIMITS.maxCount}, got ${JSON.stringify(poisonEvery)}`);
  }
  if (issues.length > 0) throw new InvalidProducerPayloadError(issues);
  return {
    count: count as number,
    groups: groups as number,
    runId: (runId as string | undefined) ?? newRunId(),
    ...(poisonEvery === undefined ? {} : { poisonEvery: poisonEvery as number }),
  };
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** What {@link sendOrderEvents} needs besides the request. */
export interface SendDeps {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Most SendMessageBatch requests in flight at once. */
  readonly concurrency: number;
  /** Attempts per entry before it counts as failed. */
  readonly maxAttempts: number;
  readonly logger: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  /** `Date.now()` value after which no new batch starts; Infinity for none. */
  readonly stopAt: number;
}

/** Counts returned by {@link sendOrderEvents}. */
export interface SendCounts {
  sent: number;
  failed: number;
  batches: number;
}

// SQS error codes that are client faults in the SDK's eyes but go away on their own.
const THROTTLING_CODES = new Set(['RequestThrottled', 'ThrottlingException', 'KmsThrottled', 'OverLimit']);

/**
 * Sends the events of a request and counts the outcome.
 *
 * Ordering. In a FIFO queue a group's order is the order in which SQS *accepted* its messages, so
 * the producer must never let a later event of an order be accepted before an earlier one:
 * - Groups are split into lanes (group g goes to lane (g-1) mod L, with L = min(concurrency,
 *   ceil(G/10)) so each lane can still fill batches of 10). A lane has at most one request in
 *   flight and only its lane sends a group's events, so no group is ever in two in-flight batches.
 * - A batch holds at most one event per group: SendMessageBatch reports entries individually, so
 *   with two events of one group in a batch the later one could be accepted while the earlier one
 *   failed. The cost: with fewer than 10 groups, batches are smaller than 10.
 * - A group's next event is built only after its previous one was accepted. A failed entry is
 *   retried (same deduplication id) in the lane's next batch after an exponential backoff, so a
 *   retry is never overtaken by a later sequence number of its group.
 * - An entry that fails `maxAttempts` times (or fails with a sender fault, which retrying cannot
 *   fix) is given up together with the rest of its group, so a consumer never sees a gap followed
 *   by later events. They count in `failed`.
 * A whole request that throws (network, throttling, 5xx) is a failed attempt of every entry in it;
 * if SQS had in fact accepted some, the retry's identical deduplication ids make SQS drop them.
 *
 * @throws {SendBatchRejectedError} when SQS rejects a request with a non-throttling sender fault
 *   (queue missing, access denied, …); the other lanes stop before their next batch.
 */
export async function sendOrderEvents(request: ProducerRequest, deps: SendDeps): Promise<SendCounts> {
  const { count, groups } = request;
  const laneCount = Math.min(deps.concurrency, Math.ceil(groups / PRODUCER_LIMITS.batchSize));
  const nextSeq = new Uint32Array(groups + 1).fill(1);
  const attempts = new Uint8Array(groups + 1);
  const base = Math.floor(count / groups);
  const extra = count % groups;
  const sizeOf = (group: number): number => base + (group <= extra ? 1 : 0);
  const counts: SendCounts = { sent: 0, failed: 0, batches: 0 };
  let abortError: unknown;

  const buildEntry = (group: number, index: number): SendMessageBatchRequestEntry => {
    const seq = nextSeq[group] as number;
    // Events are numbered round-robin over the groups: event i is (group i mod G + 1, seq floor(i / G) + 1).
    const eventNumber = (seq - 1) * groups + group;
    const isPoison = request.poisonEvery !== undefined && eventNumber % request.poisonEvery === 0;
    const event: OrderEvent = {
      runId: request.runId,
      orderId: orderIdFor(group),
      seq,
      type: orderEventType(seq),
      sentAt: new Date().toISOString(),
      ...(isPoison ? { poison: true as const } : {}),
    };
    return { Id: `e${index}`, MessageBody: JSON.stringify(event), MessageGroupId: event.orderId, MessageDeduplicationId: dedupIdFor(event) };
  };

  const giveUp = (group: number, code: string, message: string): void => {
    const withheld = sizeOf(group) - (nextSeq[group] as number) + 1;
    counts.failed += withheld;
    deps.logger.warn('send-failed', { runId: request.runId, group: orderIdFor(group), sequence: nextSeq[group], attempts: attempts[group], code, error: message, withheld });
  };

  const runLane = async (lane: number): Promise<void> => {
    const ready = new GroupQueue();
    for (let group = lane + 1; group <= groups; group += laneCount) ready.push(group);
    let retry: number[] = [];
    while (retry.length > 0 || ready.length > 0) {
      if (abortError !== undefined) return;
      if (Date.now() >= deps.stopAt) {
        for (const group of [...retry, ...ready.drain()]) giveUp(group, 'DeadlineReached', 'the invocation is about to time out');
        return;
      }
      const batch = retry.slice(0, PRODUCER_LIMITS.batchSize);
      retry = retry.slice(batch.length);
      if (batch.length > 0) {
        const attempt = Math.max(...batch.map((group) => attempts[group] as number));
        await deps.sleep(deps.random() * Math.min(deps.backoff.maxMs, deps.backoff.baseMs * 2 ** (attempt - 1)));
      }
      while (batch.length < PRODUCER_LIMITS.batchSize && ready.length > 0) batch.push(ready.shift());
      const entries = batch.map((group, index) => buildEntry(group, index));
      for (const group of batch) attempts[group] = (attempts[group] as number) + 1;
      counts.batches += 1;

      let output: SendMessageBatchCommandOutput | undefined;
      let requestError: { code: string; message: string } | undefined;
      try {
        output = await deps.client.send(new SendMessageBatchCommand({ QueueUrl: deps.queueUrl, Entries: entries }));
      } catch (error) {
        if (error instanceof SQSServiceException && error.$fault === 'client' && !THROTTLING_CODES.has(error.name)) {
          abortError = new SendBatchRejectedError(`${error.name}: ${error.message}`, { cause: error });
          throw abortError;
        }
        requestError = { code: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
      }

      const accepted = new Set((output?.Successful ?? []).map((entry) => entry.Id));
      const rejected = new Map((output?.Failed ?? []).map((entry) => [entry.Id, entry]));
      batch.forEach((group, index) => {
        const id = `e${index}`;
        if (accepted.has(id)) {
          counts.sent += 1;
          attempts[group] = 0;
          nextSeq[group] = (nextSeq[group] as number) + 1;
          if ((nextSeq[group] as number) <= sizeOf(group)) ready.push(group);
          return;
        }
        const failure = rejected.get(id);
        const code = failure?.Code ?? requestError?.code ?? 'MissingResult';
        const message = failure?.Message ?? requestError?.message ?? 'SQS returned no result for this entry';
        if (failure?.SenderFault === true || (attempts[group] as number) >= deps.maxAttempts) giveUp(group, code, message);
        else retry.push(group);
      });
    }
  };

  const outcomes = await Promise.allSettled(Array.from({ length: laneCount }, (_, lane) => runLane(lane)));
  const rejectedLane = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (rejectedLane !== undefined) throw rejectedLane.reason;
  return counts;
}

/** A FIFO of group numbers with O(1) shift (Array#shift is O(n), and a lane may hold ~125,000 groups). */
class GroupQueue {
  #items: number[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(group: number): void {
    this.#items.push(group);
  }

  /** Removes and returns the first group; call only when `length > 0`. */
  shift(): number {
    const group = this.#items[this.#head] as number;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return group;
  }

  /** Removes and returns all groups. */
  drain(): number[] {
    const rest = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return rest;
  }
}

/** The producer's Lambda handler signature; the context is optional so it can be called outside Lambda. */
export type ProducerHandler = (payload: unknown, context?: Context) => Promise<ProducerResult>;

/** Overrides for {@link createProducerHandler}; precedence: these, then the environment, then `DEFAULTS`. */
export interface ProducerOptions {
  readonly env?: Env;
  readonly config?: Partial<ProducerConfig>;
  /** SQS client to use (default: one `new SQSClient({})`, which honours AWS_ENDPOINT_URL_SQS and AWS_REGION). */
  readonly client?: SQSClient;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly newRunId?: () => string;
}

/**
 * Builds a producer handler. Configuration and the SQS client are created on the first invocation
 * and reused (one client per execution environment).
 *
 * It logs `{"message":"produced", runId, count, groups, sent, failed, batches, durationMs}` when
 * done (Powertools JSON line), which tells `mqs verify` how many events a run should have.
 *
 * @throws {InvalidProducerPayloadError} when the payload is invalid (nothing is sent).
 * @throws {MissingEnvError} when QUEUE_URL is not set; {@link InvalidEnvError} for bad SEND_* values.
 * @throws {SendBatchRejectedError} when SQS rejects a request in a way retrying cannot fix.
 */
export function createProducerHandler(options: ProducerOptions = {}): ProducerHandler {
  let runtime: { config: ProducerConfig; client: SQSClient; logger: Logger } | undefined;

  return async (payload, context) => {
    const startedAt = performance.now();
    if (runtime === undefined) {
      const config = { ...readProducerConfig(options.env, context?.functionName), ...options.config };
      runtime = { config, client: options.client ?? new SQSClient({}), logger: createLogger(SERVICE_NAMES.producer) };
    }
    const { config, client, logger } = runtime;
    if (context !== undefined) logger.addContext(context);
    const request = parseProducerPayload(payload, options.newRunId);
    logger.info('producing', { runId: request.runId, count: request.count, groups: request.groups, queueUrl: config.queueUrl });
    const counts = await sendOrderEvents(request, {
      client,
      queueUrl: config.queueUrl,
      concurrency: config.sendConcurrency,
      maxAttempts: config.sendMaxAttempts,
      logger,
      sleep: options.sleep ?? ((ms) => sleep(ms)),
      random: options.random ?? Math.random,
      backoff: options.backoff ?? BACKOFF_DEFAULTS,
      stopAt: context === undefined ? Number.POSITIVE_INFINITY : Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
    });
    const result: ProducerResult = { ...counts, durationMs: Math.round(performance.now() - startedAt), runId: request.runId };
    logger.info('produced', { runId: request.runId, count: request.count, groups: request.groups, sent: result.sent, failed: result.failed, batches: result.batches, durationMs: result.durationMs });
    return result;
  };
}

/** The handler Lambda runs for the producer. */
export const handler: ProducerHandler = createProducerHandler();
