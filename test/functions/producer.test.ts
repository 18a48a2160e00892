/** @module test/functions/producer.test — the producer against the embedded SQS server: counts, groups, per-group order, no duplicates on re-run. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type BatchResultErrorEntry,
  type Message,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { startServer } from '../../src/server/start-server.ts';
import { createConsumerHandler } from '../../src/functions/consumer.ts';
import { createProducerHandler, handler } from '../../src/functions/producer.ts';
import { SendBatchRejectedError } from '../../src/functions/shared/errors.ts';
import { parseOrderEvent, type OrderEvent } from '../../src/functions/shared/order-event.ts';
import { captureJsonLines, contextFactory, logLines, sqsEventFactory, sqsRecordFactory } from './factories.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The producer builds its own SQSClient from the environment, as it does in Lambda; these are
// the variables that point it at the embedded server.
const SDK_ENV = ['AWS_ENDPOINT_URL_SQS', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'QUEUE_URL', 'AWS_LAMBDA_FUNCTION_NAME'] as const;

let srv: Awaited<ReturnType<typeof startServer>>;
let sqs: SQSClient;
const savedEnv: Partial<Record<string, string>> = {};
let queueNumber = 0;

before(async () => {
  srv = await startServer({ port: 0, host: '127.0.0.1', inMemory: true });
  for (const name of SDK_ENV) savedEnv[name] = process.env[name];
  process.env.AWS_ENDPOINT_URL_SQS = srv.url;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  sqs = new SQSClient({ region: 'us-east-1', endpoint: srv.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

after(async () => {
  sqs.destroy();
  await srv.stop();
  for (const name of SDK_ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

/** Creates a FIFO queue configured like the deployed one and returns its URL. */
async function createFifoQueue(): Promise<string> {
  queueNumber += 1;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `producer-test-${process.pid}-${queueNumber}.fifo`,
      Attributes: { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' },
    }),
  );
  assert.ok(QueueUrl !== undefined);
  return QueueUrl;
}

interface Received {
  readonly body: string;
  readonly event: OrderEvent;
  readonly groupId: string | undefined;
  readonly dedupId: string | undefined;
}

/** Receives and deletes until a receive comes back empty (FIFO groups unlock as we delete). */
async function drain(queueUrl: string): Promise<Received[]> {
  const received: Received[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'] }),
    );
    if (Messages.length === 0) return received;
    received.push(...Messages.map((message: Message) => ({ body: message.Body ?? '', event: parseOrderEvent(message.Body ?? ''), groupId: message.Attributes?.MessageGroupId, dedupId: message.Attributes?.MessageDeduplicationId })));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((message, index) => ({ Id: `d${index}`, ReceiptHandle: message.ReceiptHandle })) }));
  }
}

/**
 * A real SDK client for the embedded server that withholds chosen SendMessageBatch entries from
 * the request and reports them in `Failed`, as SQS does when it rejects single entries (the
 * server never sees them). `decide` returns the failure for an entry, or undefined to let it through.
 */
function clientRejecting(decide: (entry: SendMessageBatchRequestEntry) => Omit<BatchResultErrorEntry, 'Id'> | undefined): SQSClient {
  const client = new SQSClient({ region: 'us-east-1', endpoint: srv.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'SendMessageBatchCommand') return next(args);
      const input = args.input as { Entries: SendMessageBatchRequestEntry[] };
      const rejected: BatchResultErrorEntry[] = [];
      const kept = input.Entries.filter((entry) => {
        const failure = decide(entry);
        if (failure !== undefined) rejected.push({ Id: entry.Id, ...failure });
        return failure === undefined;
      });
      if (kept.length === 0) return { output: { $metadata: {}, Successful: [], Failed: rejected }, response: {} } as never;
      const result = await next({ ...args, input: { ...input, Entries: kept } as typeof args.input });
      const output = result.output as { Failed?: BatchResultErrorEntry[] };
      output.Failed = [...(output.Failed ?? []), ...rejected];
      return result;
    },
    { step: 'initialize', name: 'rejectEntries' },
  );
  return client;
}

/** Sequences received per group, in receive order. */
function sequencesByGroup(received: Received[]): Map<string, number[]> {
  const byGroup = new Map<string, number[]>();
  for (const { event } of received) byGroup.set(event.orderId, [...(byGroup.get(event.orderId) ?? []), event.seq]);
  return byGroup;
}

