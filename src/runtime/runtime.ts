/**
 * @module runtime/runtime: the local Lambda runtime: creates the plan's queues over the SQS API, keeps a pool of
 * instances per function, runs a poller per event source mapping, and writes every log line to the log store.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Bindings, createQueues, queueOfArn, resolveValue } from './bindings.ts';
import { readHostEnvironment, resolveDefaultConcurrency, RUNTIME_DEFAULTS } from './config.ts';
import type { ErrorPayload, InvocationOutcome } from './invocation.ts';
import { DUMMY_CREDENTIALS, resolveFunction } from './function-env.ts';
import { type FunctionStats, FunctionPool, type ThrottledOutcome } from './function-pool.ts';
import { localRuntimeVersion, textEvents } from './log-format.ts';
import { LogStore } from './log-store.ts';
import { findFunction, type RuntimePlan } from './plan.ts';
import { type BatchReport, mappingSettingsProblem, type MappingStats, Poller } from './poller.ts';

/** Options of {@link startRuntime}. */
export interface StartRuntimeOptions {
  readonly plan: RuntimePlan;
  /** SQS endpoint, e.g. the embedded server's URL. Absent: the SDK's default endpoint (real Amazon SQS). */
  readonly endpoint?: string;
  /** Default us-east-1. */
  readonly region?: string;
  /** For function ARNs; default: the account in the first queue ARN, else 000000000000. */
  readonly accountId?: string;
  /** Credentials for the runtime's client and the functions; default: dummy ones with an endpoint, the host's without. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Where logs go; default a store in memory (closed by `stop()`; a store passed in is left open). */
  readonly logStore?: LogStore;
  /** Start the event source mappings' pollers (default true). `mqs invoke` turns them off. */
  readonly isPolling?: boolean;
  /** Pollers of a mapping without MaximumConcurrency (default 5, or MQS_DEFAULT_MAX_CONCURRENCY). */
  readonly defaultMaximumConcurrency?: number;
}

/** One finished invocation, direct or from a mapping. */
export interface InvocationRecord {
  readonly functionName: string;
  readonly outcome: InvocationOutcome | ThrottledOutcome;
  /** Present for invocations made by an event source mapping. */
  readonly batch?: BatchReport;
}

/** What {@link Runtime.invoke} returns. */
export interface InvokeResult {
  readonly status: InvocationOutcome['status'] | 'throttled';
  /** The function's return value, parsed from its JSON (null when it returned nothing). */
  readonly result?: unknown;
  readonly error?: ErrorPayload;
  readonly outcome: InvocationOutcome | ThrottledOutcome;
  /** The REPORT line as Text format prints it (also for JSON-format functions); absent when throttled. */
  readonly report?: string;
}

/** A function as the runtime runs it. */
export interface RuntimeFunction {
  readonly name: string;
  readonly role?: string;
  readonly arn: string;
  readonly logGroup: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
}

/** Counters of every function and mapping. */
export interface RuntimeStats {
  readonly functions: FunctionStats[];
  readonly mappings: MappingStats[];
}

/** A running local Lambda runtime. */
export interface Runtime {
  readonly plan: RuntimePlan;
  readonly bindings: Bindings;
  readonly functions: readonly RuntimeFunction[];
  readonly logStore: LogStore;
  /** Warnings found while starting (e.g. a queue visibility timeout shorter than the function timeout). */
  readonly warnings: readonly string[];
  /**
   * Invokes a function (by name or MQS_ROLE) synchronously with `payload`, like `aws lambda invoke`.
   * @throws Error when there is no such function or the runtime is stopped.
   */
  invoke(nameOrRole: string, payload: unknown): Promise<InvokeResult>;
  stats(): RuntimeStats;
  /** Calls `listener` after every invocation; returns the function that unsubscribes. */
  onInvocation(listener: (record: InvocationRecord) => void): () => void;
  /** Enables or disables an event source mapping (by logical id). @throws Error for an unknown id. */
  setMappingEnabled(mappingId: string, isEnabled: boolean): Promise<void>;
  /** Stops the pollers, drains in-flight invocations (unless `force`), then terminates the instances. Idempotent. */
  stop(options?: { force?: boolean }): Promise<void>;
}

/**
 * Starts the runtime: creates the queues (idempotent, so a restart resumes), starts the enabled mappings.
 * @throws the SDK's error when the queues cannot be created; UnboundValueError when a value names an unknown queue;
 *   InvalidFilterPatternError for a bad filter pattern; RangeError for a bad default concurrency.
 */
