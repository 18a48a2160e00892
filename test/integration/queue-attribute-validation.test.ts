/** @module test/integration/queue-attribute-validation: attribute ranges, unknown names and FIFO-only attributes (spec §B CreateQueue/SetQueueAttributes, §C). */
import { describe, it } from 'node:test';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { createFifoQueue, createQueue, createStandardQueue, uniqueQueueName } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';

/** Values outside §C's ranges (or of the wrong kind), per attribute. */
const OUT_OF_RANGE: Array<[string, string]> = [
  ['DelaySeconds', '-1'],
  ['DelaySeconds', '901'],
  ['DelaySeconds', 'abc'],
  ['MaximumMessageSize', '1023'],
  ['MaximumMessageSize', '1048577'],
  ['MessageRetentionPeriod', '59'],
  ['MessageRetentionPeriod', '1209601'],
  ['ReceiveMessageWaitTimeSeconds', '21'],
  ['ReceiveMessageWaitTimeSeconds', '-1'],
  ['VisibilityTimeout', '43201'],
  ['VisibilityTimeout', '-1'],
  ['VisibilityTimeout', '1.5'],
];

describe('queue attribute validation', () => {
  const t = useTestServer();
  const set = (QueueUrl: string, Attributes: Record<string, string>) =>
    t.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));

  for (const [name, value] of OUT_OF_RANGE) {
    it(`rejects ${name}=${value} at CreateQueue with InvalidAttributeValue`, async () => {
      await expectSqsError(createQueue(t.sqs, uniqueQueueName(), { [name]: value }), 'InvalidAttributeValue');
    });
    it(`rejects ${name}=${value} at SetQueueAttributes with InvalidAttributeValue`, async () => {
      const q = await createStandardQueue(t.sqs);
      await expectSqsError(set(q.url, { [name]: value }), 'InvalidAttributeValue');
    });
  }

  it('rejects KmsDataKeyReusePeriodSeconds outside 60..86400 with InvalidAttributeValue', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(set(q.url, { KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '59' }), 'InvalidAttributeValue');
    await expectSqsError(
      set(q.url, { KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '86401' }),
      'InvalidAttributeValue',
    );
  });

  it('rejects an unknown attribute at SetQueueAttributes with InvalidAttributeName "Unknown Attribute X."', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(set(q.url, { Colour: 'blue' }), 'InvalidAttributeName', 'Unknown Attribute Colour.');
  });

  it('rejects a read-only attribute at SetQueueAttributes with InvalidAttributeName', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(set(q.url, { ApproximateNumberOfMessages: '3' }), 'InvalidAttributeName');
  });

  it('rejects FifoQueue=false on a standard queue at creation as an unknown attribute', async () => {
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(), { FifoQueue: 'false' }),
      'InvalidAttributeName',
      'Unknown Attribute FifoQueue.',
    );
  });

  it('rejects ContentBasedDeduplication on a standard queue as an unknown attribute', async () => {
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(), { ContentBasedDeduplication: 'false' }),
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    );
  });

  it('rejects DeduplicationScope on a standard queue with InvalidAttributeName', async () => {
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(), { DeduplicationScope: 'queue' }),
      'InvalidAttributeName',
      'You can specify the DeduplicationScope only when FifoQueue is set to true.',
    );
  });

  it('rejects FifoThroughputLimit on a standard queue with InvalidAttributeName', async () => {
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(), { FifoThroughputLimit: 'perQueue' }),
      'InvalidAttributeName',
    );
  });

  it('rejects FifoQueue at SetQueueAttributes on a standard queue as an unknown attribute', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(set(q.url, { FifoQueue: 'true' }), 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
  });

  it('rejects ContentBasedDeduplication at SetQueueAttributes on a standard queue', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      set(q.url, { ContentBasedDeduplication: 'true' }),
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    );
  });

  it('rejects FifoQueue=false on a FIFO queue: the queue type never changes', async () => {
    const q = await createFifoQueue(t.sqs);
    await expectSqsError(
      set(q.url, { FifoQueue: 'false' }),
      'InvalidAttributeValue',
      'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    );
  });

  it('rejects a DeduplicationScope other than queue or messageGroup with InvalidAttributeValue', async () => {
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(true), { FifoQueue: 'true', DeduplicationScope: 'everything' }),
      'InvalidAttributeValue',
    );
  });

  it('rejects a FifoThroughputLimit other than perQueue or perMessageGroupId with InvalidAttributeValue', async () => {
    const q = await createFifoQueue(t.sqs);
    await expectSqsError(set(q.url, { FifoThroughputLimit: 'unlimited' }), 'InvalidAttributeValue');
  });

  it('rejects a ContentBasedDeduplication that is not true or false with InvalidAttributeValue', async () => {
    const q = await createFifoQueue(t.sqs);
    await expectSqsError(set(q.url, { ContentBasedDeduplication: 'yes' }), 'InvalidAttributeValue');
  });
});
