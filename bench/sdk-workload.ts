/**
 * @module bench/sdk-workload: the SDK side of every measurement: SendMessageBatch loops and
 * ReceiveMessage(10) + DeleteMessageBatch loops, the same code against mqs and against the baseline.
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { BATCH_SIZE, BENCH_BODIES, GROUP_COUNT } from './bench-messages.ts';

// The SDK warns once per process that it will need Node 22 in 2027; it is noise in bench output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The two queue shapes of the bench. */
export const QUEUE_KINDS = ['fifo', 'standard'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/** Visibility timeout of bench queues: long enough that no message reappears during a slow cell. */
const BENCH_VISIBILITY_TIMEOUT_SECONDS = 600;

/** A loop gives up when the queue stays empty this many receives in a row (a bug, not a slow server). */
const MAX_EMPTY_RECEIVES_IN_A_ROW = 20_000;

/** What one phase did. */
export interface PhaseResult {
  messages: number;
  requests: number;
  /** Receives that returned nothing (FIFO groups all locked by the other loops, or the queue drained). */
  emptyReceives: number;
  wallMs: number;
  /** CPU of this (client) process during the phase, microseconds. */
  clientCpuMicros: number;
}

/** An SDK client with its own keep-alive agent sized for `concurrency` loops. */
export interface BenchClient {
  sqs: SQSClient;
  destroy(): void;
}

/**
 * Builds the client every loop of a cell shares: dummy credentials, us-east-1, no retries (an error shows up
 * as an error, not as a slow cell), and a keep-alive agent with one socket per loop.
 */
export function createBenchClient(endpoint: string, concurrency: number): BenchClient {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const sqs = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: { httpAgent },
  });
  return {
    sqs,
    destroy: () => {
      sqs.destroy();
      httpAgent.destroy();
    },
  };
}

/** Creates (or finds) a bench queue and returns its URL. FIFO queues need explicit deduplication ids. */
export async function createBenchQueue(sqs: SQSClient, name: string, kind: QueueKind): Promise<string> {
  const attributes: Record<string, string> = { VisibilityTimeout: String(BENCH_VISIBILITY_TIMEOUT_SECONDS) };
  if (kind === 'fifo') attributes['FifoQueue'] = 'true';
  const out = await sqs.send(new CreateQueueCommand({ QueueName: kind === 'fifo' ? `${name}.fifo` : name, Attributes: attributes }));
  if (out.QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return out.QueueUrl;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

type LoopResult = { requests: number; emptyReceives: number };

/**
 * Runs `concurrency` copies of `loop` and times them. When one throws, `stop.isStopped` tells the others to end
 * after their current request, and the first error is rethrown once all have ended.
 */
async function runLoops(
  concurrency: number,
  messages: number,
  loop: (stop: { isStopped: boolean }) => Promise<LoopResult>,
): Promise<PhaseResult> {
  const stop = { isStopped: false };
  const cpuBefore = cpuMicros();
  const started = performance.now();
  const settled = await Promise.allSettled(
    Array.from({ length: concurrency }, () =>
      loop(stop).catch((error: unknown) => {
        stop.isStopped = true;
        throw error;
      }),
    ),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  const results = settled.map((s) => (s as PromiseFulfilledResult<LoopResult>).value);
  const wallMs = performance.now() - started;
  return {
    messages,
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    emptyReceives: results.reduce((sum, r) => sum + r.emptyReceives, 0),
    wallMs,
    clientCpuMicros: cpuMicros() - cpuBefore,
  };
}

/**
 * Sends `total` messages (a multiple of 10) in SendMessageBatch calls of 10 from `concurrency` loops that take
 * the next batch number from a shared counter. FIFO: message i goes to group `g-${i % 100}` with deduplication id
 * `${runTag}-${i}`. Throws on any failed entry or request error.
 */
export async function sendPhase(
  sqs: SQSClient,
  queueUrl: string,
  kind: QueueKind,
  options: { total: number; concurrency: number; runTag: string },
): Promise<PhaseResult> {
  const batches = Math.ceil(options.total / BATCH_SIZE);
  let nextBatch = 0;
  return runLoops(options.concurrency, batches * BATCH_SIZE, async (stop) => {
    let requests = 0;
    for (let batch = nextBatch++; batch < batches && !stop.isStopped; batch = nextBatch++) {
      const entries: SendMessageBatchRequestEntry[] = [];
      for (let j = 0; j < BATCH_SIZE; j++) {
        const i = batch * BATCH_SIZE + j;
        const entry: SendMessageBatchRequestEntry = { Id: String(j), MessageBody: BENCH_BODIES[j] };
        if (kind === 'fifo') {
          entry.MessageGroupId = `g-${i % GROUP_COUNT}`;
          entry.MessageDeduplicationId = `${options.runTag}-${i}`;
        }
        entries.push(entry);
      }
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      requests++;
      if ((out.Failed?.length ?? 0) > 0 || out.Successful?.length !== BATCH_SIZE) {
        throw new Error(`SendMessageBatch: ${out.Successful?.length ?? 0} sent, failed ${JSON.stringify(out.Failed)}`);
      }
    }
    return { requests, emptyReceives: 0 };
  });
}

/**
 * Receives and deletes `total` messages: `concurrency` loops each claim up to 10 of the remaining count, call
 * ReceiveMessage (MaxNumberOfMessages = the claim, WaitTimeSeconds 0, no attributes) and delete what came back
 * with one DeleteMessageBatch, handing back what they did not get. Throws on any failed delete or request error.
 */
export async function receiveDeletePhase(
  sqs: SQSClient,
  queueUrl: string,
  options: { total: number; concurrency: number },
): Promise<PhaseResult> {
  let remaining = options.total;
  return runLoops(options.concurrency, options.total, async (stop) => {
    let requests = 0;
    let emptyReceives = 0;
    let emptyInARow = 0;
    while (remaining > 0 && !stop.isStopped) {
      const claim = Math.min(BATCH_SIZE, remaining);
      remaining -= claim;
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: claim, WaitTimeSeconds: 0 }),
      );
      requests++;
      const messages = (out.Messages ?? []).slice(0, claim);
      remaining += claim - messages.length;
      if (messages.length === 0) {
        emptyReceives++;
        if (++emptyInARow > MAX_EMPTY_RECEIVES_IN_A_ROW) {
          throw new Error(`ReceiveMessage: ${emptyInARow} empty answers in a row with ${remaining} messages still expected`);
        }
        continue;
      }
      emptyInARow = 0;
      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      requests++;
      if ((deleted.Failed?.length ?? 0) > 0) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(deleted.Failed)}`);
    }
    return { requests, emptyReceives };
  });
}
