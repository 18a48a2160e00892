/** @module test/integration/dead-letter-source-queues: ListDeadLetterSourceQueues (spec §B). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListDeadLetterSourceQueuesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue } from '../helpers/queues.ts';
import { redrivePolicy } from '../helpers/dead-letter.ts';

describe('ListDeadLetterSourceQueues', () => {
  const t = useTestServer();
  const list = (QueueUrl: string, MaxResults?: number, NextToken?: string) =>
    t.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl, MaxResults, NextToken }));

  it('lists the queues whose RedrivePolicy targets the DLQ, and no others', async () => {
    const dlq = await createStandardQueue(t.sqs);
    const a = await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 3) });
    const b = await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 5) });
    await createStandardQueue(t.sqs);
    const out = await list(dlq.url);
    assert.ok(out.$metadata.requestId);
    assert.deepEqual([...(out.queueUrls ?? [])].sort(), [a.url, b.url].sort());
    assert.equal(out.NextToken, undefined);
  });

  it('returns an empty list for a queue that is nobody’s DLQ', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await list(q.url);
    assert.deepEqual(out.queueUrls, []);
  });

  it('drops a source whose RedrivePolicy was removed', async () => {
    const dlq = await createStandardQueue(t.sqs);
    const a = await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 3) });
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: a.url, Attributes: { RedrivePolicy: '' } }));
    assert.deepEqual((await list(dlq.url)).queueUrls, []);
  });

  it('pages with MaxResults and NextToken', async () => {
    const dlq = await createStandardQueue(t.sqs);
    const sources = [];
    for (let i = 0; i < 3; i++) sources.push(await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 3) }));
    const first = await list(dlq.url, 2);
    assert.equal(first.queueUrls?.length, 2);
    assert.ok(first.NextToken);
    const second = await list(dlq.url, 2, first.NextToken);
    assert.equal(second.queueUrls?.length, 1);
    assert.equal(second.NextToken, undefined);
    assert.deepEqual([...(first.queueUrls ?? []), ...(second.queueUrls ?? [])].sort(), sources.map((s) => s.url).sort());
  });
});
