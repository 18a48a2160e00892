/**
 * @module test/clients/query-protocol: the query protocol over HTTP, request by request (spec §A.0, §A.2): all 23
 * operations, GET and POST, the queue-URL path, the XML shapes, the error texts, protocol detection and public URLs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATIONS } from '../../src/protocol/operations.ts';
import { md5Hex } from '../helpers/md5.ts';
import { uniqueQueueName } from '../helpers/queues.ts';
import { startClientServer, useClientServer } from './client-server.ts';
import { formOf, getQuery, postForm, type RawReply, tagOf, tagsOf } from './raw-query.ts';

const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function assertSuccess(reply: RawReply, operation: string): void {
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.headers.get('content-type'), 'text/xml');
  assert.ok(reply.text.startsWith(`<?xml version="1.0"?><${operation}Response ${NS}>`), reply.text);
  const requestId = tagOf(reply.text, 'RequestId');
  assert.match(requestId, UUID);
  assert.equal(reply.headers.get('x-amzn-requestid'), requestId, 'the XML request id is the header one');
  assert.ok(reply.text.endsWith(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`));
}

function assertError(reply: RawReply, status: number, code: string, message?: string | RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.headers.get('content-type'), 'text/xml');
  const requestId = reply.headers.get('x-amzn-requestid') ?? '';
  assert.match(requestId, UUID);
  const text = reply.text;
  assert.match(
    text,
    new RegExp(
      `^<\\?xml version="1.0"\\?><ErrorResponse ${NS}><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
        `<Code>${code.replace(/\./g, '\\.')}</Code><Message>[^<]*</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>$`,
    ),
  );
  if (typeof message === 'string') assert.equal(tagOf(text, 'Message'), message);
  else if (message) assert.match(tagOf(text, 'Message'), message);
}

describe('query protocol', () => {
  const s = useClientServer();
  const createQueue = async (name: string, attributes: Record<string, string> = {}) => {
    const params: Record<string, string> = { Action: 'CreateQueue', Version: '2012-11-05', QueueName: name };
    Object.entries(attributes).forEach(([key, value], i) => {
      params[`Attribute.${i + 1}.Name`] = key;
      params[`Attribute.${i + 1}.Value`] = value;
    });
    const reply = await postForm(`${s.url}/`, params);
    assertSuccess(reply, 'CreateQueue');
    return tagOf(reply.text, 'QueueUrl');
  };

  it('answers every one of the 23 operations in XML, not InvalidAction', async () => {
    const queueUrl = await createQueue(uniqueQueueName());
    const arn = `arn:aws:sqs:us-east-1:000000000000:${queueUrl.split('/').pop()}`;
    const params: Record<string, Record<string, string>> = {
      AddPermission: { QueueUrl: queueUrl, Label: 'l1', 'AWSAccountId.1': '111122223333', 'ActionName.1': 'SendMessage' },
      CancelMessageMoveTask: { TaskHandle: 'not-a-handle' },
      ChangeMessageVisibility: { QueueUrl: queueUrl, ReceiptHandle: 'garbage', VisibilityTimeout: '5' },
      ChangeMessageVisibilityBatch: {
        QueueUrl: queueUrl,
        'ChangeMessageVisibilityBatchRequestEntry.1.Id': 'a',
        'ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle': 'garbage',
        'ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout': '5',
      },
      CreateQueue: { QueueName: uniqueQueueName() },
      DeleteMessage: { QueueUrl: queueUrl, ReceiptHandle: 'garbage' },
      DeleteMessageBatch: {
        QueueUrl: queueUrl,
        'DeleteMessageBatchRequestEntry.1.Id': 'a',
        'DeleteMessageBatchRequestEntry.1.ReceiptHandle': 'garbage',
      },
      DeleteQueue: { QueueUrl: await createQueue(uniqueQueueName()) },
      GetQueueAttributes: { QueueUrl: queueUrl, 'AttributeName.1': 'QueueArn' },
      GetQueueUrl: { QueueName: queueUrl.split('/').pop()! },
      ListDeadLetterSourceQueues: { QueueUrl: queueUrl },
      ListMessageMoveTasks: { SourceArn: arn },
      ListQueueTags: { QueueUrl: queueUrl },
      ListQueues: {},
      PurgeQueue: { QueueUrl: queueUrl },
      ReceiveMessage: { QueueUrl: queueUrl },
      RemovePermission: { QueueUrl: queueUrl, Label: 'l1' },
      SendMessage: { QueueUrl: queueUrl, MessageBody: 'hello' },
      SendMessageBatch: {
        QueueUrl: queueUrl,
        'SendMessageBatchRequestEntry.1.Id': 'a',
        'SendMessageBatchRequestEntry.1.MessageBody': 'one',
      },
      SetQueueAttributes: { QueueUrl: queueUrl, 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '0' },
      StartMessageMoveTask: { SourceArn: arn },
      TagQueue: { QueueUrl: queueUrl, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' },
      UntagQueue: { QueueUrl: queueUrl, 'TagKey.1': 'k' },
    };
    assert.deepEqual(Object.keys(params).sort(), Object.keys(OPERATIONS).sort(), 'the table covers every operation');
    const codes: Record<string, string> = {};
    for (const [operation, members] of Object.entries(params)) {
      const reply = await postForm(`${s.url}/`, { Action: operation, Version: '2012-11-05', ...members });
      if (reply.status === 200) {
        assertSuccess(reply, operation);
        codes[operation] = 'ok';
      } else {
        codes[operation] = tagOf(reply.text, 'Code');
        assert.notEqual(codes[operation], 'InvalidAction');
      }
    }
    // The calls made to fail fail the way SQS fails them; the rest succeed.
    assert.deepEqual(codes, {
      AddPermission: 'ok',
      CancelMessageMoveTask: 'InvalidParameterValue',
      ChangeMessageVisibility: 'ReceiptHandleIsInvalid',
      ChangeMessageVisibilityBatch: 'ok',
      CreateQueue: 'ok',
      DeleteMessage: 'ReceiptHandleIsInvalid',
      DeleteMessageBatch: 'ok',
      DeleteQueue: 'ok',
      GetQueueAttributes: 'ok',
      GetQueueUrl: 'ok',
      ListDeadLetterSourceQueues: 'ok',
      ListMessageMoveTasks: 'ok',
      ListQueueTags: 'ok',
      ListQueues: 'ok',
      PurgeQueue: 'ok',
      ReceiveMessage: 'ok',
      RemovePermission: 'ok',
      SendMessage: 'ok',
      SendMessageBatch: 'ok',
      SetQueueAttributes: 'ok',
      StartMessageMoveTask: 'InvalidParameterValue',
      TagQueue: 'ok',
      UntagQueue: 'ok',
    });
  });

  it('keeps CR, quotes and non-ASCII text of a body intact through the XML, so MD5OfBody holds', async () => {
    const queueUrl = await createQueue(uniqueQueueName());
    const body = 'line 1\r\nline 2 "quoted" <tag> & Grüße 你好 😀\r';
    const sent = await postForm(`${s.url}/`, { Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: body });
    assertSuccess(sent, 'SendMessage');
    assert.equal(tagOf(sent.text, 'MD5OfMessageBody'), md5Hex(body));
    const received = await postForm(`${s.url}/`, { Action: 'ReceiveMessage', QueueUrl: queueUrl });
    assertSuccess(received, 'ReceiveMessage');
    assert.ok(received.text.includes('<Body>line 1&#xD;\nline 2 &quot;quoted&quot; &lt;tag&gt; &amp; Grüße 你好 😀&#xD;</Body>'), received.text);
    assert.equal(tagOf(received.text, 'Body'), body);
    assert.equal(tagOf(received.text, 'MD5OfBody'), md5Hex(body));
  });

  it('accepts a 1 MiB message in its largest form encoding: a Binary attribute whose base64 is all + (4 MiB of %2B)', async () => {
    const queueUrl = await createQueue(uniqueQueueName());
    // 3 + 1 + 6 + value bytes = 1,048,576: the body, the name, the data type and the value.
    const value = Buffer.alloc(1_048_566);
    for (let i = 0; i < value.length; i++) value[i] = [0xfb, 0xef, 0xbe][i % 3]!;
    const base64 = value.toString('base64');
    assert.ok(/^\++$/.test(base64), 'every base64 character encodes to %2B');
    const params = {
      Action: 'SendMessage',
      QueueUrl: queueUrl,
      MessageBody: 'xyz',
      'MessageAttribute.1.Name': 'b',
      'MessageAttribute.1.Value.DataType': 'Binary',
      'MessageAttribute.1.Value.BinaryValue': base64,
    };
    assert.ok(formOf(params).length > 4 * 1024 * 1024, 'the form is over 4 MiB');
    assertSuccess(await postForm(`${s.url}/`, params), 'SendMessage');
    const received = await postForm(`${s.url}/`, { Action: 'ReceiveMessage', QueueUrl: queueUrl, 'MessageAttributeName.1': 'All' });
    assert.ok(tagOf(received.text, 'BinaryValue') === base64, 'the value comes back whole');
  });

  it('accepts GET with the parameters in the query string, and posts to the queue URL without QueueUrl', async () => {
    const name = uniqueQueueName();
    const queueUrl = await createQueue(name);
    const sent = await postForm(queueUrl, { Action: 'SendMessage', MessageBody: 'via path' });
    assertSuccess(sent, 'SendMessage');
    const listed = await getQuery(`${s.url}/`, { Action: 'ListQueues', QueueNamePrefix: name });
    assertSuccess(listed, 'ListQueues');
    assert.deepEqual(tagsOf(listed.text, 'QueueUrl'), [queueUrl]);
    const received = await getQuery(queueUrl, { Action: 'ReceiveMessage', 'AttributeName.1': 'All' });
    assertSuccess(received, 'ReceiveMessage');
    assert.equal(tagOf(received.text, 'Body'), 'via path');
    assert.ok(tagsOf(received.text, 'Name').includes('ApproximateReceiveCount'));
  });

  it('answers an empty receive with <ReceiveMessageResult/> and a Unit operation without a result element', async () => {
    const queueUrl = await createQueue(uniqueQueueName());
    const received = await postForm(`${s.url}/`, { Action: 'ReceiveMessage', QueueUrl: queueUrl });
    assertSuccess(received, 'ReceiveMessage');
    assert.ok(received.text.includes(`<ReceiveMessageResponse ${NS}><ReceiveMessageResult/><ResponseMetadata>`));
    const purged = await postForm(`${s.url}/`, { Action: 'PurgeQueue', QueueUrl: queueUrl });
    assertSuccess(purged, 'PurgeQueue');
    assert.ok(purged.text.includes(`<PurgeQueueResponse ${NS}><ResponseMetadata>`));
  });

  it('answers errors with ErrorResponse, the legacy code and the query-protocol text', async () => {
    const missing = await postForm(`${s.url}/`, { Action: 'GetQueueUrl', QueueName: 'no-such-queue' });
    assertError(missing, 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
    assert.equal(missing.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assertError(
      await postForm(`${s.url}/`, { Action: 'Frobnicate' }),
      400,
      'InvalidAction',
      'The action Frobnicate is not valid for this endpoint.',
    );
    assertError(await postForm(`${s.url}/`, { QueueName: 'x' }), 400, 'MissingAction');
    assertError(
      await postForm(`${s.url}/`, { Action: 'CreateQueue' }),
      400,
      'MissingParameter',
      'The request must contain the parameter QueueName.',
    );
    const queueUrl = await createQueue(uniqueQueueName());
    assertError(
      await postForm(`${s.url}/`, { Action: 'ReceiveMessage', QueueUrl: queueUrl, MaxNumberOfMessages: 11 }),
      400,
      'InvalidParameterValue',
      /Value 11 for parameter MaxNumberOfMessages is invalid/,
    );
    assertError(
      await postForm(`${s.url}/`, { Action: 'DeleteMessage', QueueUrl: queueUrl, ReceiptHandle: 'garbage' }),
      404,
      'ReceiptHandleIsInvalid',
    );
    assertError(
      await postForm(`${s.url}/`, {
        Action: 'SendMessage',
        QueueUrl: queueUrl,
        MessageBody: 'x',
        'MessageAttribute.1.Name': 'b',
        'MessageAttribute.1.Value.DataType': 'Binary',
        'MessageAttribute.1.Value.BinaryValue': '***',
      }),
      400,
      'InvalidParameterValue',
      /BinaryValue is not valid base64/,
    );
    await postForm(`${s.url}/`, { Action: 'PurgeQueue', QueueUrl: queueUrl });
    assertError(await postForm(`${s.url}/`, { Action: 'PurgeQueue', QueueUrl: queueUrl }), 403, 'AWS.SimpleQueueService.PurgeQueueInProgress');
  });

  it('leaves requests with X-Amz-Target or the JSON content type to the JSON protocol', async () => {
    const targeted = await postForm(`${s.url}/`, { Action: 'ListQueues' }, { 'x-amz-target': 'AmazonSQS.ListQueues' });
    // A form body under X-Amz-Target is JSON that does not parse.
    assert.equal(targeted.headers.get('content-type'), 'application/x-amz-json-1.0');
    const json = await fetch(`${s.url}/?Action=ListQueues`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    assert.equal(json.status, 200);
    assert.equal(json.headers.get('content-type'), 'application/x-amz-json-1.0');
    const neither = await fetch(`${s.url}/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(neither.status, 400);
    assert.equal(neither.headers.get('x-amzn-query-error'), 'InvalidAction;Sender');
  });

  it('hands out queue URLs under the configured public base URL and reads them back whatever their host', async () => {
    const other = await startClientServer({ publicBaseUrl: 'http://sqs.example.test:4566' });
    try {
      const name = uniqueQueueName();
      const created = await postForm(`${other.url}/`, { Action: 'CreateQueue', QueueName: name });
      assertSuccess(created, 'CreateQueue');
      const queueUrl = tagOf(created.text, 'QueueUrl');
      assert.equal(queueUrl, `http://sqs.example.test:4566/000000000000/${name}`);
      assertSuccess(await postForm(`${other.url}/`, { Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: 'x' }), 'SendMessage');
      const listed = await getQuery(`${other.url}/`, { Action: 'ListQueues' });
      assert.deepEqual(tagsOf(listed.text, 'QueueUrl'), [queueUrl]);
      // Posting to the queue path works too; the URL handed back keeps the public base.
      const viaPath = await postForm(`${other.url}/000000000000/${name}`, { Action: 'GetQueueAttributes', 'AttributeName.1': 'ApproximateNumberOfMessages' });
      assertSuccess(viaPath, 'GetQueueAttributes');
      assert.equal(tagOf(viaPath.text, 'Value'), '1');
    } finally {
      await other.stop();
    }
  });
});
