/** @module test/integration/concurrent-receives: parallel receivers never share an in-flight message or a FIFO group (spec §D.6, §E.7). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createStandardQueue } from '../helpers/queues.ts';
import { receive, sendAll } from '../helpers/messages.ts';

describe('concurrent receives', () => {
  const t = useTestServer();

  it('gives each message of a standard queue to one of 10 parallel receivers only', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await sendAll(t.sqs, q.url, sent);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })),
    );
    const ids = results.flat().map((m) => m.MessageId);
    assert.equal(new Set(ids).size, ids.length, 'no message twice');
    assert.equal(ids.length, 30);
  });

  it('gives each FIFO group to one of several parallel receivers only, in order', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const groups = ['a', 'b', 'c', 'd'];
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) for (const g of groups) sent.push(`${g}${i}`);
    await sendAll(t.sqs, q.url, sent, (b) => ({ MessageGroupId: b[0] }));
    const results = await Promise.all(
      Array.from({ length: 6 }, () => receive(t.sqs, q.url, { MaxNumberOfMessages: 3 })),
    );
    const owner = new Map<string, number>();
    results.forEach((messages, receiver) => {
      for (const m of messages) {
        const g = m.Body?.[0] ?? '';
        assert.ok(!owner.has(g) || owner.get(g) === receiver, `group ${g} went to two receivers`);
        owner.set(g, receiver);
      }
      const perGroup = new Map<string, string[]>();
      for (const m of messages) perGroup.set(m.Body?.[0] ?? '', [...(perGroup.get(m.Body?.[0] ?? '') ?? []), m.Body ?? '']);
      for (const [g, list] of perGroup) assert.deepEqual(list, [0, 1, 2].slice(0, list.length).map((i) => `${g}${i}`));
    });
    assert.equal(owner.size, 4, 'every group was served');
  });
});
