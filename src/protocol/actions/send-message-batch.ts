/** @module protocol/actions/send-message-batch: SendMessageBatch. */
import type { SendMessageBatchResult, SendMessageBatchResultEntry } from '@aws-sdk/client-sqs';
import type { ActionContext } from '../action-context.ts';
import { toWireFailures } from '../batch-failures.ts';
import { type JsonObject, Requests } from '../requests.ts';

/**
 * Sends up to 10 messages. Whole-request problems (empty, too many, bad or repeated ids, over 1 MiB, FIFO ids
 * missing) throw; per-entry problems come back in `Failed` with HTTP 200.
 */
export function sendMessageBatch(ctx: ActionContext, body: JsonObject) {
  const request = Requests.sendMessageBatch(body);
  const traceHeader = ctx.traceHeader();
  const result = ctx.engine.sendMessageBatch(
    ctx.queueUrls.nameOf(request.queueUrl),
    request.entries,
    traceHeader === undefined ? { senderId: ctx.senderId() } : { senderId: ctx.senderId(), traceHeader },
  );
  const successful = new Array<SendMessageBatchResultEntry>(result.successful.length);
  for (let i = 0; i < successful.length; i++) {
    const entry = result.successful[i]!;
    const out: SendMessageBatchResultEntry = {
      Id: entry.id,
      MessageId: entry.messageId,
      MD5OfMessageBody: entry.md5OfMessageBody,
    };
    if (entry.md5OfMessageAttributes !== undefined) out.MD5OfMessageAttributes = entry.md5OfMessageAttributes;
    if (entry.md5OfMessageSystemAttributes !== undefined) {
      out.MD5OfMessageSystemAttributes = entry.md5OfMessageSystemAttributes;
    }
    if (entry.sequenceNumber !== undefined) out.SequenceNumber = entry.sequenceNumber;
    successful[i] = out;
  }
  // Both lists are required members: send [] when empty.
  return { Successful: successful, Failed: toWireFailures(result.failed) } satisfies SendMessageBatchResult;
}
