/**
 * @module test/clients/sqs-consumer: the npm libraries sqs-producer and sqs-consumer (the bbc ones) against the server,
 * each building its own SDK client from the queue URL (useQueueUrlAsEndpoint), as users run them: the producer sends
 * every kind of attribute to a FIFO queue; the consumer receives them with all attributes, acknowledges part of a batch
 * (DeleteMessageBatch), has a failed batch made visible again (ChangeMessageVisibilityBatch to 0), and finishes; on a
 * standard queue a failing message goes to the DLQ; a missing queue surfaces as QueueDoesNotExist. Libraries do not
 * create queues, tag, list or purge: those steps of the scenario are the SDK's, tested in sdk-json.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, type Message, SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { Producer } from 'sqs-producer';
import { CLIENT_KEY, CLIENT_REGION, useClientServer } from './client-server.ts';
import {
  assertReceived,
  BATCH,
  expectedAttributesMd5,
  expectedBodyMd5,
  GROUP_ID,
  redrivePolicyOf,
  SINGLE_ATTRIBUTES,
  SINGLE_BODY,
  type ScenarioAttributes,
  type ScenarioMessage,
  scenarioQueueNames,
} from './scenario.ts';

// The libraries build their own clients from the default credential chain: give it the test key (this file runs in
// its own process).
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
before(() => {
  process.env.AWS_ACCESS_KEY_ID = CLIENT_KEY.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CLIENT_KEY.secretAccessKey;
});
after(() => {
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

function toScenario(message: Message): ScenarioMessage {
  const messageAttributes: ScenarioAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      DataType: value.DataType ?? '',
      ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { BinaryValue: value.BinaryValue }),
    };
  }
  return {
    body: message.Body ?? '',
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    attributes: message.Attributes ?? {},
    messageAttributes,
  };
}

/** A promise with its resolve function, for waiting on library events instead of on time. */
function signal<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('sqs-producer and sqs-consumer', () => {
  const s = useClientServer();
  const names = scenarioQueueNames('bbc');
  const urls = { fifo: '', standard: '', dlq: '' };
  let admin: SQSClient;

  before(async () => {
    admin = new SQSClient({ region: CLIENT_REGION, credentials: CLIENT_KEY, endpoint: s.url, maxAttempts: 1 });
    const create = async (QueueName: string, Attributes: Record<string, string>) =>
      (await admin.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl ?? '';
    urls.fifo = await create(names.fifo, { FifoQueue: 'true', VisibilityTimeout: '30' });
    urls.dlq = await create(names.dlq, {});
    urls.standard = await create(names.standard, { RedrivePolicy: redrivePolicyOf(names.dlq) });
  });
  after(() => admin?.destroy());

  it('sqs-producer sends every kind of attribute to a FIFO queue in a batch, with the right MD5s', async () => {
    const producer = Producer.create({ queueUrl: urls.fifo, region: CLIENT_REGION });
    const all = [
      { id: 'single', body: SINGLE_BODY, attributes: SINGLE_ATTRIBUTES },
      ...BATCH.map((entry) => ({ id: entry.id, body: entry.body, attributes: entry.attributes as ScenarioAttributes })),
    ];
    const sent = await producer.send(
      all.map((entry) => ({
        id: entry.id,
        body: entry.body,
        groupId: GROUP_ID,
        deduplicationId: `dedup-${entry.id}`,
        messageAttributes: entry.attributes,
      })),
    );
    assert.deepEqual(
      sent.map((entry) => [entry.Id, entry.MD5OfMessageBody, entry.MD5OfMessageAttributes]),
      all.map((entry) => [entry.id, expectedBodyMd5(entry.body), expectedAttributesMd5(entry.attributes)]),
    );
    assert.equal(await producer.queueSize(), 4);
    producer.sqs.destroy();
  });

  it('sqs-consumer receives them with all attributes, acknowledges part, retries a failed batch, in order', async () => {
    const deliveries: Message[][] = [];
    const errors: Error[] = [];
    const done = signal();
    const consumer = Consumer.create({
      queueUrl: urls.fifo,
      region: CLIENT_REGION,
      batchSize: 10,
      waitTimeSeconds: 20,
      messageAttributeNames: ['All'],
      messageSystemAttributeNames: ['All'],
      terminateVisibilityTimeout: true,
      suppressFifoWarning: true,
      handleMessageBatch: async (messages) => {
        deliveries.push(messages);
        // 1st: acknowledge the first two only (the rest stay in flight until their visibility times out);
        // 2nd: fail (the consumer makes them visible again at once); 3rd: acknowledge all.
        if (deliveries.length === 1) return messages.slice(0, 2);
        if (deliveries.length === 2) throw new Error('temporary failure');
        return messages;
      },
    });
    consumer.on('error', (error) => errors.push(error));
    consumer.on('response_processed', () => {
      // The two unacknowledged messages come back once their 30 s visibility timeout has passed.
      if (deliveries.length === 1) s.clock.advance(31_000);
      if (deliveries.length === 3) done.resolve();
    });
    consumer.start();
    await done.promise;
    consumer.stop({ abort: true });

    // The one failure is the handler's own, reported as such; nothing failed on the wire.
    assert.deepEqual(
      errors.map((error) => error.message),
      ['Unexpected message batch handler failure: temporary failure'],
    );
    const bodies = deliveries.map((batch) => batch.map((message) => message.Body));
    assert.deepEqual(bodies, [
      [SINGLE_BODY, BATCH[0].body, BATCH[1].body, BATCH[2].body],
      [BATCH[1].body, BATCH[2].body],
      [BATCH[1].body, BATCH[2].body],
    ]);
    const first = deliveries[0]!.map(toScenario);
    assertReceived(first[0]!, SINGLE_BODY, SINGLE_ATTRIBUTES);
    BATCH.forEach((entry, i) => assertReceived(first[i + 1]!, entry.body, entry.attributes));
    assert.deepEqual(
      deliveries.map((batch) => batch.map((message) => message.Attributes?.ApproximateReceiveCount)),
      [['1', '1', '1', '1'], ['2', '2'], ['3', '3']],
    );
    assert.equal(deliveries[0]![0]!.Attributes?.MessageDeduplicationId, 'dedup-single');
    const counts = await admin.send(
      new GetQueueAttributesCommand({ QueueUrl: urls.fifo, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    assert.deepEqual(counts.Attributes, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('sqs-consumer makes a failed message visible again, and the redrive moves it to the DLQ', async () => {
    const producer = Producer.create({ queueUrl: urls.standard, region: CLIENT_REGION });
    await producer.send(['poison']);
    const failed = signal<Error>();
    const processed = signal();
    let calls = 0;
    const consumer = Consumer.create({
      queueUrl: urls.standard,
      region: CLIENT_REGION,
      waitTimeSeconds: 20,
      terminateVisibilityTimeout: true,
      handleMessage: async () => {
        calls++;
        throw new Error('cannot process');
      },
    });
    consumer.on('processing_error', (error) => failed.resolve(error));
    consumer.on('response_processed', () => {
      if (calls === 1) processed.resolve();
    });
    consumer.start();
    assert.match((await failed.promise).message, /cannot process/);
    await processed.promise;
    consumer.stop({ abort: true });
    // maxReceiveCount 1: the next receive moves it to the DLQ instead of returning it.
    const dlqProducer = Producer.create({ queueUrl: urls.dlq, region: CLIENT_REGION });
    const sourceCount = await producer.queueSize();
    assert.equal(sourceCount, 1, 'visible again at once (ChangeMessageVisibility 0)');
    const drained = signal();
    const second = Consumer.create({
      queueUrl: urls.standard,
      region: CLIENT_REGION,
      waitTimeSeconds: 0,
      pollingWaitTimeMs: 0,
      handleMessage: async (message) => message,
    });
    second.on('empty', () => drained.resolve());
    second.start();
    await drained.promise;
    second.stop({ abort: true });
    assert.equal(calls, 1);
    assert.equal(await dlqProducer.queueSize(), 1);
    producer.sqs.destroy();
    dlqProducer.sqs.destroy();
  });

  it('sqs-consumer reports a missing queue as QueueDoesNotExist with the legacy code', async () => {
    type ConsumerError = Error & { code?: string; statusCode?: number; cause?: { Code?: string } };
    const reported = signal<ConsumerError>();
    const consumer = Consumer.create({
      queueUrl: `${s.url}/000000000000/${names.prefix}-missing`,
      region: CLIENT_REGION,
      waitTimeSeconds: 0,
      handleMessage: async (message) => message,
    });
    consumer.on('error', (error) => reported.resolve(error as ConsumerError));
    consumer.start();
    const error = await reported.promise;
    consumer.stop({ abort: true });
    assert.equal(error.code, 'QueueDoesNotExist');
    assert.equal(error.statusCode, 400);
    assert.equal(error.cause?.Code, 'AWS.SimpleQueueService.NonExistentQueue');
  });
});
