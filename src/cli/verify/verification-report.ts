/**
 * @module cli/verify/verification-report: what a run verification finds: its violations, the messages accounted to the
 * dead-letter queue, the live counters and the verdict.
 */

/** Kinds of violations, each a reason for `mqs verify` to exit 1. */
export const VIOLATION_KINDS = {
  /** Sent, never processed, and not explained as redriven to the DLQ. */
  missing: 'missing',
  /** Processed (for the first time) after a later sequence number of its group. */
  outOfOrder: 'out-of-order',
  /** Processed again within the same delivery (no higher receiveCount). */
  processedTwice: 'processed-twice',
  /** Processed, but the producer never sent it (a sequence past the group's end, or an unknown group). */
  unexpected: 'unexpected',
  /** No `produced` line: the producer never finished, so the run's size is not known from the logs. */
  producerNotFinished: 'producer-not-finished',
  /** The logs put more messages in the DLQ than the DLQ received during the run. */
  dlqMismatch: 'dlq-mismatch',
} as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[keyof typeof VIOLATION_KINDS];

/** One violation. `sequence`…`toSequence` is a range of one group when both are present. */
export interface Violation {
  readonly kind: ViolationKind;
  readonly group?: string;
  readonly sequence?: number;
  readonly toSequence?: number;
  readonly detail: string;
}

/** A message the logs show went to the dead-letter queue. */
export interface DlqEntry {
  readonly group: string;
  readonly sequence: number;
  /**
   * `failed-last-receive`: it failed on its last allowed receive (receiveCount ≥ maxReceiveCount): a poison message,
   * or one whose receive count had risen while it waited behind failures. `skipped-behind`: a later message of the
   * same group that arrived in that message's batches; the FIFO consumer skips those after a failure, so their
   * receive count rose with it and they were redriven together (docs/deploy.md, caveat).
   */
  readonly reason: 'failed-last-receive' | 'skipped-behind';
}

/** What the verifier knows about the run besides the log lines. */
export interface RunVerifierOptions {
  readonly runId: string;
  /** Events asked of the producer (from the run file); default: the producer's `produced` / `producing` line. */
  readonly count?: number;
  /** Groups asked of the producer; default: from the producer's lines. */
  readonly groups?: number;
  /** The queue's RedrivePolicy maxReceiveCount; without it no missing message is attributed to the DLQ. */
  readonly maxReceiveCount?: number;
  /** The mapping's BatchSize (default 10): a poison message takes at most BatchSize − 1 later messages with it. */
  readonly batchSize?: number;
}

/** The DLQ as seen over the SQS API, when the caller could look. */
export interface DlqObservation {
  /** ApproximateNumberOfMessages (+ NotVisible + Delayed) of the DLQ now. */
  readonly count: number;
  /** The same when the run started (from the run file), so messages of earlier runs are not counted. */
  readonly baseline?: number;
}

/** Live counters of a run. */
export interface RunProgress {
  readonly runId: string;
  /** Messages the run should deliver: the producer's count less what it reported unsent; undefined until known. */
  readonly expected: number | undefined;
  /** Distinct messages processed. */
  readonly processed: number;
  /** `processed` lines per consumer function (retries included). */
  readonly byFunction: Readonly<Record<string, number>>;
  readonly failedLines: number;
  readonly duplicateLines: number;
  /** Messages processed again in a later delivery (logged retries). */
  readonly redeliveries: number;
  /** Messages that failed at least once and were processed later. */
  readonly retriedAfterFailure: number;
  readonly isProduced: boolean;
  /** Time of the producer's first `producing` line: the first send. */
  readonly producingAt?: number;
  readonly firstProcessedAt?: number;
  readonly lastProcessedAt?: number;
}

/** The verdict. */
export interface VerificationReport extends RunProgress {
  readonly isPassed: boolean;
  readonly groups: number | undefined;
  readonly dlq: readonly DlqEntry[];
  /** Events the producer reported as not sent (withheld after a failed send). */
  readonly notSent: number;
  readonly violations: readonly Violation[];
  /** Facts worth printing that are not violations. */
  readonly notes: readonly string[];
}
