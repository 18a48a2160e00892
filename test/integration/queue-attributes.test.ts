/** @module test/integration/queue-attributes: GetQueueAttributes/SetQueueAttributes sets, defaults and changes (spec §C). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetQueueAttributesCommand, SetQueueAttributesCommand, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { allAttributes, createFifoQueue, createQueue, createStandardQueue, uniqueQueueName } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';
import { receive, send } from '../helpers/messages.ts';

const STANDARD_ALL = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'DelaySeconds',
  'LastModifiedTimestamp',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
];
const FIFO_ALL = [...STANDARD_ALL, 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoQueue', 'FifoThroughputLimit'];

describe('queue attributes', () => {
  const t = useTestServer();
  const set = (QueueUrl: string, Attributes: Record<string, string>) =>
    t.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));

  it('returns exactly the twelve standard attributes with their defaults for All on a fresh standard queue', async () => {
    const q = await createStandardQueue(t.sqs);
    const createdSeconds = String(Math.floor(t.clock.now() / 1000));
    const attrs = await allAttributes(t.sqs, q.url);
    assert.deepEqual(Object.keys(attrs).sort(), [...STANDARD_ALL].sort());
    assert.deepEqual(attrs, {
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      CreatedTimestamp: createdSeconds,
      DelaySeconds: '0',
      LastModifiedTimestamp: createdSeconds,
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      QueueArn: q.arn,
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
    });
  });

  it('returns the standard set plus the four FIFO attributes with their defaults for All on a fresh FIFO queue', async () => {
    const q = await createFifoQueue(t.sqs);
    const attrs = await allAttributes(t.sqs, q.url);
    assert.deepEqual(Object.keys(attrs).sort(), [...FIFO_ALL].sort());
    assert.equal(attrs.FifoQueue, 'true');
    assert.equal(attrs.ContentBasedDeduplication, 'false');
    assert.equal(attrs.DeduplicationScope, 'queue');
    assert.equal(attrs.FifoThroughputLimit, 'perQueue');
    assert.equal(attrs.VisibilityTimeout, '30');
    assert.equal(attrs.QueueArn, q.arn);
    assert.ok(q.arn.endsWith(`:${q.name}`));
  });

  it('returns no Attributes when no names are asked for', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url }));
    assert.equal(out.Attributes, undefined);
  });

  it('returns only the attributes asked for', async () => {
    const q = await createStandardQueue(t.sqs, { VisibilityTimeout: '45' });
    const out = await t.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] }),
    );
    assert.deepEqual(out.Attributes, { VisibilityTimeout: '45', DelaySeconds: '0' });
  });

  it('answers InvalidAttributeName "Unknown Attribute X." for an unknown name', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['Bogus' as QueueAttributeName] })),
      'InvalidAttributeName',
      'Unknown Attribute Bogus.',
    );
  });

  it('keeps the values given at creation', async () => {
    const q = await createStandardQueue(t.sqs, {
      DelaySeconds: '900',
      MaximumMessageSize: '1024',
      MessageRetentionPeriod: '60',
      ReceiveMessageWaitTimeSeconds: '20',
      VisibilityTimeout: '43200',
    });
    const attrs = await allAttributes(t.sqs, q.url);
    assert.equal(attrs.DelaySeconds, '900');
    assert.equal(attrs.MaximumMessageSize, '1024');
    assert.equal(attrs.MessageRetentionPeriod, '60');
    assert.equal(attrs.ReceiveMessageWaitTimeSeconds, '20');
    assert.equal(attrs.VisibilityTimeout, '43200');
  });

  it('accepts the bounds of every ranged attribute', async () => {
    const q = await createStandardQueue(t.sqs, {
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '1209600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '0',
    });
    await set(q.url, { MaximumMessageSize: '1024', MessageRetentionPeriod: '60' });
    const attrs = await allAttributes(t.sqs, q.url);
    assert.equal(attrs.MaximumMessageSize, '1024');
    assert.equal(attrs.MessageRetentionPeriod, '60');
    assert.equal(attrs.VisibilityTimeout, '0');
  });

  it('changes attributes with SetQueueAttributes and moves LastModifiedTimestamp, not CreatedTimestamp', async () => {
    const q = await createStandardQueue(t.sqs);
    const before = await allAttributes(t.sqs, q.url);
    t.clock.advance(10_000);
    const out = await set(q.url, { VisibilityTimeout: '60', DelaySeconds: '5' });
    assert.ok(out.$metadata.requestId);
    const after = await allAttributes(t.sqs, q.url);
    assert.equal(after.VisibilityTimeout, '60');
    assert.equal(after.DelaySeconds, '5');
    assert.equal(after.CreatedTimestamp, before.CreatedTimestamp);
    assert.equal(after.LastModifiedTimestamp, String(Math.floor(t.clock.now() / 1000)));
    assert.notEqual(after.LastModifiedTimestamp, before.LastModifiedTimestamp);
  });

  it('counts visible, in-flight and delayed messages in the Approximate* attributes', async () => {
    const q = await createStandardQueue(t.sqs);
    await send(t.sqs, q.url, 'visible');
    await send(t.sqs, q.url, 'in flight');
    await send(t.sqs, q.url, 'delayed', { DelaySeconds: 60 });
    await receive(t.sqs, q.url, { MaxNumberOfMessages: 1 });
    const attrs = await allAttributes(t.sqs, q.url);
    assert.equal(attrs.ApproximateNumberOfMessages, '1');
    assert.equal(attrs.ApproximateNumberOfMessagesNotVisible, '1');
    assert.equal(attrs.ApproximateNumberOfMessagesDelayed, '1');
  });

  it('stores a Policy and removes it when set to the empty string', async () => {
    const q = await createStandardQueue(t.sqs);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: q.arn }],
    });
    await set(q.url, { Policy: policy });
    assert.deepEqual(JSON.parse((await allAttributes(t.sqs, q.url)).Policy ?? 'null'), JSON.parse(policy));
    await set(q.url, { Policy: '' });
    assert.equal((await allAttributes(t.sqs, q.url)).Policy, undefined);
  });

  it('turns SqsManagedSseEnabled off and shows KmsDataKeyReusePeriodSeconds 300 when a KMS key is set', async () => {
    const q = await createStandardQueue(t.sqs);
    await set(q.url, { KmsMasterKeyId: 'alias/aws/sqs' });
    const withKms = await allAttributes(t.sqs, q.url);
    assert.equal(withKms.KmsMasterKeyId, 'alias/aws/sqs');
    assert.equal(withKms.KmsDataKeyReusePeriodSeconds, '300');
    assert.equal(withKms.SqsManagedSseEnabled, 'false');
    await set(q.url, { KmsMasterKeyId: '' });
    const without = await allAttributes(t.sqs, q.url);
    assert.equal(without.KmsMasterKeyId, undefined);
    assert.equal(without.KmsDataKeyReusePeriodSeconds, undefined);
    assert.equal(without.SqsManagedSseEnabled, 'false');
  });

  it('rejects KMS and SQS-managed SSE together with InvalidAttributeName', async () => {
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(), { SqsManagedSseEnabled: 'true', KmsMasterKeyId: 'alias/aws/sqs' }),
      'InvalidAttributeName',
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  });

  it('changes ContentBasedDeduplication and DeduplicationScope of a FIFO queue', async () => {
    const q = await createFifoQueue(t.sqs);
    await set(q.url, { ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const attrs = await allAttributes(t.sqs, q.url);
    assert.equal(attrs.ContentBasedDeduplication, 'true');
    assert.equal(attrs.DeduplicationScope, 'messageGroup');
    assert.equal(attrs.FifoThroughputLimit, 'perMessageGroupId');
  });
});
