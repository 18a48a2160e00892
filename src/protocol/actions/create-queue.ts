/** @module protocol/actions/create-queue: CreateQueue (idempotent for identical attributes). */
import type { CreateQueueResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Creates a queue, or returns the existing one's URL. Throws QueueNameExists, InvalidAttributeName/Value, …. */
export function createQueue(ctx: ActionContext, body: JsonObject) {
  const request = Requests.createQueue(body);
  const { name } = ctx.engine.createQueue({ name: request.queueName, attributes: request.attributes, tags: request.tags });
  return { QueueUrl: ctx.queueUrls.urlOf(name) } satisfies CreateQueueResult;
}
