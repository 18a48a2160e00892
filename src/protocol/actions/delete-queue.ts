/** @module protocol/actions/delete-queue: DeleteQueue. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Deletes a queue whatever it holds. Throws QueueDoesNotExist. Output is `Unit`: `{}`. */
export function deleteQueue(ctx: ActionContext, body: JsonObject) {
  const request = Requests.queueOnly(body);
  ctx.engine.deleteQueue(ctx.queueUrls.nameOf(request.queueUrl));
  return {};
}
