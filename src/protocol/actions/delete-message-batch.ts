/** @module protocol/actions/delete-message-batch: DeleteMessageBatch. */
import type { DeleteMessageBatchResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { toWireFailures, toWireIds } from '../batch-failures.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Deletes up to 10 messages; batch-shape errors throw, per-entry errors come back in `Failed`. */
export function deleteMessageBatch(ctx: ActionContext, body: JsonObject) {
  const request = Requests.deleteMessageBatch(body);
  const result = ctx.engine.deleteMessageBatch(ctx.queueUrls.nameOf(request.queueUrl), request.entries);
  return {
    Successful: toWireIds(result.successful),
    Failed: toWireFailures(result.failed),
  } satisfies DeleteMessageBatchResult;
}
