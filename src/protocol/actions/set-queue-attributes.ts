/** @module protocol/actions/set-queue-attributes: SetQueueAttributes. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Changes settable attributes. Throws InvalidAttributeName/Value, QueueDoesNotExist. Output `{}`. */
export function setQueueAttributes(ctx: ActionContext, body: JsonObject) {
  const request = Requests.setQueueAttributes(body);
  ctx.engine.setQueueAttributes(ctx.queueUrls.nameOf(request.queueUrl), request.attributes);
  return {};
}
