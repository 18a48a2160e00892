/** @module test/integration/request-ids: every one of the 23 operations answers with a request id (spec §A.0). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createStandardQueue, uniqueQueueName } from '../helpers/queues.ts';
import { createRedrivePair, exhaustReceives } from '../helpers/dead-letter.ts';
import { receiveOne, send } from '../helpers/messages.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('request ids', () => {
  const t = useTestServer();

  it('answers all 23 operations with a UUID request id, each one different', async () => {
    const ids = new Map<string, string | undefined>();
    const record = (op: string, out: { $metadata: { requestId?: string } }) => ids.set(op, out.$metadata.requestId);
    const s = t.sqs;

    const name = uniqueQueueName();
    record('CreateQueue', await s.send(new CreateQueueCommand({ QueueName: name })));
    const { QueueUrl } = await s.send(new GetQueueUrlCommand({ QueueName: name }));
    record('GetQueueUrl', await s.send(new GetQueueUrlCommand({ QueueName: name })));
    record('ListQueues', await s.send(new ListQueuesCommand({})));
    record('GetQueueAttributes', await s.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })));
    record('SetQueueAttributes', await s.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '0' } })));
    record('TagQueue', await s.send(new TagQueueCommand({ QueueUrl, Tags: { a: 'b' } })));
    record('ListQueueTags', await s.send(new ListQueueTagsCommand({ QueueUrl })));
    record('UntagQueue', await s.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['a'] })));
    record(
      'AddPermission',
      await s.send(new AddPermissionCommand({ QueueUrl, Label: 'l', AWSAccountIds: ['123456789012'], Actions: ['SendMessage'] })),
    );
    record('RemovePermission', await s.send(new RemovePermissionCommand({ QueueUrl, Label: 'l' })));
    record('SendMessage', await s.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })));
    record('SendMessageBatch', await s.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'y' }, { Id: 'b', MessageBody: 'z' }] })));
    const received = await s.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 3 }));
    record('ReceiveMessage', received);
    const [m1, m2, m3] = received.Messages ?? [];
    record('ChangeMessageVisibility', await s.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m1?.ReceiptHandle, VisibilityTimeout: 5 })));
    record(
      'ChangeMessageVisibilityBatch',
      await s.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle: m2?.ReceiptHandle, VisibilityTimeout: 5 }] })),
    );
    record('DeleteMessage', await s.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m1?.ReceiptHandle })));
    record('DeleteMessageBatch', await s.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', ReceiptHandle: m3?.ReceiptHandle }] })));
    record('PurgeQueue', await s.send(new PurgeQueueCommand({ QueueUrl })));

    const { source, dlq } = await createRedrivePair(s, 1);
    record('ListDeadLetterSourceQueues', await s.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url })));
    await send(s, source.url, 'poison');
    await exhaustReceives(s, source.url, 1);
    const started = await s.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 1 }));
    record('StartMessageMoveTask', started);
    record('ListMessageMoveTasks', await s.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn })));
    record('CancelMessageMoveTask', await s.send(new CancelMessageMoveTaskCommand({ TaskHandle: started.TaskHandle })));
    record('DeleteQueue', await s.send(new DeleteQueueCommand({ QueueUrl })));

    assert.equal(ids.size, 23);
    for (const [op, id] of ids) assert.match(id ?? '', UUID, `${op} request id`);
    assert.equal(new Set(ids.values()).size, 23, 'request ids are unique');
  });

  it('puts the request id in the x-amzn-RequestId header of a raw JSON response', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'x');
    const m = await receiveOne(t.sqs, q.url);
    assert.ok(m.MessageId);
    const res = await fetch(`${t.srv.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueAttributes' },
      body: JSON.stringify({ QueueUrl: q.url, AttributeNames: ['QueueArn'] }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
    assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/x-amz-json-1.0');
  });
});
