/** @module test/helpers/queues: unique queue names and queue factories, so every test owns its queue. */
import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A queue a test created. */
export interface TestQueue {
  name: string;
  url: string;
  arn: string;
}

/** A fresh queue name: `t-<8 hex>` (plus `.fifo` when `isFifo`). */
export function uniqueQueueName(isFifo = false, prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}${isFifo ? '.fifo' : ''}`;
}

/** The account id the server puts in queue URLs and ARNs by default. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * Creates a queue and reads back its ARN. Throws the SDK error when CreateQueue fails.
 */
export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
  tags?: Record<string, string>,
): Promise<TestQueue> {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }));
  const url = out.QueueUrl;
  if (!url) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  const arn = await queueArn(sqs, url);
  return { name, url, arn };
}

/** Creates a standard queue with a unique name. */
export function createStandardQueue(sqs: SQSClient, attributes: Record<string, string> = {}): Promise<TestQueue> {
  return createQueue(sqs, uniqueQueueName(false), attributes);
}

/** Creates a FIFO queue (FifoQueue=true) with a unique `.fifo` name. */
export function createFifoQueue(sqs: SQSClient, attributes: Record<string, string> = {}): Promise<TestQueue> {
  return createQueue(sqs, uniqueQueueName(true), { FifoQueue: 'true', ...attributes });
}

/** Reads the QueueArn attribute. */
export async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = out.Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes(QueueArn) returned nothing for ${url}`);
  return arn;
}

/** The three approximate counters of a queue, as numbers. */
export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** Reads ApproximateNumberOfMessages, …NotVisible and …Delayed. */
export async function queueCounts(sqs: SQSClient, url: string): Promise<QueueCounts> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const a = out.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

/** Reads every attribute of a queue (`All`). */
export async function allAttributes(sqs: SQSClient, url: string): Promise<Record<string, string>> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return out.Attributes ?? {};
}
