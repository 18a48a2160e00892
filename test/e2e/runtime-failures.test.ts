/** @module test/e2e/runtime-failures: a timeout or a thrown error fails the whole batch; the messages come back. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { InvocationRecord } from '../../src/runtime/index.ts';
import { fixturePlan } from './fixtures/fixture-stack.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const STACK = 'fail';
const BODIES = ['one', 'two', 'three'];

const ofMapping = (mappingId: string) => (records: readonly InvocationRecord[]) => records.filter((record) => record.batch?.mappingId === mappingId);

describe('a failed invocation fails its whole batch', () => {
  let h: RuntimeHarness;
  before(async () => {
    const plan = fixturePlan(STACK, {
      queues: { Slow: { visibilityTimeoutSeconds: 2 }, Broken: { visibilityTimeoutSeconds: 1 } },
      functions: {
        Hangs: { handler: 'flaky.handler', timeoutSeconds: 1, environment: { FLAKY_MODE: 'hang' } },
        Throws: { handler: 'flaky.handler', environment: { FLAKY_MODE: 'throw' } },
      },
      mappings: {
        SlowMapping: { fn: 'Hangs', queue: 'Slow', maximumConcurrency: 2 },
        BrokenMapping: { fn: 'Throws', queue: 'Broken', maximumConcurrency: 2 },
      },
    });
    h = await startHarness(plan, {
      beforeRuntime: async ({ sqs, urlOf }) => {
        // One SendMessageBatch before the pollers start, so each queue's messages arrive as one batch.
        for (const queue of ['Slow', 'Broken']) {
          await sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: urlOf(queue),
              Entries: BODIES.map((body, index) => ({ Id: `e${index}`, MessageBody: body })),
            }),
          );
        }
      },
    });
  });
  after(async () => h?.stop());

  it('times out: nothing is deleted, the instance is replaced, the batch comes back after the visibility timeout', async () => {
    const slow = ofMapping('SlowMapping');
    await h.waitFor('a successful retry after the timeout', (records) => slow(records).some((record) => record.outcome.status === 'success'));
    const records = slow(h.records);
    const timedOut = records.find((record) => record.outcome.status === 'timeout');
    const retried = records.find((record) => record.outcome.status === 'success');
    assert.ok(timedOut?.batch !== undefined && timedOut.outcome.status === 'timeout');
    assert.ok(retried?.batch !== undefined && retried.outcome.status === 'success');
    assert.equal(timedOut.outcome.error?.errorType, 'Sandbox.Timedout');
    assert.equal(timedOut.batch.deletedIds.length, 0);
    assert.equal(timedOut.batch.decision.kind, 'fail-all');
    assert.deepEqual([...retried.batch.messageIds].sort(), [...timedOut.batch.messageIds].sort());
    assert.deepEqual([...retried.batch.deletedIds].sort(), [...timedOut.batch.messageIds].sort());
    assert.notEqual(retried.outcome.instanceId, timedOut.outcome.instanceId);
    assert.ok(retried.outcome.initDurationMs !== undefined, 'the replacement instance started cold');

    const stream = h.runtime.logStore.query({ stream: timedOut.outcome.logStream }).map((event) => event.message);
    const id = timedOut.outcome.requestId;
    const end = stream.indexOf(`END RequestId: ${id}\n`);
    assert.ok(end > 0);
    assert.match(stream[end + 1] ?? '', new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\t.*\\t\\n$`));
    assert.match(stream[end + 2] ?? '', new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z ${id} Task timed out after \\d+\\.\\d{2} seconds\\n$`));
  });

  it('throws: nothing is deleted, the error is logged, and the retry deletes the batch', async () => {
    const broken = ofMapping('BrokenMapping');
    await h.waitFor('a successful retry after the error', (records) => broken(records).some((record) => record.outcome.status === 'success'));
    const records = broken(h.records);
    const failed = records.find((record) => record.outcome.status === 'error');
    const retried = records.find((record) => record.outcome.status === 'success');
    assert.ok(failed?.batch !== undefined && failed.outcome.status === 'error');
    assert.ok(retried?.batch !== undefined);
    assert.equal(failed.outcome.error?.errorType, 'TypeError');
    assert.equal(failed.batch.deletedIds.length, 0);
    assert.equal(failed.batch.failedIds.length, BODIES.length);
    assert.deepEqual([...retried.batch.deletedIds].sort(), [...failed.batch.messageIds].sort());
    // A thrown error does not break the environment: the same instance takes the retry.
    assert.ok(retried.outcome.status === 'success');
    assert.equal(retried.outcome.instanceId, failed.outcome.instanceId);
    const errorLine = h.runtime.logStore.query({ stream: failed.outcome.logStream, filter: 'Invoke Error' })[0]?.message ?? '';
    assert.match(errorLine, /\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"first delivery fails"/);
  });
});
