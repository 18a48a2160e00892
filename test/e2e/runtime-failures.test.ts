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
const deletedIds = (records: readonly InvocationRecord[]) => new Set(records.flatMap((record) => record.batch?.deletedIds ?? []));
const instanceOf = (record: InvocationRecord) => (record.outcome.status === 'throttled' ? 'throttled' : record.outcome.instanceId);

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
    await h.waitFor('every message deleted after the timeout', (records) => deletedIds(slow(records)).size === BODIES.length);
    const records = slow(h.records);
    const timedOut = records.filter((record) => record.outcome.status === 'timeout');
    const retried = records.filter((record) => record.outcome.status === 'success');
    assert.ok(timedOut.length > 0 && retried.length > 0);
    for (const record of timedOut) {
      assert.equal(record.outcome.status === 'timeout' ? record.outcome.error?.errorType : undefined, 'Sandbox.Timedout');
      assert.equal(record.batch?.deletedIds.length, 0);
      assert.equal(record.batch?.decision.kind, 'fail-all');
    }
    assert.deepEqual(deletedIds(retried), new Set(timedOut.flatMap((record) => record.batch?.messageIds ?? [])));
    // The timed-out environments are gone: the retries ran on new instances, started cold.
    const killed = new Set(timedOut.map(instanceOf));
    assert.ok(retried.every((record) => !killed.has(instanceOf(record))));
    assert.ok(retried.some((record) => record.outcome.status === 'success' && record.outcome.initDurationMs !== undefined));

    const first = timedOut[0]?.outcome;
    assert.ok(first?.status === 'timeout');
    const stream = h.runtime.logStore.query({ stream: first.logStream }).map((event) => event.message);
    const id = first.requestId;
    const end = stream.indexOf(`END RequestId: ${id}\n`);
    assert.ok(end > 0);
    assert.match(stream[end + 1] ?? '', new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\t.*\\t\\n$`));
    assert.match(stream[end + 2] ?? '', new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z ${id} Task timed out after \\d+\\.\\d{2} seconds\\n$`));
  });

  it('throws: nothing is deleted, the error is logged, and the retry deletes the batch', async () => {
    const broken = ofMapping('BrokenMapping');
    await h.waitFor('every message deleted after the error', (records) => deletedIds(broken(records)).size === BODIES.length);
    const records = broken(h.records);
    const failed = records.filter((record) => record.outcome.status === 'error');
    const retried = records.filter((record) => record.outcome.status === 'success');
    assert.ok(failed.length > 0 && retried.length > 0);
    for (const record of failed) {
      assert.equal(record.outcome.status === 'error' ? record.outcome.error?.errorType : undefined, 'TypeError');
      assert.equal(record.batch?.deletedIds.length, 0);
      assert.deepEqual(record.batch?.failedIds, record.batch?.messageIds);
    }
    assert.deepEqual(deletedIds(retried), new Set(failed.flatMap((record) => record.batch?.messageIds ?? [])));
    // A thrown error does not break the environment: no instance was replaced.
    const stats = h.runtime.stats().functions.find((fn) => fn.name === `${STACK}-Throws`);
    assert.equal(stats?.coldStarts, new Set(records.map(instanceOf)).size);
    assert.ok(retried.every((record) => failed.some((candidate) => instanceOf(candidate) === instanceOf(record))));
    const first = failed[0]?.outcome;
    assert.ok(first?.status === 'error');
    const errorLine = h.runtime.logStore.query({ stream: first.logStream, filter: 'Invoke Error' })[0]?.message ?? '';
    assert.match(errorLine, /\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"first delivery fails"/);
  });
});
