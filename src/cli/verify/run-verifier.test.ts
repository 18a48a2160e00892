/** @module cli/verify/run-verifier.test: the verification rules on hand-built log lines (no server, no runtime). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReport } from './format-report.ts';
import { parseRunLogLine, type RecordLine, type RunLogLine } from './run-log-line.ts';
import { groupSize, VIOLATION_KINDS, verifyRun } from './run-verifier.ts';

const RUN = 'run-1';
let clock = 1_000;

function producing(count: number, groups: number, runId = RUN): RunLogLine {
  return { kind: 'producing', runId, count, groups, at: (clock += 1) };
}
function produced(count: number, groups: number, failed = 0): RunLogLine {
  return { kind: 'produced', runId: RUN, count, groups, sent: count - failed, failed, at: (clock += 1) };
}
function record(kind: RecordLine['kind'], group: number, sequence: number, receiveCount = 1, fn = 'mqs-consumer-1', runId = RUN): RunLogLine {
  return { kind, runId, function: fn, group: `order-${group}`, sequence, messageId: `m-${group}-${sequence}`, receiveCount, at: (clock += 1) };
}
const processed = (group: number, sequence: number, receiveCount = 1, fn = 'mqs-consumer-1') => record('processed', group, sequence, receiveCount, fn);
const failed = (group: number, sequence: number, receiveCount: number) => record('failed', group, sequence, receiveCount);

/** A clean run of `count` events in `groups` groups, processed group by group in order. */
function cleanRun(count: number, groups: number): RunLogLine[] {
  const lines: RunLogLine[] = [producing(count, groups), produced(count, groups)];
  for (let g = 1; g <= groups; g += 1) {
    for (let s = 1; s <= groupSize(count, groups, g); s += 1) lines.push(processed(g, s, 1, g % 2 === 0 ? 'mqs-consumer-2' : 'mqs-consumer-1'));
  }
  return lines;
}

const kinds = (report: ReturnType<typeof verifyRun>) => report.violations.map((violation) => violation.kind);

