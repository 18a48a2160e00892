/** @module test/functions/process-record.test — the business-logic seam and its in-memory order state, with deterministic failure injection. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderBook } from '../../src/functions/order-book.ts';
import { processRecord, type ProcessRecordDeps } from '../../src/functions/process-record.ts';
import { InjectedFailureError, InvalidOrderEventError, PoisonMessageError } from '../../src/functions/shared/errors.ts';
import { dedupIdFor, orderEventType, parseOrderEvent } from '../../src/functions/shared/order-event.ts';
import { orderRecord, sqsRecordFactory } from './factories.ts';

function deps(overrides: Partial<ProcessRecordDeps> = {}): ProcessRecordDeps {
  return { failureRate: 0, poisonMarker: '', workMs: 0, random: () => 0.5, sleep: async () => undefined, orders: new OrderBook(), ...overrides };
}

describe('processRecord', () => {
  it('applies the event to the order state and returns it', async () => {
    const orders = new OrderBook();
    const result = await processRecord(orderRecord('r1', 'order-1', 1), deps({ orders }));
    assert.equal(result.status, 'applied');
    assert.deepEqual([result.event.orderId, result.event.seq], ['order-1', 1]);
    assert.deepEqual(orders.get('r1', 'order-1'), { runId: 'r1', orderId: 'order-1', lastSeq: 1, lastType: 'created', applied: 1 });
  });

  it('fails exactly when random() is below FAILURE_RATE', async () => {
    const record = orderRecord('r2', 'order-1', 1);
    await assert.rejects(processRecord(record, deps({ failureRate: 0.3, random: () => 0.29 })), InjectedFailureError);
    const result = await processRecord(record, deps({ failureRate: 0.3, random: () => 0.3 }));
    assert.equal(result.status, 'applied');
  });

  it('never draws a random number when FAILURE_RATE is 0', async () => {
    let draws = 0;
    await processRecord(orderRecord('r3', 'order-1', 1), deps({ random: () => (draws += 1, 0) }));
    assert.equal(draws, 0);
  });

  it('always fails poison, whatever the random source says', async () => {
    await assert.rejects(processRecord(orderRecord('r4', 'order-1', 1, { poison: true }), deps({ random: () => 0.99 })), PoisonMessageError);
    await assert.rejects(processRecord(sqsRecordFactory('x-MARK-y', { groupId: 'g' }), deps({ poisonMarker: 'MARK' })), PoisonMessageError);
  });

  it('rejects bodies that are not order events', async () => {
    for (const body of ['{', '[]', '{"runId":"r","orderId":"o","seq":0,"type":"created","sentAt":"t"}', '{"runId":"r","orderId":"o","seq":1,"type":"lost","sentAt":"t"}', '{"runId":"r","orderId":"o","seq":1,"type":"paid","sentAt":"t","poison":"yes"}']) {
      await assert.rejects(processRecord(sqsRecordFactory(body, { groupId: 'o' }), deps()), InvalidOrderEventError, body);
    }
  });

  it('waits WORK_MS before applying', async () => {
    const waits: number[] = [];
    await processRecord(orderRecord('r5', 'order-1', 1), deps({ workMs: 40, sleep: async (ms) => void waits.push(ms) }));
    assert.deepEqual(waits, [40]);
  });
});

describe('OrderBook', () => {
  it('reports a seq that is not newer than the last applied one as a duplicate and leaves the state alone', () => {
    const book = new OrderBook();
    const event = (seq: number) => parseOrderEvent(JSON.stringify({ runId: 'r', orderId: 'o', seq, type: orderEventType(seq), sentAt: 't' }));
    assert.equal(book.apply(event(1)), 'applied');
    assert.equal(book.apply(event(3)), 'applied', 'a gap is fine: another instance may have applied seq 2');
    assert.equal(book.apply(event(2)), 'duplicate');
    assert.equal(book.apply(event(3)), 'duplicate');
    assert.deepEqual(book.get('r', 'o'), { runId: 'r', orderId: 'o', lastSeq: 3, lastType: 'packed', applied: 2 });
  });

  it('keeps runs apart and evicts the least recently updated order beyond its capacity', () => {
    const book = new OrderBook(2);
    const event = (runId: string, orderId: string) => parseOrderEvent(JSON.stringify({ runId, orderId, seq: 1, type: 'created', sentAt: 't' }));
    book.apply(event('r1', 'a'));
    book.apply(event('r2', 'a'));
    book.apply(event('r1', 'b'));
    assert.equal(book.size, 2);
    assert.equal(book.get('r1', 'a'), undefined);
    assert.ok(book.get('r2', 'a') !== undefined && book.get('r1', 'b') !== undefined);
  });
});

describe('order event ids', () => {
  it('derives the deduplication id from run id, order id and seq', () => {
    assert.equal(dedupIdFor({ runId: 'run-1', orderId: 'order-7', seq: 42 }), 'run-1:order-7:42');
  });

  it('cycles the event types by seq', () => {
    assert.deepEqual([1, 2, 5, 6].map(orderEventType), ['created', 'paid', 'delivered', 'created']);
  });
});
