/** @module test/integration/list-queues: ListQueues prefix filter and paging (spec §B ListQueues). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createQueue, type TestQueue } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';

describe('ListQueues', () => {
  const t = useTestServer();

  /** Creates `count` queues sharing a fresh prefix, returned in name order. */
  async function queuesWithPrefix(count: number, isFifo = false): Promise<{ prefix: string; queues: TestQueue[] }> {
    const prefix = `lq-${randomUUID().slice(0, 8)}`;
    const queues: TestQueue[] = [];
    for (let i = count - 1; i >= 0; i--) {
      const name = `${prefix}-${String(i).padStart(2, '0')}${isFifo ? '.fifo' : ''}`;
      queues.unshift(await createQueue(t.sqs, name, isFifo ? { FifoQueue: 'true' } : {}));
    }
    return { prefix, queues };
  }

  it('returns the URLs of the queues whose name starts with QueueNamePrefix, in name order', async () => {
    const { prefix, queues } = await queuesWithPrefix(3);
    await createQueue(t.sqs, `x${prefix}`);
    const out = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    assert.deepEqual(out.QueueUrls, queues.map((q) => q.url));
    assert.ok(out.$metadata.requestId);
  });

  it('lists standard and FIFO queues alike', async () => {
    const { prefix, queues } = await queuesWithPrefix(2, true);
    const out = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    assert.deepEqual(out.QueueUrls, queues.map((q) => q.url));
  });

  it('matches the prefix case-sensitively', async () => {
    const { prefix } = await queuesWithPrefix(1);
    const out = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix.toUpperCase() }));
    assert.deepEqual(out.QueueUrls ?? [], []);
  });

  it('never returns a NextToken without MaxResults', async () => {
    const { prefix, queues } = await queuesWithPrefix(3);
    const out = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    assert.equal(out.QueueUrls?.length, queues.length);
    assert.equal(out.NextToken, undefined);
    const all = await t.sqs.send(new ListQueuesCommand({}));
    assert.ok((all.QueueUrls?.length ?? 0) >= 3);
    assert.equal(all.NextToken, undefined);
  });

  it('pages with MaxResults and NextToken, with a NextToken only while more remain', async () => {
    const { prefix, queues } = await queuesWithPrefix(5);
    const seen: string[] = [];
    const first = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    assert.equal(first.QueueUrls?.length, 2);
    assert.ok(first.NextToken);
    seen.push(...(first.QueueUrls ?? []));
    const second = await t.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.equal(second.QueueUrls?.length, 2);
    assert.ok(second.NextToken);
    seen.push(...(second.QueueUrls ?? []));
    const third = await t.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: second.NextToken }),
    );
    assert.equal(third.QueueUrls?.length, 1);
    assert.equal(third.NextToken, undefined);
    seen.push(...(third.QueueUrls ?? []));
    assert.deepEqual(seen, queues.map((q) => q.url));
  });

  it('returns no NextToken when MaxResults covers exactly the remaining queues', async () => {
    const { prefix } = await queuesWithPrefix(2);
    const out = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    assert.equal(out.QueueUrls?.length, 2);
    assert.equal(out.NextToken, undefined);
  });

  it('returns no URLs and no NextToken for an unmatched prefix', async () => {
    const out = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: `none-${randomUUID()}` }));
    assert.deepEqual(out.QueueUrls ?? [], []);
    assert.equal(out.NextToken, undefined);
  });

  for (const maxResults of [0, 1001]) {
    it(`rejects MaxResults ${maxResults} with InvalidParameterValue`, async () => {
      await expectSqsError(t.sqs.send(new ListQueuesCommand({ MaxResults: maxResults })), 'InvalidParameterValue');
    });
  }
});
