/**
 * @module test/e2e/runtime-fifo: FIFO through the event source mapping: group order, a group's failures retried before
 * its later messages, and redrive to the DLQ.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { InvocationRecord } from '../../src/runtime/index.ts';
import { fixturePlan } from './fixtures/fixture-stack.ts';
import { sendGroups } from './fixtures/messages.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const STACK = 'fifo';
const GROUPS = ['g1', 'g2', 'g3'];
const PER_GROUP = 5;
const MAX_RECEIVE_COUNT = 2;
/**
 * g2's 2nd message fails its first delivery; g3's 3rd always fails (poison). g3's 4th and 5th come in the same batches
 * as the poison message and are reported failed with it (stop at the first failure), so their receive counts grow too
 * and, as on AWS, they reach the DLQ together with it.
 */
const SPECIAL: Record<string, Record<string, unknown>> = { 'g2-2': { failUntil: 2 }, 'g3-3': { poison: true } };


const deletedBy = (mappingId: string) => (records: readonly InvocationRecord[]) =>
  records.filter((record) => record.batch?.mappingId === mappingId).reduce((sum, record) => sum + (record.batch?.deletedIds.length ?? 0), 0);

describe('FIFO order through the event source mapping', () => {
  let h: RuntimeHarness;
  before(async () => {
    const plan = fixturePlan(STACK, {
      queues: {
        Dlq: { isFifo: true },
        // Short, to see retries and the redrive quickly; the instances are warmed first so a batch (10 messages of
        // 5 ms) never outlives it, which would make a second delivery legitimate.
        Orders: { isFifo: true, visibilityTimeoutSeconds: 2, deadLetter: { queue: 'Dlq', maxReceiveCount: MAX_RECEIVE_COUNT } },
      },
      functions: { Ordered: { handler: 'ordered.handler', logFormat: 'JSON', environment: { WORK_MS: '5' } } },
      mappings: { OrdersMapping: { fn: 'Ordered', queue: 'Orders', maximumConcurrency: 5 } },
    });
    h = await startHarness(plan, { isPolling: false });
    await Promise.all(GROUPS.map(() => h.runtime.invoke(`${STACK}-Ordered`, { Records: [] })));
    await sendGroups(h.sqs, h.queueUrl('Orders'), GROUPS, PER_GROUP, SPECIAL);
    await h.runtime.setMappingEnabled('OrdersMapping', true);
  });
  after(async () => h?.stop());

  it('keeps each group in order, retries a failed message before the later ones, and redrives a poison message to the DLQ', async () => {
    const expected = GROUPS.length * PER_GROUP - 3; // all but g3's 3, 4 and 5
    const group = `/aws/lambda/${STACK}-Ordered`;
    // Done when the others are deleted and the poison message failed its last delivery (the next receive moves it).
    await h.waitFor(
      `${expected} deletions and the last delivery of the poison message`,
      (records) =>
        deletedBy('OrdersMapping')(records) === expected &&
        h.runtime.logStore.query({ group, filter: `"group":"g3","seq":3,"receiveCount":${MAX_RECEIVE_COUNT}` }).length > 0,
    );
    assert.equal(h.runtime.stats().functions[0]?.coldStarts, GROUPS.length, 'every batch ran on a warmed instance');
    const lines = h.runtime.logStore
      .query({ group, filter: '"outcome"' })
      .map((event) => (JSON.parse(event.message) as { message: { outcome: string; group: string; seq: number; receiveCount: number } }).message);
    const processed = (group: string) => lines.filter((line) => line.group === group && line.outcome === 'processed').map((line) => line.seq);
    assert.deepEqual(processed('g1'), [1, 2, 3, 4, 5]);
    assert.deepEqual(processed('g2'), [1, 2, 3, 4, 5]);
    assert.deepEqual(processed('g3'), [1, 2]);
    // g2's second message failed once, and was processed (on its second delivery) before g2's third.
    const g2 = lines.filter((line) => line.group === 'g2');
    const failedAt = g2.findIndex((line) => line.seq === 2 && line.outcome === 'failed');
    const retriedAt = g2.findIndex((line) => line.seq === 2 && line.outcome === 'processed');
    assert.ok(failedAt >= 0 && retriedAt > failedAt);
    assert.equal(g2[retriedAt]?.receiveCount, 2);
    assert.ok(
      g2.slice(0, retriedAt).every((line) => line.seq <= 2 || line.outcome === 'failed'),
      'no later message of g2 was processed before the retry',
    );
    // The poison message was delivered maxReceiveCount times, then moved.
    assert.deepEqual(
      lines.filter((line) => line.group === 'g3' && line.seq === 3).map((line) => line.receiveCount),
      Array.from({ length: MAX_RECEIVE_COUNT }, (_, index) => index + 1),
    );
    const dlq = h.queueUrl('Dlq');
    // The move happens on the next receive from the queue, one visibility timeout later: a long poll waits for it.
    const { Messages = [] } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 10, MessageSystemAttributeNames: ['MessageGroupId'] }));
    assert.deepEqual(
      Messages.map((message) => JSON.parse(message.Body ?? '{}') as unknown),
      [{ group: 'g3', seq: 3, poison: true }, { group: 'g3', seq: 4 }, { group: 'g3', seq: 5 }],
    );
    assert.ok(Messages.every((message) => message.Attributes?.MessageGroupId === 'g3'));
  });
});
