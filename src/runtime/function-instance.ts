/**
 * @module runtime/function-instance: one execution environment of a function: a worker thread with its own
 * environment variables and module state, cold-started once (INIT), then reused for one invocation at a time.
 * It writes the platform events (INIT_START, START, END, REPORT, timeouts) around what the worker logs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  billedDurationMs,
  type InvocationStatus,
  jsonEvents,
  logStreamName,
  type ReportMetrics,
  type RuntimeVersion,
  textEvents,
} from './log-format.ts';
import type { ErrorPayload, InvocationOutcome, ResolvedFunction } from './invocation.ts';
import type { LogEventInput } from './log-store.ts';

const WORKER_URL = new URL('./worker/instance-worker.mjs', import.meta.url);
/** Lambda gives the Init phase 10 s of its own. */
export const INIT_TIMEOUT_MS = 10_000;

type WorkerMessage =
  | { type: 'ready'; initDurationMs: number }
  | { type: 'init-error'; initDurationMs: number; error: ErrorPayload }
  | { type: 'logs'; events: Array<[number, string]> }
  | { type: 'done'; requestId: string; payload?: string; error?: ErrorPayload; maxMemoryUsedMb: number; isFatal: boolean }
  | { type: 'fatal'; error: ErrorPayload };

interface Pending {
  readonly requestId: string;
  readonly startedAt: number;
  readonly startedAtPerf: number;
  readonly initDurationMs: number | undefined;
  readonly timer: NodeJS.Timeout | undefined;
  readonly resolve: (outcome: InvocationOutcome) => void;
}

/** One worker-thread execution environment. Create with {@link FunctionInstance.start}. */
export class FunctionInstance {
  readonly id = randomBytes(16).toString('hex');
  readonly logStream: string;
  #worker: Worker;
  #isDead = false;
  #initDurationMs: number | undefined;
  #isInitReported = false;
  #initError: ErrorPayload | undefined;
  #pending: Pending | undefined;
  #maxMemoryUsedMb = 0;
  readonly #fn: ResolvedFunction;
  readonly #sink: (events: LogEventInput[]) => void;
  readonly #isJson: boolean;
  readonly #isSystemLogged: boolean;

