/** @module test/helpers/messages: short-hands for sending and receiving in tests. */
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
  type ReceiveMessageCommandInput,
  type SendMessageBatchRequestEntry,
  type SendMessageCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Sends one message; `extra` adds any SendMessage member. */
export function send(
  sqs: SQSClient,
  url: string,
  body: string,
  extra: Record<string, unknown> = {},
): Promise<SendMessageCommandOutput> {
  return sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...extra }));
}

/** Sends bodies in batches of 10, in order; `entry` adds members per entry. Throws when any entry fails. */
export async function sendAll(
  sqs: SQSClient,
  url: string,
  bodies: readonly string[],
  entry: (body: string, index: number) => Partial<SendMessageBatchRequestEntry> = () => ({}),
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < bodies.length; start += 10) {
    const chunk = bodies.slice(start, start + 10);
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: chunk.map((body, i) => ({ Id: `e${i}`, MessageBody: body, ...entry(body, start + i) })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) throw new Error(`batch entries failed: ${JSON.stringify(out.Failed)}`);
    const byId = new Map((out.Successful ?? []).map((s) => [s.Id, s.MessageId ?? '']));
    chunk.forEach((_, i) => ids.push(byId.get(`e${i}`) ?? ''));
  }
  return ids;
}

/** One short-poll receive (WaitTimeSeconds 0 unless given); returns the messages, `[]` when none. */
export async function receive(
  sqs: SQSClient,
  url: string,
  input: Partial<ReceiveMessageCommandInput> = {},
): Promise<Message[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0, ...input }));
  return out.Messages ?? [];
}

/** Receives one message and fails when none comes back. */
export async function receiveOne(
  sqs: SQSClient,
  url: string,
  input: Partial<ReceiveMessageCommandInput> = {},
): Promise<Message> {
  const messages = await receive(sqs, url, { ...input, MaxNumberOfMessages: 1 });
  const first = messages[0];
  if (!first) throw new Error(`expected a message from ${url}, got none`);
  return first;
}

/** Deletes a received message by its receipt handle. */
export async function remove(sqs: SQSClient, url: string, message: Message): Promise<void> {
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
}

/**
 * Receives (10 at a time) and deletes until a receive comes back empty; returns the bodies in receive order.
 * Stops after `maxRounds` receives. For FIFO queues this walks each group in order.
 */
export async function drain(sqs: SQSClient, url: string, maxRounds = 50): Promise<Message[]> {
  const all: Message[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const batch = await receive(sqs, url, { MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] });
    if (batch.length === 0) break;
    for (const m of batch) {
      all.push(m);
      await remove(sqs, url, m);
    }
  }
  return all;
}

/** The bodies of `messages`. */
export function bodies(messages: readonly Message[]): string[] {
  return messages.map((m) => m.Body ?? '');
}
