/** @module protocol/requests.test: the typed readers turn bodies into engine inputs and report bad input with the right error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64, optionalInteger, Requests, requiredString } from './requests.ts';
import { SqsError } from './sqs-error.ts';

const URL = 'http://127.0.0.1:9324/000000000000/q';

/** Asserts `fn` throws an SqsError with `code`, and a message matching `message` when given. */
function assertSqsError(fn: () => unknown, code: string, message?: RegExp | string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SqsError, `expected SqsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

describe('typed readers', () => {
  it('reports an absent or null required member as MissingParameter', () => {
    assertSqsError(() => requiredString({}, 'QueueUrl'), 'MissingRequiredParameterException', 'The request must contain the parameter QueueUrl.');
    assertSqsError(() => requiredString({ QueueUrl: null }, 'QueueUrl'), 'MissingRequiredParameterException');
  });

  it('reports a wrong JSON type as SerializationException naming the member', () => {
    assertSqsError(() => requiredString({ QueueUrl: 5 }, 'QueueUrl'), 'SerializationException', /QueueUrl.*integer/);
    assertSqsError(() => optionalInteger({ DelaySeconds: '5' }, 'DelaySeconds'), 'SerializationException', /DelaySeconds/);
    assertSqsError(() => optionalInteger({ DelaySeconds: 1.5 }, 'DelaySeconds'), 'SerializationException');
    assertSqsError(() => optionalInteger({ DelaySeconds: true }, 'DelaySeconds'), 'SerializationException');
    assertSqsError(() => optionalInteger({ DelaySeconds: 2 ** 31 }, 'DelaySeconds'), 'SerializationException', /32-bit/);
  });

  it('accepts int32 bounds and treats null as absent', () => {
    assert.equal(optionalInteger({ N: -(2 ** 31) }, 'N'), -(2 ** 31));
    assert.equal(optionalInteger({ N: 2 ** 31 - 1 }, 'N'), 2 ** 31 - 1);
    assert.equal(optionalInteger({ N: null }, 'N'), undefined);
  });

  it('decodes padded base64 and rejects anything else', () => {
    assert.deepEqual([...decodeBase64('AQID', 'b')], [1, 2, 3]);
    assert.deepEqual([...decodeBase64('AQI=', 'b')], [1, 2]);
    assert.deepEqual([...decodeBase64('', 'b')], []);
    assertSqsError(() => decodeBase64('AQ', 'b'), 'SerializationException', /base64/);
    assertSqsError(() => decodeBase64('A!ID', 'b'), 'SerializationException');
    assertSqsError(() => decodeBase64('A===', 'b'), 'SerializationException');
  });
});

describe('Requests', () => {
  it('reads CreateQueue with lower-case tags and ignores unknown members', () => {
    const request = Requests.createQueue({
      QueueName: 'q.fifo',
      Attributes: { FifoQueue: 'true' },
      tags: { team: 'a' },
      Tags: { ignored: 'x' },
      Surprise: 1,
    });
    assert.equal(request.queueName, 'q.fifo');
    assert.deepEqual({ ...request.attributes }, { FifoQueue: 'true' });
    assert.deepEqual({ ...request.tags }, { team: 'a' });
  });

  it('rejects a non-string attribute value', () => {
    assertSqsError(() => Requests.createQueue({ QueueName: 'q', Attributes: { DelaySeconds: 5 } }), 'SerializationException', /Attributes\.DelaySeconds/);
  });

  it('stores a __proto__ key as data, not as a prototype', () => {
    const request = Requests.tagQueue(JSON.parse(`{"QueueUrl":"${URL}","Tags":{"__proto__":"x"}}`));
    assert.deepEqual(Object.keys(request.tags), ['__proto__']);
    assert.equal(request.tags['__proto__'], 'x');
  });

  it('reads SendMessage attributes, decoding binary values', () => {
    const request = Requests.sendMessage({
      QueueUrl: URL,
      MessageBody: 'hi',
      DelaySeconds: 0,
      MessageGroupId: 'g',
      MessageDeduplicationId: 'd',
      MessageAttributes: {
        color: { DataType: 'String', StringValue: 'red' },
        blob: { DataType: 'Binary', BinaryValue: 'AQID' },
      },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1' } },
    });
    assert.equal(request.queueUrl, URL);
    assert.equal(request.input.body, 'hi');
    assert.equal(request.input.delaySeconds, 0);
    assert.equal(request.input.messageGroupId, 'g');
    assert.equal(request.input.messageDeduplicationId, 'd');
    assert.deepEqual(request.input.messageAttributes?.['color'], { dataType: 'String', stringValue: 'red' });
    assert.deepEqual([...(request.input.messageAttributes?.['blob']?.binaryValue ?? [])], [1, 2, 3]);
    assert.equal(request.input.messageSystemAttributes?.['AWSTraceHeader']?.stringValue, 'Root=1');
  });

  it('reports bad base64 in BinaryValue with the attribute path', () => {
    assertSqsError(
      () => Requests.sendMessage({ QueueUrl: URL, MessageBody: 'x', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: '###' } } }),
      'SerializationException',
      /MessageAttributes\.b\.BinaryValue/,
    );
  });

  it('reports a message attribute without DataType as InvalidParameterValue', () => {
    assertSqsError(
      () => Requests.sendMessage({ QueueUrl: URL, MessageBody: 'x', MessageAttributes: { a: { StringValue: 'v' } } }),
      'InvalidParameterValueException',
      "The message attribute 'a' must contain non-empty message attribute type.",
    );
  });

  it('reports a missing MessageBody and a missing QueueUrl as MissingParameter', () => {
    assertSqsError(() => Requests.sendMessage({ QueueUrl: URL }), 'MissingRequiredParameterException', /MessageBody/);
    assertSqsError(() => Requests.sendMessage({ MessageBody: 'x' }), 'MissingRequiredParameterException', /QueueUrl/);
  });

  it('reads SendMessageBatch entries in order and names a missing entry member the SQS way', () => {
    const request = Requests.sendMessageBatch({
      QueueUrl: URL,
      Entries: [
        { Id: 'a', MessageBody: 'one' },
        { Id: 'b', MessageBody: 'two', DelaySeconds: 3 },
      ],
    });
    assert.deepEqual(
      request.entries.map((e) => [e.id, e.body, e.delaySeconds]),
      [
        ['a', 'one', undefined],
        ['b', 'two', 3],
      ],
    );
    assertSqsError(
      () => Requests.sendMessageBatch({ QueueUrl: URL, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'b' }] }),
      'MissingRequiredParameterException',
      'The request must contain the parameter SendMessageBatchRequestEntry.2.MessageBody.',
    );
    assertSqsError(() => Requests.sendMessageBatch({ QueueUrl: URL, Entries: {} }), 'SerializationException', /Entries/);
    assertSqsError(() => Requests.sendMessageBatch({ QueueUrl: URL, Entries: ['x'] }), 'SerializationException', /Entries\[0\]/);
  });

  it('passes absent batch entries to the engine as an empty list', () => {
    assert.deepEqual(Requests.deleteMessageBatch({ QueueUrl: URL }).entries, []);
  });

  it('reads ReceiveMessage and unites AttributeNames with MessageSystemAttributeNames', () => {
    const request = Requests.receiveMessage({
      QueueUrl: URL,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      VisibilityTimeout: 30,
      AttributeNames: ['SenderId'],
      MessageSystemAttributeNames: ['All', 'SenderId'],
      MessageAttributeNames: ['All'],
      ReceiveRequestAttemptId: 'r1',
    });
    assert.equal(request.waitTimeSeconds, 20);
    assert.deepEqual(request.input, {
      maxNumberOfMessages: 10,
      visibilityTimeout: 30,
      systemAttributeNames: ['SenderId', 'All'],
      messageAttributeNames: ['All'],
      receiveRequestAttemptId: 'r1',
    });
    assertSqsError(() => Requests.receiveMessage({ QueueUrl: URL, MessageAttributeNames: 'All' }), 'SerializationException');
    assertSqsError(() => Requests.receiveMessage({ QueueUrl: URL, AttributeNames: [1] }), 'SerializationException', /AttributeNames\[0\]/);
  });

  it('requires VisibilityTimeout on ChangeMessageVisibility and its batch entries', () => {
    assertSqsError(() => Requests.changeMessageVisibility({ QueueUrl: URL, ReceiptHandle: 'h' }), 'MissingRequiredParameterException', /VisibilityTimeout/);
    assertSqsError(
      () => Requests.changeMessageVisibilityBatch({ QueueUrl: URL, Entries: [{ Id: 'a', ReceiptHandle: 'h' }] }),
      'MissingRequiredParameterException',
      /ChangeMessageVisibilityBatchRequestEntry\.1\.VisibilityTimeout/,
    );
  });

  it('requires the lists of AddPermission and the keys of UntagQueue', () => {
    assertSqsError(() => Requests.addPermission({ QueueUrl: URL, Label: 'l', Actions: ['*'] }), 'MissingRequiredParameterException', /AWSAccountIds/);
    assertSqsError(() => Requests.untagQueue({ QueueUrl: URL }), 'MissingRequiredParameterException', /TagKeys/);
    assertSqsError(() => Requests.setQueueAttributes({ QueueUrl: URL }), 'MissingRequiredParameterException', /Attributes/);
  });

  it('reads the move-task operations', () => {
    assert.deepEqual(Requests.startMessageMoveTask({ SourceArn: 'arn:s', MaxNumberOfMessagesPerSecond: 5 }), {
      sourceArn: 'arn:s',
      maxNumberOfMessagesPerSecond: 5,
    });
    assert.deepEqual(Requests.listMessageMoveTasks({ SourceArn: 'arn:s', MaxResults: 2 }), { sourceArn: 'arn:s', maxResults: 2 });
    assertSqsError(() => Requests.cancelMessageMoveTask({}), 'MissingRequiredParameterException', /TaskHandle/);
  });

  it('reads paging members of ListQueues and ListDeadLetterSourceQueues', () => {
    assert.deepEqual(Requests.listQueues({ QueueNamePrefix: 'a', MaxResults: 5, NextToken: 't' }), {
      prefix: 'a',
      maxResults: 5,
      nextToken: 't',
    });
    assert.deepEqual(Requests.listDeadLetterSourceQueues({ QueueUrl: URL, MaxResults: 1 }).page, { maxResults: 1 });
  });
});
