/** @module test/integration/fifo-deduplication: explicit and content-based deduplication within a 5-minute window (spec §E.3, §E.4). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { bodies, drain, receive, receiveOne, remove, send } from '../helpers/messages.ts';
import { md5Hex } from '../helpers/md5.ts';

const DEDUP_TEXT = (v: string) =>
  `Value ${v} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`;
const WINDOW_MS = 5 * 60_000;

describe('FIFO deduplication', () => {
  const t = useTestServer();

  it('answers a duplicate MessageDeduplicationId with 200 and the original MessageId, and enqueues it once', async () => {
    const q = await createFifoQueue(t.sqs);
    const first = await send(t.sqs, q.url, 'original', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    const dup = await send(t.sqs, q.url, 'different body', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    assert.equal(dup.$metadata.httpStatusCode, 200);
    assert.equal(dup.MessageId, first.MessageId);
    assert.equal(dup.MD5OfMessageBody, md5Hex('different body'), 'MD5 of the new request');
    assert.deepEqual(bodies(await drain(t.sqs, q.url)), ['original']);
  });

  it('deduplicates by SHA-256 of the body when ContentBasedDeduplication is on, ignoring attributes', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const first = await send(t.sqs, q.url, 'same body', {
      MessageGroupId: 'g',
      MessageAttributes: { a: { DataType: 'String', StringValue: '1' } },
    });
    const dup = await send(t.sqs, q.url, 'same body', {
      MessageGroupId: 'g',
      MessageAttributes: { a: { DataType: 'String', StringValue: '2' } },
    });
    assert.equal(dup.MessageId, first.MessageId);
    await send(t.sqs, q.url, 'other body', { MessageGroupId: 'g' });
    const received = await drain(t.sqs, q.url);
    assert.deepEqual(bodies(received), ['same body', 'other body']);
    const sha = createHash('sha256').update('same body', 'utf8').digest('hex');
    assert.equal(received[0]?.Attributes?.MessageDeduplicationId, sha);
  });

  it('lets an explicit MessageDeduplicationId override the content hash', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await send(t.sqs, q.url, 'same', { MessageGroupId: 'g', MessageDeduplicationId: 'one' });
    await send(t.sqs, q.url, 'same', { MessageGroupId: 'g', MessageDeduplicationId: 'two' });
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 2);
  });

  it('deduplicates across groups with DeduplicationScope queue', async () => {
    const q = await createFifoQueue(t.sqs);
    const a = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g1', MessageDeduplicationId: 'd' });
    const b = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g2', MessageDeduplicationId: 'd' });
    assert.equal(b.MessageId, a.MessageId);
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 1);
  });

  it('enqueues the same MessageDeduplicationId in two groups with DeduplicationScope messageGroup', async () => {
    const q = await createFifoQueue(t.sqs, { DeduplicationScope: 'messageGroup' });
    const a = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g1', MessageDeduplicationId: 'd' });
    const b = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g2', MessageDeduplicationId: 'd' });
    assert.notEqual(b.MessageId, a.MessageId);
    const dup = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g1', MessageDeduplicationId: 'd' });
    assert.equal(dup.MessageId, a.MessageId);
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 2);
  });

  it('keeps deduplicating for 5 minutes from the first send, even after that message was deleted', async () => {
    const q = await createFifoQueue(t.sqs);
    const first = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    const m = await receiveOne(t.sqs, q.url);
    await remove(t.sqs, q.url, m);
    t.clock.advance(WINDOW_MS - 1_000);
    const dup = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    assert.equal(dup.MessageId, first.MessageId);
    assert.deepEqual(await receive(t.sqs, q.url), []);
  });

  it('does not extend the window with a duplicate send', async () => {
    const q = await createFifoQueue(t.sqs);
    const first = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    t.clock.advance(WINDOW_MS - 1_000);
    await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    t.clock.advance(1_000);
    const later = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    assert.notEqual(later.MessageId, first.MessageId);
  });

  it('accepts the same MessageDeduplicationId again as a new message after 5 minutes', async () => {
    const q = await createFifoQueue(t.sqs);
    const first = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    t.clock.advance(WINDOW_MS);
    const again = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    assert.notEqual(again.MessageId, first.MessageId);
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 2);
  });

  it('deduplicates entries within one SendMessageBatch, answering the duplicate as Successful with the first MessageId', async () => {
    const q = await createFifoQueue(t.sqs);
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' },
          { Id: 'b', MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd' },
        ],
      }),
    );
    const byId = new Map(out.Successful?.map((s) => [s.Id, s]));
    assert.equal(byId.size, 2);
    assert.equal(byId.get('b')?.MessageId, byId.get('a')?.MessageId);
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 1);
  });

  it('rejects a send without MessageDeduplicationId when ContentBasedDeduplication is off', async () => {
    const q = await createFifoQueue(t.sqs);
    await expectSqsError(
      t.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'x', MessageGroupId: 'g' })),
      'InvalidParameterValue',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  });

  it('rejects the whole SendMessageBatch when an entry lacks MessageDeduplicationId and ContentBasedDeduplication is off', async () => {
    const q = await createFifoQueue(t.sqs);
    await expectSqsError(
      t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: q.url,
          Entries: [
            { Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' },
            { Id: 'b', MessageBody: 'y', MessageGroupId: 'g' },
          ],
        }),
      ),
      'InvalidParameterValue',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 0);
  });

  it('accepts 128 printable ASCII characters as MessageDeduplicationId', async () => {
    const q = await createFifoQueue(t.sqs);
    const id = '!~{}[]()<>'.padEnd(128, 'x');
    await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: id });
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['MessageDeduplicationId'] });
    assert.equal(got.Attributes?.MessageDeduplicationId, id);
  });

  for (const [label, value] of [
    ['129 characters', 'd'.repeat(129)],
    ['a space', 'has space'],
    ['a non-ASCII letter', 'dédup'],
  ] as const) {
    it(`rejects a MessageDeduplicationId with ${label} with InvalidParameterValue`, async () => {
      const q = await createFifoQueue(t.sqs);
      await expectSqsError(
        send(t.sqs, q.url, 'x', { MessageGroupId: 'g', MessageDeduplicationId: value }),
        'InvalidParameterValue',
        DEDUP_TEXT(value),
      );
    });
  }
});