describe('verifyRun', () => {
  it('passes a run where every event was processed once, in group order, and counts each consumer', () => {
    const report = verifyRun({ runId: RUN }, cleanRun(5, 2));
    assert.deepEqual(report.violations, []);
    assert.equal(report.isPassed, true);
    assert.equal(report.expected, 5);
    assert.equal(report.processed, 5);
    assert.deepEqual(report.byFunction, { 'mqs-consumer-1': 3, 'mqs-consumer-2': 2 });
    assert.equal(formatReport(report)[0]?.startsWith('verification PASSED: run run-1'), true);
  });

  it('spreads events like the producer: event i goes to group i mod G + 1', () => {
    assert.deepEqual([1, 2, 3].map((g) => groupSize(10, 3, g)), [4, 3, 3]);
    assert.deepEqual([1, 2, 3].map((g) => groupSize(2, 3, g)), [1, 1, 0]);
  });

  it('reports a range of never-processed events as one missing violation', () => {
    const lines = cleanRun(10, 1).filter((line) => !(line.kind === 'processed' && line.sequence >= 4 && line.sequence <= 6));
    const report = verifyRun({ runId: RUN }, lines);
    assert.equal(report.isPassed, false);
    assert.deepEqual(
      report.violations.map(({ kind, group, sequence, toSequence }) => ({ kind, group, sequence, toSequence })),
      [{ kind: VIOLATION_KINDS.missing, group: 'order-1', sequence: 4, toSequence: 6 }],
    );
    assert.match(formatReport(report).join('\n'), /verification FAILED: run run-1: 1 violation\n[\s\S]*missing: order-1 #4–#6 never processed/);
  });

  it('flags an event processed after a later one of its group', () => {
    const report = verifyRun({ runId: RUN }, [producing(3, 1), produced(3, 1), processed(1, 1), processed(1, 3), processed(1, 2)]);
    assert.deepEqual(kinds(report), [VIOLATION_KINDS.outOfOrder]);
    assert.equal(report.violations[0]?.detail, 'order-1 #2 processed after #3');
  });

  it('flags an event processed twice in one delivery, but not again on a later delivery (a logged retry)', () => {
    const twice = verifyRun({ runId: RUN }, [producing(2, 1), produced(2, 1), processed(1, 1), processed(1, 1, 1, 'mqs-consumer-2'), processed(1, 2)]);
    assert.deepEqual(kinds(twice), [VIOLATION_KINDS.processedTwice]);

    // The process died after consumer-1 applied #1 and #2 but before it deleted them: both come back with receiveCount 2.
    const redelivered = verifyRun({ runId: RUN }, [producing(3, 1), produced(3, 1), processed(1, 1), processed(1, 2), processed(1, 1, 2), processed(1, 2, 2), processed(1, 3)]);
    assert.deepEqual(redelivered.violations, []);
    assert.equal(redelivered.redeliveries, 2);
    assert.equal(redelivered.processed, 3);
  });

  it('passes failures that were retried and processed later, and counts them', () => {
    const report = verifyRun({ runId: RUN, maxReceiveCount: 3 }, [producing(2, 1), produced(2, 1), failed(1, 1, 1), failed(1, 1, 2), processed(1, 1, 3), processed(1, 2, 3)]);
    assert.deepEqual(report.violations, []);
    assert.equal(report.failedLines, 2);
    assert.equal(report.retriedAfterFailure, 1);
    assert.deepEqual(report.dlq, []);
  });

  it('ignores duplicate lines (a redelivery acknowledged without applying it)', () => {
    const report = verifyRun({ runId: RUN }, [...cleanRun(2, 1), record('duplicate', 1, 2, 2)]);
    assert.deepEqual(report.violations, []);
    assert.equal(report.duplicateLines, 1);
  });

  it('accounts a poison message and the messages skipped behind it in its batch to the DLQ, not as missing', () => {
    const lines = [producing(6, 1), produced(6, 1), processed(1, 1), processed(1, 2), failed(1, 3, 1), failed(1, 3, 2), failed(1, 3, 3), processed(1, 5, 4), processed(1, 6)];
    const report = verifyRun({ runId: RUN, maxReceiveCount: 3 }, lines);
    assert.deepEqual(report.violations, []);
    assert.deepEqual(report.dlq, [
      { group: 'order-1', sequence: 3, reason: 'failed-last-receive' },
      { group: 'order-1', sequence: 4, reason: 'skipped-behind' },
    ]);
    assert.match(formatReport(report).join('\n'), /in the DLQ: 2 messages \(1 failed on their last allowed receive, 1 were skipped behind them in their batches\): order-1 #3–#4/);

    // Without the redrive policy nothing can be attributed to the DLQ.
    assert.deepEqual(kinds(verifyRun({ runId: RUN }, lines)), [VIOLATION_KINDS.missing]);
    // A poison message takes at most BatchSize − 1 messages with it.
    const far = [producing(6, 1), produced(6, 1), processed(1, 1), failed(1, 2, 3), processed(1, 6)];
    const narrow = verifyRun({ runId: RUN, maxReceiveCount: 3, batchSize: 3 }, far);
    assert.deepEqual(narrow.dlq.map((entry) => entry.sequence), [2, 3, 4]);
    assert.deepEqual(narrow.violations.map(({ kind, sequence }) => ({ kind, sequence })), [{ kind: VIOLATION_KINDS.missing, sequence: 5 }]);
  });

  it('compares the DLQ of the logs with the real one: fewer messages there means loss', () => {
    const lines = [producing(2, 1), produced(2, 1), failed(1, 1, 3), processed(1, 2, 1)];
    assert.deepEqual(verifyRun({ runId: RUN, maxReceiveCount: 3 }, lines, { count: 1 }).violations, []);
    assert.deepEqual(kinds(verifyRun({ runId: RUN, maxReceiveCount: 3 }, lines, { count: 4, baseline: 4 })), [VIOLATION_KINDS.dlqMismatch]);
    const extra = verifyRun({ runId: RUN, maxReceiveCount: 3 }, lines, { count: 3 });
    assert.equal(extra.isPassed, true);
    assert.match(extra.notes.join(), /2 more messages than this run's logs account for/);
  });

  it('fails a run whose producer never finished', () => {
    const report = verifyRun({ runId: RUN }, [producing(1, 1), processed(1, 1)]);
    assert.deepEqual(kinds(report), [VIOLATION_KINDS.producerNotFinished]);
    assert.equal(report.expected, 1);
  });

  it('expects only what the producer sent when it withheld the rest of a group after a failed send', () => {
    const lines: RunLogLine[] = [
      producing(6, 2),
      { kind: 'send-failed', runId: RUN, group: 'order-2', sequence: 2, at: (clock += 1) },
      produced(6, 2, 2),
      processed(1, 1),
      processed(1, 2),
      processed(1, 3),
      processed(2, 1),
    ];
    const report = verifyRun({ runId: RUN }, lines);
    assert.deepEqual(report.violations, []);
    assert.equal(report.expected, 4);
    assert.equal(report.notSent, 2);
  });

  it('flags events the producer never sent and groups outside the run', () => {
    const report = verifyRun({ runId: RUN }, [...cleanRun(2, 1), processed(1, 3), processed(4, 1)]);
    assert.deepEqual(kinds(report), [VIOLATION_KINDS.unexpected, VIOLATION_KINDS.unexpected]);
  });

  it('ignores the lines of other runs', () => {
    const other = [producing(9, 3, 'other'), record('processed', 1, 5, 1, 'mqs-consumer-1', 'other')];
    assert.deepEqual(verifyRun({ runId: RUN }, [...other, ...cleanRun(3, 3)]).violations, []);
  });
});

describe('parseRunLogLine', () => {
  const at = Date.parse('2025-01-01T00:00:00.000Z');
  it('reads a consumer line as Powertools writes it', () => {
    const message =
      '{"level":"INFO","message":"processed","timestamp":"2025-01-01T00:00:00.000Z","service":"mqs-consumer","cold_start":true,' +
      '"function_name":"mqs-consumer-1","function_request_id":"r","sampling_rate":0,"function":"mqs-consumer-1","group":"order-7",' +
      '"sequence":3,"messageId":"abc","receiveCount":2,"runId":"demo-1"}';
    assert.deepEqual(parseRunLogLine(message, at), {
      kind: 'processed',
      runId: 'demo-1',
      function: 'mqs-consumer-1',
      group: 'order-7',
      sequence: 3,
      messageId: 'abc',
      receiveCount: 2,
      at,
    });
  });

  it('reads the producer lines and skips what verification does not read', () => {
    assert.deepEqual(parseRunLogLine('{"level":"INFO","message":"produced","runId":"r","count":10,"groups":2,"sent":10,"failed":0,"batches":5}', at), {
      kind: 'produced',
      runId: 'r',
      count: 10,
      groups: 2,
      sent: 10,
      failed: 0,
      at,
    });
    assert.equal(parseRunLogLine('{"time":"…","type":"platform.report","record":{"requestId":"x"}}', at), undefined);
    assert.equal(parseRunLogLine('{"_aws":{},"ProcessedMessages":1}', at), undefined);
    // A failed line of a body that was not an order event has no runId or sequence.
    assert.equal(parseRunLogLine('{"level":"ERROR","message":"failed","function":"f","group":"g","messageId":"m","receiveCount":1}', at), undefined);
    assert.equal(parseRunLogLine('not json "runId"', at), undefined);
  });
});