describe('producer against the embedded SQS server', () => {
  it('sends count events over the groups, each group 1..n in order, one event per group per batch', async () => {
    // Prepare
    const queueUrl = await createFifoQueue();
    const produce = createProducerHandler({ env: { QUEUE_URL: queueUrl, AWS_LAMBDA_FUNCTION_NAME: 'mqs-producer' } });
    // Act
    const { result, error, lines } = await captureJsonLines(() => produce({ count: 95, groups: 12, runId: 'run-order' }, contextFactory('mqs-producer', 60_000)));
    const received = await drain(queueUrl);
    // Assess
    assert.equal(error, undefined);
    // 12 groups → 2 lanes of 6 groups; the longest group has 8 events → 8 batches per lane.
    assert.deepEqual({ ...result, durationMs: 0 }, { sent: 95, failed: 0, batches: 16, durationMs: 0, runId: 'run-order' });
    assert.equal(received.length, 95);
    const byGroup = sequencesByGroup(received);
    assert.equal(byGroup.size, 12);
    for (const [group, seqs] of byGroup) {
      const expectedLength = group === 'order-12' ? 7 : 8;
      assert.deepEqual(seqs, Array.from({ length: expectedLength }, (_, index) => index + 1), `order of ${group}`);
    }
    for (const { event, groupId, dedupId } of received) {
      assert.equal(groupId, event.orderId);
      assert.equal(dedupId, `run-order:${event.orderId}:${event.seq}`);
      assert.equal(event.runId, 'run-order');
      assert.equal(event.poison, undefined);
    }
    assert.deepEqual(logLines(lines, 'produced').map((line) => [line.runId, line.count, line.groups, line.sent]), [['run-order', 95, 12, 95]]);
  });

  it('keeps every group in order with several lanes sending at once', async () => {
    const queueUrl = await createFifoQueue();
    const produce = createProducerHandler({ env: { QUEUE_URL: queueUrl, SEND_CONCURRENCY: '8' } });
    const { result } = await captureJsonLines(() => produce({ count: 1_000, groups: 97, runId: 'run-lanes' }));
    const received = await drain(queueUrl);
    assert.deepEqual([result?.sent, result?.failed], [1_000, 0]);
    assert.equal(received.length, 1_000);
    for (const [group, seqs] of sequencesByGroup(received)) {
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, index) => index + 1), `order of ${group}`);
    }
  });

  it('sends no duplicates when invoked again with the same run id', async () => {
    const queueUrl = await createFifoQueue();
    const produce = createProducerHandler({ env: { QUEUE_URL: queueUrl } });
    const first = await captureJsonLines(() => produce({ count: 40, groups: 5, runId: 'run-again' }));
    const second = await captureJsonLines(() => produce({ count: 40, groups: 5, runId: 'run-again' }));
    const received = await drain(queueUrl);
    assert.deepEqual([first.result?.sent, second.result?.sent, second.result?.failed], [40, 40, 0], 'SQS accepts the repeats as duplicates');
    assert.equal(received.length, 40);
    assert.equal(new Set(received.map(({ dedupId }) => dedupId)).size, 40);
  });

  it('marks every poisonEvery-th event as poison', async () => {
    const queueUrl = await createFifoQueue();
    const produce = createProducerHandler({ env: { QUEUE_URL: queueUrl } });
    await captureJsonLines(() => produce({ count: 12, groups: 3, runId: 'run-poison', poisonEvery: 5 }));
    const poisoned = (await drain(queueUrl)).filter(({ event }) => event.poison === true).map(({ event }) => `${event.orderId}#${event.seq}`);
    // Event numbers run round-robin over the groups: 5 = order-2#2, 10 = order-1#4.
    assert.deepEqual(poisoned.sort(), ['order-1#4', 'order-2#2']);
  });

  it('writes bodies the consumer processes, in order, poison aside', async () => {
    // Prepare: what the producer really sent, delivered to the consumer in receive order.
    const queueUrl = await createFifoQueue();
    const produce = createProducerHandler({ env: { QUEUE_URL: queueUrl } });
    await captureJsonLines(() => produce({ count: 20, groups: 4, runId: 'run-contract', poisonEvery: 20 }));
    const records = (await drain(queueUrl)).map(({ body, groupId }) => sqsRecordFactory(body, { groupId: groupId ?? '' }));
    const consume = createConsumerHandler({ env: { AWS_LAMBDA_FUNCTION_NAME: 'mqs-consumer-1' }, sleep: async () => undefined });
    // Act: batches of 10, as the event source mapping delivers them.
    const results = [];
    const lines = [];
    for (let start = 0; start < records.length; start += 10) {
      const outcome = await captureJsonLines(() => consume(sqsEventFactory(records.slice(start, start + 10)), contextFactory('mqs-consumer-1')));
      results.push(outcome.result);
      lines.push(...outcome.lines);
    }
    // Assess: event 20 (order-4#5, the last of its group) is poison; everything else is processed in order.
    assert.deepEqual(results.flatMap((result) => result?.batchItemFailures ?? []).length, 1);
    const processed = logLines(lines, 'processed');
    assert.equal(processed.length, 19);
    for (const group of ['order-1', 'order-2', 'order-3', 'order-4']) {
      const seqs = processed.filter((line) => line.group === group).map((line) => line.sequence);
      assert.deepEqual(seqs, group === 'order-4' ? [1, 2, 3, 4] : [1, 2, 3, 4, 5], group);
    }
  });

  it('retries entries SQS reports as Failed, and every group still arrives complete and in order', async () => {
    // Prepare: the first attempt of every third event fails with a transient InternalError.
    const queueUrl = await createFifoQueue();
    const seen = new Set<string>();
    const client = clientRejecting((entry) => {
      const seq = Number(entry.MessageDeduplicationId?.split(':')[2]);
      const isFirstAttempt = !seen.has(entry.MessageDeduplicationId ?? '');
      seen.add(entry.MessageDeduplicationId ?? '');
      return seq % 3 === 0 && isFirstAttempt ? { Code: 'InternalError', SenderFault: false, Message: 'try again' } : undefined;
    });
    const produce = createProducerHandler({ env: { QUEUE_URL: queueUrl }, client, backoff: { baseMs: 1, maxMs: 5 } });
    // Act
    const { result } = await captureJsonLines(() => produce({ count: 60, groups: 6, runId: 'run-retry' }));
    const received = await drain(queueUrl);
    client.destroy();
    // Assess: 10 events per group; seq 3, 6, 9 of each group needed a second attempt → 13 batches.
    assert.deepEqual([result?.sent, result?.failed, result?.batches], [60, 0, 13]);
    assert.equal(received.length, 60);
    for (const [group, seqs] of sequencesByGroup(received)) assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], group);
  });

  it('gives up on an entry rejected as a sender fault and withholds the rest of its group', async () => {
    const queueUrl = await createFifoQueue();
    const client = clientRejecting((entry) => (entry.MessageDeduplicationId === 'run-sender:order-2:3' ? { Code: 'InvalidParameterValue', SenderFault: true, Message: 'no' } : undefined));
    const produce = createProducerHandler({ env: { QUEUE_URL: queueUrl }, client });
    const { result, lines } = await captureJsonLines(() => produce({ count: 30, groups: 3, runId: 'run-sender' }));
    const received = await drain(queueUrl);
    client.destroy();
    assert.deepEqual([result?.sent, result?.failed], [22, 8]);
    assert.deepEqual(sequencesByGroup(received).get('order-2'), [1, 2]);
    assert.deepEqual(sequencesByGroup(received).get('order-1'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(logLines(lines, 'send-failed').map((line) => [line.group, line.sequence, line.attempts, line.code, line.withheld]), [['order-2', 3, 1, 'InvalidParameterValue', 8]]);
  });

  it('fails the invocation when the queue does not exist', async () => {
    const produce = createProducerHandler({ env: { QUEUE_URL: `${srv.url}/000000000000/no-such-queue.fifo` } });
    const { error } = await captureJsonLines(() => produce({ count: 3, groups: 1 }));
    assert.ok(error instanceof SendBatchRejectedError, String(error));
  });

  it('exports a handler that reads QUEUE_URL from the environment', async () => {
    const queueUrl = await createFifoQueue();
    process.env.QUEUE_URL = queueUrl;
    const { result } = await captureJsonLines(() => handler({ count: 3, groups: 3, runId: 'run-exported' }, contextFactory('mqs-producer')));
    assert.deepEqual([result?.sent, result?.failed, result?.batches], [3, 0, 1]);
    assert.equal((await drain(queueUrl)).length, 3);
  });
});
