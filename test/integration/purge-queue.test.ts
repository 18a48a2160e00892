/** @module test/integration/purge-queue: PurgeQueue empties a queue, once per 60 s (spec §B PurgeQueue). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { bodies, receive, receiveOne, send } from '../helpers/messages.ts';

describe('PurgeQueue', () => {
  const t = useTestServer();
  const purge = (QueueUrl: string) => t.sqs.send(new PurgeQueueCommand({ QueueUrl }));

  it('deletes visible, in-flight and delayed messages', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'visible');
    await send(t.sqs, q.url, 'in flight');
    await send(t.sqs, q.url, 'delayed', { DelaySeconds: 30 });
    await receiveOne(t.sqs, q.url, { VisibilityTimeout: 10 });
    const out = await purge(q.url);
    assert.ok(out.$metadata.requestId);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
    t.clock.advance(30_000);
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 }), []);
  });

  it('keeps the queue usable: messages sent after the purge are delivered', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'before');
    await purge(q.url);
    await send(t.sqs, q.url, 'after');
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['after']);
  });

  it('answers PurgeQueueInProgress (403) to a second purge within 60 s', async () => {
    const q = await createStandardQueue(t.sqs);
    await purge(q.url);
    t.clock.advance(59_000);
    await expectSqsError(
      purge(q.url),
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`,
    );
  });

  it('allows another purge once 60 s have passed', async () => {
    const q = await createStandardQueue(t.sqs);
    await purge(q.url);
    t.clock.advance(60_000);
    const out = await purge(q.url);
    assert.equal(out.$metadata.httpStatusCode, 200);
  });

  it('empties a FIFO queue and unlocks its groups', async () => {
    const q = await createFifoQueue(t.sqs);
    await send(t.sqs, q.url, 'a', { MessageGroupId: 'g', MessageDeduplicationId: 'a' });
    await receiveOne(t.sqs, q.url);
    await purge(q.url);
    await send(t.sqs, q.url, 'b', { MessageGroupId: 'g', MessageDeduplicationId: 'b' });
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['b']);
  });
});
