/** @module test/integration/fifo-message-group-id: MessageGroupId is required on FIFO queues and has a fixed charset (spec §E.2). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receiveOne, send } from '../helpers/messages.ts';

const GROUP_TEXT = (v: string) =>
  `Value ${v} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`;

describe('FIFO MessageGroupId', () => {
  const t = useTestServer();

  it('rejects SendMessage without MessageGroupId with MissingParameter', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await expectSqsError(
      t.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'x' })),
      'MissingParameter',
      'The request must contain the parameter MessageGroupId.',
    );
  });

  it('rejects the whole SendMessageBatch with InvalidParameterValue when one entry lacks MessageGroupId', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await expectSqsError(
      t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: q.url,
          Entries: [
            { Id: 'a', MessageBody: 'a', MessageGroupId: 'g' },
            { Id: 'b', MessageBody: 'b' },
          ],
        }),
      ),
      'InvalidParameterValue',
      'The request must contain the parameter MessageGroupId.',
    );
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('accepts 128 printable ASCII characters including punctuation', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const group = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.padEnd(128, 'aZ9');
    assert.equal(group.length, 128);
    await send(t.sqs, q.url, 'x', { MessageGroupId: group });
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['MessageGroupId'] });
    assert.equal(got.Attributes?.MessageGroupId, group);
  });

  for (const [label, value] of [
    ['129 characters', 'g'.repeat(129)],
    ['a space', 'has space'],
    ['a non-ASCII letter', 'grüppe'],
    ['a tab', 'a\tb'],
  ] as const) {
    it(`rejects a MessageGroupId with ${label} with InvalidParameterValue`, async () => {
      const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
      await expectSqsError(send(t.sqs, q.url, 'x', { MessageGroupId: value }), 'InvalidParameterValue', GROUP_TEXT(value));
    });
  }
});
