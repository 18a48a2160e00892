/**
 * @module cli/verify/run-verifier: the verification of one producer run from its log lines alone (pure, incremental):
 * every message the producer sent was processed, each group in sequence order, nothing processed twice except as a
 * logged retry; poison messages that went to the dead-letter queue are accounted for, not reported as lost.
 *
 * What counts as a logged retry: SQS delivers at least once, so a message may be processed again when the earlier
 * delivery was not acknowledged (its invocation failed or timed out after processing it, or the process died before
 * deleting it). Each delivery carries ApproximateReceiveCount, which the consumers log as `receiveCount`. A second
 * `processed` line for a message is a logged retry when its receiveCount is higher than that of every earlier
 * `processed` line of the message (a new delivery); with the same or a lower receiveCount it is a violation (one
 * delivery applied twice). `duplicate` lines (a redelivery acknowledged without applying it) and `failed` lines are
 * never violations.
 */
import type { RecordLine, RunLogLine } from './run-log-line.ts';
import {
  type DlqEntry,
  type DlqObservation,
  type RunProgress,
  type RunVerifierOptions,
  type VerificationReport,
  type Violation,
  VIOLATION_KINDS,
} from './verification-report.ts';

export {
  type DlqEntry,
  type DlqObservation,
  type RunProgress,
  type RunVerifierOptions,
  type VerificationReport,
  type Violation,
  VIOLATION_KINDS,
  type ViolationKind,
} from './verification-report.ts';

interface GroupState {
  highest: number;
  /** Sequence → receiveCount of its latest `processed` line. */
  readonly applied: Map<number, number>;
  /** Sequence → highest receiveCount of its `failed` lines. */
  readonly failed: Map<number, number>;
}

const GROUP_PATTERN = /^order-(\d+)$/;
const DEFAULT_BATCH_SIZE = 10;

/** Sizes of the producer's groups: event i goes to group i mod G + 1 (docs/deploy.md). */
export function groupSize(count: number, groups: number, group: number): number {
  return group > count ? 0 : Math.floor((count - group) / groups) + 1;
}

const seqText = (from: number, to: number) => (from === to ? `#${from}` : `#${from}–#${to}`);

/** Feeds log lines in log order, then asks for {@link RunVerifier.progress} or {@link RunVerifier.report}. */
export class RunVerifier {
  readonly #o: RunVerifierOptions;
  readonly #groups = new Map<string, GroupState>();
  readonly #byFunction: Record<string, number> = {};
  readonly #violations: Violation[] = [];
  #counts = { processed: 0, failedLines: 0, duplicateLines: 0, redeliveries: 0, retriedAfterFailure: 0 };
  #producing: { count: number; groups: number; at: number } | undefined;
  #produced: { count: number; groups: number; sent: number; failed: number } | undefined;
  /** send-failed lines of the producer invocation in progress / of the last finished one (a re-invocation may succeed). */
  #sendFailedNow = new Map<string, number>();
  #sendFailed = new Map<string, number>();
  #firstProcessedAt: number | undefined;
  #lastProcessedAt: number | undefined;

  constructor(options: RunVerifierOptions) {
    this.#o = options;
  }

  /** Takes one line; lines of other runs are ignored. Lines must come in log order (the store's insertion order). */
  add(line: RunLogLine): void {
    if (line.runId !== this.#o.runId) return;
    switch (line.kind) {
      case 'producing':
        this.#producing ??= { count: line.count, groups: line.groups, at: line.at };
        this.#sendFailedNow = new Map();
        return;
      case 'send-failed':
        this.#sendFailedNow.set(line.group, Math.min(line.sequence, this.#sendFailedNow.get(line.group) ?? line.sequence));
        return;
      case 'produced':
        this.#produced = { count: line.count, groups: line.groups, sent: line.sent, failed: line.failed };
        this.#sendFailed = this.#sendFailedNow;
        return;
      case 'duplicate':
        this.#counts.duplicateLines += 1;
        return;
      case 'failed': {
        this.#counts.failedLines += 1;
        const failed = this.#group(line.group).failed;
        failed.set(line.sequence, Math.max(line.receiveCount, failed.get(line.sequence) ?? 0));
        return;
      }
      case 'processed':
        this.#processed(line);
        return;
    }
  }

  #group(name: string): GroupState {
    let state = this.#groups.get(name);
    if (state === undefined) {
      state = { highest: 0, applied: new Map(), failed: new Map() };
      this.#groups.set(name, state);
    }
    return state;
  }

