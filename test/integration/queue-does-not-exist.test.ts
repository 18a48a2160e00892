/** @module test/integration/queue-does-not-exist: every queue-addressed operation answers QueueDoesNotExist for a missing queue (spec §B Q*). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddPermissionCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, uniqueQueueName } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receiveOne, send } from '../helpers/messages.ts';

type Call = (sqs: SQSClient, url: string, handle: string) => Promise<unknown>;

const QUEUE_ADDRESSED_OPERATIONS: Record<string, Call> = {
  DeleteQueue: (s, QueueUrl) => s.send(new DeleteQueueCommand({ QueueUrl })),
  GetQueueAttributes: (s, QueueUrl) => s.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })),
  SetQueueAttributes: (s, QueueUrl) => s.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '1' } })),
  PurgeQueue: (s, QueueUrl) => s.send(new PurgeQueueCommand({ QueueUrl })),
  SendMessage: (s, QueueUrl) => s.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })),
  SendMessageBatch: (s, QueueUrl) =>
    s.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }] })),
  ReceiveMessage: (s, QueueUrl) => s.send(new ReceiveMessageCommand({ QueueUrl })),
  DeleteMessage: (s, QueueUrl, ReceiptHandle) => s.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle })),
  DeleteMessageBatch: (s, QueueUrl, ReceiptHandle) =>
    s.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle }] })),
  ChangeMessageVisibility: (s, QueueUrl, ReceiptHandle) =>
    s.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 })),
  ChangeMessageVisibilityBatch: (s, QueueUrl, ReceiptHandle) =>
    s.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle, VisibilityTimeout: 0 }] }),
    ),
  TagQueue: (s, QueueUrl) => s.send(new TagQueueCommand({ QueueUrl, Tags: { a: 'b' } })),
  UntagQueue: (s, QueueUrl) => s.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['a'] })),
  ListQueueTags: (s, QueueUrl) => s.send(new ListQueueTagsCommand({ QueueUrl })),
  ListDeadLetterSourceQueues: (s, QueueUrl) => s.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl })),
  AddPermission: (s, QueueUrl) =>
    s.send(new AddPermissionCommand({ QueueUrl, Label: 'l', AWSAccountIds: ['123456789012'], Actions: ['SendMessage'] })),
  RemovePermission: (s, QueueUrl) => s.send(new RemovePermissionCommand({ QueueUrl, Label: 'l' })),
};

describe('QueueDoesNotExist on every queue-addressed operation', () => {
  const t = useTestServer();

  for (const [operation, call] of Object.entries(QUEUE_ADDRESSED_OPERATIONS)) {
    it(`${operation} on a deleted queue answers QueueDoesNotExist (400, AWS.SimpleQueueService.NonExistentQueue)`, async () => {
      // A receipt handle that was valid for the queue while it existed.
      const q = await createStandardQueue(t.sqs);
      await send(t.sqs, q.url, 'x');
      const handle = (await receiveOne(t.sqs, q.url)).ReceiptHandle ?? '';
      await t.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
      await expectSqsError(call(t.sqs, q.url, handle), 'QueueDoesNotExist', 'The specified queue does not exist.');
    });
  }

  it('answers QueueDoesNotExist for a name that never existed', async () => {
    const q = await createStandardQueue(t.sqs);
    const url = q.url.replace(q.name, uniqueQueueName());
    await expectSqsError(t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url })), 'QueueDoesNotExist');
  });

  it('answers QueueDoesNotExist when the URL names another account', async () => {
    const q = await createStandardQueue(t.sqs);
    const account = q.url.split('/').at(-2) ?? '';
    const other = account === '111111111111' ? '222222222222' : '111111111111';
    const url = q.url.replace(`/${account}/`, `/${other}/`);
    assert.notEqual(url, q.url);
    await expectSqsError(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })), 'QueueDoesNotExist');
  });
});

describe('queue URL routing', () => {
  const t = useTestServer();

  it('identifies the queue from the last two path segments only, whatever the host', async () => {
    const q = await createStandardQueue(t.sqs);
    const [account, name] = q.url.split('/').slice(-2);
    const awsStyle = `https://sqs.us-east-1.amazonaws.com/${account}/${name}`;
    const sent = await t.sqs.send(new SendMessageCommand({ QueueUrl: awsStyle, MessageBody: 'via aws-style url' }));
    assert.ok(sent.MessageId);
    const got = await receiveOne(t.sqs, q.url);
    assert.equal(got.MessageId, sent.MessageId);
  });
});
