/** @module functions/process-record — the business-logic seam: what a consumer does with one SQS record; replace `processRecord` with your own logic. */

import type { SQSRecord } from 'aws-lambda';
import type { OrderBook, ApplyResult } from './order-book.ts';
import { InjectedFailureError, PoisonMessageError } from './shared/errors.ts';
import { parseOrderEvent, type OrderEvent } from './shared/order-event.ts';

/**
 * Everything `processRecord` depends on, passed in so tests can make it deterministic
 * (a fixed `random`, an instant `sleep`, a fresh `orders` book).
 */
export interface ProcessRecordDeps {
  /** Probability (0..1) of an injected transient failure (`FAILURE_RATE`). */
  readonly failureRate: number;
  /** A body containing this text always fails (`POISON_MARKER`); empty disables the check. */
  readonly poisonMarker: string;
  /** Simulated work per message in ms (`WORK_MS`). */
  readonly workMs: number;
  /** Returns a number in [0, 1); `Math.random` in production. */
  readonly random: () => number;
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The order state the events are applied to. */
  readonly orders: OrderBook;
}

/** What happened to a record that did not throw. */
export interface ProcessRecordResult {
  readonly event: OrderEvent;
  readonly status: ApplyResult;
}

/**
 * Handles one record: parse the order event, apply the failure injection, simulate the work,
 * apply the event to the order's state. The consumer handler calls it once per record, in queue
 * order, and writes the `processed` / `duplicate` / `failed` log line around it, so your
 * replacement keeps the log lines `mqs verify` needs.
 *
 * Throwing fails the record: the FIFO processor then also fails the later records of the same
 * message group in the batch (other groups go on), and SQS delivers them again after the
 * visibility timeout; after maxReceiveCount receives a message moves to the DLQ. Make your logic
 * idempotent: SQS delivers at least once.
 *
 * @throws {PoisonMessageError} when the body has `"poison": true` or contains the poison marker (always).
 * @throws {InvalidOrderEventError} when the body is not a valid order event (always).
 * @throws {InjectedFailureError} with probability `failureRate` (transient).
 */
export async function processRecord(record: SQSRecord, deps: ProcessRecordDeps): Promise<ProcessRecordResult> {
  if (deps.poisonMarker !== '' && record.body.includes(deps.poisonMarker)) throw new PoisonMessageError(record.messageId);
  const event = parseOrderEvent(record.body);
  if (event.poison === true) throw new PoisonMessageError(record.messageId);
  if (deps.failureRate > 0 && deps.random() < deps.failureRate) throw new InjectedFailureError(record.messageId, deps.failureRate);
  if (deps.workMs > 0) await deps.sleep(deps.workMs);
  return { event, status: deps.orders.apply(event) };
}
