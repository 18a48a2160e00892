/** @module test/integration/message-visibility: visibility timeouts and ChangeMessageVisibility (spec §D.7, §B). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receive, receiveOne, remove, send } from '../helpers/messages.ts';

describe('message visibility', () => {
  const t = useTestServer();
  const change = (QueueUrl: string, ReceiptHandle: string | undefined, VisibilityTimeout: number) =>
    t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout }));

  it('hides a received message for the queue VisibilityTimeout (30 s by default), then returns it', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'x');
    await receiveOne(t.sqs, q.url);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 1, delayed: 0 });
    t.clock.advance(29_999);
    assert.deepEqual(await receive(t.sqs, q.url), []);
    t.clock.advance(1);
    const again = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(again.MessageId, sent.MessageId);
    assert.equal(again.Attributes?.ApproximateReceiveCount, '2');
  });

  it('uses the queue VisibilityTimeout attribute', async () => {
    const q = await createStandardQueue(t.sqs, { VisibilityTimeout: '5' });
    await send(t.sqs, q.url, 'x');
    await receiveOne(t.sqs, q.url);
    t.clock.advance(5_000);
    await receiveOne(t.sqs, q.url);
  });

  it('lets the receive VisibilityTimeout override the queue value', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    await receiveOne(t.sqs, q.url, { VisibilityTimeout: 2 });
    t.clock.advance(2_000);
    await receiveOne(t.sqs, q.url, { VisibilityTimeout: 120 });
    t.clock.advance(60_000);
    assert.deepEqual(await receive(t.sqs, q.url), []);
  });

  it('leaves a message visible when received with VisibilityTimeout 0', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    await receiveOne(t.sqs, q.url, { VisibilityTimeout: 0 });
    await receiveOne(t.sqs, q.url, { VisibilityTimeout: 0 });
  });

  it('makes a message visible at once with ChangeMessageVisibility 0', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    const out = await change(q.url, m.ReceiptHandle, 0);
    assert.ok(out.$metadata.requestId);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 1, inFlight: 0, delayed: 0 });
    assert.equal((await receiveOne(t.sqs, q.url)).MessageId, m.MessageId);
  });

  it('counts a changed timeout from the moment of the change', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    t.clock.advance(20_000);
    await change(q.url, m.ReceiptHandle, 100);
    t.clock.advance(99_999);
    assert.deepEqual(await receive(t.sqs, q.url), []);
    t.clock.advance(1);
    assert.equal((await receiveOne(t.sqs, q.url)).MessageId, m.MessageId);
  });

  it('shortens the visibility timeout of an in-flight message', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 600 });
    await change(q.url, m.ReceiptHandle, 5);
    t.clock.advance(5_000);
    assert.equal((await receiveOne(t.sqs, q.url)).MessageId, m.MessageId);
  });

  it('applies a changed timeout to the current in-flight period only', async () => {
    const q = await createStandardQueue(t.sqs, { VisibilityTimeout: '10' });
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    await change(q.url, m.ReceiptHandle, 300);
    t.clock.advance(300_000);
    await receiveOne(t.sqs, q.url);
    t.clock.advance(10_000);
    await receiveOne(t.sqs, q.url);
  });

  it('allows a total invisibility of 43200 s counted from the receive', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 600 });
    t.clock.advance(100_000);
    await change(q.url, m.ReceiptHandle, 43_100);
    t.clock.advance(43_099_999);
    assert.deepEqual(await receive(t.sqs, q.url), [], 'still in flight just before 43200 s');
    t.clock.advance(1);
    assert.equal((await receiveOne(t.sqs, q.url)).MessageId, m.MessageId);
  });

  it('rejects a change that would keep the message invisible beyond 43200 s since the receive', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    // Still in flight 100 s later: a stale handle would be answered 200 without a check.
    const m = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 600 });
    t.clock.advance(100_000);
    await expectSqsError(
      change(q.url, m.ReceiptHandle, 43_200),
      'InvalidParameterValue',
      'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].',
    );
  });

  it('counts the 43200 s in whole seconds: the full limit is allowed within the first second after the receive', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 600 });
    t.clock.advance(999);
    await change(q.url, m.ReceiptHandle, 43_200);
    t.clock.advance(1);
    await expectSqsError(change(q.url, m.ReceiptHandle, 43_200), 'InvalidParameterValue', /beyond the limit \[43200 seconds\]/);
    await change(q.url, m.ReceiptHandle, 43_199);
  });

  it('rejects VisibilityTimeout 43201 with InvalidParameterValue', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    await expectSqsError(change(q.url, m.ReceiptHandle, 43_201), 'InvalidParameterValue', /VisibilityTimeout/);
  });

  it('rejects changing the visibility of a deleted message with InvalidParameterValue', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    await remove(t.sqs, q.url, m);
    await expectSqsError(
      change(q.url, m.ReceiptHandle, 10),
      'InvalidParameterValue',
      `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  });

  it('rejects a garbage receipt handle with ReceiptHandleIsInvalid', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      change(q.url, 'garbage', 10),
      'ReceiptHandleIsInvalid',
      'The input receipt handle "garbage" is not a valid receipt handle.',
    );
  });

  it('accepts a stale handle whose visibility already expired on a standard queue', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 5 });
    t.clock.advance(5_000);
    const out = await change(q.url, m.ReceiptHandle, 10);
    assert.equal(out.$metadata.httpStatusCode, 200);
  });
});
