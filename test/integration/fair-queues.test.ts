/** @module test/integration/fair-queues: standard queues accept MessageGroupId and reject FIFO-only parameters (spec §E.13, §B SendMessage). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { bodies, receive, receiveOne, send } from '../helpers/messages.ts';

describe('fair queues (standard queues with MessageGroupId)', () => {
  const t = useTestServer();

  it('accepts MessageGroupId on a standard queue and returns it as a system attribute', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'tenant message', { MessageGroupId: 'tenant-1' });
    assert.equal(sent.SequenceNumber, undefined);
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'] });
    assert.equal(got.Attributes?.MessageGroupId, 'tenant-1');
    assert.equal(got.Attributes?.SequenceNumber, undefined);
    assert.equal(got.Attributes?.MessageDeduplicationId, undefined);
  });

  it('does not lock a group on a standard queue', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'one', { MessageGroupId: 'tenant' });
    await send(t.sqs, q.url, 'two', { MessageGroupId: 'tenant' });
    await receiveOne(t.sqs, q.url);
    assert.equal((await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })).length, 1);
  });

  it('accepts MessageGroupId per SendMessageBatch entry on a standard queue', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'a', MessageBody: 'a', MessageGroupId: 't1' },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    assert.equal(out.Successful?.length, 2);
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] });
    const byBody = new Map(got.map((m) => [m.Body, m.Attributes?.MessageGroupId]));
    assert.equal(byBody.get('a'), 't1');
    assert.equal(byBody.get('b'), undefined);
    assert.deepEqual(bodies(got).sort(), ['a', 'b']);
  });

  it('rejects an invalid MessageGroupId on a standard queue with the FIFO text', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      send(t.sqs, q.url, 'x', { MessageGroupId: 'has space' }),
      'InvalidParameterValue',
      'Value has space for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    );
  });

  it('rejects MessageDeduplicationId on a standard queue with InvalidParameterValue', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      send(t.sqs, q.url, 'x', { MessageDeduplicationId: 'd1' }),
      'InvalidParameterValue',
      /^Value d1 for parameter MessageDeduplicationId is invalid\. Reason: /,
    );
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 0);
  });
});
