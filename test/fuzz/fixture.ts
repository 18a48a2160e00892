/**
 * @module test/fuzz/fixture: the queues the fuzz tests aim at, prepared with the real SDK so that every kind of
 * state exists to be (wrongly) changed: visible, in-flight and delayed messages, FIFO groups, tags, a policy, a
 * redrive pair and a finished move task.
 */
import {
  AddPermissionCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { createQueue, type TestQueue } from '../helpers/queues.ts';

/** Prefix of the queues whose state must not change at all. */
export const SNAPSHOT_PREFIX = 'fz-snap-';
/** Prefix of the queues the free-form fuzzing may change. */
export const SCRATCH_PREFIX = 'fz-scratch-';
/** The largest message the snapshot queues take: small, so "too large" bodies stay cheap to send. */
export const SMALL_MAX_MESSAGE_BYTES = 1024;
/** Dedup ids the invalid FIFO sends carry; afterwards each must still be free (a rejected send records nothing). */
export const DEDUP_POOL = ['fz-d1', 'fz-d2', 'fz-d3', 'fz-d4', 'fz-d5'] as const;
/** The permission label that exists on the standard snapshot queue. */
export const EXISTING_LABEL = 'fz-existing';
/** 12 hours: in-flight messages stay in flight for the whole test. */
const MAX_VISIBILITY_SECONDS = 43_200;
/** Bound on waiting for the fixture's move task to finish. */
const MOVE_TASK_BOUND_MS = 10_000;

/** A set of queues to aim at: a standard queue with a DLQ, and a FIFO queue, each with a message in flight. */
export interface QueueSet {
  std: TestQueue;
  fifo: TestQueue;
  dlq: TestQueue;
  /** Receipt handle of a message in flight (12 h) on `std`. */
  stdHandle: string;
  /** Receipt handle of a message in flight (12 h) on `fifo`. */
  fifoHandle: string;
  /** Handle of a move task on `dlq` that has completed (cancelling it is an error). */
  finishedTaskHandle: string;
}

/** Everything the request generators need. */
export interface Fixture {
  baseUrl: string;
  accountId: string;
  snap: QueueSet;
  scratch: QueueSet;
}

async function inFlightHandle(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: MAX_VISIBILITY_SECONDS }));
  const handle = out.Messages?.[0]?.ReceiptHandle;
  if (!handle) throw new Error(`fixture: nothing to receive from ${url}`);
  return handle;
}

async function finishedMoveTask(sqs: SQSClient, dlq: TestQueue, destinationArn: string): Promise<string> {
  // On an empty DLQ the task completes at once; it stays listed as COMPLETED.
  const started = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destinationArn }));
  const deadline = Date.now() + MOVE_TASK_BOUND_MS;
  for (;;) {
    const out = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    if (out.Results?.[0]?.Status === 'COMPLETED') return started.TaskHandle ?? '';
    if (Date.now() > deadline) throw new Error(`fixture: move task on ${dlq.name} did not complete: ${JSON.stringify(out.Results)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function prepareSet(sqs: SQSClient, prefix: string): Promise<QueueSet> {
  const dlq = await createQueue(sqs, `${prefix}dlq`, { MaximumMessageSize: String(SMALL_MAX_MESSAGE_BYTES) }, { role: 'dlq' });
  const std = await createQueue(
    sqs,
    `${prefix}std`,
    {
      VisibilityTimeout: '45',
      MaximumMessageSize: String(SMALL_MAX_MESSAGE_BYTES),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
    },
    { team: 'fuzz', env: 'test' },
  );
  const fifo = await createQueue(
    sqs,
    `${prefix}orders.fifo`,
    { FifoQueue: 'true', MaximumMessageSize: String(SMALL_MAX_MESSAGE_BYTES) },
    { kind: 'fifo' },
  );
  const finishedTaskHandle = await finishedMoveTask(sqs, dlq, std.arn);
  await sqs.send(new AddPermissionCommand({ QueueUrl: std.url, Label: EXISTING_LABEL, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));

  for (const body of ['in flight', 'visible 1', 'visible 2']) await sqs.send(new SendMessageCommand({ QueueUrl: std.url, MessageBody: body }));
  const stdHandle = await inFlightHandle(sqs, std.url);
  await sqs.send(new SendMessageCommand({ QueueUrl: std.url, MessageBody: 'delayed', DelaySeconds: 900 }));
  await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: 'dead letter' }));

  const fifoSends: Array<[string, string]> = [
    ['g1', 'g1 first'],
    ['g1', 'g1 second'],
    ['g2', 'g2 first'],
  ];
  for (const [group, body] of fifoSends) {
    await sqs.send(new SendMessageCommand({ QueueUrl: fifo.url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `setup-${body.replace(' ', '-')}` }));
  }
  const fifoHandle = await inFlightHandle(sqs, fifo.url);
  return { std, fifo, dlq, stdHandle, fifoHandle, finishedTaskHandle };
}

/** Creates the snapshot and scratch queue sets on the server `baseUrl` talks to. Throws the SDK error on failure. */
export async function prepareFixture(sqs: SQSClient, baseUrl: string): Promise<Fixture> {
  const snap = await prepareSet(sqs, SNAPSHOT_PREFIX);
  const scratch = await prepareSet(sqs, SCRATCH_PREFIX);
  const accountId = snap.std.url.split('/').at(-2) ?? '';
  return { baseUrl, accountId, snap, scratch };
}
