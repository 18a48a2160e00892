/** @module protocol/actions/add-permission: AddPermission. */
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Adds a policy statement. Throws InvalidParameterValue (duplicate label, bad action), OverLimit. Output `{}`. */
export function addPermission(ctx: ActionContext, body: JsonObject) {
  const request = Requests.addPermission(body);
  ctx.engine.addPermission(ctx.queueUrls.nameOf(request.queueUrl), {
    label: request.label,
    accountIds: request.accountIds,
    actions: request.actions,
  });
  return {};
}
