/** @module test/integration/fifo-visibility: visibility changes inside a locked group, and expired FIFO receipt handles (spec §E.8). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { bodies, receive, sendAll } from '../helpers/messages.ts';

describe('FIFO visibility', () => {
  const t = useTestServer();
  const fifo = () => createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
  const change = (QueueUrl: string, ReceiptHandle: string | undefined, VisibilityTimeout: number) =>
    t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout }));

  it('keeps the group locked while any message received with it is still in flight', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['m1', 'm2', 'm3'], () => ({ MessageGroupId: 'g' }));
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodies(got), ['m1', 'm2', 'm3']);
    await change(q.url, got[0]?.ReceiptHandle, 0);
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 }), []);
  });

  it('returns the earlier message first when a later one of the group became visible before it', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['m1', 'm2'], () => ({ MessageGroupId: 'g' }));
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 30 });
    assert.deepEqual(bodies(got), ['m1', 'm2']);
    await change(q.url, got[1]?.ReceiptHandle, 0);
    await change(q.url, got[0]?.ReceiptHandle, 60);
    t.clock.advance(30_000);
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 }), [], 'm1 still in flight');
    t.clock.advance(30_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['m1', 'm2']);
  });

  it('returns the whole group in order once every member is visible again', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['m1', 'm2', 'm3'], () => ({ MessageGroupId: 'g' }));
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    await change(q.url, got[2]?.ReceiptHandle, 0);
    await change(q.url, got[1]?.ReceiptHandle, 0);
    await change(q.url, got[0]?.ReceiptHandle, 0);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['m1', 'm2', 'm3']);
  });

  it('rejects DeleteMessage with a receipt handle whose visibility expired: "The receipt handle has expired."', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['m1'], () => ({ MessageGroupId: 'g' }));
    const [m] = await receive(t.sqs, q.url, { VisibilityTimeout: 5 });
    t.clock.advance(5_000);
    await expectSqsError(
      t.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m?.ReceiptHandle })),
      'InvalidParameterValue',
      `Value ${m?.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    );
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 1, 'the message is not deleted');
  });

  it('deletes with a current receipt handle', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['m1'], () => ({ MessageGroupId: 'g' }));
    const [m] = await receive(t.sqs, q.url, { VisibilityTimeout: 5 });
    t.clock.advance(4_999);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m?.ReceiptHandle }));
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
  });
});
