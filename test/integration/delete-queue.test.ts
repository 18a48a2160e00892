/** @module test/integration/delete-queue: DeleteQueue removes a queue with its messages (spec §B DeleteQueue). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeleteQueueCommand, GetQueueUrlCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createStandardQueue } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receive, send } from '../helpers/messages.ts';

describe('DeleteQueue', () => {
  const t = useTestServer();

  it('deletes a queue that holds visible and in-flight messages', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'a');
    await send(t.sqs, q.url, 'b');
    await receive(t.sqs, q.url);
    const out = await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    assert.ok(out.$metadata.requestId);
    await expectSqsError(t.sqs.send(new GetQueueUrlCommand({ QueueName: q.name })), 'QueueDoesNotExist');
    const list = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: q.name }));
    assert.deepEqual(list.QueueUrls ?? [], []);
  });

  it('deletes a FIFO queue', async () => {
    const q = await createFifoQueue(t.sqs);
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    await expectSqsError(t.sqs.send(new GetQueueUrlCommand({ QueueName: q.name })), 'QueueDoesNotExist');
  });

  it('answers QueueDoesNotExist when the queue is already deleted', async () => {
    const q = await createStandardQueue(t.sqs);
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    await expectSqsError(t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url })), 'QueueDoesNotExist');
  });

  it('makes later sends answer QueueDoesNotExist', async () => {
    const q = await createStandardQueue(t.sqs);
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    await expectSqsError(send(t.sqs, q.url, 'late'), 'QueueDoesNotExist', 'The specified queue does not exist.');
  });
});
