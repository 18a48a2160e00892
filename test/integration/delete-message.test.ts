/** @module test/integration/delete-message: DeleteMessage semantics (spec §B DeleteMessage, §D.9). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receive, receiveOne, send } from '../helpers/messages.ts';

describe('DeleteMessage', () => {
  const t = useTestServer();
  const del = (QueueUrl: string, ReceiptHandle: string | undefined) =>
    t.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));

  it('removes an in-flight message for good', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    const out = await del(q.url, m.ReceiptHandle);
    assert.ok(out.$metadata.requestId);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
    t.clock.advance(60_000);
    assert.deepEqual(await receive(t.sqs, q.url), []);
  });

  it('deletes with a handle from a receive whose VisibilityTimeout was 0', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 0 });
    await del(q.url, m.ReceiptHandle);
    assert.deepEqual(await receive(t.sqs, q.url), []);
  });

  it('answers 200 when the message is already deleted', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    await del(q.url, m.ReceiptHandle);
    const again = await del(q.url, m.ReceiptHandle);
    assert.equal(again.$metadata.httpStatusCode, 200);
  });

  it('answers 200 for a stale handle of a message received again since (standard queue)', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const first = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 1 });
    t.clock.advance(1_000);
    await receiveOne(t.sqs, q.url);
    const out = await del(q.url, first.ReceiptHandle);
    assert.equal(out.$metadata.httpStatusCode, 200);
  });

  it('rejects a garbage receipt handle with ReceiptHandleIsInvalid (404)', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      del(q.url, 'garbage'),
      'ReceiptHandleIsInvalid',
      'The input receipt handle "garbage" is not a valid receipt handle.',
    );
  });

  it('rejects a receipt handle issued by another queue with ReceiptHandleIsInvalid and keeps the message', async () => {
    const a = await createStandardQueue(t.sqs);
    const b = await createStandardQueue(t.sqs);
    await send(t.sqs, a.url, 'from a');
    const m = await receiveOne(t.sqs, a.url);
    await expectSqsError(del(b.url, m.ReceiptHandle), 'ReceiptHandleIsInvalid');
    assert.equal((await queueCounts(t.sqs, a.url)).inFlight, 1);
  });
});
