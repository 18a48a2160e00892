/** @module test/integration/fifo-delay: FIFO queues take only the queue delay (spec §E.5). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { bodies, receive, send } from '../helpers/messages.ts';

describe('FIFO delay', () => {
  const t = useTestServer();

  it('rejects a per-message DelaySeconds greater than 0 with InvalidParameterValue', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await expectSqsError(
      send(t.sqs, q.url, 'x', { MessageGroupId: 'g', DelaySeconds: 5 }),
      'InvalidParameterValue',
      'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
  });

  it('accepts an explicit per-message DelaySeconds of 0', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await send(t.sqs, q.url, 'x', { MessageGroupId: 'g', DelaySeconds: 0 });
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['x']);
  });

  it('reports a SendMessageBatch entry with DelaySeconds greater than 0 in Failed and sends the others', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'ok', MessageBody: 'ok', MessageGroupId: 'g', DelaySeconds: 0 },
          { Id: 'd', MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 },
        ],
      }),
    );
    assert.deepEqual(out.Successful?.map((s) => s.Id), ['ok']);
    assert.deepEqual(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['d', 'InvalidParameterValue', true]]);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 1, inFlight: 0, delayed: 0 });
  });

  it('applies the queue DelaySeconds to every message', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true', DelaySeconds: '10' });
    await send(t.sqs, q.url, 'a', { MessageGroupId: 'g' });
    await send(t.sqs, q.url, 'b', { MessageGroupId: 'g' });
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 2 });
    assert.deepEqual(await receive(t.sqs, q.url), []);
    t.clock.advance(10_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['a', 'b']);
  });
});
