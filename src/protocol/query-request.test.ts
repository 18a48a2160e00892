/** @module protocol/query-request.test: flattened query parameters → the JSON-shaped input the actions read (spec §A.2). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addFormParameters, emptyParameterTree, formBodyText, queryInputOf } from './query-request.ts';
import { QUERY_INPUT_SHAPES } from './query-shapes.ts';
import { Requests } from './requests.ts';
import { SqsError } from './sqs-error.ts';

function inputOf(operation: keyof typeof QUERY_INPUT_SHAPES, form: string) {
  const tree = emptyParameterTree();
  addFormParameters(tree, form);
  // Compare as plain JSON (the reader builds prototype-free objects).
  return JSON.parse(JSON.stringify(queryInputOf(QUERY_INPUT_SHAPES[operation], tree))) as Record<string, unknown>;
}

function assertSqsError(fn: () => unknown, queryCode: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SqsError, String(error));
    assert.equal(error.queryCode, queryCode);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('queryInputOf', () => {
  it('reads CreateQueue attributes and tags from Attribute.N / Tag.N', () => {
    const input = inputOf(
      'CreateQueue',
      'Action=CreateQueue&Version=2012-11-05&QueueName=q.fifo&Attribute.1.Name=FifoQueue&Attribute.1.Value=true' +
        '&Attribute.2.Name=VisibilityTimeout&Attribute.2.Value=45&Tag.1.Key=team&Tag.1.Value=a%20b&Tag.2.Key=empty&Tag.2.Value=',
    );
    assert.deepEqual(input, {
      QueueName: 'q.fifo',
      Attributes: { FifoQueue: 'true', VisibilityTimeout: '45' },
      tags: { team: 'a b', empty: '' },
    });
  });

  it('reads every kind of message attribute, decoding + and %-escapes (non-ASCII text included)', () => {
    const input = inputOf(
      'SendMessage',
      'Action=SendMessage&QueueUrl=http%3A%2F%2Fh%2F000000000000%2Fq&MessageBody=hello+w%C3%B6rld%0D%0A&DelaySeconds=5' +
        '&MessageAttribute.1.Name=s&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=%E4%BD%A0%E5%A5%BD' +
        '&MessageAttribute.2.Name=n&MessageAttribute.2.Value.DataType=Number.float&MessageAttribute.2.Value.StringValue=1.5' +
        '&MessageAttribute.3.Name=b&MessageAttribute.3.Value.DataType=Binary&MessageAttribute.3.Value.BinaryValue=AAEC%2F%2B8%3D' +
        '&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String' +
        '&MessageSystemAttribute.1.Value.StringValue=Root%3D1-abc&MessageGroupId=g&MessageDeduplicationId=d',
    );
    assert.deepEqual(input, {
      QueueUrl: 'http://h/000000000000/q',
      MessageBody: 'hello wörld\r\n',
      DelaySeconds: 5,
      MessageAttributes: {
        s: { StringValue: '你好', DataType: 'String' },
        n: { StringValue: '1.5', DataType: 'Number.float' },
        b: { BinaryValue: 'AAEC/+8=', DataType: 'Binary' },
      },
      MessageSystemAttributes: { AWSTraceHeader: { StringValue: 'Root=1-abc', DataType: 'String' } },
      MessageDeduplicationId: 'd',
      MessageGroupId: 'g',
    });
    // And requests.ts turns it into the engine input exactly as it does for JSON.
    const request = Requests.sendMessage(input);
    assert.deepEqual([...(request.input.messageAttributes?.['b']?.binaryValue ?? [])], [0, 1, 2, 255, 239]);
  });

  it('reads batch entries in index order, with their own attributes', () => {
    const input = inputOf(
      'SendMessageBatch',
      'QueueUrl=u&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two' +
        '&SendMessageBatchRequestEntry.10.Id=c&SendMessageBatchRequestEntry.10.MessageBody=ten' +
        '&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v&SendMessageBatchRequestEntry.1.DelaySeconds=3',
    );
    assert.deepEqual(input, {
      QueueUrl: 'u',
      Entries: [
        { Id: 'a', MessageBody: 'one', DelaySeconds: 3, MessageAttributes: { k: { StringValue: 'v', DataType: 'String' } } },
        { Id: 'b', MessageBody: 'two' },
        { Id: 'c', MessageBody: 'ten' },
      ],
    });
  });

  it('reads the name lists of ReceiveMessage, UntagQueue and AddPermission', () => {
    assert.deepEqual(
      inputOf(
        'ReceiveMessage',
        'QueueUrl=u&AttributeName.1=All&MessageSystemAttributeName.1=SenderId&MessageAttributeName.1=All' +
          '&MessageAttributeName.2=foo.*&MaxNumberOfMessages=10&VisibilityTimeout=0&WaitTimeSeconds=20&ReceiveRequestAttemptId=x',
      ),
      {
        QueueUrl: 'u',
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['SenderId'],
        MessageAttributeNames: ['All', 'foo.*'],
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 20,
        ReceiveRequestAttemptId: 'x',
      },
    );
    assert.deepEqual(inputOf('UntagQueue', 'QueueUrl=u&TagKey.1=a&TagKey.2=b'), { QueueUrl: 'u', TagKeys: ['a', 'b'] });
    assert.deepEqual(
      inputOf('AddPermission', 'QueueUrl=u&Label=l&AWSAccountId.1=111122223333&ActionName.1=SendMessage&ActionName.2=*'),
      { QueueUrl: 'u', Label: 'l', AWSAccountIds: ['111122223333'], Actions: ['SendMessage', '*'] },
    );
  });

  it('reads a bare list key as an empty list (old aws-sdk-js-v3 query clients send `AttributeName=`)', () => {
    assert.deepEqual(inputOf('GetQueueAttributes', 'QueueUrl=u&AttributeName='), { QueueUrl: 'u', AttributeNames: [] });
    assert.deepEqual(inputOf('DeleteMessageBatch', 'QueueUrl=u&DeleteMessageBatchRequestEntry='), { QueueUrl: 'u', Entries: [] });
  });

  it('ignores parameters the operation does not have and keeps the first of a repeated key', () => {
    assert.deepEqual(inputOf('ListQueues', 'Action=ListQueues&Version=2012-11-05&Foo.1=x&QueueNamePrefix=a&QueueNamePrefix=b'), {
      QueueNamePrefix: 'a',
    });
  });

  it('drops a parameter name deeper than any SQS one before it builds a tree (a body of dots must stay cheap)', () => {
    const tree = emptyParameterTree();
    addFormParameters(tree, `Action=ListQueues&${'.'.repeat(100_000)}=x&${'a.'.repeat(50)}b=y&A.B.C.D.E.F.G.H.I.J.K=z`);
    assert.deepEqual(Object.keys(tree), ['Action']);
    // The deepest real names still arrive whole.
    const input = inputOf(
      'SendMessageBatch',
      'QueueUrl=u&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=b&' +
        'SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=n&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String&' +
        'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v',
    );
    assert.deepEqual(input['Entries'], [{ Id: 'a', MessageBody: 'b', MessageAttributes: { n: { DataType: 'String', StringValue: 'v' } } }]);
  });

  it('stores keys such as __proto__ as data', () => {
    const input = inputOf('TagQueue', 'QueueUrl=u&Tag.1.Key=__proto__&Tag.1.Value=x&Tag.2.Key=constructor&Tag.2.Value=y');
    assert.deepEqual(Object.keys(input['Tags'] as object), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });

  it('answers InvalidParameterValue for an integer member that is not an int32', () => {
    for (const text of ['abc', '1.5', '', '99999999999', '0x10']) {
      assertSqsError(
        () => inputOf('ReceiveMessage', `QueueUrl=u&MaxNumberOfMessages=${text}`),
        'InvalidParameterValue',
        /parameter MaxNumberOfMessages is invalid/,
      );
    }
    assertSqsError(
      () => inputOf('ChangeMessageVisibilityBatch', 'QueueUrl=u&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=x'),
      'InvalidParameterValue',
      /ChangeMessageVisibilityBatchRequestEntry\.1\.VisibilityTimeout/,
    );
  });

  it('answers MissingParameter for a map entry without its key or plain value', () => {
    assertSqsError(() => inputOf('SetQueueAttributes', 'QueueUrl=u&Attribute.1.Value=5'), 'MissingParameter', /Attribute\.1\.Name/);
    assertSqsError(() => inputOf('SetQueueAttributes', 'QueueUrl=u&Attribute.1.Name=X'), 'MissingParameter', /Attribute\.1\.Value/);
  });

  it('answers InvalidQueryParameter for bad %-escapes and bodies that are not UTF-8', () => {
    assertSqsError(() => inputOf('ListQueues', 'QueueNamePrefix=%E4%BD'), 'InvalidQueryParameter');
    assertSqsError(() => inputOf('ListQueues', 'QueueNamePrefix=%zz'), 'InvalidQueryParameter');
    assertSqsError(() => formBodyText(Buffer.from([0x41, 0xff])), 'InvalidQueryParameter');
  });
});
