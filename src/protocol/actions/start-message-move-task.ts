/** @module protocol/actions/start-message-move-task: StartMessageMoveTask. */
import type { StartMessageMoveTaskResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Starts moving a DLQ's messages back. Throws ResourceNotFoundException (404), InvalidParameterValue. */
export function startMessageMoveTask(ctx: ActionContext, body: JsonObject) {
  const { taskHandle } = ctx.engine.startMessageMoveTask(Requests.startMessageMoveTask(body));
  return { TaskHandle: taskHandle } satisfies StartMessageMoveTaskResult;
}
