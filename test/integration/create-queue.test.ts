/** @module test/integration/create-queue: CreateQueue names, idempotency and conflicts (spec §B CreateQueue). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateQueueCommand, GetQueueUrlCommand, ListQueueTagsCommand } from '@aws-sdk/client-sqs';
import { useTestServer } from '../helpers/start.ts';
import { allAttributes, uniqueQueueName } from '../helpers/queues.ts';
import { expectOneOfSqsErrors, expectSqsError } from '../helpers/sqs-errors.ts';

const NAME_TEXT = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';

describe('CreateQueue', () => {
  const t = useTestServer();
  const create = (QueueName: string, Attributes?: Record<string, string>, tags?: Record<string, string>) =>
    t.sqs.send(new CreateQueueCommand({ QueueName, Attributes, tags }));

  it('returns a queue URL on the server origin ending in /<12-digit account>/<name>, with a request id', async () => {
    const name = uniqueQueueName();
    const out = await create(name);
    assert.ok(out.$metadata.requestId);
    assert.ok(out.QueueUrl?.startsWith(`${t.srv.url}/`), `${out.QueueUrl} starts with ${t.srv.url}/`);
    assert.match(out.QueueUrl ?? '', new RegExp(`/\\d{12}/${name}$`));
  });

  it('gives the queue the ARN arn:aws:sqs:us-east-1:<account>:<name>', async () => {
    const name = uniqueQueueName();
    const out = await create(name);
    const account = out.QueueUrl?.split('/').at(-2);
    const attrs = await allAttributes(t.sqs, out.QueueUrl ?? '');
    assert.equal(attrs.QueueArn, `arn:aws:sqs:us-east-1:${account}:${name}`);
  });

  it('returns the same URL when the queue exists with identical attributes', async () => {
    const name = uniqueQueueName();
    const first = await create(name, { VisibilityTimeout: '45', DelaySeconds: '3' });
    const second = await create(name, { DelaySeconds: '3', VisibilityTimeout: '45' });
    assert.equal(second.QueueUrl, first.QueueUrl);
  });

  it('treats explicitly given default values as identical to omitted ones', async () => {
    const name = uniqueQueueName();
    const first = await create(name);
    const second = await create(name, { VisibilityTimeout: '30', DelaySeconds: '0', MessageRetentionPeriod: '345600' });
    assert.equal(second.QueueUrl, first.QueueUrl);
  });

  it('rejects an existing name with a different attribute value as QueueNameExists naming the attribute', async () => {
    const name = uniqueQueueName();
    await create(name, { DelaySeconds: '0' });
    await expectSqsError(
      create(name, { DelaySeconds: '5' }),
      'QueueNameExists',
      'A queue already exists with the same name and a different value for attribute DelaySeconds',
    );
  });

  it('rejects re-creating a FIFO queue with a different ContentBasedDeduplication as QueueNameExists', async () => {
    const name = uniqueQueueName(true);
    await create(name, { FifoQueue: 'true' });
    await expectSqsError(
      create(name, { FifoQueue: 'true', ContentBasedDeduplication: 'true' }),
      'QueueNameExists',
      /ContentBasedDeduplication/,
    );
  });

  it('accepts a name of 80 characters of letters, digits, hyphens and underscores', async () => {
    const name = `A-_9${uniqueQueueName()}`.padEnd(80, 'x');
    assert.equal(name.length, 80);
    const out = await create(name);
    assert.ok(out.QueueUrl?.endsWith(`/${name}`));
  });

  it('rejects a name of 81 characters with InvalidParameterValue', async () => {
    await expectSqsError(create(uniqueQueueName().padEnd(81, 'x')), 'InvalidParameterValue', NAME_TEXT);
  });

  for (const bad of ['has space', 'dot.name', 'slash/name', 'bang!', 'ümlaut']) {
    it(`rejects the name ${JSON.stringify(bad)} with InvalidParameterValue`, async () => {
      await expectSqsError(create(`${bad}-${uniqueQueueName()}`), 'InvalidParameterValue', NAME_TEXT);
    });
  }

  it('rejects an empty name', async () => {
    // The SDK sends "" as is; an empty name is either missing or invalid, never a queue.
    await expectOneOfSqsErrors(create(''), ['MissingParameter', 'InvalidParameterValue']);
  });

  it('rejects a .fifo name without FifoQueue=true with InvalidParameterValue', async () => {
    await expectSqsError(create(uniqueQueueName(true)), 'InvalidParameterValue', NAME_TEXT);
  });

  it('rejects FifoQueue=true on a name without .fifo with InvalidParameterValue', async () => {
    await expectSqsError(create(uniqueQueueName(), { FifoQueue: 'true' }), 'InvalidParameterValue', /must end with \.fifo suffix/);
  });

  it('counts the .fifo suffix toward the 80 characters', async () => {
    const ok = `${uniqueQueueName()}`.padEnd(75, 'y') + '.fifo';
    assert.equal(ok.length, 80);
    const out = await create(ok, { FifoQueue: 'true' });
    assert.ok(out.QueueUrl?.endsWith(`/${ok}`));
    const tooLong = `${uniqueQueueName()}`.padEnd(76, 'y') + '.fifo';
    await expectSqsError(create(tooLong, { FifoQueue: 'true' }), 'InvalidParameterValue');
  });

  it('treats names case-sensitively: two names differing in case are two queues', async () => {
    const lower = uniqueQueueName(false, 'case');
    const upper = lower.toUpperCase();
    const a = await create(lower, { DelaySeconds: '1' });
    const b = await create(upper, { DelaySeconds: '2' });
    assert.notEqual(a.QueueUrl, b.QueueUrl);
    const url = await t.sqs.send(new GetQueueUrlCommand({ QueueName: upper }));
    assert.equal(url.QueueUrl, b.QueueUrl);
  });

  it('stores tags given at creation', async () => {
    const out = await create(uniqueQueueName(), undefined, { team: 'core', empty: '' });
    const tags = await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: out.QueueUrl }));
    assert.deepEqual(tags.Tags, { team: 'core', empty: '' });
  });

  it('rejects a read-only attribute name with InvalidAttributeName', async () => {
    for (const readOnly of ['QueueArn', 'ApproximateNumberOfMessages', 'CreatedTimestamp']) {
      await expectSqsError(create(uniqueQueueName(), { [readOnly]: '1' }), 'InvalidAttributeName');
    }
  });

  it('rejects an unknown attribute name with InvalidAttributeName "Unknown Attribute X."', async () => {
    await expectSqsError(create(uniqueQueueName(), { Colour: 'blue' }), 'InvalidAttributeName', 'Unknown Attribute Colour.');
  });
});
