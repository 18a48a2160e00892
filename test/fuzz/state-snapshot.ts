/** @module test/fuzz/state-snapshot: everything a client can observe of a set of queues without changing it. */
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** The observable state, as plain JSON (compare with `deepEqual`). */
export interface ObservedState {
  queueNames: string[];
  queues: Record<string, unknown>;
}

function nameOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/**
 * ListQueues (names under `prefix`), and per queue: GetQueueAttributes(All) (message counts, settings, policy,
 * timestamps), ListQueueTags, ListDeadLetterSourceQueues and the queue's message move tasks. Read-only: it receives
 * nothing, so it moves no message and locks no group. Throws the SDK error when a call fails.
 */
export async function observeState(sqs: SQSClient, prefix: string): Promise<ObservedState> {
  const list = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  const queueNames = (list.QueueUrls ?? []).map(nameOf).sort();
  const queues: Record<string, unknown> = {};
  for (const name of queueNames) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl }));
    const arn = attributes.Attributes?.QueueArn ?? '';
    const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn, MaxResults: 10 })).catch((error: unknown) => {
      // Only DLQs have move tasks; for other queues the answer is an error, which is state too.
      return { Results: [{ error: error instanceof Error ? error.name : String(error) }] };
    });
    queues[name] = {
      attributes: attributes.Attributes ?? {},
      tags: tags.Tags ?? {},
      deadLetterSources: (sources.queueUrls ?? []).map(nameOf).sort(),
      moveTasks: tasks.Results ?? [],
    };
  }
  return { queueNames, queues };
}
