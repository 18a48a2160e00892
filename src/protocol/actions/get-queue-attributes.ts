/** @module protocol/actions/get-queue-attributes: GetQueueAttributes. */
import type { GetQueueAttributesResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** The asked-for attributes, all strings; no names → `{}`. Throws QueueDoesNotExist, InvalidAttributeName. */
export function getQueueAttributes(ctx: ActionContext, body: JsonObject) {
  const request = Requests.getQueueAttributes(body);
  const attributes = ctx.engine.getQueueAttributes(ctx.queueUrls.nameOf(request.queueUrl), request.attributeNames);
  const out: GetQueueAttributesResult = {};
  for (const _name in attributes) {
    out.Attributes = attributes;
    break;
  }
  return out;
}
