/** @module test/integration/message-delay: queue and per-message delays on standard queues (spec §D.8). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { bodies, receive, send } from '../helpers/messages.ts';

describe('message delay', () => {
  const t = useTestServer();

  it('holds a message back for the queue DelaySeconds and counts it as delayed meanwhile', async () => {
    const q = await createStandardQueue(t.sqs, { DelaySeconds: '5' });
    await send(t.sqs, q.url, 'later');
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 1 });
    assert.deepEqual(await receive(t.sqs, q.url), []);
    t.clock.advance(4_999);
    assert.deepEqual(await receive(t.sqs, q.url), []);
    t.clock.advance(1);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 1, inFlight: 0, delayed: 0 });
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['later']);
  });

  it('holds a message back for its own DelaySeconds', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'later', { DelaySeconds: 10 });
    await send(t.sqs, q.url, 'now');
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['now']);
    assert.equal((await queueCounts(t.sqs, q.url)).delayed, 1);
    t.clock.advance(10_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['later']);
  });

  it('lets a per-message DelaySeconds override the queue delay, including 0', async () => {
    const q = await createStandardQueue(t.sqs, { DelaySeconds: '60' });
    await send(t.sqs, q.url, 'immediate', { DelaySeconds: 0 });
    await send(t.sqs, q.url, 'short', { DelaySeconds: 2 });
    await send(t.sqs, q.url, 'queue-delay');
    // A long visibility timeout keeps received messages out of the later receives.
    const take = async () => bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 3_600 }));
    assert.deepEqual(await take(), ['immediate']);
    t.clock.advance(2_000);
    assert.deepEqual(await take(), ['short']);
    t.clock.advance(58_000);
    assert.deepEqual(await take(), ['queue-delay']);
  });

  it('applies per-entry DelaySeconds in SendMessageBatch', async () => {
    const q = await createStandardQueue(t.sqs);
    await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'a', MessageBody: 'a', DelaySeconds: 900 },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 1, inFlight: 0, delayed: 1 });
    t.clock.advance(900_000);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 2, inFlight: 0, delayed: 0 });
  });

  it('applies a changed queue DelaySeconds to messages sent afterwards', async () => {
    const q = await createStandardQueue(t.sqs);
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { DelaySeconds: '30' } }));
    await send(t.sqs, q.url, 'x');
    assert.equal((await queueCounts(t.sqs, q.url)).delayed, 1);
  });

  for (const bad of [901, -1]) {
    it(`rejects DelaySeconds ${bad} with InvalidParameterValue`, async () => {
      const q = await createStandardQueue(t.sqs);
      await expectSqsError(send(t.sqs, q.url, 'x', { DelaySeconds: bad }), 'InvalidParameterValue', /DelaySeconds/);
    });
  }

  it('reports an out-of-range entry DelaySeconds of SendMessageBatch in Failed', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'ok', MessageBody: 'a' },
          { Id: 'bad', MessageBody: 'b', DelaySeconds: 901 },
        ],
      }),
    );
    assert.deepEqual(out.Successful?.map((s) => s.Id), ['ok']);
    assert.deepEqual(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['bad', 'InvalidParameterValue', true]]);
  });
});
