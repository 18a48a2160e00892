/** @module protocol/actions/tag-queue: TagQueue. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Adds or overwrites tags. Throws InvalidParameterValue on bad keys/values. Output `{}`. */
export function tagQueue(ctx: ActionContext, body: JsonObject) {
  const request = Requests.tagQueue(body);
  ctx.engine.tagQueue(ctx.queueUrls.nameOf(request.queueUrl), request.tags);
  return {};
}
