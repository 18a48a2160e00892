/** @module protocol/actions/receive-message: ReceiveMessage, with long polling. */
import type { Message, ReceiveMessageResult } from '@aws-sdk/client-sqs';
import type { ReceivedMessage } from '../../engine/index.ts';
import type { ActionContext } from '../action-context.ts';
import { type JsonObject, Requests } from '../requests.ts';
import { toWireAttributes } from '../wire-attributes.ts';
import type { JsonWire } from '../wire-types.ts';

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

function toWireMessage(message: ReceivedMessage): JsonWire<Message> {
  const out: JsonWire<Message> = {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  if (message.attributes !== undefined) out.Attributes = message.attributes;
  if (message.md5OfMessageAttributes !== undefined) out.MD5OfMessageAttributes = message.md5OfMessageAttributes;
  const attributes = toWireAttributes(message.messageAttributes);
  if (attributes !== undefined) out.MessageAttributes = attributes;
  return out;
}

/**
 * Receives up to MaxNumberOfMessages. The effective wait is WaitTimeSeconds, else the queue's
 * ReceiveMessageWaitTimeSeconds; when the first try is empty and the wait is positive, it waits on the engine (woken
 * by sends, visibility and delay expiry) and tries again until it gets messages or the deadline passes. A client
 * disconnect or server stop ends the wait with an empty result. Throws InvalidParameterValue, QueueDoesNotExist, ….
 */
export async function receiveMessage(ctx: ActionContext, body: JsonObject) {
  const request = Requests.receiveMessage(body);
  const { engine, clock } = ctx;
  const name = ctx.queueUrls.nameOf(request.queueUrl);
  // Validates WaitTimeSeconds before anything is received.
  const waitSeconds = engine.effectiveWaitSeconds(name, request.waitTimeSeconds);
  let messages = engine.receiveMessage(name, request.input);
  if (messages.length === 0 && waitSeconds > 0) {
    const signal = ctx.longPollSignal();
    const deadlineMs = clock.now() + waitSeconds * 1000;
    while (!signal.aborted && clock.now() < deadlineMs) {
      await engine.waitForMessages(name, deadlineMs, signal);
      if (signal.aborted) break;
      messages = engine.receiveMessage(name, request.input);
      if (messages.length > 0) break;
      // Woken but nothing to take (another consumer won, or the group is locked): let I/O run before waiting again,
      // so a waiter that is woken often can never starve the event loop.
      await yieldToIo();
    }
  }
  // Empty result → `{}` with no Messages key, as real SQS answers.
  if (messages.length === 0) return {} satisfies JsonWire<ReceiveMessageResult>;
  return { Messages: messages.map(toWireMessage) } satisfies JsonWire<ReceiveMessageResult>;
}
