/** @module protocol/actions/get-queue-url: GetQueueUrl. */
import type { GetQueueUrlResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';
import { SqsErrors } from '../sqs-error.ts';

/** The URL of a queue by name. Throws QueueDoesNotExist, also when QueueOwnerAWSAccountId is another account. */
export function getQueueUrl(ctx: ActionContext, body: JsonObject) {
  const request = Requests.getQueueUrl(body);
  if (request.queueOwnerAwsAccountId !== undefined && request.queueOwnerAwsAccountId !== ctx.queueUrls.accountId) {
    throw SqsErrors.queueDoesNotExist();
  }
  return { QueueUrl: ctx.queueUrls.urlOf(ctx.engine.getQueueName(request.queueName)) } satisfies GetQueueUrlResult;
}
