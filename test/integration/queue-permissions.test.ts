/** @module test/integration/queue-permissions: AddPermission/RemovePermission build the Policy attribute (spec §B). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { allAttributes, createStandardQueue } from '../helpers/queues.ts';
import { expectSqsError } from '../helpers/sqs-errors.ts';

interface PolicyStatement {
  Sid: string;
  Effect: string;
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}
interface Policy {
  Version: string;
  Id?: string;
  Statement: PolicyStatement[];
}

describe('queue permissions', () => {
  const t = useTestServer();
  const add = (QueueUrl: string, Label: string, AWSAccountIds: string[], Actions: string[]) =>
    t.sqs.send(new AddPermissionCommand({ QueueUrl, Label, AWSAccountIds, Actions }));
  const policyOf = async (url: string): Promise<Policy | undefined> => {
    const raw = (await allAttributes(t.sqs, url)).Policy;
    return raw === undefined ? undefined : (JSON.parse(raw) as Policy);
  };

  it('adds a statement with Sid = label, the account root principal, SQS:<action> and the queue ARN', async () => {
    const q = await createStandardQueue(t.sqs);
    const out = await add(q.url, 'send-only', ['123456789012'], ['SendMessage']);
    assert.ok(out.$metadata.requestId);
    const policy = await policyOf(q.url);
    assert.ok(policy, 'Policy attribute is present');
    assert.equal(policy.Version, '2008-10-17');
    assert.equal(policy.Statement.length, 1);
    assert.deepEqual(policy.Statement[0], {
      Sid: 'send-only',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'SQS:SendMessage',
      Resource: q.arn,
    });
  });

  it('lists several accounts and actions as arrays', async () => {
    const q = await createStandardQueue(t.sqs);
    await add(q.url, 'multi', ['111111111111', '222222222222'], ['SendMessage', 'ReceiveMessage']);
    const statement = (await policyOf(q.url))?.Statement[0];
    assert.deepEqual(statement?.Principal.AWS, ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root']);
    assert.deepEqual(statement?.Action, ['SQS:SendMessage', 'SQS:ReceiveMessage']);
  });

  it('appends one statement per label', async () => {
    const q = await createStandardQueue(t.sqs);
    await add(q.url, 'one', ['123456789012'], ['SendMessage']);
    await add(q.url, 'two', ['123456789012'], ['*']);
    const policy = await policyOf(q.url);
    assert.deepEqual(policy?.Statement.map((s) => s.Sid), ['one', 'two']);
    assert.equal(policy?.Statement[1]?.Action, 'SQS:*');
  });

  it('rejects a label that already exists with InvalidParameterValue', async () => {
    const q = await createStandardQueue(t.sqs);
    await add(q.url, 'dup', ['123456789012'], ['SendMessage']);
    await expectSqsError(
      add(q.url, 'dup', ['123456789012'], ['DeleteMessage']),
      'InvalidParameterValue',
      'Value dup for parameter Label is invalid. Reason: Already exists.',
    );
  });

  it('rejects a label with characters outside letters, digits, hyphens and underscores', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(add(q.url, 'bad label!', ['123456789012'], ['SendMessage']), 'InvalidParameterValue');
  });

  it('rejects more than 7 actions in one statement with OverLimit', async () => {
    const q = await createStandardQueue(t.sqs);
    const actions = [
      'SendMessage',
      'ReceiveMessage',
      'DeleteMessage',
      'ChangeMessageVisibility',
      'GetQueueAttributes',
      'GetQueueUrl',
      'ListQueues',
      'PurgeQueue',
    ];
    await expectSqsError(add(q.url, 'many', ['123456789012'], actions), 'OverLimit');
  });

  it('removes the statement of a label, and the Policy attribute with the last one', async () => {
    const q = await createStandardQueue(t.sqs);
    await add(q.url, 'a', ['123456789012'], ['SendMessage']);
    await add(q.url, 'b', ['123456789012'], ['ReceiveMessage']);
    const out = await t.sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'a' }));
    assert.ok(out.$metadata.requestId);
    assert.deepEqual((await policyOf(q.url))?.Statement.map((s) => s.Sid), ['b']);
    await t.sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'b' }));
    assert.equal(await policyOf(q.url), undefined);
  });

  it('rejects removing an unknown label with InvalidParameterValue', async () => {
    const q = await createStandardQueue(t.sqs);
    await expectSqsError(
      t.sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'nope' })),
      'InvalidParameterValue',
      "Value nope for parameter Label is invalid. Reason: can't find label.",
    );
  });
});
