/** @module protocol/query-xml.test: the query protocol's XML, byte for byte (spec §A.2), and its escaping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXmlText, renderQueryError, renderQueryResult } from './query-xml.ts';
import { SqsErrors } from './sqs-error.ts';

const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';
const META = '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>';

describe('escapeXmlText', () => {
  it('escapes & < > and " as entities and CR as &#xD;, as SQS does', () => {
    assert.equal(escapeXmlText('a&b<c>d"e\rf\ng\th'), 'a&amp;b&lt;c&gt;d&quot;e&#xD;f\ng\th');
  });

  it('leaves plain text and non-ASCII text alone', () => {
    const text = 'Grüße, 你好, emoji 😀 and \'quotes\'';
    assert.equal(escapeXmlText(text), text);
  });

  it('replaces characters XML 1.0 cannot carry (control characters, lone surrogates) with U+FFFD', () => {
    assert.equal(escapeXmlText('a\u0001b\uD800c\uDC00d\uFFFE'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFD');
    assert.equal(escapeXmlText('pair \uD83D\uDE00 & \u0000'), 'pair \uD83D\uDE00 &amp; \uFFFD');
  });
});

describe('renderQueryResult', () => {
  it('renders SendMessage as in the spec example', () => {
    const xml = renderQueryResult(
      'SendMessage',
      {
        MD5OfMessageBody: '5d41402abc4b2a76b9719d911017c592',
        MD5OfMessageAttributes: '20ca9041878c8c65d5a4bf6eaf446c21',
        MessageId: 'm-1',
      },
      'req-1',
    );
    assert.equal(
      xml,
      `<?xml version="1.0"?><SendMessageResponse ${NS}><SendMessageResult>` +
        '<MD5OfMessageBody>5d41402abc4b2a76b9719d911017c592</MD5OfMessageBody>' +
        '<MD5OfMessageAttributes>20ca9041878c8c65d5a4bf6eaf446c21</MD5OfMessageAttributes>' +
        `<MessageId>m-1</MessageId></SendMessageResult>${META}</SendMessageResponse>`,
    );
  });

  it('flattens messages, their system attributes and message attributes (value before DataType)', () => {
    const xml = renderQueryResult(
      'ReceiveMessage',
      {
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'h-1',
            MD5OfBody: 'x',
            Body: 'line1\r\nline2 "quoted"',
            Attributes: { SenderId: 'AIDA', SentTimestamp: '1735689600000' },
            MD5OfMessageAttributes: 'y',
            MessageAttributes: {
              color: { StringValue: 'red', DataType: 'String' },
              blob: { BinaryValue: 'AAEC', DataType: 'Binary.gif' },
            },
          },
        ],
      },
      'req-1',
    );
    assert.equal(
      xml,
      `<?xml version="1.0"?><ReceiveMessageResponse ${NS}><ReceiveMessageResult><Message>` +
        '<MessageId>m-1</MessageId><ReceiptHandle>h-1</ReceiptHandle><MD5OfBody>x</MD5OfBody>' +
        '<Body>line1&#xD;\nline2 &quot;quoted&quot;</Body>' +
        '<Attribute><Name>SenderId</Name><Value>AIDA</Value></Attribute>' +
        '<Attribute><Name>SentTimestamp</Name><Value>1735689600000</Value></Attribute>' +
        '<MD5OfMessageAttributes>y</MD5OfMessageAttributes>' +
        '<MessageAttribute><Name>color</Name><Value><StringValue>red</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
        '<MessageAttribute><Name>blob</Name><Value><BinaryValue>AAEC</BinaryValue><DataType>Binary.gif</DataType></Value></MessageAttribute>' +
        `</Message></ReceiveMessageResult>${META}</ReceiveMessageResponse>`,
    );
  });

  it('renders an empty result as <{Op}Result/> and leaves the result out for Unit operations', () => {
    assert.equal(
      renderQueryResult('ReceiveMessage', {}, 'req-1'),
      `<?xml version="1.0"?><ReceiveMessageResponse ${NS}><ReceiveMessageResult/>${META}</ReceiveMessageResponse>`,
    );
    assert.equal(
      renderQueryResult('DeleteMessage', {}, 'req-1'),
      `<?xml version="1.0"?><DeleteMessageResponse ${NS}>${META}</DeleteMessageResponse>`,
    );
  });

  it('names batch entries after the operation and failures BatchResultErrorEntry', () => {
    const failed = [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }];
    const xml = renderQueryResult('DeleteMessageBatch', { Successful: [{ Id: 'a' }], Failed: failed }, 'req-1');
    assert.ok(
      xml.includes(
        '<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>' +
          '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>' +
          '<Message>bad</Message></BatchResultErrorEntry></DeleteMessageBatchResult>',
      ),
      xml,
    );
    const sent = renderQueryResult('SendMessageBatch', { Successful: [{ Id: 'a', MessageId: 'm' }], Failed: [] }, 'r');
    assert.ok(sent.includes('<SendMessageBatchResultEntry><Id>a</Id><MessageId>m</MessageId></SendMessageBatchResultEntry>'));
    const changed = renderQueryResult('ChangeMessageVisibilityBatch', { Successful: [{ Id: 'a' }], Failed: [] }, 'r');
    assert.ok(changed.includes('<ChangeMessageVisibilityBatchResultEntry><Id>a</Id></ChangeMessageVisibilityBatchResultEntry>'));
  });

  it('flattens queue URLs (also the lower-case queueUrls), tags, queue attributes and move tasks', () => {
    assert.ok(
      renderQueryResult('ListQueues', { QueueUrls: ['u1', 'u2'], NextToken: 't' }, 'r').includes(
        '<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl><NextToken>t</NextToken></ListQueuesResult>',
      ),
    );
    assert.ok(
      renderQueryResult('ListDeadLetterSourceQueues', { queueUrls: ['u1'] }, 'r').includes(
        '<ListDeadLetterSourceQueuesResult><QueueUrl>u1</QueueUrl></ListDeadLetterSourceQueuesResult>',
      ),
    );
    assert.ok(
      renderQueryResult('ListQueueTags', { Tags: { team: 'a&b', empty: '' } }, 'r').includes(
        '<Tag><Key>team</Key><Value>a&amp;b</Value></Tag><Tag><Key>empty</Key><Value></Value></Tag>',
      ),
    );
    assert.ok(
      renderQueryResult('GetQueueAttributes', { Attributes: { VisibilityTimeout: '30' } }, 'r').includes(
        '<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>',
      ),
    );
    const tasks = renderQueryResult(
      'ListMessageMoveTasks',
      { Results: [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, StartedTimestamp: 1735689600000 }] },
      'r',
    );
    assert.ok(
      tasks.includes(
        '<ListMessageMoveTasksResultEntry><Status>COMPLETED</Status><ApproximateNumberOfMessagesMoved>3</ApproximateNumberOfMessagesMoved>' +
          '<StartedTimestamp>1735689600000</StartedTimestamp></ListMessageMoveTasksResultEntry>',
      ),
      tasks,
    );
  });
});

describe('renderQueryError', () => {
  it('renders the legacy code, Sender, the query-protocol text and <Detail/>, as recorded from SQS', () => {
    const xml = renderQueryError(SqsErrors.queueDoesNotExist(), 'req-1');
    assert.equal(
      xml,
      `<?xml version="1.0"?><ErrorResponse ${NS}><Error><Type>Sender</Type>` +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code>' +
        '<Message>The specified queue does not exist for this wsdl version.</Message><Detail/></Error>' +
        '<RequestId>req-1</RequestId></ErrorResponse>',
    );
  });

  it('marks server faults Receiver and escapes the message', () => {
    const xml = renderQueryError(SqsErrors.internalError(), 'r');
    assert.ok(xml.includes('<Type>Receiver</Type><Code>InternalFailure</Code>'));
    const quoted = renderQueryError(SqsErrors.invalidParameterValue('Value <a & "b"> is invalid.'), 'r');
    assert.ok(quoted.includes('<Message>Value &lt;a &amp; &quot;b&quot;&gt; is invalid.</Message>'));
  });
});
