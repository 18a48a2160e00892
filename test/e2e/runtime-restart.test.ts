/** @module test/e2e/runtime-restart: a restart on the same data directory resumes the queues and keeps the logs. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LogStore, type RuntimePlan, startRuntime } from '../../src/runtime/index.ts';
import { startServer } from '../../src/server/start-server.ts';
import { fixturePlan } from './fixtures/fixture-stack.ts';
import { WAIT_LIMIT_MS } from './fixtures/runtime-harness.ts';

const STACK = 'restart';
const dataDir = mkdtempSync(join(tmpdir(), 'mqs-restart-'));

async function withSystem<T>(plan: RuntimePlan, isPolling: boolean, body: (parts: { sqs: SQSClient; runtime: Awaited<ReturnType<typeof startRuntime>> }) => Promise<T>): Promise<T> {
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir });
  const logStore = new LogStore({ dataDir });
  const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const runtime = await startRuntime({ plan, endpoint: server.url, logStore, isPolling });
  try {
    return await body({ sqs, runtime });
  } finally {
    await runtime.stop();
    logStore.close();
    sqs.destroy();
    await server.stop();
  }
}

describe('restarting on the same data directory', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the queued messages and the logs, and applies changed queue attributes', async () => {
    const plan = fixturePlan(STACK, {
      queues: { Work: { visibilityTimeoutSeconds: 30 } },
      functions: { Worker: { handler: 'ordered.handler' } },
      mappings: { WorkMapping: { fn: 'Worker', queue: 'Work' } },
    });
    const firstRequestId = await withSystem(plan, false, async ({ sqs, runtime }) => {
      const url = runtime.bindings.queues.get('Work')?.url ?? '';
      const entries = [1, 2, 3, 4, 5].map((seq) => ({ Id: `m${seq}`, MessageBody: JSON.stringify({ seq }) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      const invoked = await runtime.invoke(`${STACK}-Worker`, { Records: [] });
      return invoked.outcome.status === 'success' ? invoked.outcome.requestId : 'failed';
    });

    // The template changed in between (visibility 30 → 45): CreateQueue now conflicts, the runtime updates the queue.
    const changed = { ...plan, queues: plan.queues.map((queue) => ({ ...queue, attributes: { ...queue.attributes, VisibilityTimeout: '45' } })) };
    await withSystem(changed, true, async ({ sqs, runtime }) => {
      const processed = new Promise<number>((resolve, reject) => {
        let deleted = 0;
        const timer = setTimeout(() => reject(new Error('the queued messages were not processed')), WAIT_LIMIT_MS);
        runtime.onInvocation((record) => {
          deleted += record.batch?.deletedIds.length ?? 0;
          if (deleted < 5) return;
          clearTimeout(timer);
          resolve(deleted);
        });
      });
      assert.equal(await processed, 5);
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: runtime.bindings.queues.get('Work')?.url, AttributeNames: ['VisibilityTimeout'] }));
      assert.equal(Attributes?.['VisibilityTimeout'], '45');
      const before = runtime.logStore.query({ group: `/aws/lambda/${STACK}-Worker`, filter: `START RequestId: ${firstRequestId}` });
      assert.equal(before.length, 1, 'the first run’s log events are still there');
    });
  });
});
