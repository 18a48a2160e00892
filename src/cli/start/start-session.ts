/**
 * @module cli/start/start-session: one `mqs start` session: starts the system, creates or resumes the run in
 * `<data-dir>/run.json`, invokes the producer (once per run), shows the live view, and when the queue has drained
 * verifies the run from the logs (the same check as `mqs verify`). SIGINT/SIGTERM stop it cleanly: in-flight batches
 * finish, the logs are flushed, the server stops; the next start resumes the run.
 */
import type { Runtime } from '../../runtime/index.ts';
import { formatReport } from '../verify/format-report.ts';
import { parseRunLogLine } from '../verify/run-log-line.ts';
import { readRunLines, runQuery } from '../verify/read-run.ts';
import { RunVerifier, type VerificationReport, verifyRun } from '../verify/run-verifier.ts';
import { dashboardUrlOf, describeSystem } from './describe-system.ts';
import { type LocalSystem, startLocalSystem } from './local-system.ts';
import { LiveView, type ViewState } from './progress-view.ts';
import { type QueueDepth, readQueueDepth, totalOf } from './queue-depth.ts';
import { newRunId, type RunRecord, writeRunFile } from './run-file.ts';
import { chooseRun, type RunChoice, type StartFlags } from './start-settings.ts';

/** What a session needs from the command. */
export interface StartSessionOptions {
  /** The project root (cdk.json). */
  readonly cwd: string;
  readonly flags: StartFlags;
  readonly port: number;
  readonly dataDir: string;
  readonly isInMemory: boolean;
  /** The data directory's run file (undefined in memory or when there is none). */
  readonly previous: RunRecord | undefined;
  readonly out: NodeJS.WriteStream;
  readonly isTty: boolean;
}

/** How a session ended. */
export type SessionEnd =
  | { readonly reason: 'stopped'; readonly report?: VerificationReport }
  | { readonly reason: 'drained'; readonly report: VerificationReport }
  | { readonly reason: 'producer-failed'; readonly message: string }
  /** A commit to the data directory failed (disk full, I/O error): the server stopped itself, and so did the rest. */
  | { readonly reason: 'store-failed'; readonly message: string };

/** Redraws per second on a terminal; plain lines come once a second. */
const TTY_TICK_MS = 250;
const PLAIN_TICK_MS = 1_000;

/**
 * Runs a session until it is stopped by a signal, or (with --exit-when-drained) until the run drained and was verified.
 * @throws what startLocalSystem throws (port taken, data directory in use, synth failure); StartUsageError for flags
 *   that cannot work together.
 */
export async function runStartSession(options: StartSessionOptions): Promise<SessionEnd> {
  const choice = chooseRun(options.flags, options.previous);
  options.out.write('checking the CDK app (synthesized only when it changed since the last synth)…\n');
  const system = await startLocalSystem({
    cwd: options.cwd,
    ...(options.flags.cdkOut === undefined ? {} : { cdkOut: options.flags.cdkOut }),
    isForceSynth: options.flags.forceSynth === true,
    port: options.port,
    dataDir: options.dataDir,
    isInMemory: options.isInMemory,
    consumers: { workMs: choice.settings.workMs, failureRate: choice.settings.failureRate },
    ...(choice.settings.visibilityTimeoutSeconds === undefined ? {} : { visibilityTimeoutSeconds: choice.settings.visibilityTimeoutSeconds }),
  });
  const runId = choice.kind === 'resume' ? choice.run.runId : newRunId();
  options.out.write(`${describeSystem(system, choice, runId).join('\n')}\n`);
  const view = await LiveView.create({ stream: options.out, isTty: options.isTty });
  return new StartSession(system, choice, runId, options, view).run();
}

