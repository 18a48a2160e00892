/** @module cli/verify/run-log-line: the producer's and consumers' log lines that `mqs verify` reads, parsed from stored events. */
import { RECORD_LOG_MESSAGES } from '../../functions/shared/logger.ts';

/** The producer's Powertools `message` values that verification reads (see src/functions/producer.ts). */
export const PRODUCER_LOG_MESSAGES = { producing: 'producing', produced: 'produced', sendFailed: 'send-failed' } as const;

/** A consumer's per-record line (`processed`, `duplicate` or `failed`, docs/deploy.md "The log lines"). */
export interface RecordLine {
  readonly kind: (typeof RECORD_LOG_MESSAGES)[keyof typeof RECORD_LOG_MESSAGES];
  readonly runId: string;
  /** The consumer function's name, e.g. `mqs-consumer-1`. */
  readonly function: string;
  /** The message group (order id), e.g. `order-7`. */
  readonly group: string;
  readonly sequence: number;
  readonly messageId: string;
  /** ApproximateReceiveCount of the delivery that produced the line. */
  readonly receiveCount: number;
  /** When the line was written, ms since the epoch. */
  readonly at: number;
}

/** The producer's `producing` line (start of an invocation). */
export interface ProducingLine {
  readonly kind: 'producing';
  readonly runId: string;
  readonly count: number;
  readonly groups: number;
  readonly at: number;
}

/** The producer's `produced` line (end of an invocation). */
export interface ProducedLine {
  readonly kind: 'produced';
  readonly runId: string;
  readonly count: number;
  readonly groups: number;
  readonly sent: number;
  readonly failed: number;
  readonly at: number;
}

/** The producer's `send-failed` warning: the group's events from `sequence` on were not sent. */
export interface SendFailedLine {
  readonly kind: 'send-failed';
  readonly runId: string;
  readonly group: string;
  readonly sequence: number;
  readonly at: number;
}

/** Any line verification reads. */
export type RunLogLine = RecordLine | ProducingLine | ProducedLine | SendFailedLine;

const RECORD_KINDS: ReadonlySet<string> = new Set(Object.values(RECORD_LOG_MESSAGES));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const int = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

/**
 * Parses one stored log event. Returns `undefined` for everything verification does not read: platform lines,
 * metrics (EMF), other messages, and `failed` lines of bodies that were not order events (no runId / sequence).
 * Never throws.
 */
export function parseRunLogLine(message: string, at: number): RunLogLine | undefined {
  // Cheap pre-check: every line we read is a Powertools JSON object with a "runId".
  if (!message.startsWith('{') || !message.includes('"runId"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const kind = str(parsed['message']);
  const runId = str(parsed['runId']);
  if (kind === undefined || runId === undefined) return undefined;
  if (RECORD_KINDS.has(kind)) {
    const fn = str(parsed['function']);
    const group = str(parsed['group']);
    const sequence = int(parsed['sequence']);
    const messageId = str(parsed['messageId']);
    const receiveCount = int(parsed['receiveCount']);
    if (fn === undefined || group === undefined || sequence === undefined || messageId === undefined || receiveCount === undefined) return undefined;
    return { kind: kind as RecordLine['kind'], runId, function: fn, group, sequence, messageId, receiveCount, at };
  }
  const count = int(parsed['count']);
  const groups = int(parsed['groups']);
  if (kind === PRODUCER_LOG_MESSAGES.producing && count !== undefined && groups !== undefined) return { kind, runId, count, groups, at };
  if (kind === PRODUCER_LOG_MESSAGES.produced && count !== undefined && groups !== undefined) {
    const sent = int(parsed['sent']);
    const failed = int(parsed['failed']);
    if (sent === undefined || failed === undefined) return undefined;
    return { kind, runId, count, groups, sent, failed, at };
  }
  if (kind === PRODUCER_LOG_MESSAGES.sendFailed) {
    const group = str(parsed['group']);
    const sequence = int(parsed['sequence']);
    if (group === undefined || sequence === undefined) return undefined;
    return { kind, runId, group, sequence, at };
  }
  return undefined;
}
