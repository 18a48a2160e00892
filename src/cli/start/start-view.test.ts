/** @module cli/start/start-view.test: the live view's text and the choice between a new and a resumed run (pure parts of mqs start). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunProgress } from '../verify/run-verifier.ts';
import { progressBar, renderFrame, renderPlainLine, type ViewState } from './progress-view.ts';
import type { RunRecord } from './run-file.ts';
import { chooseRun, START_DEFAULTS, StartUsageError } from './start-settings.ts';

const progress: RunProgress = {
  runId: 'run-1',
  expected: 100,
  processed: 42,
  byFunction: { 'mqs-consumer-1': 22, 'mqs-consumer-2': 20 },
  failedLines: 3,
  duplicateLines: 0,
  redeliveries: 1,
  retriedAfterFailure: 2,
  isProduced: true,
};

const state: ViewState = {
  elapsedMs: 12_345,
  messages: 100,
  groups: 10,
  phase: 'draining',
  progress,
  consumers: [
    { name: 'mqs-consumer-1', running: 2 },
    { name: 'mqs-consumer-2', running: 1 },
  ],
  queueName: 'mqs-orders.fifo',
  queue: { available: 38, inFlight: 20, delayed: 0 },
  dlqName: 'mqs-orders-dlq.fifo',
  dlq: { total: 5, arrived: 3 },
};

describe('the live view', () => {
  it('draws a bar of full and empty cells, clamped to 0…100%', () => {
    assert.equal(progressBar(0.5, 10), '█████░░░░░');
    assert.equal(progressBar(2, 4), '████');
    assert.equal(progressBar(Number.NaN, 4), '░░░░');
  });

  it('shows the bar, the queue counts, the DLQ and each consumer on a terminal', () => {
    assert.equal(
      renderFrame(state),
      [
        'run run-1 · 100 messages in 10 groups · draining · 12.3 s',
        // 42 processed + 3 moved to the DLQ during the run, of 100.
        `${'█'.repeat(14)}${'░'.repeat(16)}  45%  42/100 processed`,
        'queue mqs-orders.fifo   available 38   in flight 20   delayed 0',
        'DLQ   mqs-orders-dlq.fifo   5 messages (3 from this run)',
        'mqs-consumer-1   processed      22   running 2',
        'mqs-consumer-2   processed      20   running 1',
        'retries: 3 failures logged, 2 processed after failing, 1 redelivered',
      ].join('\n'),
    );
  });

  it('prints one plain line without a terminal', () => {
    assert.equal(
      renderPlainLine(state),
      '[  12.3 s] draining: processed 42/100 (mqs-consumer-1 22, mqs-consumer-2 20) | available 38 | in flight 20 | delayed 0 | DLQ 5 | failures 3',
    );
    const early: ViewState = { ...state, phase: 'producing', progress: { ...progress, processed: 0, byFunction: {}, failedLines: 0 } };
    const { queue: _queue, dlq: _dlq, ...withoutCounts } = early;
    assert.equal(
      renderPlainLine(withoutCounts),
      '[  12.3 s] producing: processed 0/100 (mqs-consumer-1 0, mqs-consumer-2 0) | available - | in flight - | delayed - | DLQ -',
    );
  });
});

describe('chooseRun', () => {
  const previous: RunRecord = {
    version: 1,
    runId: 'run-old',
    messages: 500,
    groups: 5,
    workMs: 10,
    failureRate: 0.2,
    createdAt: '2025-01-01T00:00:00.000Z',
    state: 'produced',
  };

  it('starts a new run with the defaults when there is no previous one', () => {
    const choice = chooseRun({}, undefined);
    assert.equal(choice.kind, 'new');
    assert.deepEqual(choice.settings, { messages: START_DEFAULTS.messages, groups: START_DEFAULTS.groups, workMs: START_DEFAULTS.workMs, failureRate: 0 });
    // Fewer messages than the default groups: one group per message.
    assert.equal(chooseRun({ messages: 3 }, undefined).settings.groups, 3);
  });

  it('resumes a run that has not drained, keeping its size and its consumer settings unless flags change them', () => {
    const choice = chooseRun({ messages: 100, workMs: 0 }, previous);
    assert.equal(choice.kind, 'resume');
    assert.deepEqual(choice.settings, { messages: 500, groups: 5, workMs: 0, failureRate: 0.2 });
    assert.match(choice.notes.join(), /--messages 100 ignored: run run-old has not drained yet; pass --new-run/);
  });

  it('starts a new run after a drained one, or when asked to', () => {
    assert.equal(chooseRun({}, { ...previous, state: 'drained' }).kind, 'new');
    assert.equal(chooseRun({ newRun: true }, previous).kind, 'new');
  });

  it('refuses more groups than messages', () => {
    assert.throws(() => chooseRun({ messages: 5, groups: 6 }, undefined), StartUsageError);
  });
});
