/** @module test/integration/dead-letter-redrive: messages move to the DLQ after maxReceiveCount receives (spec §D.6, §E.11). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { queueCounts } from '../helpers/queues.ts';
import { createRedrivePair, exhaustReceives } from '../helpers/dead-letter.ts';
import { bodies, receive, receiveOne, send, sendAll } from '../helpers/messages.ts';

describe('dead-letter redrive', () => {
  const t = useTestServer();

  it('moves a message to the DLQ on the receive after maxReceiveCount, instead of returning it', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, 2);
    await send(t.sqs, source.url, 'poison');
    const last = await exhaustReceives(t.sqs, source.url, 2);
    assert.deepEqual(last, []);
    assert.deepEqual(await queueCounts(t.sqs, source.url), { visible: 0, inFlight: 0, delayed: 0 });
    assert.deepEqual(await queueCounts(t.sqs, dlq.url), { visible: 1, inFlight: 0, delayed: 0 });
  });

  it('keeps MessageId, body, attributes and SentTimestamp, carries ApproximateReceiveCount and adds DeadLetterQueueSourceArn', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, 2);
    const attrs = { color: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '7' } };
    const sentAt = t.clock.now();
    const sent = await send(t.sqs, source.url, 'poison body', { MessageAttributes: attrs });
    t.clock.advance(1_000);
    const firstReceiveAt = t.clock.now();
    await receiveOne(t.sqs, source.url, { VisibilityTimeout: 10 });
    t.clock.advance(10_000);
    await receiveOne(t.sqs, source.url, { VisibilityTimeout: 10 });
    t.clock.advance(10_000);
    assert.deepEqual(await receive(t.sqs, source.url), []);
    const moved = await receiveOne(t.sqs, dlq.url, { MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] });
    assert.equal(moved.MessageId, sent.MessageId);
    assert.equal(moved.Body, 'poison body');
    assert.equal(moved.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(
      Object.fromEntries(Object.entries(moved.MessageAttributes ?? {}).map(([k, v]) => [k, [v.DataType, v.StringValue]])),
      { color: ['String', 'red'], n: ['Number', '7'] },
    );
    assert.equal(moved.Attributes?.SentTimestamp, String(sentAt));
    assert.equal(moved.Attributes?.ApproximateFirstReceiveTimestamp, String(firstReceiveAt));
    assert.equal(moved.Attributes?.ApproximateReceiveCount, '3', 'two receives in the source, then this one');
    assert.equal(moved.Attributes?.DeadLetterQueueSourceArn, source.arn);
  });

  it('shows ApproximateReceiveCount 2 on the first DLQ receive after maxReceiveCount 1', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, 1);
    await send(t.sqs, source.url, 'x');
    await exhaustReceives(t.sqs, source.url, 1);
    const moved = await receiveOne(t.sqs, dlq.url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(moved.Attributes?.ApproximateReceiveCount, '2');
  });

  it('accepts maxReceiveCount given as a numeric string', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, '1' as unknown as number);
    await send(t.sqs, source.url, 'x');
    await exhaustReceives(t.sqs, source.url, 1);
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 1);
  });

  it('returns the other messages of the receive that moved one to the DLQ', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, 1);
    await send(t.sqs, source.url, 'poison');
    await receiveOne(t.sqs, source.url, { VisibilityTimeout: 0 });
    await send(t.sqs, source.url, 'fresh');
    const got = await receive(t.sqs, source.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodies(got), ['fresh']);
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 1);
  });

  it('unblocks a FIFO group once its head message moves to the FIFO DLQ', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, 1, true, { ContentBasedDeduplication: 'true' });
    await sendAll(t.sqs, source.url, ['poison', 'next'], () => ({ MessageGroupId: 'g' }));
    assert.deepEqual(bodies(await receive(t.sqs, source.url, { VisibilityTimeout: 5 })), ['poison']);
    t.clock.advance(5_000);
    const got = await receive(t.sqs, source.url, { MaxNumberOfMessages: 10 });
    const after = got.length > 0 ? got : await receive(t.sqs, source.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodies(after), ['next']);
    const moved = await receiveOne(t.sqs, dlq.url, { MessageSystemAttributeNames: ['All'] });
    assert.equal(moved.Body, 'poison');
    assert.equal(moved.Attributes?.MessageGroupId, 'g');
  });

  it('keeps the original enqueue time for retention in a standard DLQ', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, 1);
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq.url, Attributes: { MessageRetentionPeriod: '120' } }));
    await send(t.sqs, source.url, 'old');
    await receiveOne(t.sqs, source.url, { VisibilityTimeout: 0 });
    t.clock.advance(100_000);
    assert.deepEqual(await receive(t.sqs, source.url), []);
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 1);
    t.clock.advance(20_000);
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 0, 'expired 120 s after the original send');
  });

  it('restarts retention at the move for a FIFO DLQ', async () => {
    const { source, dlq } = await createRedrivePair(t.sqs, 1, true, { ContentBasedDeduplication: 'true' });
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq.url, Attributes: { MessageRetentionPeriod: '120' } }));
    await send(t.sqs, source.url, 'old', { MessageGroupId: 'g' });
    await receiveOne(t.sqs, source.url, { VisibilityTimeout: 0 });
    t.clock.advance(100_000);
    assert.deepEqual(await receive(t.sqs, source.url), []);
    t.clock.advance(20_000);
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 1, 'still there 120 s after the send');
    t.clock.advance(100_000);
    assert.equal((await queueCounts(t.sqs, dlq.url)).visible, 0, 'expired 120 s after the move');
  });
});
