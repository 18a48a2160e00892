/** @module protocol/actions/list-dead-letter-source-queues: ListDeadLetterSourceQueues. */
import type { ListDeadLetterSourceQueuesResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** URLs of the queues whose RedrivePolicy targets this queue. `queueUrls` (lower-case q) is required: `[]` if none. */
export function listDeadLetterSourceQueues(ctx: ActionContext, body: JsonObject) {
  const request = Requests.listDeadLetterSourceQueues(body);
  const page = ctx.engine.listDeadLetterSourceQueues(ctx.queueUrls.nameOf(request.queueUrl), request.page);
  const out: ListDeadLetterSourceQueuesResult = { queueUrls: page.names.map((name) => ctx.queueUrls.urlOf(name)) };
  if (page.nextToken !== undefined) out.NextToken = page.nextToken;
  return out;
}
