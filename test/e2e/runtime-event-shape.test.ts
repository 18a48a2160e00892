/** @module test/e2e/runtime-event-shape: the SQS event a function receives from the mapping, field by field (§F.3). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { fixturePlan } from './fixtures/fixture-stack.ts';
import { type RuntimeHarness, startHarness } from './fixtures/runtime-harness.ts';

const STACK = 'shape';

describe('the SQS event of a FIFO mapping (§F.3)', () => {
  let h: RuntimeHarness;
  let event: SQSEvent;
  before(async () => {
    const plan = fixturePlan(STACK, {
      queues: { Orders: { isFifo: true } },
      functions: { Recorder: { handler: 'recorder.handler' } },
      mappings: { OrdersMapping: { fn: 'Recorder', queue: 'Orders' } },
    });
    h = await startHarness(plan, {
      beforeRuntime: async ({ sqs, urlOf }) => {
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: urlOf('Orders'),
            Entries: [
              {
                Id: 'a',
                MessageBody: 'plain text, not JSON',
                MessageGroupId: 'g',
                MessageDeduplicationId: 'd1',
                MessageAttributes: {
                  Author: { DataType: 'String', StringValue: 'John Grisham' },
                  Blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
                },
              },
              { Id: 'b', MessageBody: '{"n":2}', MessageGroupId: 'g', MessageDeduplicationId: 'd2' },
            ],
          }),
        );
      },
    });
    await h.waitFor('one batch', (records) => records.length > 0);
    const line = h.runtime.logStore.query({ group: `/aws/lambda/${STACK}-Recorder`, filter: '"Records"' })[0]?.message ?? '{}';
    event = JSON.parse(line) as SQSEvent;
  });
  after(async () => h?.stop());

  it('lists the records in order with the AWS keys in the AWS order', () => {
    assert.equal(event.Records.length, 2);
    assert.deepEqual(Object.keys(event.Records[0] ?? {}), [
      'messageId',
      'receiptHandle',
      'body',
      'attributes',
      'messageAttributes',
      'md5OfMessageAttributes',
      'md5OfBody',
      'eventSource',
      'eventSourceARN',
      'awsRegion',
    ]);
    const [first, second] = event.Records;
    assert.equal(first?.body, 'plain text, not JSON');
    assert.equal(second?.body, '{"n":2}', 'the body stays a string');
    assert.equal(first?.eventSource, 'aws:sqs');
    assert.equal(first?.eventSourceARN, h.runtime.bindings.queues.get('Orders')?.arn);
    assert.equal(first?.awsRegion, 'us-east-1');
    assert.match(first?.md5OfBody ?? '', /^[0-9a-f]{32}$/);
  });

  it('gives every system attribute, FIFO ones included, as strings', () => {
    const attributes = event.Records[0]?.attributes;
    assert.ok(attributes !== undefined);
    assert.deepEqual(Object.keys(attributes), [
      'ApproximateReceiveCount',
      'SentTimestamp',
      'SequenceNumber',
      'MessageGroupId',
      'SenderId',
      'MessageDeduplicationId',
      'ApproximateFirstReceiveTimestamp',
    ]);
    assert.equal(attributes.ApproximateReceiveCount, '1');
    assert.equal(attributes.MessageGroupId, 'g');
    assert.equal(attributes.MessageDeduplicationId, 'd1');
  });

  it('writes message attributes lower-camel with empty list fields, and md5OfMessageAttributes null when there are none', () => {
    const [first, second] = event.Records;
    assert.deepEqual(first?.messageAttributes, {
      Author: { stringValue: 'John Grisham', stringListValues: [], binaryListValues: [], dataType: 'String' },
      Blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    assert.match(first?.md5OfMessageAttributes ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual(second?.messageAttributes, {});
    assert.equal(second?.md5OfMessageAttributes, null);
  });
});
