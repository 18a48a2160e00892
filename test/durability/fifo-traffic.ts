/**
 * @module test/durability/fifo-traffic: the client side of the kill -9 test: seeded senders and one receiver on a
 * FIFO queue, recording into a FifoLedger everything they were told (and what they never heard back).
 */
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { DELETE_OUTCOMES, type DeliveredMessage, type FifoLedger, type GroupSeq } from './fifo-ledger.ts';
import { wasAnswered } from './sqs-client.ts';

export const SENDER_COUNT = 3;
export const GROUPS_PER_SENDER = 2;
const PLANNED_OPS_PER_SENDER = 400;
const PLANNED_RECEIVES = 600;

/** One planned send: a SendMessage, or a SendMessageBatch whose entries go to these groups of the sender. */
interface SendOp {
  isBatch: boolean;
  /** Indexes into the sender's groups, one per entry (only the first is used for a single send). */
  groupPicks: number[];
}

/** The seeded part of the workload: how much work before the kill, and each sender's and the receiver's choices. */
export interface TrafficPlan {
  /** The server is killed once this many messages have been acknowledged. */
  killAfterAcks: number;
  senders: SendOp[][];
  /** Per receive: delete the batch with one DeleteMessageBatch (true) or one DeleteMessage each (false). */
  deleteInBatch: boolean[];
}

const sendOpArb = fc.record({
  isBatch: fc.boolean(),
  groupPicks: fc.array(fc.nat(GROUPS_PER_SENDER - 1), { minLength: 2, maxLength: 10 }),
});

/** The plan for `seed`; the same seed gives the same plan (thread interleaving is still the machine's). */
export function planTraffic(seed: number): TrafficPlan {
  const planArb = fc.record({
    killAfterAcks: fc.integer({ min: 120, max: 420 }),
    senders: fc.array(fc.array(sendOpArb, { minLength: PLANNED_OPS_PER_SENDER, maxLength: PLANNED_OPS_PER_SENDER }), {
      minLength: SENDER_COUNT,
      maxLength: SENDER_COUNT,
    }),
    deleteInBatch: fc.array(fc.boolean(), { minLength: PLANNED_RECEIVES, maxLength: PLANNED_RECEIVES }),
  });
  const [plan] = fc.sample(planArb, { seed, numRuns: 1 });
  if (plan === undefined) throw new Error('fast-check produced no plan');
  return plan;
}

/** The group names sender `index` owns: only it sends to them, so each group's send order is well defined. */
export function groupsOf(senderIndex: number): string[] {
  return Array.from({ length: GROUPS_PER_SENDER }, (_, g) => `s${senderIndex}g${g}`);
}

function bodyOf(m: GroupSeq): string {
  return JSON.stringify({ group: m.group, seq: m.seq });
}

/** Shared switches between the workload loops and the test that kills the server. */
export interface TrafficControl {
  /** Set right before the SIGKILL: errors after it are the crash, errors before it are bugs. */
  isCrashing: boolean;
  /** Set to make the loops stop at their next turn. */
  isStopping: boolean;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Sends the sender's planned operations until a request fails or `control.isStopping`. Every message is recorded as
 * attempted before its request goes out and as acknowledged only when answered 200. Calls `onAck` after each answer.
 */
export async function runSender(
  sqs: SQSClient,
  queueUrl: string,
  senderIndex: number,
  ops: readonly SendOp[],
  ledger: FifoLedger,
  control: TrafficControl,
  onAck: () => void,
): Promise<void> {
  const groups = groupsOf(senderIndex);
  const nextSeq = new Map(groups.map((g) => [g, 1]));
  const take = (pick: number): GroupSeq => {
    const group = groups[pick % groups.length]!;
    const seq = nextSeq.get(group)!;
    nextSeq.set(group, seq + 1);
    return { group, seq };
  };
  for (let i = 0; !control.isStopping; i++) {
    const op = ops[i % ops.length]!;
    const messages = op.isBatch ? op.groupPicks.map(take) : [take(op.groupPicks[0]!)];
    for (const m of messages) ledger.sendAttempted(m);
    try {
      if (op.isBatch) {
        const out = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((m, n) => ({
              Id: `e${n}`,
              MessageBody: bodyOf(m),
              MessageGroupId: m.group,
              MessageDeduplicationId: `${m.group}-${m.seq}`,
            })),
          }),
        );
        for (const ok of out.Successful ?? []) {
          const m = messages[Number(ok.Id!.slice(1))]!;
          ledger.sendAcked(m, ok.MessageId!, ok.SequenceNumber!);
        }
        if ((out.Failed ?? []).length > 0) {
          ledger.problem(`sender ${senderIndex}: batch entries failed: ${JSON.stringify(out.Failed)}`);
          return;
        }
      } else {
        const m = messages[0]!;
        const out = await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: bodyOf(m),
            MessageGroupId: m.group,
            MessageDeduplicationId: `${m.group}-${m.seq}`,
          }),
        );
        ledger.sendAcked(m, out.MessageId!, out.SequenceNumber!);
      }
    } catch (error) {
      // The crash: stop here, so no later message of these groups exists and the unanswered ones stay "unknown".
      if (!control.isCrashing) ledger.problem(`sender ${senderIndex} failed before the crash: ${describeError(error)}`);
      return;
    }
    onAck();
  }
}

