/** @module protocol/actions/purge-queue: PurgeQueue. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Deletes every message. Throws PurgeQueueInProgress (403) within 60 s of the last purge. Output `{}`. */
export function purgeQueue(ctx: ActionContext, body: JsonObject) {
  const request = Requests.queueOnly(body);
  ctx.engine.purgeQueue(ctx.queueUrls.nameOf(request.queueUrl));
  return {};
}
