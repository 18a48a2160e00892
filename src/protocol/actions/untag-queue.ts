/** @module protocol/actions/untag-queue: UntagQueue. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Removes tags; unknown keys are ignored. Output `{}`. */
export function untagQueue(ctx: ActionContext, body: JsonObject) {
  const request = Requests.untagQueue(body);
  ctx.engine.untagQueue(ctx.queueUrls.nameOf(request.queueUrl), request.tagKeys);
  return {};
}
