/** @module functions/shared/order-event — the order event the producer sends and the consumers apply: shape, ids, parsing. */

import { InvalidOrderEventError } from './errors.ts';

/**
 * Event types in the order they cycle through a group's sequence (seq 1 is `created`, seq 6 is
 * `created` again). The workload is synthetic: the type makes logs readable, ordering is carried by `seq`.
 */
export const ORDER_EVENT_TYPES = ['created', 'paid', 'packed', 'shipped', 'delivered'] as const;

/** One of {@link ORDER_EVENT_TYPES}. */
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/**
 * The JSON body of every message on the orders queue.
 *
 * - `runId`: the producer invocation's run id (also the prefix of the deduplication id).
 * - `orderId`: the order, which is also the SQS `MessageGroupId`, so one order's events stay in order.
 * - `seq`: 1-based position of the event within its order (group).
 * - `type`: see {@link ORDER_EVENT_TYPES}.
 * - `sentAt`: ISO-8601 time the producer built the message.
 * - `poison`: present and `true` only on messages that must always fail (failure injection).
 */
export interface OrderEvent {
  readonly runId: string;
  readonly orderId: string;
  readonly seq: number;
  readonly type: OrderEventType;
  readonly sentAt: string;
  readonly poison?: true;
}

/**
 * Run ids: 1–64 printable ASCII characters (0x21–0x7E, the deduplication-id charset) except `:`,
 * which separates the parts of the deduplication id. 64 leaves room for `:order-<G>:<seq>` within
 * the 128-character SQS limit for any count up to 1,000,000.
 */
export const RUN_ID_PATTERN = /^[\x21-\x39\x3B-\x7E]{1,64}$/;

/** The type of the event at a 1-based position in its group. */
export function orderEventType(seq: number): OrderEventType {
  return ORDER_EVENT_TYPES[(seq - 1) % ORDER_EVENT_TYPES.length] as OrderEventType;
}

/** The order id (and MessageGroupId) of the 1-based group number `group`: `order-1`, `order-2`, … */
export function orderIdFor(group: number): string {
  return `order-${group}`;
}

/**
 * The MessageDeduplicationId of an event: `${runId}:${orderId}:${seq}`. Deterministic, so a retried
 * or re-invoked producer run with the same run id sends the same ids and SQS drops the duplicates
 * (within its 5-minute deduplication window).
 */
export function dedupIdFor(event: Pick<OrderEvent, 'runId' | 'orderId' | 'seq'>): string {
  return `${event.runId}:${event.orderId}:${event.seq}`;
}

/**
 * Parses and checks a message body.
 * @throws {InvalidOrderEventError} when the body is not JSON, not an object, or a field is missing or has the wrong type.
 */
export function parseOrderEvent(body: string): OrderEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidOrderEventError('body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOrderEventError('body is not a JSON object');
  }
  const record = value as Record<string, unknown>;
  const { runId, orderId, seq, type, sentAt, poison } = record;
  if (typeof runId !== 'string' || runId === '') throw new InvalidOrderEventError('runId must be a non-empty string');
  if (typeof orderId !== 'string' || orderId === '') throw new InvalidOrderEventError('orderId must be a non-empty string');
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) throw new InvalidOrderEventError('seq must be an integer >= 1');
  if (typeof type !== 'string' || !(ORDER_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new InvalidOrderEventError(`type must be one of ${ORDER_EVENT_TYPES.join(', ')}`);
  }
  if (typeof sentAt !== 'string') throw new InvalidOrderEventError('sentAt must be a string');
  if (poison !== undefined && poison !== true) throw new InvalidOrderEventError('poison, when present, must be true');
  return { runId, orderId, seq, type: type as OrderEventType, sentAt, ...(poison === true ? { poison } : {}) };
}
