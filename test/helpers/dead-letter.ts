/** @module test/helpers/dead-letter: queues wired to a dead-letter queue, and pushing messages into it. */
import { SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { receive } from './messages.ts';
import { createFifoQueue, createStandardQueue, type TestQueue } from './queues.ts';

/** A source queue and its dead-letter queue. */
export interface RedrivePair {
  source: TestQueue;
  dlq: TestQueue;
}

/** The RedrivePolicy attribute value for `dlqArn`. */
export function redrivePolicy(dlqArn: string, maxReceiveCount: number | string): string {
  return JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount });
}

/** Creates a DLQ and a source queue redriving into it (both FIFO when `isFifo`). */
export async function createRedrivePair(
  sqs: SQSClient,
  maxReceiveCount: number,
  isFifo = false,
  sourceAttributes: Record<string, string> = {},
): Promise<RedrivePair> {
  const create = isFifo ? createFifoQueue : createStandardQueue;
  const dlq = await create(sqs);
  const source = await create(sqs, { ...sourceAttributes, RedrivePolicy: redrivePolicy(dlq.arn, maxReceiveCount) });
  return { source, dlq };
}

/** Points an existing queue's RedrivePolicy at `dlqArn`. */
export async function setRedrive(sqs: SQSClient, url: string, dlqArn: string, maxReceiveCount: number): Promise<void> {
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: redrivePolicy(dlqArn, maxReceiveCount) } }),
  );
}

/**
 * Receives every message of `sourceUrl` `maxReceiveCount` times with VisibilityTimeout 0 (so they stay visible),
 * then once more, which must move them all to the DLQ. Returns what the last receive returned (expected: nothing).
 */
export async function exhaustReceives(sqs: SQSClient, sourceUrl: string, maxReceiveCount: number) {
  for (let i = 0; i < maxReceiveCount; i++) {
    await receive(sqs, sourceUrl, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
  }
  return receive(sqs, sourceUrl, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
}
