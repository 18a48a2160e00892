/** @module protocol/actions/delete-message: DeleteMessage. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Deletes by receipt handle. Throws ReceiptHandleIsInvalid (404), InvalidParameterValue (expired FIFO handle). */
export function deleteMessage(ctx: ActionContext, body: JsonObject) {
  const request = Requests.deleteMessage(body);
  ctx.engine.deleteMessage(ctx.queueUrls.nameOf(request.queueUrl), request.receiptHandle);
  return {};
}
