/**
 * @module cli/start/local-system: the whole system on this machine, as `mqs start` runs it: the CDK app synthesized
 * if it changed, the SQS server, the log store and the local Lambda runtime with the template's plan (the consumers'
 * WORK_MS / FAILURE_RATE and the queue's visibility timeout overridden by flags).
 */
import { Agent } from 'node:http';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  ensureSynth,
  LogStore,
  loadPlan,
  type MappingPlan,
  overridePlan,
  resolveValue,
  type Runtime,
  type RuntimePlan,
  startRuntime,
  type SynthResult,
} from '../../runtime/index.ts';
import { type RunningServer, startServer } from '../../server/start-server.ts';

/** How the system is started. */
export interface LocalSystemOptions {
  /** The project root (where cdk.json is). */
  readonly cwd: string;
  /** The cloud assembly directory (default `<cwd>/cdk.out`). */
  readonly cdkOut?: string;
  readonly isForceSynth: boolean;
  readonly port: number;
  readonly dataDir: string;
  readonly isInMemory: boolean;
  readonly consumers: { readonly workMs: number; readonly failureRate: number };
  /** Overrides the source queue's VisibilityTimeout (seconds); consumers with a longer timeout get this one. */
  readonly visibilityTimeoutSeconds?: number;
  /** Called once the synth step is done (before the server starts). */
  readonly onSynth?: (result: SynthResult) => void;
}

/** The queue the consumers' mappings read, and its dead-letter queue. */
export interface SourceQueue {
  readonly name: string;
  readonly url: string;
  readonly visibilityTimeoutSeconds: number;
  readonly dlq?: { readonly name: string; readonly url: string; readonly maxReceiveCount: number };
}

/** A running system. */
export interface LocalSystem {
  readonly synth: SynthResult;
  readonly plan: RuntimePlan;
  readonly server: RunningServer;
  readonly runtime: Runtime;
  readonly logStore: LogStore;
  /** A client of the server for the live view (GetQueueAttributes only). */
  readonly sqs: SQSClient;
  /** The consumer functions (targets of the event source mappings), by name. */
  readonly consumers: readonly string[];
  readonly queue: SourceQueue;
  /** Records per batch and concurrent batches of the first consumer mapping. */
  readonly batchSize: number;
  readonly maximumConcurrency: number | undefined;
  /**
   * Stops the runtime (draining in-flight batches unless `force`), closes the log store and stops the server.
   * Idempotent.
   */
  stop(options?: { force?: boolean }): Promise<void>;
}

/** The logical id of the queue a mapping's EventSourceArn points at (`Fn::GetAtt [Queue, Arn]`). */
function queueOfMapping(value: MappingPlan['eventSourceArn']): string | undefined {
  if (typeof value === 'string') return undefined;
  for (const part of value) if (typeof part === 'object' && 'queue' in part) return part.queue;
  return undefined;
}

/** The plan with the flags applied: consumer environment, and the visibility timeout of the source queue. */
function applyFlags(plan: RuntimePlan, options: LocalSystemOptions, consumers: readonly string[], sourceId: string | undefined): RuntimePlan {
  const environment = { WORK_MS: String(options.consumers.workMs), FAILURE_RATE: String(options.consumers.failureRate) };
  const visibility = options.visibilityTimeoutSeconds;
  const functions = Object.fromEntries(
    consumers.map((name) => {
      const timeout = plan.functions.find((fn) => fn.name === name)?.timeoutSeconds ?? 0;
      // AWS refuses a mapping whose function outlives the queue's visibility timeout: keep the function within it.
      return [name, { environment, ...(visibility !== undefined && timeout > visibility ? { timeoutSeconds: visibility } : {}) }];
    }),
  );
  const changed = overridePlan(plan, { functions });
  if (visibility === undefined || sourceId === undefined) return changed;
  return {
    ...changed,
    queues: changed.queues.map((queue) => (queue.logicalId === sourceId ? { ...queue, attributes: { ...queue.attributes, VisibilityTimeout: String(visibility) } } : queue)),
  };
}

