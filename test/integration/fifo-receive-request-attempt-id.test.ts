/** @module test/integration/fifo-receive-request-attempt-id: retrying a FIFO receive with the same ReceiveRequestAttemptId (spec §E.9). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue } from '../helpers/queues.ts';
import { bodies, receive, remove, sendAll } from '../helpers/messages.ts';

const ids = (messages: Message[]) => messages.map((m) => [m.MessageId, m.ReceiptHandle]);

describe('FIFO ReceiveRequestAttemptId', () => {
  const t = useTestServer();
  const fifo = async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await sendAll(t.sqs, q.url, ['m1', 'm2', 'm3'], () => ({ MessageGroupId: 'g' }));
    return q;
  };

  it('returns the same messages and receipt handles when a receive is retried with the same id', async () => {
    const q = await fifo();
    const first = await receive(t.sqs, q.url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    assert.deepEqual(bodies(first), ['m1', 'm2']);
    const retry = await receive(t.sqs, q.url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    assert.deepEqual(ids(retry), ids(first));
  });

  it('treats a different attempt id as a new receive (the group is locked)', async () => {
    const q = await fifo();
    await receive(t.sqs, q.url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'attempt-2' }), []);
  });

  it('does not replay a response after one of its messages was deleted', async () => {
    const q = await fifo();
    const first = await receive(t.sqs, q.url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    assert.ok(first[0]);
    await remove(t.sqs, q.url, first[0]);
    const retry = await receive(t.sqs, q.url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    assert.ok(!retry.some((m) => m.MessageId === first[0]?.MessageId), 'the deleted message is not returned again');
    assert.notDeepEqual(ids(retry), ids(first));
  });

  it('resets the visibility timeout of the returned messages on a retry', async () => {
    const q = await fifo();
    const first = await receive(t.sqs, q.url, { MaxNumberOfMessages: 3, VisibilityTimeout: 30, ReceiveRequestAttemptId: 'a' });
    assert.equal(first.length, 3);
    t.clock.advance(20_000);
    await receive(t.sqs, q.url, { MaxNumberOfMessages: 3, VisibilityTimeout: 30, ReceiveRequestAttemptId: 'a' });
    t.clock.advance(20_000);
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 }), [], 'still in flight 40 s after the first receive');
    t.clock.advance(10_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['m1', 'm2', 'm3']);
  });

  it('expires after 5 minutes: a later retry is a fresh receive with new receipt handles', async () => {
    const q = await fifo();
    const first = await receive(t.sqs, q.url, { MaxNumberOfMessages: 3, ReceiveRequestAttemptId: 'old' });
    t.clock.advance(5 * 60_000);
    const later = await receive(t.sqs, q.url, {
      MaxNumberOfMessages: 3,
      ReceiveRequestAttemptId: 'old',
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    assert.deepEqual(bodies(later), ['m1', 'm2', 'm3']);
    assert.equal(later[0]?.Attributes?.ApproximateReceiveCount, '2');
    for (const [i, m] of later.entries()) assert.notEqual(m.ReceiptHandle, first[i]?.ReceiptHandle);
  });

  it('keeps attempt ids per queue', async () => {
    const a = await fifo();
    const b = await fifo();
    const fromA = await receive(t.sqs, a.url, { MaxNumberOfMessages: 1, ReceiveRequestAttemptId: 'shared' });
    const fromB = await receive(t.sqs, b.url, { MaxNumberOfMessages: 1, ReceiveRequestAttemptId: 'shared' });
    assert.equal(fromB.length, 1);
    assert.notEqual(fromB[0]?.MessageId, fromA[0]?.MessageId);
  });
});
