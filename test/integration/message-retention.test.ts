/** @module test/integration/message-retention: messages expire after MessageRetentionPeriod (spec §D.8). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { bodies, receive, send } from '../helpers/messages.ts';

describe('message retention', () => {
  const t = useTestServer();

  it('deletes a visible message once MessageRetentionPeriod has passed since it was sent', async () => {
    const q = await createStandardQueue(t.sqs, { MessageRetentionPeriod: '60' });
    await send(t.sqs, q.url, 'old');
    t.clock.advance(30_000);
    await send(t.sqs, q.url, 'young');
    t.clock.advance(30_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })), ['young']);
    t.clock.advance(30_000);
    assert.deepEqual(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 }), []);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('deletes an in-flight message when its retention runs out', async () => {
    const q = await createStandardQueue(t.sqs, { MessageRetentionPeriod: '60' });
    await send(t.sqs, q.url, 'in flight');
    await receive(t.sqs, q.url, { VisibilityTimeout: 600 });
    assert.equal((await queueCounts(t.sqs, q.url)).inFlight, 1);
    t.clock.advance(60_000);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
    t.clock.advance(600_000);
    assert.deepEqual(await receive(t.sqs, q.url), []);
  });

  it('deletes a delayed message when its retention runs out before the delay', async () => {
    const q = await createStandardQueue(t.sqs, { MessageRetentionPeriod: '60' });
    await send(t.sqs, q.url, 'delayed', { DelaySeconds: 900 });
    t.clock.advance(60_000);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('keeps messages for 4 days by default', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'kept');
    t.clock.advance(345_600_000 - 1_000);
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 1);
    t.clock.advance(1_000);
    assert.equal((await queueCounts(t.sqs, q.url)).visible, 0);
  });

  it('expires older messages when MessageRetentionPeriod is lowered', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'two minutes old');
    t.clock.advance(120_000);
    await send(t.sqs, q.url, 'new');
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { MessageRetentionPeriod: '60' } }));
    t.clock.advance(1);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })), ['new']);
  });
});
