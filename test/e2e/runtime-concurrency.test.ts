/** @module test/e2e/runtime-concurrency: batches in flight are bounded by MaximumConcurrency, and on FIFO by the groups. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { InvocationRecord } from '../../src/runtime/index.ts';
import { fixturePlan } from './fixtures/fixture-stack.ts';
import { sendGroups } from './fixtures/messages.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const STACK = 'conc';

const deletedBy = (mappingId: string) => (records: readonly InvocationRecord[]) =>
  records.filter((record) => record.batch?.mappingId === mappingId).reduce((sum, record) => sum + (record.batch?.deletedIds.length ?? 0), 0);
const maxOf = (records: readonly InvocationRecord[], mappingId: string, key: 'mappingConcurrency' | 'functionConcurrency') =>
  Math.max(0, ...records.filter((record) => record.batch?.mappingId === mappingId).map((record) => record.batch?.[key] ?? 0));

describe('concurrency of an event source mapping', () => {
  let h: RuntimeHarness;
  before(async () => {
    const plan = fixturePlan(STACK, {
      queues: { TwoGroups: { isFifo: true, visibilityTimeoutSeconds: 30 }, Plain: { visibilityTimeoutSeconds: 30 } },
      functions: {
        Slow: { handler: 'ordered.handler', environment: { WORK_MS: '100' } },
        SlowToo: { handler: 'ordered.handler', environment: { WORK_MS: '100' } },
      },
      mappings: {
        TwoGroupsMapping: { fn: 'Slow', queue: 'TwoGroups', batchSize: 1, maximumConcurrency: 5 },
        PlainMapping: { fn: 'SlowToo', queue: 'Plain', batchSize: 1, maximumConcurrency: 2 },
      },
    });
    h = await startHarness(plan, {
      beforeRuntime: async ({ sqs, urlOf }) => {
        await sendGroups(sqs, urlOf('TwoGroups'), ['a', 'b'], 6);
        const entries = Array.from({ length: 8 }, (_, i) => ({ Id: `p${i}`, MessageBody: JSON.stringify({ seq: i + 1 }) }));
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: urlOf('Plain'), Entries: entries }));
      },
    });
  });
  after(async () => h?.stop());

  it('runs min(groups with messages, MaximumConcurrency) batches at once on a FIFO queue', async () => {
    await h.waitFor('12 deletions', (records) => deletedBy('TwoGroupsMapping')(records) === 12);
    // MaximumConcurrency is 5, but the server locks a group while its message is in flight: two groups, two batches.
    assert.equal(maxOf(h.records, 'TwoGroupsMapping', 'mappingConcurrency'), 2);
    assert.equal(maxOf(h.records, 'TwoGroupsMapping', 'functionConcurrency'), 2);
    const stats = h.runtime.stats().functions.find((fn) => fn.name === `${STACK}-Slow`);
    assert.equal(stats?.maxConcurrentExecutions, 2);
    assert.ok((stats?.coldStarts ?? 0) <= 2, 'no more instances than concurrent batches');
  });

  it('never runs more batches at once than MaximumConcurrency on a standard queue', async () => {
    await h.waitFor('8 deletions', (records) => deletedBy('PlainMapping')(records) === 8);
    assert.equal(maxOf(h.records, 'PlainMapping', 'mappingConcurrency'), 2);
    assert.equal(maxOf(h.records, 'PlainMapping', 'functionConcurrency'), 2);
    assert.equal(h.runtime.stats().mappings.find((mapping) => mapping.id === 'PlainMapping')?.maxInFlightBatches, 2);
  });
});
