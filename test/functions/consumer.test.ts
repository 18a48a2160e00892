/** @module test/functions/consumer.test — the consumer handler on real SQSEvent shapes: partial failures within and across groups, log lines, metrics. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { createConsumerHandler, handler } from '../../src/functions/consumer.ts';
import { OrderBook } from '../../src/functions/order-book.ts';
import { InvalidEnvError } from '../../src/functions/shared/errors.ts';
import { captureJsonLines, contextFactory, emfLines, logLines, orderRecord, sqsEventFactory, sqsRecordFactory } from './factories.ts';

const FUNCTION_NAME = 'mqs-consumer-1';
const baseEnv = { AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME, MQS_ROLE: 'consumer-1' };
const noSleep = async (): Promise<void> => undefined;

/** A random source that returns the given values in turn, then 0.999 (never below a rate < 0.999). */
function scriptedRandom(...values: number[]): () => number {
  return () => values.shift() ?? 0.999;
}

function metricTotal(lines: ReturnType<typeof emfLines>, name: string): number {
  // Powertools writes one value, or an array when the metric was added several times in an invocation.
  const values = lines.flatMap((line) => line[name] ?? []);
  return values.reduce((sum: number, value) => sum + (value as number), 0);
}

describe('consumer handler', () => {
  it('processes every record and logs one exact "processed" line per message', async () => {
    // Prepare
    const consume = createConsumerHandler({ env: baseEnv, sleep: noSleep });
    const records = [orderRecord('run-a', 'order-1', 1), orderRecord('run-a', 'order-1', 2), orderRecord('run-a', 'order-2', 1, {}, { receiveCount: 2 })];
    // Act
    const { result, error, lines } = await captureJsonLines(() => consume(sqsEventFactory(records), contextFactory(FUNCTION_NAME)));
    // Assess
    assert.equal(error, undefined);
    assert.deepEqual(result, { batchItemFailures: [] });
    const processed = logLines(lines, 'processed');
    assert.deepEqual(
      processed.map((line) => ({ function: line.function, group: line.group, sequence: line.sequence, messageId: line.messageId, receiveCount: line.receiveCount, runId: line.runId })),
      [
        { function: FUNCTION_NAME, group: 'order-1', sequence: 1, messageId: records[0]?.messageId, receiveCount: 1, runId: 'run-a' },
        { function: FUNCTION_NAME, group: 'order-1', sequence: 2, messageId: records[1]?.messageId, receiveCount: 1, runId: 'run-a' },
        { function: FUNCTION_NAME, group: 'order-2', sequence: 1, messageId: records[2]?.messageId, receiveCount: 2, runId: 'run-a' },
      ],
    );
    assert.ok(processed.every((line) => line.level === 'INFO' && line.service === 'mqs-consumer'));
    assert.equal(metricTotal(emfLines(lines), 'ProcessedMessages'), 3);
  });

  it('fails the poisoned record and the later records of its group, and processes the other groups', async () => {
    // Prepare: order-1's seq 2 is poison; order-2 is interleaved with it.
    const consume = createConsumerHandler({ env: baseEnv, sleep: noSleep });
    const a1 = orderRecord('run-b', 'order-1', 1);
    const b1 = orderRecord('run-b', 'order-2', 1);
    const a2 = orderRecord('run-b', 'order-1', 2, { poison: true });
    const b2 = orderRecord('run-b', 'order-2', 2);
    const a3 = orderRecord('run-b', 'order-1', 3);
    const b3 = orderRecord('run-b', 'order-2', 3);
    // Act
    const { result, lines } = await captureJsonLines(() => consume(sqsEventFactory([a1, b1, a2, b2, a3, b3]), contextFactory(FUNCTION_NAME)));
    // Assess
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: a2.messageId }, { itemIdentifier: a3.messageId }] });
    assert.deepEqual(
      logLines(lines, 'processed').map((line) => `${line.group}#${line.sequence}`),
      ['order-1#1', 'order-2#1', 'order-2#2', 'order-2#3'],
    );
    const failed = logLines(lines, 'failed');
    assert.equal(failed.length, 1, 'a3 is skipped by the processor, not run, so only a2 logs "failed"');
    assert.equal(failed[0]?.messageId, a2.messageId);
    assert.equal(failed[0]?.sequence, 2);
    assert.equal(failed[0]?.level, 'ERROR');
    assert.equal((failed[0]?.error as { name?: string }).name, 'PoisonMessageError');
    assert.equal(metricTotal(emfLines(lines), 'FailedMessages'), 1);
    assert.equal(metricTotal(emfLines(lines), 'ProcessedMessages'), 4);
  });

  it('reports an injected transient failure for its group only, across several failing groups', async () => {
    // Prepare: FAILURE_RATE 0.5; random() < 0.5 fails. Call order: a1 ok, b1 fails, c1 ok, a2 fails; b2 is skipped (not run), c2 ok.
    const consume = createConsumerHandler({ env: { ...baseEnv, FAILURE_RATE: '0.5' }, random: scriptedRandom(0.9, 0.1, 0.9, 0.1, 0.9), sleep: noSleep });
    const a1 = orderRecord('run-c', 'order-1', 1);
    const b1 = orderRecord('run-c', 'order-2', 1);
    const c1 = orderRecord('run-c', 'order-3', 1);
    const a2 = orderRecord('run-c', 'order-1', 2);
    const b2 = orderRecord('run-c', 'order-2', 2);
    const c2 = orderRecord('run-c', 'order-3', 2);
    // Act
    const { result, lines } = await captureJsonLines(() => consume(sqsEventFactory([a1, b1, c1, a2, b2, c2]), contextFactory(FUNCTION_NAME)));
    // Assess
    assert.deepEqual(result, { batchItemFailures: [b1, a2, b2].map((record) => ({ itemIdentifier: record.messageId })) });
    assert.deepEqual(logLines(lines, 'processed').map((line) => line.messageId), [a1.messageId, c1.messageId, c2.messageId]);
    assert.deepEqual(
      logLines(lines, 'failed').map((line) => [line.messageId, (line.error as { name?: string }).name]),
      [
        [b1.messageId, 'InjectedFailureError'],
        [a2.messageId, 'InjectedFailureError'],
      ],
    );
  });

  it('throws FullBatchFailureError when every record of the batch fails, so the invocation is an error', async () => {
    const consume = createConsumerHandler({ env: baseEnv, sleep: noSleep });
    const records = [orderRecord('run-d', 'order-1', 1, { poison: true }), orderRecord('run-d', 'order-1', 2)];
    const { error, lines } = await captureJsonLines(() => consume(sqsEventFactory(records), contextFactory(FUNCTION_NAME)));
    assert.ok(error instanceof FullBatchFailureError);
    assert.equal(logLines(lines, 'processed').length, 0);
    assert.equal(logLines(lines, 'failed').length, 1);
    assert.equal(metricTotal(emfLines(lines), 'FailedMessages'), 1, 'metrics are flushed even when the invocation fails');
  });

  it('fails a body containing POISON_MARKER and an unparsable body, whose "failed" line has no sequence or runId', async () => {
    const consume = createConsumerHandler({ env: { ...baseEnv, POISON_MARKER: 'BOOM' }, sleep: noSleep });
    const marked = orderRecord('run-e', 'order-1', 1, { note: 'BOOM' });
    const garbage = sqsRecordFactory('not json', { groupId: 'order-2' });
    const fine = orderRecord('run-e', 'order-3', 1);
    const { result, lines } = await captureJsonLines(() => consume(sqsEventFactory([marked, garbage, fine]), contextFactory(FUNCTION_NAME)));
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: marked.messageId }, { itemIdentifier: garbage.messageId }] });
    const failed = logLines(lines, 'failed');
    assert.deepEqual(
      failed.map((line) => [(line.error as { name?: string }).name, line.sequence, line.runId, line.group]),
      [
        ['PoisonMessageError', 1, 'run-e', 'order-1'],
        ['InvalidOrderEventError', undefined, undefined, 'order-2'],
      ],
    );
    assert.ok(!('sequence' in (failed[1] ?? {})) && !('runId' in (failed[1] ?? {})), 'Powertools drops null keys');
  });

  it('acknowledges a redelivered event once applied and logs it as "duplicate", not "processed"', async () => {
    const orders = new OrderBook();
    const consume = createConsumerHandler({ env: baseEnv, sleep: noSleep, orders });
    const first = orderRecord('run-f', 'order-1', 1);
    const redelivered = { ...first, attributes: { ...first.attributes, ApproximateReceiveCount: '2' } };
    await captureJsonLines(() => consume(sqsEventFactory([first]), contextFactory(FUNCTION_NAME)));
    const { result, lines } = await captureJsonLines(() => consume(sqsEventFactory([redelivered]), contextFactory(FUNCTION_NAME)));
    assert.deepEqual(result, { batchItemFailures: [] });
    assert.equal(logLines(lines, 'processed').length, 0);
    assert.deepEqual(logLines(lines, 'duplicate').map((line) => [line.sequence, line.receiveCount]), [[1, 2]]);
    assert.equal(orders.get('run-f', 'order-1')?.applied, 1);
  });

  it('simulates WORK_MS of work per message', async () => {
    const waits: number[] = [];
    const consume = createConsumerHandler({ env: { ...baseEnv, WORK_MS: '25' }, sleep: async (ms) => void waits.push(ms) });
    await captureJsonLines(() => consume(sqsEventFactory([orderRecord('run-g', 'order-1', 1), orderRecord('run-g', 'order-2', 1)]), contextFactory(FUNCTION_NAME)));
    assert.deepEqual(waits, [25, 25]);
  });

  it('fails the invocation with a message naming the variable when FAILURE_RATE is out of range', async () => {
    const consume = createConsumerHandler({ env: { ...baseEnv, FAILURE_RATE: '2' } });
    const { error } = await captureJsonLines(() => consume(sqsEventFactory([orderRecord('run-h', 'order-1', 1)]), contextFactory(FUNCTION_NAME)));
    assert.ok(error instanceof InvalidEnvError);
    assert.match(error.message, /FAILURE_RATE/);
  });

  it('exports a handler that takes its function name from AWS_LAMBDA_FUNCTION_NAME', async () => {
    const saved = { ...process.env };
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'mqs-consumer-2';
    process.env.FAILURE_RATE = '0';
    try {
      const record = orderRecord('run-i', 'order-9', 1);
      const { result, lines } = await captureJsonLines(() => handler(sqsEventFactory([record]), contextFactory('context-name')));
      assert.deepEqual(result, { batchItemFailures: [] });
      assert.deepEqual(logLines(lines, 'processed').map((line) => [line.function, line.group, line.messageId]), [['mqs-consumer-2', 'order-9', record.messageId]]);
    } finally {
      process.env = saved;
    }
  });
});
