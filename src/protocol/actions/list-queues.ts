/** @module protocol/actions/list-queues: ListQueues. */
import type { ListQueuesResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Queue URLs by name prefix, paged only when MaxResults is given. Throws InvalidParameterValue on bad paging. */
export function listQueues(ctx: ActionContext, body: JsonObject) {
  const page = ctx.engine.listQueues(Requests.listQueues(body));
  const out: ListQueuesResult = {};
  // An empty list is omitted, like the other empty optional members.
  if (page.names.length > 0) out.QueueUrls = page.names.map((name) => ctx.queueUrls.urlOf(name));
  if (page.nextToken !== undefined) out.NextToken = page.nextToken;
  return out;
}
