/** @module test/integration/get-queue-url: GetQueueUrl looks a queue up by its exact name (spec §B GetQueueUrl). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createStandardQueue, uniqueQueueName } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';

describe('GetQueueUrl', () => {
  const t = useTestServer();

  it('returns the URL CreateQueue returned, for standard and FIFO queues', async () => {
    for (const q of [await createStandardQueue(t.sqs), await createFifoQueue(t.sqs)]) {
      const out = await t.sqs.send(new GetQueueUrlCommand({ QueueName: q.name }));
      assert.equal(out.QueueUrl, q.url);
      assert.ok(out.$metadata.requestId);
    }
  });

  it('answers QueueDoesNotExist for an unknown name', async () => {
    await expectSqsError(
      t.sqs.send(new GetQueueUrlCommand({ QueueName: uniqueQueueName() })),
      'QueueDoesNotExist',
      'The specified queue does not exist.',
    );
  });

  it('matches names case-sensitively', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(t.sqs.send(new GetQueueUrlCommand({ QueueName: q.name.toUpperCase() })), 'QueueDoesNotExist');
  });

  it('does not match a prefix of a name', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(t.sqs.send(new GetQueueUrlCommand({ QueueName: q.name.slice(0, -1) })), 'QueueDoesNotExist');
  });

  it('accepts QueueOwnerAWSAccountId naming the account in the URL', async () => {
    const q = await createStandardQueue(t.sqs);
    const account = q.url.split('/').at(-2);
    const out = await t.sqs.send(new GetQueueUrlCommand({ QueueName: q.name, QueueOwnerAWSAccountId: account }));
    assert.equal(out.QueueUrl, q.url);
  });
});
