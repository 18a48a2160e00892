/** @module protocol/actions/remove-permission: RemovePermission. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Removes the statement with this label. Throws InvalidParameterValue for an unknown label. Output `{}`. */
export function removePermission(ctx: ActionContext, body: JsonObject) {
  const request = Requests.removePermission(body);
  ctx.engine.removePermission(ctx.queueUrls.nameOf(request.queueUrl), request.label);
  return {};
}
