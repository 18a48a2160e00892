/** @module protocol/actions/cancel-message-move-task: CancelMessageMoveTask. */
import type { CancelMessageMoveTaskResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Cancels a running task; moved messages stay moved. Throws ResourceNotFoundException, InvalidParameterValue. */
export function cancelMessageMoveTask(ctx: ActionContext, body: JsonObject) {
  const request = Requests.cancelMessageMoveTask(body);
  const { approximateNumberOfMessagesMoved } = ctx.engine.cancelMessageMoveTask(request.taskHandle);
  return { ApproximateNumberOfMessagesMoved: approximateNumberOfMessagesMoved } satisfies CancelMessageMoveTaskResult;
}