  #processed(line: RecordLine): void {
    this.#byFunction[line.function] = (this.#byFunction[line.function] ?? 0) + 1;
    const state = this.#group(line.group);
    const earlier = state.applied.get(line.sequence);
    if (earlier !== undefined) {
      if (line.receiveCount > earlier) {
        // A new delivery of a message whose earlier processing was never acknowledged: a logged retry.
        this.#counts.redeliveries += 1;
        state.applied.set(line.sequence, line.receiveCount);
      } else {
        this.#violations.push({
          kind: VIOLATION_KINDS.processedTwice,
          group: line.group,
          sequence: line.sequence,
          detail: `${line.group} #${line.sequence} processed again by ${line.function} in the same delivery (receiveCount ${line.receiveCount}, earlier ${earlier})`,
        });
      }
      return;
    }
    state.applied.set(line.sequence, line.receiveCount);
    this.#counts.processed += 1;
    if (state.failed.has(line.sequence)) this.#counts.retriedAfterFailure += 1;
    this.#firstProcessedAt ??= line.at;
    this.#lastProcessedAt = line.at;
    if (line.sequence < state.highest) {
      this.#violations.push({
        kind: VIOLATION_KINDS.outOfOrder,
        group: line.group,
        sequence: line.sequence,
        detail: `${line.group} #${line.sequence} processed after #${state.highest}`,
      });
    } else {
      state.highest = line.sequence;
    }
  }

  #plan(): { count: number; groups: number } | undefined {
    const count = this.#o.count ?? this.#produced?.count ?? this.#producing?.count;
    const groups = this.#o.groups ?? this.#produced?.groups ?? this.#producing?.groups;
    return count === undefined || groups === undefined ? undefined : { count, groups };
  }

  /** The counters so far (cheap; for a live view). */
  progress(): RunProgress {
    const plan = this.#plan();
    const expected = plan === undefined ? undefined : plan.count - (this.#produced?.failed ?? 0);
    return {
      runId: this.#o.runId,
      expected,
      processed: this.#counts.processed,
      byFunction: { ...this.#byFunction },
      failedLines: this.#counts.failedLines,
      duplicateLines: this.#counts.duplicateLines,
      redeliveries: this.#counts.redeliveries,
      retriedAfterFailure: this.#counts.retriedAfterFailure,
      isProduced: this.#produced !== undefined,
      ...(this.#producing === undefined ? {} : { producingAt: this.#producing.at }),
      ...(this.#firstProcessedAt === undefined ? {} : { firstProcessedAt: this.#firstProcessedAt }),
      ...(this.#lastProcessedAt === undefined ? {} : { lastProcessedAt: this.#lastProcessedAt }),
    };
  }

  /** The verdict over the lines so far; `dlq` adds the check against the real dead-letter queue. */
  report(dlq?: DlqObservation): VerificationReport {
    const violations = [...this.#violations];
    const notes: string[] = [];
    const dlqEntries: DlqEntry[] = [];
    const plan = this.#plan();
    if (this.#produced === undefined) {
      violations.push({
        kind: VIOLATION_KINDS.producerNotFinished,
        detail: `the producer never logged "produced" for run ${this.#o.runId}: it did not finish (invoke it again with the same runId; SQS drops the repeats within 5 minutes)`,
      });
    }
    let notSent = 0;
    let expected = 0;
    if (plan !== undefined) {
      // Events the producer could not send without a send-failed line (it stopped at its deadline): the tails of groups.
      let unexplained = this.#produced?.failed ?? 0;
      const sizes: number[] = [];
      for (let g = 1; g <= plan.groups; g += 1) {
        const full = groupSize(plan.count, plan.groups, g);
        const stop = this.#sendFailed.get(`order-${g}`);
        const size = stop === undefined ? full : Math.min(full, stop - 1);
        sizes.push(size);
        notSent += full - size;
      }
      unexplained -= notSent;
      if (unexplained > 0) notes.push(`the producer reported ${unexplained} events as not sent without naming them (it stopped at its deadline)`);
      for (let g = 1; g <= plan.groups; g += 1) {
        const name = `order-${g}`;
        const size = sizes[g - 1] ?? 0;
        const state = this.#groups.get(name) ?? { highest: 0, applied: new Map<number, number>(), failed: new Map<number, number>() };
        // A group that stopped at the deadline has an unsent tail; count it as not sent.
        let end = size;
        while (unexplained > 0 && end > 0 && !state.applied.has(end)) {
          end -= 1;
          unexplained -= 1;
          notSent += 1;
        }
        expected += end;
        this.#classifyMissing(name, state, end, dlqEntries, violations);
        for (const sequence of state.applied.keys()) {
          if (sequence > size) violations.push({ kind: VIOLATION_KINDS.unexpected, group: name, sequence, detail: `${name} #${sequence} processed, but the producer sent only ${size} events in ${name}` });
        }
      }
      for (const name of this.#groups.keys()) {
        const match = GROUP_PATTERN.exec(name);
        const index = match === null ? 0 : Number(match[1]);
        if (index < 1 || index > plan.groups) {
          violations.push({ kind: VIOLATION_KINDS.unexpected, group: name, detail: `group ${name} processed, but the run has groups order-1 … order-${plan.groups}` });
        }
      }
    }
    if (dlq !== undefined) {
      const arrived = dlq.count - (dlq.baseline ?? 0);
      if (arrived < dlqEntries.length) {
        violations.push({
          kind: VIOLATION_KINDS.dlqMismatch,
          detail: `the logs put ${dlqEntries.length} messages in the DLQ, but it ${dlq.baseline === undefined ? 'holds' : 'received'} only ${arrived}`,
        });
      } else if (arrived > dlqEntries.length) {
        notes.push(`the DLQ holds ${arrived - dlqEntries.length} more messages than this run's logs account for (from other runs?)`);
      }
    }
    return {
      ...this.progress(),
      expected: plan === undefined ? undefined : expected,
      isPassed: violations.length === 0,
      groups: plan?.groups,
      dlq: dlqEntries,
      notSent,
      violations,
      notes,
    };
  }

  /**
   * Splits a group's unprocessed sequence numbers into runs. A run that starts with a message that failed on its last
   * allowed receive went to the DLQ, with the later messages skipped behind it (at most BatchSize − 1 after each such
   * message); anything else is missing.
   */
  #classifyMissing(name: string, state: GroupState, size: number, dlq: DlqEntry[], violations: Violation[]): void {
    const maxReceiveCount = this.#o.maxReceiveCount;
    const reach = (this.#o.batchSize ?? DEFAULT_BATCH_SIZE) - 1;
    let lastPoison: number | undefined;
    let missingFrom: number | undefined;
    const closeMissing = (to: number) => {
      if (missingFrom === undefined) return;
      violations.push({
        kind: VIOLATION_KINDS.missing,
        group: name,
        sequence: missingFrom,
        ...(to === missingFrom ? {} : { toSequence: to }),
        detail: `${name} ${seqText(missingFrom, to)} never processed${state.failed.has(missingFrom) ? ' (it failed, and was not retried to the end)' : ''}`,
      });
      missingFrom = undefined;
    };
    for (let sequence = 1; sequence <= size; sequence += 1) {
      if (state.applied.has(sequence)) {
        closeMissing(sequence - 1);
        lastPoison = undefined;
        continue;
      }
      const failedAt = state.failed.get(sequence);
      if (maxReceiveCount !== undefined && failedAt !== undefined && failedAt >= maxReceiveCount) {
        closeMissing(sequence - 1);
        lastPoison = sequence;
        dlq.push({ group: name, sequence, reason: 'failed-last-receive' });
      } else if (lastPoison !== undefined && sequence - lastPoison <= reach && missingFrom === undefined) {
        dlq.push({ group: name, sequence, reason: 'skipped-behind' });
      } else {
        missingFrom ??= sequence;
      }
    }
    closeMissing(size);
  }
}

/** Verifies a whole run at once (what `mqs verify` and the end of `mqs start` call). */
export function verifyRun(options: RunVerifierOptions, lines: Iterable<RunLogLine>, dlq?: DlqObservation): VerificationReport {
  const verifier = new RunVerifier(options);
  for (const line of lines) verifier.add(line);
  return verifier.report(dlq);
}
