/** @module test/integration/fifo-receive-grouping: one receive takes as many messages of one group as it can, then fills from the next (spec §E.7). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue } from '../helpers/queues.ts';
import { bodies, receive, remove, sendAll } from '../helpers/messages.ts';

describe('FIFO receive grouping', () => {
  const t = useTestServer();
  const fifo = () => createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
  /** Sends `perGroup` messages to each group, interleaved: a0 b0 c0 a1 b1 c1 … */
  const interleaved = async (url: string, groups: string[], perGroup: number) => {
    const order: string[] = [];
    for (let i = 0; i < perGroup; i++) for (const g of groups) order.push(`${g}${i}`);
    await sendAll(t.sqs, url, order, (b) => ({ MessageGroupId: b[0] }));
  };
  const groupOf = (m: Message) => m.Body?.[0];

  it('returns 5 messages of the oldest group then 5 of the next for 3 groups x 5 and MaxNumberOfMessages 10', async () => {
    const q = await fifo();
    await interleaved(q.url, ['a', 'b', 'c'], 5);
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodies(got), ['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']);
  });

  it('then returns the remaining group while the first two are locked', async () => {
    const q = await fifo();
    await interleaved(q.url, ['a', 'b', 'c'], 5);
    await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['c0', 'c1', 'c2', 'c3', 'c4']);
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 }), []);
  });

  it('takes only messages of one group when that group alone fills MaxNumberOfMessages', async () => {
    const q = await fifo();
    await interleaved(q.url, ['a', 'b'], 6);
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 4 });
    assert.deepEqual(bodies(got), ['a0', 'a1', 'a2', 'a3']);
  });

  it('orders groups by their oldest visible message', async () => {
    const q = await fifo();
    await sendAll(t.sqs, q.url, ['b0', 'a0', 'b1', 'a1'], (b) => ({ MessageGroupId: b[0] }));
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['b0', 'b1', 'a0', 'a1']);
  });

  it('skips a locked group and continues with the later groups in order', async () => {
    const q = await fifo();
    await interleaved(q.url, ['a', 'b', 'c'], 2);
    const [a0] = await receive(t.sqs, q.url);
    assert.equal(a0?.Body, 'a0');
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodies(got), ['b0', 'b1', 'c0', 'c1']);
    assert.ok(got.every((m) => groupOf(m) !== 'a'));
    if (a0) await remove(t.sqs, q.url, a0);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['a1']);
  });
});