/** The consumers' queue as the runtime created it, with its DLQ and maxReceiveCount from the RedrivePolicy. */
function sourceQueue(plan: RuntimePlan, runtime: Runtime, sourceId: string | undefined): SourceQueue {
  const planned = plan.queues.find((queue) => queue.logicalId === sourceId);
  const bound = sourceId === undefined ? undefined : runtime.bindings.queues.get(sourceId);
  if (planned === undefined || bound === undefined) throw new Error(`the consumers' queue (${sourceId ?? 'not a queue of the template'}) is not in the template`);
  const redrive = planned.attributes['RedrivePolicy'];
  let dlq: SourceQueue['dlq'];
  if (redrive !== undefined) {
    const policy = JSON.parse(resolveValue(redrive, runtime.bindings)) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    const target = [...runtime.bindings.queues.values()].find((queue) => queue.arn === policy.deadLetterTargetArn);
    if (target !== undefined) dlq = { name: target.name, url: target.url, maxReceiveCount: Number(policy.maxReceiveCount) };
  }
  const visibilityAttribute = planned.attributes['VisibilityTimeout'];
  const queue: SourceQueue = {
    name: bound.name,
    url: bound.url,
    visibilityTimeoutSeconds: typeof visibilityAttribute === 'string' ? Number(visibilityAttribute) : 30,
    ...(dlq === undefined ? {} : { dlq }),
  };
  return queue;
}

/**
 * Starts the system.
 * @throws Error with a clear message when the port is taken (EADDRINUSE) or the data directory is in use; the synth's
 *   error when the CDK app does not synthesize; the runtime's errors (see startRuntime). Nothing is left running.
 */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const synth = await ensureSynth({ cwd: options.cwd, force: options.isForceSynth, ...(options.cdkOut === undefined ? {} : { cdkOut: options.cdkOut }) });
  options.onSynth?.(synth);
  const template = loadPlan({ cdkOut: synth.cdkOut });
  const consumers = [...new Set(template.mappings.filter((mapping) => mapping.isEnabled).map((mapping) => mapping.functionName))];
  const firstMapping = template.mappings.find((mapping) => mapping.isEnabled);
  if (firstMapping === undefined) throw new Error('the CDK app declares no enabled event source mapping: nothing would consume the queue');
  const sourceId = queueOfMapping(firstMapping.eventSourceArn);
  const plan = applyFlags(template, options, consumers, sourceId);

  let server: RunningServer;
  try {
    server = await startServer({ port: options.port, host: '127.0.0.1', dataDir: options.dataDir, inMemory: options.isInMemory });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new Error(`port ${options.port} is already in use (is another mqs start or mqs server running?); pass --port N, or --port 0 for a free one`);
    }
    if (error instanceof Error && /locked|busy/i.test(error.message)) {
      throw new Error(`the data directory ${options.dataDir} is in use by another mqs process (${error.message}); stop it, or pass --data-dir`);
    }
    throw error;
  }
  const logStore = options.isInMemory ? new LogStore({ inMemory: true }) : new LogStore({ dataDir: options.dataDir });
  let runtime: Runtime;
  try {
    runtime = await startRuntime({ plan, endpoint: server.url, logStore, region: server.region, accountId: server.accountId });
  } catch (error) {
    logStore.close();
    await server.stop();
    throw error;
  }
  const sqs = new SQSClient({
    endpoint: server.url,
    region: server.region,
    credentials: { accessKeyId: 'mqs', secretAccessKey: 'mqs' },
    requestHandler: { httpAgent: new Agent({ keepAlive: true }) },
  });

  let queue: SourceQueue;
  try {
    queue = sourceQueue(plan, runtime, sourceId);
  } catch (error) {
    await runtime.stop({ force: true });
    sqs.destroy();
    logStore.close();
    await server.stop();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stopOnce = async (force: boolean) => {
    await runtime.stop({ force });
    sqs.destroy();
    logStore.close();
    await server.stop();
  };
  return {
    synth,
    plan,
    server,
    runtime,
    logStore,
    sqs,
    consumers,
    queue,
    batchSize: firstMapping.batchSize,
    maximumConcurrency: plan.mappings.find((mapping) => mapping.logicalId === firstMapping.logicalId)?.maximumConcurrency,
    stop: (stopOptions = {}) => (stopping ??= stopOnce(stopOptions.force === true)),
  };
}
