/** @module protocol/actions/send-message: SendMessage. */
import type { SendMessageResult } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';

/** Sends one message. Throws InvalidParameterValue, MissingParameter, InvalidMessageContents, QueueDoesNotExist. */
export function sendMessage(ctx: ActionContext, body: JsonObject) {
  const request = Requests.sendMessage(body);
  const traceHeader = ctx.traceHeader();
  const result = ctx.engine.sendMessage(
    ctx.queueUrls.nameOf(request.queueUrl),
    request.input,
    traceHeader === undefined ? { senderId: ctx.senderId() } : { senderId: ctx.senderId(), traceHeader },
  );
  const out: SendMessageResult = { MD5OfMessageBody: result.md5OfMessageBody };
  if (result.md5OfMessageAttributes !== undefined) out.MD5OfMessageAttributes = result.md5OfMessageAttributes;
  if (result.md5OfMessageSystemAttributes !== undefined) {
    out.MD5OfMessageSystemAttributes = result.md5OfMessageSystemAttributes;
  }
  out.MessageId = result.messageId;
  if (result.sequenceNumber !== undefined) out.SequenceNumber = result.sequenceNumber;
  return out;
}
