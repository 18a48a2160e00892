/** @module test/e2e/runtime-stop: stop() drains the batches in flight; stop({force}) abandons them to the visibility timeout. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { fixturePlan } from './fixtures/fixture-stack.ts';
import { type RuntimeHarness, startHarness, WAIT_LIMIT_MS } from './fixtures/runtime-harness.ts';

const STACK = 'stop';

/** Starts a runtime whose mapping is enabled only once a follower watches for the first START line. */
async function startWithFirstStart(mode: 'slow' | 'hang'): Promise<{ h: RuntimeHarness; firstStart: Promise<void> }> {
  const plan = fixturePlan(STACK, {
    queues: { Work: { visibilityTimeoutSeconds: 60 } },
    functions: {
      Worker:
        mode === 'slow'
          ? { handler: 'ordered.handler', environment: { WORK_MS: '300' } }
          : { handler: 'flaky.handler', timeoutSeconds: 30, environment: { FLAKY_MODE: 'hang' } },
    },
    mappings: { WorkMapping: { fn: 'Worker', queue: 'Work', batchSize: 1, maximumConcurrency: 2 } },
  });
  const h = await startHarness(plan, { isPolling: false });
  const entries = [1, 2, 3].map((seq) => ({ Id: `m${seq}`, MessageBody: JSON.stringify({ seq }) }));
  await h.sqs.send(new SendMessageBatchCommand({ QueueUrl: h.queueUrl('Work'), Entries: entries }));
  const firstStart = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no invocation started')), WAIT_LIMIT_MS);
    const unfollow = h.runtime.logStore.follow({ group: `/aws/lambda/${STACK}-Worker`, filter: 'START RequestId' }, () => {
      clearTimeout(timer);
      unfollow();
      resolve();
    }, 20);
  });
  await h.runtime.setMappingEnabled('WorkMapping', true);
  return { h, firstStart };
}

async function inFlight(h: RuntimeHarness): Promise<number> {
  const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: h.queueUrl('Work'), AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes?.['ApproximateNumberOfMessagesNotVisible']);
}

describe('stopping the runtime', () => {
  let h: RuntimeHarness | undefined;
  afterEach(async () => h?.stop());

  it('finishes and deletes the batches in flight before it resolves', async () => {
    const started = await startWithFirstStart('slow');
    h = started.h;
    await started.firstStart;
    await h.runtime.stop();
    assert.ok(h.records.length >= 1);
    assert.ok(h.records.every((record) => record.outcome.status === 'success' && record.batch?.deletedIds.length === 1));
    assert.equal(await inFlight(h), 0, 'no message was left in flight');
    assert.deepEqual(
      h.runtime.stats().mappings.map((mapping) => [mapping.state, mapping.inFlightBatches]),
      [['Stopped', 0]],
    );
  });

  it('with force, returns without waiting and leaves the batches in flight to the visibility timeout', async () => {
    const started = await startWithFirstStart('hang');
    h = started.h;
    await started.firstStart;
    await h.runtime.stop({ force: true });
    assert.ok(h.records.every((record) => record.outcome.status !== 'success'));
    assert.ok((await inFlight(h)) >= 1, 'the hanging batch was not deleted');
  });
});
