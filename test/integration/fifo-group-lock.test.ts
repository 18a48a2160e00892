/** @module test/integration/fifo-group-lock: an in-flight message locks its group for every receiver (spec §E.7). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { createTestClient, useTestServer } from '../helpers/start.ts';
import { createFifoQueue } from '../helpers/queues.ts';
import { bodies, receive, remove, sendAll } from '../helpers/messages.ts';

describe('FIFO group lock', () => {
  const t = useTestServer();
  const fifo = () => createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });

  it('returns no message of a group while one of its messages is in flight', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['g1', 'g2'], () => ({ MessageGroupId: 'g' }));
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['g1']);
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 }), []);
  });

  it('keeps the group locked for a second client too', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['g1', 'g2'], () => ({ MessageGroupId: 'g' }));
    await receive(t.sqs, q.url);
    const other = createTestClient(t.srv.url);
    try {
      assert.deepEqual(await receive(other, q.url, { MaxNumberOfMessages: 10 }), []);
    } finally {
      other.destroy();
    }
  });

  it('still returns messages of other groups while one group is locked', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['a1', 'a2', 'b1', 'b2'], (b) => ({ MessageGroupId: b[0] }));
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['a1']);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['b1', 'b2']);
  });

  it('unlocks the group when the in-flight message is deleted', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['g1', 'g2'], () => ({ MessageGroupId: 'g' }));
    const [first] = await receive(t.sqs, q.url);
    assert.ok(first);
    await remove(t.sqs, q.url, first);
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['g2']);
  });

  it('unlocks the group when the in-flight message’s visibility timeout expires', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['g1', 'g2'], () => ({ MessageGroupId: 'g' }));
    await receive(t.sqs, q.url, { VisibilityTimeout: 10 });
    t.clock.advance(9_999);
    assert.deepEqual(await receive(t.sqs, q.url), []);
    t.clock.advance(1);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['g1', 'g2']);
  });

  it('unlocks the group when the in-flight message gets ChangeMessageVisibility 0', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['g1', 'g2'], () => ({ MessageGroupId: 'g' }));
    const [first] = await receive(t.sqs, q.url);
    await t.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['g1']);
  });

  it('locks a group even when its in-flight message was the last one, so a newly sent message waits', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['only'], () => ({ MessageGroupId: 'g' }));
    const [first] = await receive(t.sqs, q.url);
    await sendAll(t.sqs, q.url, ['later'], () => ({ MessageGroupId: 'g' }));
    assert.deepEqual(await receive(t.sqs, q.url), []);
    assert.ok(first);
    await remove(t.sqs, q.url, first);
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['later']);
  });
});
