/**
 * @module runtime/function-pool: the execution environments of one function. An invocation takes the most recently
 * used idle instance (warm) or starts a new one (cold); a function's instance count is its concurrency, shared by all
 * its event source mappings and direct invokes. Keeps the numbers CloudWatch shows per function.
 */
import { FunctionInstance } from './function-instance.ts';
import type { InvocationOutcome, ResolvedFunction } from './invocation.ts';
import type { RuntimeVersion } from './log-format.ts';
import type { LogEventInput } from './log-store.ts';

/** An invocation refused because the function is at its reserved concurrency (Lambda's TooManyRequestsException). */
export interface ThrottledOutcome {
  readonly status: 'throttled';
  readonly error: { readonly errorType: 'TooManyRequestsException'; readonly errorMessage: string };
}

/** What a function did so far. */
export interface FunctionStats {
  readonly name: string;
  readonly invocations: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly throttles: number;
  readonly coldStarts: number;
  /** Invocations running now. */
  readonly concurrentExecutions: number;
  readonly maxConcurrentExecutions: number;
  /** Instances alive now (busy or idle). */
  readonly instances: number;
  readonly totalDurationMs: number;
  readonly maxDurationMs: number;
}

/** The instances of one function. */
export class FunctionPool {
  readonly fn: ResolvedFunction;
  readonly #idle: FunctionInstance[] = [];
  readonly #all = new Set<FunctionInstance>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #sink: (events: LogEventInput[]) => void;
  readonly #runtimeVersion: RuntimeVersion;
  readonly #maxInstances: number;
  #isStopped = false;
  #isForced = false;
  #starting = 0;
  #stats = { invocations: 0, errors: 0, timeouts: 0, throttles: 0, coldStarts: 0, busy: 0, maxBusy: 0, totalDurationMs: 0, maxDurationMs: 0 };

  constructor(fn: ResolvedFunction, sink: (events: LogEventInput[]) => void, runtimeVersion: RuntimeVersion, maxInstances = Number.POSITIVE_INFINITY) {
    this.fn = fn;
    this.#sink = sink;
    this.#runtimeVersion = runtimeVersion;
    this.#maxInstances = maxInstances;
  }

  /** Invocations running now (this function's concurrency). */
  get concurrentExecutions(): number {
    return this.#stats.busy;
  }

  /**
   * Runs one invocation on a warm instance, or a new one. Never rejects for function failures (they are outcomes).
   * @throws Error once the pool is stopped (also when it is stopped with force while a new instance starts).
   */
  async invoke(event: unknown, requestId?: string): Promise<InvocationOutcome | ThrottledOutcome> {
    if (this.#isStopped) throw new Error(`function ${this.fn.name} is stopped`);
    if (this.#idle.length === 0 && this.#all.size + this.#starting >= this.#maxInstances) {
      this.#stats.throttles++;
      return { status: 'throttled', error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' } };
    }
    this.#stats.busy++;
    this.#stats.maxBusy = Math.max(this.#stats.maxBusy, this.#stats.busy);
    const run = this.#run(event, requestId);
    this.#inFlight.add(run);
    try {
      return await run;
    } finally {
      this.#inFlight.delete(run);
      this.#stats.busy--;
    }
  }

  async #run(event: unknown, requestId: string | undefined): Promise<InvocationOutcome> {
    let instance = this.#idle.pop();
    while (instance !== undefined && !instance.isAvailable) {
      this.#all.delete(instance);
      instance = this.#idle.pop();
    }
    if (instance === undefined) {
      this.#stats.coldStarts++;
      this.#starting++; // counts against the limit while it starts
      try {
        instance = await FunctionInstance.start(this.fn, this.#sink, this.#runtimeVersion);
      } finally {
        this.#starting--;
      }
      if (this.#isForced) {
        // Stopped with force while this instance started: it must not run anything.
        await instance.terminate();
        throw new Error(`function ${this.fn.name} stopped before the invocation could start`);
      }
      this.#all.add(instance);
    }
    const outcome = await instance.invoke(event, requestId);
    this.#stats.invocations++;
    if (outcome.status !== 'success') this.#stats.errors++;
    if (outcome.status === 'timeout') this.#stats.timeouts++;
    this.#stats.totalDurationMs += outcome.durationMs;
    this.#stats.maxDurationMs = Math.max(this.#stats.maxDurationMs, outcome.durationMs);
    if (instance.isAvailable && !this.#isStopped) this.#idle.push(instance);
    else {
      this.#all.delete(instance);
      if (this.#isStopped) await instance.terminate();
    }
    return outcome;
  }

  stats(): FunctionStats {
    const s = this.#stats;
    return {
      name: this.fn.name,
      invocations: s.invocations,
      errors: s.errors,
      timeouts: s.timeouts,
      throttles: s.throttles,
      coldStarts: s.coldStarts,
      concurrentExecutions: s.busy,
      maxConcurrentExecutions: s.maxBusy,
      instances: this.#all.size,
      totalDurationMs: s.totalDurationMs,
      maxDurationMs: s.maxDurationMs,
    };
  }

  /**
   * Stops taking invocations; waits for the running ones (unless `force`), then terminates every instance.
   * Idempotent.
   */
  async stop(options: { force?: boolean } = {}): Promise<void> {
    this.#isStopped = true;
    this.#isForced ||= options.force === true;
    if (!this.#isForced) await Promise.allSettled([...this.#inFlight]);
    const instances = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.allSettled(instances.map((instance) => instance.terminate()));
  }
}