class StartSession {
  readonly #system: LocalSystem;
  readonly #o: StartSessionOptions;
  readonly #view: LiveView;
  readonly #verifier: RunVerifier;
  readonly #startedAt = performance.now();
  #run: RunRecord;
  #depth: QueueDepth | undefined;
  #dlqTotal: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unfollow: (() => void) | undefined;
  #detachDashboard: (() => void) | undefined;
  #report: VerificationReport | undefined;
  #isBusy = false;
  #isStopping = false;
  #finish: (end: SessionEnd) => void = () => {};

  constructor(system: LocalSystem, choice: RunChoice, runId: string, options: StartSessionOptions, view: LiveView) {
    this.#system = system;
    this.#o = options;
    this.#view = view;
    const { settings } = choice;
    const dlq = system.queue.dlq;
    this.#run =
      choice.kind === 'resume'
        ? { ...choice.run, workMs: settings.workMs, failureRate: settings.failureRate }
        : {
            version: 1,
            runId,
            messages: settings.messages,
            groups: settings.groups,
            ...(settings.poisonEvery === undefined ? {} : { poisonEvery: settings.poisonEvery }),
            workMs: settings.workMs,
            failureRate: settings.failureRate,
            ...(settings.visibilityTimeoutSeconds === undefined ? {} : { visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds }),
            createdAt: new Date().toISOString(),
            state: 'producing',
          };
    this.#verifier = new RunVerifier({
      runId,
      count: this.#run.messages,
      groups: this.#run.groups,
      batchSize: system.batchSize,
      ...(dlq === undefined ? {} : { maxReceiveCount: dlq.maxReceiveCount }),
    });
  }

  async run(): Promise<SessionEnd> {
    const ended = new Promise<SessionEnd>((resolve) => (this.#finish = resolve));
    const { queue, logStore } = this.#system;
    if (this.#run.queues === undefined) {
      // Before the producer sends anything: messages of earlier runs already in the DLQ are not this run's.
      const baseline = queue.dlq === undefined ? undefined : totalOf(await readQueueDepth(this.#system.sqs, queue.dlq.url));
      this.#run = {
        ...this.#run,
        queues: {
          queueName: queue.name,
          batchSize: this.#system.batchSize,
          ...(queue.dlq === undefined ? {} : { dlqName: queue.dlq.name, maxReceiveCount: queue.dlq.maxReceiveCount }),
          ...(baseline === undefined ? {} : { dlqBaseline: baseline }),
        },
      };
    }
    this.#save({ session: { pid: process.pid, endpoint: this.#system.server.url } });
    const dashboard = (this.#system.server as { dashboard?: { attachRuntime(runtime: Runtime): () => void } | undefined }).dashboard;
    this.#detachDashboard = dashboard?.attachRuntime(this.#system.runtime);

    // A resumed run: what the logs already hold, then everything written from now on.
    let lastId = 0;
    for (const line of readRunLines(logStore, this.#run.runId)) {
      this.#verifier.add(line);
      lastId = line.id;
    }
    this.#unfollow = logStore.follow({ ...runQuery(this.#run.runId), afterId: lastId }, (events) => {
      const before = this.#verifier.progress().processed;
      for (const event of events) {
        const line = parseRunLogLine(event.message, event.timestamp);
        if (line !== undefined) this.#verifier.add(line);
      }
      if (before === 0 && this.#verifier.progress().processed > 0) {
        this.#view.event(`first message processed ${process.uptime().toFixed(2)} s after mqs start`);
      }
    });
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
    void this.#system.server.failed.then((error) => this.#onStoreFailed(error));
    this.#timer = setInterval(() => void this.#tick(), this.#o.isTty ? TTY_TICK_MS : PLAIN_TICK_MS);
    void this.#tick();
    if (this.#run.state === 'producing') await this.#produce();
    return ended;
  }

  #save(patch: Partial<RunRecord>): void {
    this.#run = { ...this.#run, ...patch };
    if (!this.#o.isInMemory) writeRunFile(this.#o.dataDir, this.#run);
  }

  async #produce(): Promise<void> {
    const { messages, groups, poisonEvery, runId } = this.#run;
    this.#view.event(`producer   sending ${messages.toLocaleString('en-US')} messages in ${groups.toLocaleString('en-US')} groups (runId ${runId})…`);
    const payload = { count: messages, groups, runId, ...(poisonEvery === undefined ? {} : { poisonEvery }) };
    let message: string;
    try {
      const invoked = await this.#system.runtime.invoke('producer', payload);
      if (invoked.status === 'success') {
        const result = invoked.result as { sent: number; failed: number; batches: number; durationMs: number };
        const failed = result.failed > 0 ? `; ${result.failed.toLocaleString('en-US')} not sent (see mqs logs producer)` : '';
        this.#view.event(`producer   sent ${result.sent.toLocaleString('en-US')} messages in ${result.batches} batches, ${result.durationMs} ms${failed}`);
        this.#save({ state: 'produced', produced: { sent: result.sent, failed: result.failed } });
        return;
      }
      message = `the producer failed: ${invoked.error?.errorType ?? invoked.status}: ${invoked.error?.errorMessage ?? ''}`;
    } catch (error) {
      message = `the producer could not be invoked: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (this.#isStopping) return;
    this.#view.event(`mqs: ${message}`);
    await this.#shutdown();
    this.#finish({ reason: 'producer-failed', message });
  }

  #viewState(): ViewState {
    const stats = this.#system.runtime.stats().functions;
    const baseline = this.#run.queues?.dlqBaseline ?? 0;
    const { queue } = this.#system;
    return {
      elapsedMs: performance.now() - this.#startedAt,
      messages: this.#run.messages,
      groups: this.#run.groups,
      phase: this.#run.state === 'producing' ? 'producing' : this.#run.state === 'produced' ? 'draining' : 'drained',
      progress: this.#verifier.progress(),
      consumers: this.#system.consumers.map((name) => ({ name, running: stats.find((fn) => fn.name === name)?.concurrentExecutions ?? 0 })),
      queueName: queue.name,
      ...(this.#depth === undefined ? {} : { queue: this.#depth }),
      ...(queue.dlq === undefined ? {} : { dlqName: queue.dlq.name }),
      ...(this.#dlqTotal === undefined ? {} : { dlq: { total: this.#dlqTotal, arrived: Math.max(0, this.#dlqTotal - baseline) } }),
    };
  }

  async #tick(): Promise<void> {
    if (this.#isBusy || this.#isStopping || this.#report !== undefined) return;
    this.#isBusy = true;
    try {
      const { sqs, queue } = this.#system;
      const [depth, dlq] = await Promise.all([readQueueDepth(sqs, queue.url), queue.dlq === undefined ? undefined : readQueueDepth(sqs, queue.dlq.url)]);
      if (this.#isStopping) return;
      this.#depth = depth;
      this.#dlqTotal = dlq === undefined ? undefined : totalOf(dlq);
      // Every message is either deleted (processed) or redriven to the DLQ: nothing visible, in flight or delayed.
      if (this.#run.state === 'produced' && totalOf(depth) === 0) await this.#drained();
      else this.#view.update(this.#viewState());
    } catch (error) {
      if (!this.#isStopping) this.#view.event(`mqs: cannot read the queue counts: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#isBusy = false;
    }
  }

  /** The queue is empty: verify from the logs (everything is flushed by now) and print the summary. */
  async #drained(): Promise<void> {
    clearInterval(this.#timer);
    this.#system.logStore.flush();
    const baseline = this.#run.queues?.dlqBaseline;
    const report = verifyRun(
      { runId: this.#run.runId, count: this.#run.messages, groups: this.#run.groups, batchSize: this.#system.batchSize, ...(this.#system.queue.dlq === undefined ? {} : { maxReceiveCount: this.#system.queue.dlq.maxReceiveCount }) },
      readRunLines(this.#system.logStore, this.#run.runId),
      this.#dlqTotal === undefined ? undefined : { count: this.#dlqTotal, ...(baseline === undefined ? {} : { baseline }) },
    );
    this.#report = report;
    this.#view.update({ ...this.#viewState(), phase: 'drained' }, true);
    this.#view.stop();
    this.#unfollow?.();
    const lines: string[] = [];
    if (report.producingAt !== undefined && report.lastProcessedAt !== undefined && report.lastProcessedAt > report.producingAt) {
      const seconds = (report.lastProcessedAt - report.producingAt) / 1000;
      const rate = report.processed / seconds;
      lines.push(`drained    ${report.processed.toLocaleString('en-US')} messages processed ${seconds.toFixed(1)} s after the first send (${rate.toFixed(0)} ${rate.toFixed(0) === '1' ? 'message' : 'messages'}/s)`);
    }
    lines.push(...formatReport(report));
    this.#o.out.write(`${lines.join('\n')}\n`);
    this.#save({ state: 'drained', verdict: { isPassed: report.isPassed, violations: report.violations.length, at: new Date().toISOString() } });
    if (this.#o.flags.exitWhenDrained === true) {
      await this.#shutdown();
      this.#finish({ reason: 'drained', report });
      return;
    }
    const url = this.#system.server.url;
    this.#o.out.write(
      `\nstill running: endpoint ${url}, dashboard ${dashboardUrlOf(this.#system)}\n` +
        `  more messages: npx mqs invoke producer --endpoint ${url} --payload '{"count":100,"groups":10}'\n` +
        '  logs:          npx mqs logs consumer-1 --follow\n' +
        'press Ctrl+C to stop (the next npm start begins a new run)\n',
    );
  }

  readonly #onSignal = (signal: NodeJS.Signals): void => {
    if (this.#isStopping) {
      // Like a kill: what is in flight comes back after the visibility timeout, and the run file keeps the session.
      this.#o.out.write('mqs: stopping now, without waiting for in-flight batches\n');
      this.#system.logStore.flush();
      process.exit(130);
    }
    this.#view.stop();
    const again = signal === 'SIGINT' ? 'Ctrl+C again stops at once' : `${signal} again stops at once`;
    this.#o.out.write(`\nmqs: ${signal} received: stopping (in-flight batches finish first; ${again})\n`);
    void this.#shutdown().then(
      () => {
        const isDrained = this.#run.state === 'drained';
        this.#o.out.write(
          isDrained || this.#o.isInMemory
            ? 'mqs: stopped\n'
            : `mqs: stopped; run ${this.#run.runId} is kept in ${this.#o.dataDir}: mqs start resumes it\n`,
        );
        this.#finish({ reason: 'stopped', ...(this.#report === undefined ? {} : { report: this.#report }) });
      },
      (error: unknown) => {
        this.#o.out.write(`mqs: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };

  /** The server stopped itself after a failed commit (it logged why): stop the rest, keeping the run for a resume. */
  #onStoreFailed(error: Error): void {
    if (this.#isStopping) return;
    this.#view.stop();
    this.#o.out.write(`\nmqs: the SQS server stopped: writing to ${this.#o.dataDir} failed (${error.message}); stopping\n`);
    void this.#shutdown()
      .catch(() => undefined)
      .then(() => this.#finish({ reason: 'store-failed', message: `the data directory could not be written: ${error.message}; mqs start resumes the run once it can` }));
  }

  /** Stops everything; the run file keeps the run without the session. Idempotent enough: called once per session. */
  async #shutdown(): Promise<void> {
    this.#isStopping = true;
    clearInterval(this.#timer);
    this.#unfollow?.();
    this.#detachDashboard?.();
    this.#view.stop();
    await this.#system.stop();
    const { session: _session, ...rest } = this.#run;
    this.#run = rest;
    if (!this.#o.isInMemory) writeRunFile(this.#o.dataDir, this.#run);
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }
}