export async function startRuntime(options: StartRuntimeOptions): Promise<Runtime> {
  const { plan } = options;
  const region = options.region ?? RUNTIME_DEFAULTS.region;
  const defaultConcurrency = resolveDefaultConcurrency(options.defaultMaximumConcurrency);
  const host = readHostEnvironment();
  const credentials = options.credentials ?? (options.endpoint === undefined ? host.credentials : DUMMY_CREDENTIALS);
  // Long polls hold a socket each: the SDK's default of 50 sockets would starve a runtime with many pollers.
  const sqs = new SQSClient({
    region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
    requestHandler: { httpAgent: new HttpAgent({ keepAlive: true, maxSockets: Infinity }), httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: Infinity }) },
  });
  const logStore = options.logStore ?? new LogStore({ inMemory: true });
  const isOwnStore = options.logStore === undefined;
  const listeners = new Set<(record: InvocationRecord) => void>();
  const emit = (record: InvocationRecord) => {
    for (const listener of listeners) listener(record);
  };
  const warnings: string[] = [];
  const pools = new Map<string, FunctionPool>();
  const pollers = new Map<string, Poller>();
  try {
    const created = await createQueues(plan, sqs, { region, accountId: options.accountId ?? RUNTIME_DEFAULTS.accountId });
    const firstArn = [...created.queues.values()][0]?.arn;
    const bindings: Bindings = { ...created, accountId: options.accountId ?? firstArn?.split(':')[4] ?? RUNTIME_DEFAULTS.accountId };
    const sink = (events: Parameters<LogStore['append']>[0]) => logStore.append(events);
    const runtimeVersion = localRuntimeVersion(region);
    const where = { ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }), ...(credentials === undefined ? {} : { credentials }) };
    for (const fn of plan.functions) {
      pools.set(fn.name, new FunctionPool(resolveFunction(fn, bindings, where, host), sink, runtimeVersion, fn.reservedConcurrency));
    }
    for (const mapping of plan.mappings) {
      const pool = pools.get(mapping.functionName);
      if (pool === undefined) {
        warnings.push(`mapping ${mapping.logicalId}: function ${mapping.functionName} is not in the plan; skipped`);
        continue;
      }
      const queue = await queueOfArn(resolveValue(mapping.eventSourceArn, bindings), bindings, sqs);
      const problem = mappingSettingsProblem(mapping, queue.isFifo);
      if (problem !== undefined) throw new Error(`event source mapping ${mapping.logicalId}: InvalidParameterValueException: ${problem}`);
      const visibility = Number(plan.queues.find((q) => q.name === queue.name)?.attributes['VisibilityTimeout'] ?? 30);
      if (visibility < pool.fn.timeoutSeconds) {
        // CreateEventSourceMapping refuses this on AWS; locally it runs, with duplicate deliveries to show why.
        warnings.push(`Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${pool.fn.timeoutSeconds} seconds (${mapping.logicalId})`);
      }
      const poller = new Poller({
        mapping,
        queue,
        pool,
        sqs,
        defaultConcurrency,
        onBatch: (batch) => batch.outcome !== undefined && emit({ functionName: mapping.functionName, outcome: batch.outcome, batch }),
      });
      pollers.set(mapping.logicalId, poller);
      if (mapping.isEnabled && options.isPolling !== false) poller.start();
    }

    let stopping: Promise<void> | undefined;
    const stopOnce = async (force: boolean) => {
      await Promise.all([...pollers.values()].map((poller) => poller.stop({ force })));
      await Promise.all([...pools.values()].map((pool) => pool.stop({ force })));
      sqs.destroy();
      if (isOwnStore) logStore.close();
      else logStore.flush();
    };
    return {
      plan,
      bindings,
      logStore,
      warnings,
      functions: [...pools.values()].map(({ fn }) => {
        const role = plan.functions.find((planned) => planned.name === fn.name)?.role;
        return { name: fn.name, arn: fn.arn, logGroup: fn.logging.logGroup, timeoutSeconds: fn.timeoutSeconds, memorySizeMb: fn.memorySizeMb, ...(role === undefined ? {} : { role }) };
      }),
      async invoke(nameOrRole, payload) {
        const name = findFunction(plan, nameOrRole).name;
        const pool = pools.get(name);
        if (pool === undefined || stopping !== undefined) throw new Error(`function ${name} is not running`);
        const outcome = await pool.invoke(payload);
        emit({ functionName: name, outcome });
        if (outcome.status === 'throttled') return { status: 'throttled', error: outcome.error, outcome };
        const report = textEvents.report({ ...outcome, memorySizeMb: pool.fn.memorySizeMb });
        if (outcome.status !== 'success') return { status: outcome.status, ...(outcome.error === undefined ? {} : { error: outcome.error }), outcome, report };
        return { status: 'success', result: JSON.parse(outcome.payload ?? 'null') as unknown, outcome, report };
      },
      stats: () => ({ functions: [...pools.values()].map((pool) => pool.stats()), mappings: [...pollers.values()].map((poller) => poller.stats()) }),
      onInvocation(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async setMappingEnabled(mappingId, isEnabled) {
        const poller = pollers.get(mappingId);
        if (poller === undefined) throw new Error(`no event source mapping ${mappingId}`);
        if (isEnabled && stopping === undefined) poller.start();
        else await poller.stop({ state: 'Disabled' });
      },
      stop: (stopOptions = {}) => (stopping ??= stopOnce(stopOptions.force === true)),
    };
  } catch (error) {
    // A mapping refused after others started: theirs stop too.
    await Promise.all([...pollers.values()].map((poller) => poller.stop({ force: true })));
    await Promise.all([...pools.values()].map((pool) => pool.stop({ force: true })));
    sqs.destroy();
    if (isOwnStore) logStore.close();
    throw error;
  }
}
