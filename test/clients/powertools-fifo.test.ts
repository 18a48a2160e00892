/**
 * @module test/clients/powertools-fifo: a FIFO consumer built on Powertools' SqsFifoPartialProcessorAsync, polling the
 * server through the SDK the way a Lambda event source mapping does (receive → SQS event → processPartialResponse →
 * delete the successes in a batch, make the failures visible again), with skipGroupOnError: a failure holds back the
 * rest of its message group only; the retry processes them in order. Run with the current SDK (JSON) and with
 * @aws-sdk/client-sqs 3.445.0 (query protocol).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import * as currentSdk from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import * as querySdk from 'sqs-query-sdk';
import { CLIENT_KEY, CLIENT_REGION, useClientServer } from './client-server.ts';
import { arnOf, expectedAttributesMd5, scenarioQueueNames, TEXT } from './scenario.ts';
import type { SqsSdk } from './sdk-scenario.ts';

/** The Lambda SQS event record for a received message (spec §F.3: lower-camel attribute members, blobs base64). */
function toRecord(message: Message, queueArn: string): SQSRecord {
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? '',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: message.Attributes as unknown as SQSRecord['attributes'],
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: CLIENT_REGION,
  };
}

const SDKS: ReadonlyArray<{ label: string; sdk: SqsSdk }> = [
  { label: 'current SDK (JSON)', sdk: currentSdk },
  { label: '@aws-sdk/client-sqs 3.445.0 (query)', sdk: querySdk as unknown as SqsSdk },
];

for (const { label, sdk } of SDKS) {
  describe(`Powertools SqsFifoPartialProcessorAsync consumer, ${label}`, () => {
    const s = useClientServer();

    it('processes each message group in order, retrying a failure and the rest of its group only', async () => {
      const client = new sdk.SQSClient({ region: CLIENT_REGION, credentials: CLIENT_KEY, endpoint: s.url, maxAttempts: 1 });
      const names = scenarioQueueNames('pt');
      const { QueueUrl: queueUrl = '' } = await client.send(
        new sdk.CreateQueueCommand({
          QueueName: names.fifo,
          Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' },
        }),
      );
      const attributes = { note: { DataType: 'String', StringValue: TEXT }, raw: { DataType: 'Binary', BinaryValue: Uint8Array.from([1, 2, 254]) } };
      const plan = [
        ['A', 'a1'],
        ['A', 'a2'],
        ['A', 'a3'],
        ['B', 'b1'],
        ['B', 'b2'],
      ] as const;
      for (const [group, body] of plan) {
        await client.send(new sdk.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group, MessageAttributes: attributes }));
      }

      // The consumer: what a Lambda event source mapping plus a Powertools handler do, in one loop step.
      const processor = new SqsFifoPartialProcessorAsync();
      const processed: string[] = [];
      let isPoisonFresh = true;
      const recordHandler = async (record: SQSRecord): Promise<void> => {
        assert.equal(record.messageAttributes.note?.stringValue, TEXT);
        assert.equal(record.messageAttributes.raw?.binaryValue, Buffer.from([1, 2, 254]).toString('base64'));
        assert.equal(record.md5OfMessageAttributes, expectedAttributesMd5(attributes));
        if (record.body === 'a2' && isPoisonFresh) {
          isPoisonFresh = false;
          throw new Error('a2 fails once');
        }
        processed.push(record.body);
      };
      const pollOnce = async () => {
        const { Messages = [] } = await client.send(
          new sdk.ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, AttributeNames: ['All'], MessageAttributeNames: ['All'] }),
        );
        if (Messages.length === 0) return { received: [], failed: [] };
        const event: SQSEvent = { Records: Messages.map((message) => toRecord(message, arnOf(names.fifo))) };
        const { batchItemFailures } = await processPartialResponse(event, recordHandler, processor, { skipGroupOnError: true });
        const failedIds = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
        const succeeded = Messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
        const failed = Messages.filter((message) => failedIds.has(message.MessageId ?? ''));
        if (succeeded.length > 0) {
          const out = await client.send(
            new sdk.DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: succeeded.map((message, i) => ({ Id: `s${i}`, ReceiptHandle: message.ReceiptHandle })),
            }),
          );
          assert.equal(out.Failed?.length ?? 0, 0);
        }
        if (failed.length > 0) {
          const out = await client.send(
            new sdk.ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: failed.map((message, i) => ({ Id: `f${i}`, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 })),
            }),
          );
          assert.equal(out.Failed?.length ?? 0, 0);
        }
        return { received: Messages.map((message) => message.Body), failed: failed.map((message) => message.Body) };
      };

      const first = await pollOnce();
      assert.deepEqual(first, { received: ['a1', 'a2', 'a3', 'b1', 'b2'], failed: ['a2', 'a3'] });
      const second = await pollOnce();
      assert.deepEqual(second, { received: ['a2', 'a3'], failed: [] });
      assert.deepEqual(await pollOnce(), { received: [], failed: [] });
      assert.deepEqual(processed, ['a1', 'b1', 'b2', 'a2', 'a3']);
      client.destroy();
    });
  });
}
