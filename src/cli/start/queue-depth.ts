/** @module cli/start/queue-depth: a queue's message counts as the SQS console shows them (GetQueueAttributes). */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Messages available / in flight / delayed, as SQS approximates them. */
export interface QueueDepth {
  readonly available: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/** Every message of the queue, whatever its state. */
export const totalOf = (depth: QueueDepth): number => depth.available + depth.inFlight + depth.delayed;

/** @throws the SDK's error (e.g. QueueDoesNotExist, or a network error when the server has stopped). */
export async function readQueueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    available: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}
