/** @module test/integration/receive-parameters: ReceiveMessage parameter ranges and MaxNumberOfMessages (spec §B ReceiveMessage, §D.6). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receive, sendAll } from '../helpers/messages.ts';

describe('ReceiveMessage parameters', () => {
  const t = useTestServer();
  const rcv = (QueueUrl: string, input: Record<string, number>) =>
    t.sqs.send(new ReceiveMessageCommand({ QueueUrl, ...input }));

  for (const n of [0, 11, -1]) {
    it(`rejects MaxNumberOfMessages ${n} with the AWS text`, async () => {
      const q = await createStandardQueue(t.sqs);
      await expectSqsError(
        rcv(q.url, { MaxNumberOfMessages: n }),
        'InvalidParameterValue',
        `Value ${n} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      );
    });
  }

  for (const n of [21, -1]) {
    it(`rejects WaitTimeSeconds ${n} with the AWS text`, async () => {
      const q = await createStandardQueue(t.sqs);
      await expectSqsError(
        rcv(q.url, { WaitTimeSeconds: n }),
        'InvalidParameterValue',
        `Value ${n} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
      );
    });
  }

  for (const n of [43_201, -1]) {
    it(`rejects VisibilityTimeout ${n} with InvalidParameterValue naming the parameter`, async () => {
      const q = await createStandardQueue(t.sqs);
      await expectSqsError(
        rcv(q.url, { VisibilityTimeout: n }),
        'InvalidParameterValue',
        new RegExp(`^Value ${n} for parameter VisibilityTimeout is invalid\\. Reason: `),
      );
    });
  }

  it('returns one message by default', async () => {
    const q = await createStandardQueue(t.sqs);
    await sendAll(t.sqs, q.url, ['a', 'b', 'c']);
    assert.equal((await receive(t.sqs, q.url)).length, 1);
  });

  it('returns at most MaxNumberOfMessages, and every visible message up to it', async () => {
    const q = await createStandardQueue(t.sqs);
    await sendAll(t.sqs, q.url, Array.from({ length: 12 }, (_, i) => `m${i}`));
    assert.equal((await receive(t.sqs, q.url, { MaxNumberOfMessages: 3 })).length, 3);
    assert.equal((await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })).length, 9);
  });

  it('returns an empty result as no Messages member', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await rcv(q.url, { WaitTimeSeconds: 0 });
    assert.equal(out.Messages, undefined);
    assert.ok(out.$metadata.requestId);
  });

  it('accepts the bounds MaxNumberOfMessages 1 and 10, WaitTimeSeconds 0, VisibilityTimeout 0 and 43200', async () => {
    const q = await createStandardQueue(t.sqs);
    await rcv(q.url, { MaxNumberOfMessages: 1, WaitTimeSeconds: 0, VisibilityTimeout: 43_200 });
    await rcv(q.url, { MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 0 });
  });
});
