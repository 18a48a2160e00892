/** @module test/integration/redrive-policy: RedrivePolicy and RedriveAllowPolicy validation (spec §C, §E.1). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { allAttributes, createFifoQueue, createQueue, createStandardQueue, uniqueQueueName } from '../helpers/queues.ts';
import { expectOneOfSqsErrors, expectSqsError } from '../helpers/sqs-errors.ts';
import { redrivePolicy } from '../helpers/dead-letter.ts';

describe('redrive policies', () => {
  const t = useTestServer();
  const set = (QueueUrl: string, Attributes: Record<string, string>) =>
    t.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));

  it('stores a RedrivePolicy and returns it as JSON with both keys', async () => {
    const dlq = await createStandardQueue(t.sqs);
    const source = await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 5) });
    const policy = JSON.parse((await allAttributes(t.sqs, source.url)).RedrivePolicy ?? 'null') as Record<string, unknown>;
    assert.equal(policy.deadLetterTargetArn, dlq.arn);
    assert.equal(Number(policy.maxReceiveCount), 5);
  });

  it('removes the RedrivePolicy when set to the empty string', async () => {
    const dlq = await createStandardQueue(t.sqs);
    const source = await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 5) });
    await set(source.url, { RedrivePolicy: '' });
    assert.equal((await allAttributes(t.sqs, source.url)).RedrivePolicy, undefined);
  });

  for (const n of [0, 1001]) {
    it(`rejects maxReceiveCount ${n} with InvalidParameterValue`, async () => {
      const dlq = await createStandardQueue(t.sqs);
      const value = redrivePolicy(dlq.arn, n);
      await expectSqsError(
        createQueue(t.sqs, uniqueQueueName(), { RedrivePolicy: value }),
        'InvalidParameterValue',
        `Value ${value} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: ${n}, valid values are from 1 to 1000 both inclusive.`,
      );
    });
  }

  it('rejects a RedrivePolicy without deadLetterTargetArn', async () => {
    const value = JSON.stringify({ maxReceiveCount: 3 });
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(), { RedrivePolicy: value }),
      'InvalidParameterValue',
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: deadLetterTargetArn.`,
    );
  });

  it('rejects a RedrivePolicy that is not JSON', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectOneOfSqsErrors(set(q.url, { RedrivePolicy: 'not json' }), ['InvalidParameterValue', 'InvalidAttributeValue']);
  });

  it('rejects a standard DLQ for a FIFO queue, quoting the policy sent', async () => {
    const dlq = await createStandardQueue(t.sqs);
    const value = redrivePolicy(dlq.arn, 3);
    await expectSqsError(
      createQueue(t.sqs, uniqueQueueName(true), { FifoQueue: 'true', RedrivePolicy: value }),
      'InvalidParameterValue',
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`,
    );
  });

  it('rejects a FIFO DLQ for a standard queue, quoting the policy sent', async () => {
    const dlq = await createFifoQueue(t.sqs);
    const q = await createStandardQueue(t.sqs);
    const value = redrivePolicy(dlq.arn, 3);
    await expectSqsError(
      set(q.url, { RedrivePolicy: value }),
      'InvalidParameterValue',
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`,
    );
  });

  it('rejects a RedrivePolicy whose target queue does not exist, quoting the policy sent', async () => {
    const q = await createStandardQueue(t.sqs);
    const value = redrivePolicy(`${q.arn}-missing`, 3);
    await expectSqsError(
      set(q.url, { RedrivePolicy: value }),
      'InvalidParameterValue',
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    );
  });

  it('accepts a FIFO DLQ for a FIFO queue', async () => {
    const dlq = await createFifoQueue(t.sqs);
    const q = await createFifoQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 3) });
    assert.ok((await allAttributes(t.sqs, q.url)).RedrivePolicy);
  });

  it('rejects a RedrivePolicy pointing at a queue whose RedriveAllowPolicy is denyAll', async () => {
    const dlq = await createStandardQueue(t.sqs, { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(set(q.url, { RedrivePolicy: redrivePolicy(dlq.arn, 3) }), 'InvalidParameterValue');
    assert.equal((await allAttributes(t.sqs, q.url)).RedrivePolicy, undefined);
  });

  it('allows only the listed source queues when RedriveAllowPolicy is byQueue', async () => {
    const allowed = await createStandardQueue(t.sqs);
    const other = await createStandardQueue(t.sqs);
    const dlq = await createStandardQueue(t.sqs, {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [allowed.arn] }),
    });
    await set(allowed.url, { RedrivePolicy: redrivePolicy(dlq.arn, 3) });
    await expectSqsError(set(other.url, { RedrivePolicy: redrivePolicy(dlq.arn, 3) }), 'InvalidParameterValue');
  });

  it('allows any source queue when RedriveAllowPolicy is allowAll', async () => {
    const dlq = await createStandardQueue(t.sqs, { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) });
    const q = await createStandardQueue(t.sqs, { RedrivePolicy: redrivePolicy(dlq.arn, 3) });
    assert.ok((await allAttributes(t.sqs, q.url)).RedrivePolicy);
    assert.deepEqual(JSON.parse((await allAttributes(t.sqs, dlq.url)).RedriveAllowPolicy ?? 'null'), {
      redrivePermission: 'allowAll',
    });
  });

  it('rejects a RedriveAllowPolicy with an unknown redrivePermission', async () => {
    await expectOneOfSqsErrors(
      createQueue(t.sqs, uniqueQueueName(), { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'sometimes' }) }),
      ['InvalidParameterValue', 'InvalidAttributeValue'],
    );
  });

  it('rejects a RedriveAllowPolicy byQueue with more than 10 source queues', async () => {
    const arns = Array.from({ length: 11 }, (_, i) => `arn:aws:sqs:us-east-1:000000000000:q${i}`);
    await expectOneOfSqsErrors(
      createQueue(t.sqs, uniqueQueueName(), {
        RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: arns }),
      }),
      ['InvalidParameterValue', 'InvalidAttributeValue'],
    );
  });
});
