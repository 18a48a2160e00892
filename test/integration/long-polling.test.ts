/** @module test/integration/long-polling: a waiting ReceiveMessage returns as soon as a message can be received (spec §D.6). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  type ReceiveMessageCommandOutput,
} from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createStandardQueue } from '../helpers/queues.ts';
import { bodies, receive, receiveOne, send } from '../helpers/messages.ts';
import { advanceUntilSettled, isPending, watchLongPolls, type LongPollWatch } from '../helpers/long-poll.ts';

describe('long polling', { timeout: 20_000 }, () => {
  const t = useTestServer();
  let polls: LongPollWatch;
  before(() => {
    polls = watchLongPolls(t.srv.engine);
  });

  /**
   * Starts a long poll (WaitTimeSeconds 20 unless given) and resolves, once the server has parked it, to a
   * holder of the pending request (a bare promise would be flattened by `await`).
   */
  async function startPoll(
    url: string,
    input: Record<string, unknown> = {},
  ): Promise<{ pending: Promise<ReceiveMessageCommandOutput> }> {
    const parkedBefore = polls.count;
    const pending = t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20, ...input }));
    await polls.parked(parkedBefore + 1);
    return { pending };
  }

  it('waits while the queue is empty', async () => {
    const q = await createStandardQueue(t.sqs);
    const { pending } = await startPoll(q.url);
    assert.equal(await isPending(pending), true);
    await send(t.sqs, q.url, 'release');
    await pending;
  });

  it('returns as soon as a message is sent', async () => {
    const q = await createStandardQueue(t.sqs);
    const { pending } = await startPoll(q.url);
    await send(t.sqs, q.url, 'wake up');
    const out = await pending;
    assert.deepEqual(bodies(out.Messages ?? []), ['wake up']);
  });

  it('returns a message whose visibility timeout expires during the wait', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'comes back');
    await receiveOne(t.sqs, q.url, { VisibilityTimeout: 5 });
    const { pending } = await startPoll(q.url);
    t.clock.advance(5_000);
    const out = await pending;
    assert.equal(out.Messages?.[0]?.MessageId, sent.MessageId);
  });

  it('returns a message made visible by ChangeMessageVisibility 0 during the wait', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'released');
    const m = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 600 });
    const { pending } = await startPoll(q.url);
    await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    const out = await pending;
    assert.deepEqual(bodies(out.Messages ?? []), ['released']);
  });

  it('returns a delayed message when its delay expires during the wait', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'delayed', { DelaySeconds: 5 });
    const { pending } = await startPoll(q.url);
    t.clock.advance(5_000);
    const out = await pending;
    assert.deepEqual(bodies(out.Messages ?? []), ['delayed']);
  });

  it('returns a FIFO message when its group is unlocked by a delete during the wait', async () => {
    const q = await createFifoQueue(t.sqs, { ContentBasedDeduplication: 'true' });
    await send(t.sqs, q.url, 'first', { MessageGroupId: 'g' });
    await send(t.sqs, q.url, 'second', { MessageGroupId: 'g' });
    const first = await receiveOne(t.sqs, q.url);
    const { pending } = await startPoll(q.url);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle }));
    const out = await pending;
    assert.deepEqual(bodies(out.Messages ?? []), ['second']);
  });

  it('returns an empty result once WaitTimeSeconds elapses with nothing to receive', async () => {
    const q = await createStandardQueue(t.sqs);
    const { pending } = await startPoll(q.url, { WaitTimeSeconds: 3 });
    t.clock.advance(2_000);
    assert.equal(await isPending(pending), true, 'still waiting before WaitTimeSeconds');
    const out = await advanceUntilSettled(t.clock, pending, 1_000, 10);
    assert.equal(out.Messages, undefined);
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when WaitTimeSeconds is omitted', async () => {
    const q = await createStandardQueue(t.sqs, { ReceiveMessageWaitTimeSeconds: '20' });
    const parkedBefore = polls.count;
    const pending = t.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url }));
    await polls.parked(parkedBefore + 1);
    assert.equal(await isPending(pending), true, 'waits for the queue default');
    await send(t.sqs, q.url, 'queue default');
    assert.deepEqual(bodies((await pending).Messages ?? []), ['queue default']);
  });

  it('returns at once with WaitTimeSeconds 0 even when the queue default is 20', async () => {
    const q = await createStandardQueue(t.sqs, { ReceiveMessageWaitTimeSeconds: '20' });
    const out = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 0 }));
    assert.equal(out.Messages, undefined);
  });

  it('returns up to MaxNumberOfMessages of what is available when it wakes', async () => {
    const q = await createStandardQueue(t.sqs);
    const { pending } = await startPoll(q.url, { MaxNumberOfMessages: 10 });
    await send(t.sqs, q.url, 'one');
    const out = await pending;
    assert.ok((out.Messages?.length ?? 0) >= 1);
    assert.equal(out.Messages?.[0]?.Body, 'one');
  });

  it('wakes each of two waiting receivers for two messages, giving each message to one of them', async () => {
    const q = await createStandardQueue(t.sqs);
    const { pending: a } = await startPoll(q.url);
    const { pending: b } = await startPoll(q.url);
    await send(t.sqs, q.url, 'm1');
    await send(t.sqs, q.url, 'm2');
    const [ra, rb] = await Promise.all([a, b]);
    const all = [...(ra.Messages ?? []), ...(rb.Messages ?? [])];
    assert.deepEqual(bodies(all).sort(), ['m1', 'm2']);
    assert.deepEqual(await receive(t.sqs, q.url), []);
  });

  it('answers a waiting receive when its queue is deleted, without hanging', async () => {
    const q = await createStandardQueue(t.sqs);
    const { pending } = await startPoll(q.url);
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    await pending.then(
      (out) => assert.equal(out.Messages, undefined),
      (err: Error) => assert.equal(err.name, 'QueueDoesNotExist'),
    );
  });
});
