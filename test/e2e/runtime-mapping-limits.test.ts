/**
 * @module test/e2e/runtime-mapping-limits: the limits of an event source mapping through a real queue and runtime:
 * no event over the 6 MB invoke payload limit (§F.2), and the settings CreateEventSourceMapping refuses (§F.1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { POLLER_LIMITS } from '../../src/runtime/poller.ts';
import { fixturePlan, type MappingSpec, type QueueSpec } from './fixtures/fixture-stack.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const MESSAGE_COUNT = 10;
/** Ten of these are about 10 MB: one receive of ten would make an event far over 6 MB. */
const BODY_BYTES = 1_000_000;

describe('event source mapping: the 6 MB event limit', () => {
  let h: RuntimeHarness;
  before(async () => {
    const plan = fixturePlan('limits', {
      queues: { Big: { visibilityTimeoutSeconds: 60 } },
      functions: { Sized: { handler: 'sized.handler', memorySizeMb: 512 } },
      // A batching window, so the first batch gathers every message before it is cut.
      mappings: { BigMapping: { fn: 'Sized', queue: 'Big', batchSize: 10, maximumBatchingWindowSeconds: 1, maximumConcurrency: 2 } },
    });
    h = await startHarness(plan, {
      beforeRuntime: async ({ sqs, urlOf }) => {
        for (let i = 0; i < MESSAGE_COUNT; i++) {
          await sqs.send(new SendMessageCommand({ QueueUrl: urlOf('Big'), MessageBody: String(i).repeat(BODY_BYTES) }));
        }
      },
    });
    await h.waitFor('every message processed', (records) => records.reduce((n, record) => n + (record.batch?.deletedIds.length ?? 0), 0) === MESSAGE_COUNT);
  });
  after(async () => h?.stop());

  it('splits what one receive returned into events of at most 6 MB, and processes every message once', async () => {
    const results = h.records.map((record) => {
      assert.equal(record.outcome.status, 'success');
      return JSON.parse(record.outcome.status === 'success' ? (record.outcome.payload ?? 'null') : 'null') as { records: number; eventBytes: number };
    });
    assert.ok(results.length >= 2, `${results.length} invocation(s) for about 10 MB of messages`);
    for (const result of results) assert.ok(result.eventBytes <= POLLER_LIMITS.maxPayloadBytes, `an event of ${result.eventBytes} bytes`);
    assert.equal(
      results.reduce((n, result) => n + result.records, 0),
      MESSAGE_COUNT,
    );
    const ids = h.records.flatMap((record) => record.batch?.messageIds ?? []);
    assert.equal(new Set(ids).size, MESSAGE_COUNT, 'no message twice');
    const { Attributes } = await h.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: h.queueUrl('Big'), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    assert.deepEqual([Attributes?.['ApproximateNumberOfMessages'], Attributes?.['ApproximateNumberOfMessagesNotVisible']], ['0', '0']);
  });
});

describe('event source mapping: settings CreateEventSourceMapping refuses (§F.1)', () => {
  const refused: Array<[string, QueueSpec, Omit<MappingSpec, 'fn' | 'queue'>, RegExp]> = [
    ['BatchSize over 10 on a FIFO queue', { isFifo: true }, { batchSize: 20 }, /BatchSize must be an integer from 1 to 10 for a FIFO queue \(got 20\)/],
    ['a batching window on a FIFO queue', { isFifo: true }, { maximumBatchingWindowSeconds: 5 }, /MaximumBatchingWindowInSeconds is not supported for FIFO queues/],
    ['BatchSize over 10 without a batching window', {}, { batchSize: 50 }, /Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10/],
    ['MaximumConcurrency 1', {}, { maximumConcurrency: 1 }, /ScalingConfig.MaximumConcurrency must be an integer from 2 to 1000 \(got 1\)/],
  ];
  for (const [label, queue, settings, expected] of refused) {
    it(`refuses ${label}, naming the mapping`, async () => {
      const plan = fixturePlan('refused', {
        queues: { Work: queue },
        functions: { Worker: { handler: 'sized.handler' } },
        mappings: { WorkMapping: { fn: 'Worker', queue: 'Work', ...settings } },
      });
      await assert.rejects(startHarness(plan), (error: Error) => {
        assert.match(error.message, /^event source mapping WorkMapping: InvalidParameterValueException: /);
        assert.match(error.message, expected);
        return true;
      });
    });
  }
});
