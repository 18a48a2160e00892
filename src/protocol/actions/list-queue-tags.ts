/** @module protocol/actions/list-queue-tags: ListQueueTags. */
import type { ListQueueTagsResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** The queue's tags; no tags → `{}` without a `Tags` key (as real SQS answers). */
export function listQueueTags(ctx: ActionContext, body: JsonObject) {
  const request = Requests.queueOnly(body);
  const tags = ctx.engine.listQueueTags(ctx.queueUrls.nameOf(request.queueUrl));
  const out: ListQueueTagsResult = {};
  for (const _key in tags) {
    out.Tags = tags;
    break;
  }
  return out;
}