function toDelivered(message: Message): DeliveredMessage {
  const parsed = JSON.parse(message.Body ?? '{}') as { group: string; seq: number };
  return {
    group: parsed.group,
    seq: parsed.seq,
    messageId: message.MessageId ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? Number.NaN),
    sequenceNumber: message.Attributes?.SequenceNumber ?? '',
  };
}

/** What one receive-and-delete turn did. */
export interface ReceiveTurn {
  /** Messages the receive returned. */
  count: number;
  /** Whether the turn ended on a request error (the loop should stop). */
  isFailed: boolean;
}

/**
 * One receive (long poll of `waitSeconds`) and the deletes of what it returned, recorded in `ledger` under `run`.
 * Request errors are recorded (unanswered deletes as `unknown`) and end the turn; before the crash they are problems.
 */
export async function receiveAndDelete(
  sqs: SQSClient,
  queueUrl: string,
  run: number,
  isBatchDelete: boolean,
  waitSeconds: number,
  ledger: FifoLedger,
  control: TrafficControl,
): Promise<ReceiveTurn> {
  let messages: Message[];
  try {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages = out.Messages ?? [];
  } catch (error) {
    if (!control.isCrashing) ledger.problem(`run ${run}: ReceiveMessage failed: ${describeError(error)}`);
    return { count: 0, isFailed: true };
  }
  const delivered = messages.map(toDelivered);
  ledger.received(run, delivered);
  if (messages.length === 0) return { count: 0, isFailed: false };

  if (isBatchDelete) {
    try {
      const out = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      for (const ok of out.Successful ?? []) ledger.deleted(run, delivered[Number(ok.Id!.slice(1))]!, DELETE_OUTCOMES.confirmed);
      for (const bad of out.Failed ?? []) ledger.deleted(run, delivered[Number(bad.Id!.slice(1))]!, DELETE_OUTCOMES.failed);
    } catch (error) {
      if (wasAnswered(error)) {
        // An SQS error answer: nothing was deleted. Allowed (e.g. an expired FIFO handle); the ledger rules judge it.
        for (const m of delivered) ledger.deleted(run, m, DELETE_OUTCOMES.failed);
        return { count: messages.length, isFailed: false };
      }
      for (const m of delivered) ledger.deleted(run, m, DELETE_OUTCOMES.unknown);
      if (!control.isCrashing) ledger.problem(`run ${run}: DeleteMessageBatch failed: ${describeError(error)}`);
      return { count: messages.length, isFailed: true };
    }
    return { count: messages.length, isFailed: false };
  }

  for (let n = 0; n < messages.length; n++) {
    try {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: messages[n]!.ReceiptHandle }));
      ledger.deleted(run, delivered[n]!, DELETE_OUTCOMES.confirmed);
    } catch (error) {
      if (wasAnswered(error)) {
        ledger.deleted(run, delivered[n]!, DELETE_OUTCOMES.failed);
        continue;
      }
      // No answer: this and the remaining deletes of the turn never got an outcome.
      for (let rest = n; rest < messages.length; rest++) {
        ledger.deleted(run, delivered[rest]!, rest === n ? DELETE_OUTCOMES.unknown : DELETE_OUTCOMES.failed);
      }
      if (!control.isCrashing) ledger.problem(`run ${run}: DeleteMessage failed: ${describeError(error)}`);
      return { count: messages.length, isFailed: true };
    }
  }
  return { count: messages.length, isFailed: false };
}

/**
 * The receiver of run 1: receive-and-delete turns (1 s long polls) until a request fails (the crash) or
 * `control.isStopping`.
 */
export async function runReceiver(
  sqs: SQSClient,
  queueUrl: string,
  plan: TrafficPlan,
  ledger: FifoLedger,
  control: TrafficControl,
): Promise<void> {
  for (let i = 0; !control.isStopping; i++) {
    const turn = await receiveAndDelete(sqs, queueUrl, 1, plan.deleteInBatch[i % plan.deleteInBatch.length]!, 1, ledger, control);
    if (turn.isFailed) return;
  }
}
