/** @module test/integration/json-protocol-errors: malformed AWS JSON 1.0 requests get well-formed SQS errors and never crash the server (spec §A.1, §A.3). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, uniqueQueueName } from '../helpers/queues.ts';
import { assertJsonError, postJson } from '../helpers/raw-http.ts';
import { receiveOne, send } from '../helpers/messages.ts';

describe('AWS JSON protocol errors', () => {
  const t = useTestServer();

  /** After each bad request the server must still answer a normal one. */
  async function assertServerAlive(): Promise<void> {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'still alive');
    assert.equal((await receiveOne(t.sqs, q.url)).Body, 'still alive');
  }

  it('renders a modelled error as __type com.amazonaws.sqs#Shape, lower-case message, x-amzn-query-error and a request id', async () => {
    const res = await postJson(t.srv.url, 'GetQueueUrl', { QueueName: uniqueQueueName() });
    assertJsonError(res, {
      status: 400,
      type: 'QueueDoesNotExist',
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
      message: 'The specified queue does not exist.',
    });
    assert.equal(res.json?.__type, 'com.amazonaws.sqs#QueueDoesNotExist');
    assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/x-amz-json-1.0');
  });

  it('answers a body that is not JSON with a 400 sender error', async () => {
    const res = await postJson(t.srv.url, 'ListQueues', '{"QueueNamePrefix": ');
    assertJsonError(res, { status: 400 });
    await assertServerAlive();
  });

  it('answers a JSON body that is not an object with a 400 sender error', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await postJson(t.srv.url, 'ListQueues', body);
      assertJsonError(res, { status: 400 });
    }
    await assertServerAlive();
  });

  it('answers an unknown X-Amz-Target operation with a 400 sender error', async () => {
    const res = await postJson(t.srv.url, 'FlyToTheMoon', {});
    assertJsonError(res, { status: 400 });
    await assertServerAlive();
  });

  it('answers an X-Amz-Target of another service with a 400 sender error', async () => {
    const res = await postJson(t.srv.url, null, {}, { 'x-amz-target': 'DynamoDB_20120810.ListTables' });
    assertJsonError(res, { status: 400 });
  });

  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    it(`answers ${method} with UnsupportedOperation and its modelled status 400`, async () => {
      const res = await fetch(`${t.srv.url}/`, { method, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, body: '{}' });
      const text = await res.text();
      assertJsonError(
        { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Record<string, unknown> },
        { status: 400, type: 'UnsupportedOperation', queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', message: new RegExp(`Method ${method} is not allowed`) },
      );
      await assertServerAlive();
    });
  }

  it('accepts a lower-case x-amz-target header and a missing x-amzn-query-mode header', async () => {
    const res = await fetch(`${t.srv.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    assert.equal(res.status, 200);
    await res.text();
  });

  it('answers a missing QueueUrl with MissingParameter naming it', async () => {
    const res = await postJson(t.srv.url, 'SendMessage', { MessageBody: 'x' });
    assertJsonError(res, {
      status: 400,
      type: 'MissingRequiredParameterException',
      queryCode: 'MissingParameter',
      message: 'The request must contain the parameter QueueUrl.',
    });
  });

  it('answers a missing MessageBody with MissingParameter naming it', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'SendMessage', { QueueUrl: q.url });
    assertJsonError(res, {
      status: 400,
      queryCode: 'MissingParameter',
      message: 'The request must contain the parameter MessageBody.',
    });
  });

  it('answers a missing QueueName on CreateQueue with MissingParameter', async () => {
    const res = await postJson(t.srv.url, 'CreateQueue', {});
    assertJsonError(res, { status: 400, queryCode: 'MissingParameter', message: 'The request must contain the parameter QueueName.' });
  });

  it('renders InvalidParameterValue with the coral __type and the legacy code', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'ReceiveMessage', { QueueUrl: q.url, MaxNumberOfMessages: 11 });
    assertJsonError(res, {
      status: 400,
      type: 'InvalidParameterValueException',
      queryCode: 'InvalidParameterValue',
      message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
  });

  it('answers members of the wrong JSON type with a 400 sender error', async () => {
    const q = await createStandardQueue(t.sqs);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['ReceiveMessage', { QueueUrl: q.url, MaxNumberOfMessages: 'ten' }],
      ['ReceiveMessage', { QueueUrl: q.url, WaitTimeSeconds: { n: 1 } }],
      ['SendMessage', { QueueUrl: q.url, MessageBody: 42 }],
      ['SendMessage', { QueueUrl: q.url, MessageBody: 'x', MessageAttributes: 'nope' }],
      ['SendMessage', { QueueUrl: 7, MessageBody: 'x' }],
      ['SendMessageBatch', { QueueUrl: q.url, Entries: { Id: 'a' } }],
      ['CreateQueue', { QueueName: uniqueQueueName(), Attributes: ['DelaySeconds'] }],
      ['GetQueueAttributes', { QueueUrl: q.url, AttributeNames: 'All' }],
      ['SendMessage', { QueueUrl: q.url, MessageBody: 'x', MessageAttributes: { a: { DataType: 'Binary', BinaryValue: 12 } } }],
    ];
    for (const [op, body] of cases) {
      const res = await postJson(t.srv.url, op, body);
      assert.ok(res.status >= 400 && res.status < 500, `${op} ${JSON.stringify(body)} → ${res.status} ${res.text}`);
      assertJsonError(res, { status: res.status });
    }
    await assertServerAlive();
  });

  it('ignores unknown members', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'SendMessage', { QueueUrl: q.url, MessageBody: 'x', Colour: 'blue' });
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.json?.MessageId, 'string');
  });

  it('returns {} for an operation without output', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'PurgeQueue', { QueueUrl: q.url });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json ?? {}, {});
  });

  it('returns {} without a Messages key for an empty receive', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'ReceiveMessage', { QueueUrl: q.url });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {});
  });

  it('returns Successful and Failed (possibly empty) arrays from a batch', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'SendMessageBatch', { QueueUrl: q.url, Entries: [{ Id: 'a', MessageBody: 'x' }] });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.json?.Successful));
    assert.deepEqual(res.json?.Failed, []);
  });

  it('takes binary attribute values as base64 and returns them as base64', async () => {
    const q = await createStandardQueue(t.sqs);
    const bytes = Buffer.from([0, 255, 1, 254]);
    const sent = await postJson(t.srv.url, 'SendMessage', {
      QueueUrl: q.url,
      MessageBody: 'x',
      MessageAttributes: { b: { DataType: 'Binary', BinaryValue: bytes.toString('base64') } },
    });
    assert.equal(sent.status, 200, sent.text);
    const got = await postJson(t.srv.url, 'ReceiveMessage', { QueueUrl: q.url, MessageAttributeNames: ['All'] });
    const messages = got.json?.Messages as Array<{ MessageAttributes: Record<string, { BinaryValue: string }> }>;
    assert.equal(messages[0]?.MessageAttributes.b?.BinaryValue, bytes.toString('base64'));
  });

  it('rejects a request body far above any SQS limit with a 4xx and stays up', async () => {
    const q = await createStandardQueue(t.sqs);
    const huge = JSON.stringify({ QueueUrl: q.url, MessageBody: 'x'.repeat(10 * 1024 * 1024) });
    const res = await postJson(t.srv.url, 'SendMessage', huge);
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.ok(res.headers.get('x-amzn-requestid'), 'request id header');
    await assertServerAlive();
  });

  it('answers a body just over the 1 MiB message limit with InvalidParameterValue', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await postJson(t.srv.url, 'SendMessage', { QueueUrl: q.url, MessageBody: 'x'.repeat(1_048_577) });
    assertJsonError(res, {
      status: 400,
      queryCode: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    });
  });

  it('accepts a 1 MiB body from a JSON encoder that escapes every character (\\u003c: 6 MiB of JSON)', async () => {
    const q = await createStandardQueue(t.sqs);
    const escaped = '\\u003c'.repeat(1_048_576);
    const res = await postJson(t.srv.url, 'SendMessage', `{"QueueUrl":${JSON.stringify(q.url)},"MessageBody":"${escaped}"}`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal((await receiveOne(t.sqs, q.url)).Body, '<'.repeat(1_048_576));
  });

  it('accepts JSON posted to the queue URL path', async () => {
    const q = await createStandardQueue(t.sqs);
    const res = await fetch(q.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: JSON.stringify({ QueueUrl: q.url, MessageBody: 'via path' }),
    });
    assert.equal(res.status, 200, await res.text());
    assert.equal((await receiveOne(t.sqs, q.url)).Body, 'via path');
  });
});
