/** @module protocol/actions/change-message-visibility: ChangeMessageVisibility. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Restarts an in-flight message's visibility timeout. Throws InvalidParameterValue, ReceiptHandleIsInvalid. */
export function changeMessageVisibility(ctx: ActionContext, body: JsonObject) {
  const request = Requests.changeMessageVisibility(body);
  ctx.engine.changeMessageVisibility(
    ctx.queueUrls.nameOf(request.queueUrl),
    request.receiptHandle,
    request.visibilityTimeout,
  );
  return {};
}
