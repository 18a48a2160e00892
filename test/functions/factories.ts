/** @module test/functions/factories — builders for real SQSEvent / SQSRecord / Context shapes and a stdout line capture, for the handler tests. */

import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

/** Options of {@link sqsRecordFactory}; FIFO system attributes included, as Lambda delivers them. */
export interface RecordOptions {
  readonly groupId: string;
  readonly receiveCount?: number;
  readonly messageId?: string;
  readonly dedupId?: string;
}

let sequenceNumber = 18_000_000_000_000_000_000n;

/** A FIFO SQS record in the shape Lambda's event source mapping delivers (see spec F.3). */
export function sqsRecordFactory(body: string, options: RecordOptions): SQSRecord {
  sequenceNumber += 1n;
  const now = Date.now();
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `AQEB${randomUUID().replaceAll('-', '')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(now - 5),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(now),
      SequenceNumber: String(sequenceNumber),
      MessageGroupId: options.groupId,
      MessageDeduplicationId: options.dedupId ?? randomUUID(),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:mqs-orders.fifo',
    awsRegion: 'us-east-1',
  };
}

/** The body of an order event, as the producer writes it. */
export function orderBody(runId: string, orderId: string, seq: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ runId, orderId, seq, type: 'created', sentAt: new Date().toISOString(), ...extra });
}

/** A record carrying an order event of group `orderId`. */
export function orderRecord(runId: string, orderId: string, seq: number, extra: Record<string, unknown> = {}, options: Partial<RecordOptions> = {}): SQSRecord {
  return sqsRecordFactory(orderBody(runId, orderId, seq, extra), { groupId: orderId, ...options });
}

/** An SQS event with the given records. */
export function sqsEventFactory(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** A Lambda Context with every field the Node.js runtime provides. */
export function contextFactory(functionName: string, remainingMs = 30_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2025/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A JSON object line written to stdout. */
export type JsonLine = Record<string, unknown>;

/**
 * Runs `fn` while capturing the JSON-object lines written to process.stdout and process.stderr
 * (Powertools Logger writes INFO to stdout and WARN/ERROR to stderr, Metrics writes EMF to stdout,
 * each through its own Console, as in Lambda). Output that is not JSON-object lines passes through
 * untouched, so the test runner's own traffic is not swallowed.
 */
export async function captureJsonLines<T>(fn: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; lines: JsonLine[] }> {
  const lines: JsonLine[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index] as (...args: unknown[]) => boolean;
    const capture = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
      const parsed = text === undefined ? undefined : parseJsonLines(text);
      if (parsed === undefined) return original.call(this, chunk, ...rest);
      lines.push(...parsed);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
    stream.write = capture as typeof stream.write;
  });
  try {
    const result = await fn();
    return { result, error: undefined, lines };
  } catch (error) {
    return { result: undefined, error, lines };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
}

function parseJsonLines(text: string): JsonLine[] | undefined {
  const parts = text.split('\n').filter((line) => line.trim() !== '');
  if (parts.length === 0) return undefined;
  const parsed: JsonLine[] = [];
  for (const part of parts) {
    if (!part.startsWith('{')) return undefined;
    try {
      const value: unknown = JSON.parse(part);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      parsed.push(value as JsonLine);
    } catch {
      return undefined;
    }
  }
  return parsed;
}

/** The Powertools log lines (they carry `level` and `message`) among captured lines. */
export function logLines(lines: JsonLine[], message?: string): JsonLine[] {
  return lines.filter((line) => typeof line.level === 'string' && (message === undefined || line.message === message));
}

/** The EMF metric blobs among captured lines. */
export function emfLines(lines: JsonLine[]): JsonLine[] {
  return lines.filter((line) => typeof line._aws === 'object' && line._aws !== null);
}
