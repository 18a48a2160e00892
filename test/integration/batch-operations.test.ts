/** @module test/integration/batch-operations: what SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch do per entry (spec §B). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, queueCounts } from '../helpers/queues.ts';
import { bodies, receive, receiveOne, send, remove } from '../helpers/messages.ts';
import { md5Hex } from '../helpers/md5.ts';

describe('batch operations', () => {
  const t = useTestServer();

  it('SendMessageBatch returns one Successful entry per Id with MessageId and MD5OfMessageBody, and Failed []', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'first', MessageBody: 'one' },
          { Id: 'second', MessageBody: 'two' },
        ],
      }),
    );
    assert.ok(out.$metadata.requestId);
    assert.deepEqual(out.Failed ?? [], []);
    const byId = new Map(out.Successful?.map((s) => [s.Id, s]));
    assert.equal(byId.get('first')?.MD5OfMessageBody, md5Hex('one'));
    assert.equal(byId.get('second')?.MD5OfMessageBody, md5Hex('two'));
    assert.notEqual(byId.get('first')?.MessageId, byId.get('second')?.MessageId);
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodies(got).sort(), ['one', 'two']);
  });

  it('DeleteMessageBatch deletes every entry and reports each Id as Successful', async () => {
    const q = await createStandardQueue(t.sqs);
    for (const b of ['a', 'b', 'c']) await send(t.sqs, q.url, b);
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    assert.equal(got.length, 3);
    const out = await t.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: q.url,
        Entries: got.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    assert.ok(out.$metadata.requestId);
    assert.deepEqual(out.Successful?.map((s) => s.Id).sort(), ['m0', 'm1', 'm2']);
    assert.deepEqual(out.Failed ?? [], []);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('DeleteMessageBatch reports a garbage handle in Failed with ReceiptHandleIsInvalid and deletes the rest (HTTP 200)', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'a');
    const m = await receiveOne(t.sqs, q.url);
    const out = await t.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'good', ReceiptHandle: m.ReceiptHandle },
          { Id: 'bad', ReceiptHandle: 'garbage' },
        ],
      }),
    );
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(out.Successful?.map((s) => s.Id), ['good']);
    assert.deepEqual(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['bad', 'ReceiptHandleIsInvalid', true]]);
    assert.deepEqual(await queueCounts(t.sqs, q.url), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('DeleteMessageBatch answers Successful for an already-deleted message', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'a');
    const m = await receiveOne(t.sqs, q.url);
    await remove(t.sqs, q.url, m);
    const out = await t.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: 'again', ReceiptHandle: m.ReceiptHandle }] }),
    );
    assert.deepEqual(out.Successful?.map((s) => s.Id), ['again']);
  });

  it('ChangeMessageVisibilityBatch changes each entry’s timeout', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'zero');
    await send(t.sqs, q.url, 'long');
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    assert.equal(got.length, 2);
    const byBody = new Map(got.map((m) => [m.Body, m]));
    const out = await t.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'z', ReceiptHandle: byBody.get('zero')?.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'l', ReceiptHandle: byBody.get('long')?.ReceiptHandle, VisibilityTimeout: 600 },
        ],
      }),
    );
    assert.ok(out.$metadata.requestId);
    assert.deepEqual(out.Successful?.map((s) => s.Id).sort(), ['l', 'z']);
    assert.deepEqual(out.Failed ?? [], []);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })), ['zero']);
    t.clock.advance(599_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })), ['zero']);
    t.clock.advance(1_000);
    assert.deepEqual(bodies(await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 })).sort(), ['long', 'zero']);
  });

  it('ChangeMessageVisibilityBatch reports bad entries in Failed and applies the rest (HTTP 200)', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'a');
    await send(t.sqs, q.url, 'deleted');
    const got = await receive(t.sqs, q.url, { MaxNumberOfMessages: 10 });
    const byBody = new Map(got.map((m) => [m.Body, m]));
    const deleted = byBody.get('deleted');
    assert.ok(deleted);
    await remove(t.sqs, q.url, deleted);
    const out = await t.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'ok', ReceiptHandle: byBody.get('a')?.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'garbage', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
          { Id: 'gone', ReceiptHandle: deleted.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'toolong', ReceiptHandle: byBody.get('a')?.ReceiptHandle, VisibilityTimeout: 43_201 },
        ],
      }),
    );
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(out.Successful?.map((s) => s.Id), ['ok']);
    const failed = new Map((out.Failed ?? []).map((f) => [f.Id, f]));
    assert.equal(failed.get('garbage')?.Code, 'ReceiptHandleIsInvalid');
    assert.equal(failed.get('gone')?.Code, 'InvalidParameterValue');
    assert.equal(failed.get('toolong')?.Code, 'InvalidParameterValue');
    for (const f of failed.values()) assert.equal(f.SenderFault, true);
    assert.deepEqual(bodies(await receive(t.sqs, q.url)), ['a']);
  });

  it('DeleteMessageBatch reports a handle issued by another queue as ReceiptHandleIsInvalid', async () => {
    const a = await createStandardQueue(t.sqs);
    const b = await createStandardQueue(t.sqs);
    await send(t.sqs, a.url, 'from a');
    const m = await receiveOne(t.sqs, a.url);
    const out = await t.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: b.url, Entries: [{ Id: 'x', ReceiptHandle: m.ReceiptHandle }] }),
    );
    assert.deepEqual(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['x', 'ReceiptHandleIsInvalid', true]]);
    assert.equal((await queueCounts(t.sqs, a.url)).inFlight, 1);
  });
});
