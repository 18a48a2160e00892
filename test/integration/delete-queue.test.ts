/** @module test/integration/delete-queue: DeleteQueue removes a queue with its messages (spec §B DeleteQueue). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueUrlCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
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

describe('QueueDeletedRecently', () => {
  describe('by default (off, as local tools expect)', () => {
    const t = useTestServer();

    it('lets a deleted queue name be created again at once', async () => {
      const q = await createStandardQueue(t.sqs);
      await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
      const again = await t.sqs.send(new CreateQueueCommand({ QueueName: q.name }));
      assert.equal(again.QueueUrl, q.url);
    });
  });

  describe('with --queue-deleted-recently', () => {
    const t = useTestServer({ queueDeletedRecently: true });

    it('refuses the name for 60 s after the delete, then accepts it', async () => {
      const q = await createStandardQueue(t.sqs);
      await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
      t.clock.advance(59_999);
      await expectSqsError(
        t.sqs.send(new CreateQueueCommand({ QueueName: q.name })),
        'QueueDeletedRecently',
        'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      );
      t.clock.advance(1);
      const again = await t.sqs.send(new CreateQueueCommand({ QueueName: q.name }));
      assert.equal(again.QueueUrl, q.url);
    });
  });
});