  private constructor(fn: ResolvedFunction, sink: (events: LogEventInput[]) => void, runtimeVersion: RuntimeVersion) {
    this.#fn = fn;
    this.#sink = sink;
    this.#isJson = fn.logging.format === 'JSON';
    // SystemLogLevel WARN drops the platform's INFO records; it only applies to the JSON format.
    this.#isSystemLogged = !this.#isJson || fn.logging.systemLogLevel !== 'WARN';
    this.logStream = logStreamName(new Date(), this.id);
    this.#log(Date.now(), this.#isJson ? jsonEvents.initStart(Date.now(), runtimeVersion, fn.name) : textEvents.initStart(runtimeVersion), true);
    this.#worker = new Worker(WORKER_URL, {
      env: { ...fn.environment, AWS_LAMBDA_LOG_STREAM_NAME: this.logStream },
      workerData: {
        codeDir: fn.codeDir,
        handler: fn.handler,
        functionName: fn.name,
        functionVersion: '$LATEST',
        memorySizeMb: fn.memorySizeMb,
        invokedFunctionArn: fn.arn,
        logGroupName: fn.logging.logGroup,
        logStreamName: this.logStream,
        isJsonFormat: this.#isJson,
        isSourceMapsEnabled: (fn.environment['NODE_OPTIONS'] ?? '').includes('--enable-source-maps'),
      },
      // The function's MemorySize bounds its heap, roughly as Lambda bounds the sandbox.
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, fn.memorySizeMb) },
      stdout: false,
      stderr: false,
    });
    this.#worker.unref();
  }

  /**
   * Starts an instance and waits for its Init phase (the handler module's import). An instance whose init failed is
   * returned too: its one invocation fails with the init error (as Lambda fails the invocation that needed it).
   */
  static async start(fn: ResolvedFunction, sink: (events: LogEventInput[]) => void, runtimeVersion: RuntimeVersion): Promise<FunctionInstance> {
    const instance = new FunctionInstance(fn, sink, runtimeVersion);
    await instance.#waitForInit();
    return instance;
  }

  #waitForInit(): Promise<void> {
    return new Promise((resolve) => {
      const fail = (error: ErrorPayload, initDurationMs: number) => {
        this.#initError = error;
        this.#initDurationMs = initDurationMs;
        this.#kill();
        resolve();
      };
      const timer = setTimeout(
        () => fail({ errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish in ${INIT_TIMEOUT_MS / 1000} s` }, INIT_TIMEOUT_MS),
        INIT_TIMEOUT_MS,
      );
      const onExit = (code: number) => {
        clearTimeout(timer);
        fail({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited during init with exit status ${code}` }, 0);
      };
      this.#worker.once('exit', onExit);
      this.#worker.on('error', (error) => this.#onWorkerError(error));
      this.#worker.on('message', (message: WorkerMessage) => {
        if (message.type !== 'ready' && message.type !== 'init-error') {
          this.#onMessage(message);
          return;
        }
        clearTimeout(timer);
        this.#worker.off('exit', onExit);
        this.#worker.on('exit', (code) => this.#onExit(code));
        if (message.type === 'init-error') {
          fail(message.error, message.initDurationMs);
          return;
        }
        this.#initDurationMs = message.initDurationMs;
        resolve();
      });
    });
  }

  /** True while it can take an invocation (a failed init still takes one, to report its error). */
  get isAvailable(): boolean {
    if (this.#pending !== undefined) return false;
    return this.#initError === undefined ? !this.#isDead : !this.#isInitReported;
  }

  get isDead(): boolean {
    return this.#isDead;
  }

  #log(timeMs: number, message: string, isPlatform = false): void {
    if (isPlatform && !this.#isSystemLogged) return;
    this.#sink([{ group: this.#fn.logging.logGroup, stream: this.logStream, timestamp: timeMs, message }]);
  }

  /**
   * Runs one invocation. The event is structured-cloned into the worker once. Never rejects: errors, timeouts and
   * crashes come back as the outcome's status.
   * @throws Error when the instance is busy or dead (a pool bug, not a function failure).
   */
  invoke(event: unknown, requestId: string = randomUUID()): Promise<InvocationOutcome> {
    if (!this.isAvailable) throw new Error(`instance ${this.id} is ${this.#pending === undefined ? 'dead' : 'busy'}`);
    const startedAt = Date.now();
    const timeoutMs = this.#fn.timeoutSeconds * 1000;
    const initDurationMs = this.#isInitReported ? undefined : this.#initDurationMs;
    this.#isInitReported = true;
    this.#log(startedAt, this.#isJson ? jsonEvents.start(startedAt, requestId) : textEvents.start(requestId), true);
    return new Promise((resolve) => {
      const initError = this.#initError;
      const timer = initError === undefined ? setTimeout(() => this.#onTimeout(), timeoutMs) : undefined;
      this.#pending = { requestId, startedAt, startedAtPerf: performance.now(), initDurationMs, timer, resolve };
      if (initError === undefined) this.#worker.postMessage({ type: 'invoke', requestId, event, deadlineMs: startedAt + timeoutMs });
      else this.#complete('error', { error: initError });
    });
  }

  #onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'logs': {
        const { logGroup } = this.#fn.logging;
        this.#sink(message.events.map(([timestamp, text]) => ({ group: logGroup, stream: this.logStream, timestamp, message: text })));
        return;
      }
      case 'done':
        if (message.requestId !== this.#pending?.requestId) return;
        this.#maxMemoryUsedMb = Math.max(this.#maxMemoryUsedMb, message.maxMemoryUsedMb);
        // Marked dead before the outcome is handed out, so the pool never reuses a broken environment.
        if (message.isFatal) this.#kill();
        if (message.error === undefined) this.#complete('success', { payload: message.payload ?? 'null' });
        else this.#complete('error', { error: message.error });
        return;
      case 'fatal':
        // An uncaught error between invocations: the environment is not reused, as on Lambda.
        this.#kill();
        return;
      default:
        return;
    }
  }

  #complete(status: InvocationStatus, result: { payload?: string; error?: ErrorPayload }): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.#pending = undefined;
    const endedAt = Date.now();
    const durationMs = performance.now() - pending.startedAtPerf;
    const metrics: ReportMetrics = {
      requestId: pending.requestId,
      durationMs,
      memorySizeMb: this.#fn.memorySizeMb,
      maxMemoryUsedMb: this.#maxMemoryUsedMb,
      ...(pending.initDurationMs === undefined ? {} : { initDurationMs: pending.initDurationMs }),
    };
    if (this.#isJson) {
      this.#log(endedAt, jsonEvents.report(endedAt, metrics, status, result.error?.errorType), true);
    } else {
      this.#log(endedAt, textEvents.end(pending.requestId), true);
      this.#log(endedAt, textEvents.report(metrics), true);
      if (status === 'timeout') this.#log(endedAt, textEvents.timedOut(endedAt, pending.requestId, durationMs), true);
    }
    pending.resolve({
      requestId: pending.requestId,
      status,
      ...result,
      durationMs,
      billedDurationMs: billedDurationMs(durationMs),
      ...(pending.initDurationMs === undefined ? {} : { initDurationMs: pending.initDurationMs }),
      maxMemoryUsedMb: this.#maxMemoryUsedMb,
      instanceId: this.id,
      logStream: this.logStream,
      startedAt: pending.startedAt,
      endedAt,
    });
  }

  #onTimeout(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    // Lambda stops the environment hard: no finally blocks run, and the next invocation gets a new one.
    this.#kill();
    const seconds = ((performance.now() - pending.startedAtPerf) / 1000).toFixed(2);
    this.#complete('timeout', {
      error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${pending.requestId} Error: Task timed out after ${seconds} seconds` },
    });
  }

  #onWorkerError(error: Error): void {
    // Only errors the worker could not catch itself land here (e.g. ERR_WORKER_OUT_OF_MEMORY).
    const code = 'code' in error ? String(error.code) : error.name;
    const reason = code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'signal: killed' : `${code}: ${error.message}`;
    this.#failCrashed(reason);
  }

  #onExit(code: number): void {
    this.#failCrashed(`exit status ${code}`);
  }

  #failCrashed(reason: string): void {
    this.#isDead = true;
    const pending = this.#pending;
    if (pending === undefined) return;
    const now = Date.now();
    this.#log(now, `RequestId: ${pending.requestId} Error: Runtime exited with error: ${reason}\nRuntime.ExitError\n`);
    this.#complete('error', { error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${pending.requestId} Error: Runtime exited with error: ${reason}` } });
  }

  #kill(): void {
    this.#isDead = true;
    void this.#worker.terminate();
  }

  /** Stops the worker at once (an invocation in flight, if any, ends as an error). Resolves when the thread is gone. */
  async terminate(): Promise<void> {
    this.#isDead = true;
    await this.#worker.terminate();
  }
}
