/** @module test/integration/fifo-sequence-number: SequenceNumber on send and as a system attribute (spec §E.10, §D.5). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createStandardQueue } from '../helpers/queues.ts';
import { drain, send } from '../helpers/messages.ts';

const assertIncreasing = (values: Array<string | undefined>) => {
  for (const v of values) assert.match(v ?? '', /^\d+$/, 'a decimal string');
  for (let i = 1; i < values.length; i++) {
    assert.ok(BigInt(values[i] ?? '0') > BigInt(values[i - 1] ?? '0'), `${values[i]} > ${values[i - 1]}`);
  }
};

describe('FIFO SequenceNumber', () => {
  const t = useTestServer();

  it('returns a strictly increasing decimal SequenceNumber on every send', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const seqs: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++) seqs.push((await send(t.sqs, q.url, `m${i}`, { MessageGroupId: i % 2 ? 'a' : 'b' })).SequenceNumber);
    assertIncreasing(seqs);
  });

  it('increases across the entries of a SendMessageBatch in request order', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: ['a', 'b', 'c', 'd'].map((Id) => ({ Id, MessageBody: Id, MessageGroupId: 'g' })),
      }),
    );
    const byId = new Map(out.Successful?.map((s) => [s.Id, s.SequenceNumber]));
    assertIncreasing(['a', 'b', 'c', 'd'].map((id) => byId.get(id)));
  });

  it('returns the same SequenceNumber as a system attribute on receive', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const sent = [];
    for (const b of ['x', 'y', 'z']) sent.push(await send(t.sqs, q.url, b, { MessageGroupId: 'g' }));
    const received = await drain(t.sqs, q.url);
    assert.deepEqual(
      received.map((m) => m.Attributes?.SequenceNumber),
      sent.map((s) => s.SequenceNumber),
    );
  });

  it('returns no SequenceNumber for a standard queue', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'x');
    assert.equal(sent.SequenceNumber, undefined);
  });
});
