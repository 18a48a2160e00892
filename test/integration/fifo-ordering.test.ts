/** @module test/integration/fifo-ordering: strict send order within a message group (spec §E.6). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue } from '../helpers/queues.ts';
import { bodies, drain, receive, remove, send, sendAll } from '../helpers/messages.ts';

describe('FIFO ordering', () => {
  const t = useTestServer();

  it('delivers the messages of one group in send order across receives', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const sent = Array.from({ length: 7 }, (_, i) => `m${i}`);
    for (const body of sent) await send(t.sqs, q.url, body, { MessageGroupId: 'g' });
    const got: string[] = [];
    for (;;) {
      const batch = await receive(t.sqs, q.url, { MaxNumberOfMessages: 3 });
      if (batch.length === 0) break;
      got.push(...bodies(batch));
      for (const m of batch) await remove(t.sqs, q.url, m);
    }
    assert.deepEqual(got, sent);
  });

  it('enqueues SendMessageBatch entries in request order', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const sent = Array.from({ length: 25 }, (_, i) => `batch-${String(i).padStart(2, '0')}`);
    await sendAll(t.sqs, q.url, sent, () => ({ MessageGroupId: 'g' }));
    assert.deepEqual(bodies(await drain(t.sqs, q.url)), sent);
  });

  it('keeps each group in order when groups are interleaved', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const sent: Array<[string, string]> = [];
    for (let i = 0; i < 6; i++) for (const g of ['a', 'b', 'c']) sent.push([g, `${g}${i}`]);
    await sendAll(t.sqs, q.url, sent.map(([, b]) => b), (_, i) => ({ MessageGroupId: sent[i]?.[0] }));
    const received = await drain(t.sqs, q.url);
    assert.equal(received.length, sent.length);
    for (const g of ['a', 'b', 'c']) {
      const ofGroup = received.filter((m) => m.Attributes?.MessageGroupId === g).map((m) => m.Body);
      assert.deepEqual(ofGroup, [0, 1, 2, 3, 4, 5].map((i) => `${g}${i}`), `group ${g}`);
    }
  });

  it('redelivers an unacknowledged message before the later messages of its group', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await sendAll(t.sqs, q.url, ['one', 'two', 'three'], () => ({ MessageGroupId: 'g' }));
    const first = await receive(t.sqs, q.url, { VisibilityTimeout: 5 });
    assert.deepEqual(bodies(first), ['one']);
    t.clock.advance(5_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['one', 'two', 'three']);
  });
});
