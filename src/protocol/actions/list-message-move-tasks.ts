/** @module protocol/actions/list-message-move-tasks: ListMessageMoveTasks. */
import type { ListMessageMoveTasksResult, ListMessageMoveTasksResultEntry } from '@aws-sdk/client-sqs';
import type { MoveTaskRecord } from '../../engine/index.ts';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

function toWireTask(task: MoveTaskRecord): ListMessageMoveTasksResultEntry {
  const out: ListMessageMoveTasksResultEntry = {};
  // The handle is only meaningful (cancellable) while the task runs; SQS omits it afterwards.
  if (task.status === 'RUNNING') out.TaskHandle = task.taskHandle;
  out.Status = task.status;
  out.SourceArn = task.sourceArn;
  if (task.destinationArn !== undefined) out.DestinationArn = task.destinationArn;
  if (task.maxNumberOfMessagesPerSecond !== undefined) {
    out.MaxNumberOfMessagesPerSecond = task.maxNumberOfMessagesPerSecond;
  }
  out.ApproximateNumberOfMessagesMoved = task.approximateNumberOfMessagesMoved;
  out.ApproximateNumberOfMessagesToMove = task.approximateNumberOfMessagesToMove;
  if (task.failureReason !== undefined) out.FailureReason = task.failureReason;
  out.StartedTimestamp = task.startedAt;
  return out;
}

/** The most recent move tasks of a source queue, newest first. Throws ResourceNotFoundException. */
export function listMessageMoveTasks(ctx: ActionContext, body: JsonObject) {
  const tasks = ctx.engine.listMessageMoveTasks(Requests.listMessageMoveTasks(body));
  const out: ListMessageMoveTasksResult = {};
  if (tasks.length > 0) out.Results = tasks.map(toWireTask);
  return out;
}
