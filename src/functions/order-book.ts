/** @module functions/order-book — the default business state: each order's progress, kept in memory per execution environment. */

import type { OrderEvent, OrderEventType } from './shared/order-event.ts';

/** What the consumer knows about one order (of one producer run). */
export interface OrderState {
  readonly runId: string;
  readonly orderId: string;
  /** Highest `seq` applied by this execution environment. */
  readonly lastSeq: number;
  readonly lastType: OrderEventType;
  /** Events of this order applied by this execution environment. */
  readonly applied: number;
}

/** `applied`: the event changed the state. `duplicate`: this environment already applied that seq (or a later one). */
export type ApplyResult = 'applied' | 'duplicate';

/** Default cap on the orders remembered, so a long-lived environment's memory stays bounded. */
export const DEFAULT_ORDER_BOOK_CAPACITY = 10_000;

/**
 * In-memory order state, the stand-in for a real store (DynamoDB, a database) in the default
 * {@link processRecord}. It lives as long as the Lambda execution environment, and consumer-1 and
 * consumer-2 (and each of their instances) keep separate books: one order's events may be spread
 * across them, so a book sees gaps in `seq` (another instance applied those) and only detects
 * redeliveries to itself. Orders are keyed by run id + order id, and the least recently updated
 * ones are evicted beyond `capacity`.
 */
export class OrderBook {
  readonly #orders = new Map<string, OrderState>();
  readonly #capacity: number;

  /** @throws {RangeError} when capacity is not a positive integer. */
  constructor(capacity: number = DEFAULT_ORDER_BOOK_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`OrderBook capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Applies an event; returns `duplicate` (and changes nothing) when its seq is not newer than the last one applied here. */
  apply(event: OrderEvent): ApplyResult {
    const key = `${event.runId}\u0000${event.orderId}`;
    const current = this.#orders.get(key);
    if (current !== undefined && event.seq <= current.lastSeq) return 'duplicate';
    this.#orders.delete(key); // re-insert so Map order is least-recently-updated first
    this.#orders.set(key, {
      runId: event.runId,
      orderId: event.orderId,
      lastSeq: event.seq,
      lastType: event.type,
      applied: (current?.applied ?? 0) + 1,
    });
    if (this.#orders.size > this.#capacity) {
      const oldest = this.#orders.keys().next().value;
      if (oldest !== undefined) this.#orders.delete(oldest);
    }
    return 'applied';
  }

  /** The state of one order, or undefined when this book has not seen it (or evicted it). */
  get(runId: string, orderId: string): OrderState | undefined {
    return this.#orders.get(`${runId}\u0000${orderId}`);
  }

  /** Number of orders remembered. */
  get size(): number {
    return this.#orders.size;
  }
}
