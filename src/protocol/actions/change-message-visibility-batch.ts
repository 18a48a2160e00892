/** @module protocol/actions/change-message-visibility-batch: ChangeMessageVisibilityBatch. */
import type { ChangeMessageVisibilityBatchResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { toWireFailures, toWireIds } from '../batch-failures.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Changes visibility of up to 10 messages; batch-shape errors throw, per-entry errors come back in `Failed`. */
export function changeMessageVisibilityBatch(ctx: ActionContext, body: JsonObject) {
  const request = Requests.changeMessageVisibilityBatch(body);
  const result = ctx.engine.changeMessageVisibilityBatch(ctx.queueUrls.nameOf(request.queueUrl), request.entries);
  return {
    Successful: toWireIds(result.successful),
    Failed: toWireFailures(result.failed),
  } satisfies ChangeMessageVisibilityBatchResult;
}
