/** @module test/integration/message-system-attributes: which system attributes a receive returns and their values (spec §D.4). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand, type MessageSystemAttributeName, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createStandardQueue } from '../helpers/queues.ts';
import { receiveOne, send } from '../helpers/messages.ts';
import { md5OfMessageAttributes } from '../helpers/md5.ts';
import { postJson } from '../helpers/raw-http.ts';

const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('message system attributes', () => {
  const t = useTestServer();

  it('returns SenderId, SentTimestamp, ApproximateReceiveCount and ApproximateFirstReceiveTimestamp for All on a standard queue', async () => {
    const q = await createStandardQueue(t.sqs);
    const sentAt = t.clock.now();
    await send(t.sqs, q.url, 'x');
    t.clock.advance(1_500);
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'] });
    const a = got.Attributes ?? {};
    assert.deepEqual(Object.keys(a).sort(), [
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'SenderId',
      'SentTimestamp',
    ]);
    assert.equal(a.SentTimestamp, String(sentAt));
    assert.equal(a.ApproximateFirstReceiveTimestamp, String(sentAt + 1_500));
    assert.equal(a.ApproximateReceiveCount, '1');
    assert.ok(a.SenderId && a.SenderId.length > 0, 'SenderId is non-empty');
  });

  it('also returns MessageGroupId, MessageDeduplicationId and SequenceNumber for All on a FIFO queue', async () => {
    const q = await createFifoQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'x', { MessageGroupId: 'g1', MessageDeduplicationId: 'd1' });
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'] });
    const a = got.Attributes ?? {};
    assert.deepEqual(Object.keys(a).sort(), [
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'MessageDeduplicationId',
      'MessageGroupId',
      'SenderId',
      'SentTimestamp',
      'SequenceNumber',
    ]);
    assert.equal(a.MessageGroupId, 'g1');
    assert.equal(a.MessageDeduplicationId, 'd1');
    assert.equal(a.SequenceNumber, sent.SequenceNumber);
  });

  it('returns only the names asked for with MessageSystemAttributeNames', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['SentTimestamp'] });
    assert.deepEqual(Object.keys(got.Attributes ?? {}), ['SentTimestamp']);
  });

  it('honours the deprecated AttributeNames alone', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const got = await receiveOne(t.sqs, q.url, { AttributeNames: ['ApproximateReceiveCount' as QueueAttributeName] });
    assert.deepEqual(got.Attributes, { ApproximateReceiveCount: '1' });
  });

  it('returns the union of AttributeNames and MessageSystemAttributeNames', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const got = await receiveOne(t.sqs, q.url, {
      AttributeNames: ['SentTimestamp' as QueueAttributeName],
      MessageSystemAttributeNames: ['SenderId'],
    });
    assert.deepEqual(Object.keys(got.Attributes ?? {}).sort(), ['SenderId', 'SentTimestamp']);
  });

  it('returns everything when All comes in MessageSystemAttributeNames and one name in AttributeNames', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const got = await receiveOne(t.sqs, q.url, {
      AttributeNames: ['SenderId' as QueueAttributeName],
      MessageSystemAttributeNames: ['All'],
    });
    assert.equal(Object.keys(got.Attributes ?? {}).length, 4);
  });

  it('returns no Attributes member when no system attribute is asked for', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const got = await receiveOne(t.sqs, q.url);
    assert.equal(got.Attributes, undefined);
  });

  it('omits FIFO-only names asked for on a standard message', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const got = await receiveOne(t.sqs, q.url, {
      MessageSystemAttributeNames: ['SequenceNumber', 'MessageDeduplicationId', 'SentTimestamp'],
    });
    assert.deepEqual(Object.keys(got.Attributes ?? {}), ['SentTimestamp']);
  });

  it('counts receives in ApproximateReceiveCount and keeps ApproximateFirstReceiveTimestamp from the first receive', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const firstAt = t.clock.now();
    const first = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'], VisibilityTimeout: 10 });
    t.clock.advance(10_000);
    const second = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'], VisibilityTimeout: 10 });
    t.clock.advance(10_000);
    const third = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'] });
    assert.deepEqual(
      [first, second, third].map((m) => m.Attributes?.ApproximateReceiveCount),
      ['1', '2', '3'],
    );
    for (const m of [first, second, third]) assert.equal(m.Attributes?.ApproximateFirstReceiveTimestamp, String(firstAt));
    assert.equal(third.Attributes?.SentTimestamp, first.Attributes?.SentTimestamp);
  });

  it('gives a new receipt handle on every receive', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const a = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 0 });
    const b = await receiveOne(t.sqs, q.url, { VisibilityTimeout: 0 });
    assert.equal(a.MessageId, b.MessageId);
    assert.notEqual(a.ReceiptHandle, b.ReceiptHandle);
  });

  it('returns MessageId as a lowercase UUID', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'x');
    assert.match(sent.MessageId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('stores AWSTraceHeader given in MessageSystemAttributes and hashes it in MD5OfMessageSystemAttributes', async () => {
    const q = await createStandardQueue(t.sqs);
    const system = { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } };
    const sent = await send(t.sqs, q.url, 'traced', { MessageSystemAttributes: system });
    assert.equal(sent.MD5OfMessageSystemAttributes, md5OfMessageAttributes(system));
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'] });
    assert.equal(got.Attributes?.AWSTraceHeader, TRACE);
  });

  it('returns AWSTraceHeader when asked for by name', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'traced', {
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
    });
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['AWSTraceHeader' as MessageSystemAttributeName] });
    assert.deepEqual(got.Attributes, { AWSTraceHeader: TRACE });
  });

  it('omits MD5OfMessageSystemAttributes when no system attributes are sent', async () => {
    const q = await createStandardQueue(t.sqs);
    const sent = await send(t.sqs, q.url, 'plain');
    assert.equal(sent.MD5OfMessageSystemAttributes, undefined);
  });

  it('accepts AWSTraceHeader per SendMessageBatch entry', async () => {
    const q = await createStandardQueue(t.sqs);
    const system = { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } };
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [{ Id: 'a', MessageBody: 'x', MessageSystemAttributes: system }],
      }),
    );
    assert.equal(out.Successful?.[0]?.MD5OfMessageSystemAttributes, md5OfMessageAttributes(system));
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['AWSTraceHeader' as MessageSystemAttributeName] });
    assert.equal(got.Attributes?.AWSTraceHeader, TRACE);
  });

  it('takes AWSTraceHeader from the X-Amzn-Trace-Id request header when no system attribute is sent', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'SendMessage', { QueueUrl: q.url, MessageBody: 'x' }, { 'X-Amzn-Trace-Id': TRACE });
    assert.equal(res.status, 200, res.text);
    const got = await receiveOne(t.sqs, q.url, { MessageSystemAttributeNames: ['All'] });
    assert.equal(got.Attributes?.AWSTraceHeader, TRACE);
  });
});
