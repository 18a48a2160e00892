/** @module functions/consumer — the SQS FIFO consumer handler shared by consumer-1 and consumer-2 (Powertools batch, Logger, Metrics). */

import { setTimeout as sleep } from 'node:timers/promises';
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { OrderBook } from './order-book.ts';
import { processRecord, type ProcessRecordDeps } from './process-record.ts';
import { readConsumerConfig, type ConsumerConfig, type Env } from './shared/env.ts';
import {
  METRIC_NAMES,
  RECORD_LOG_MESSAGES,
  SERVICE_NAMES,
  createLogger,
  createMetrics,
  type RecordLogKeys,
} from './shared/logger.ts';
import { parseOrderEvent } from './shared/order-event.ts';

/** The Lambda handler signature of the consumers. */
export type ConsumerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Overrides for {@link createConsumerHandler}. Precedence: these options, then the environment,
 * then `DEFAULTS` (see `shared/env.ts`). Tests use them to make failure injection deterministic.
 */
export interface ConsumerOptions {
  /** Environment to read instead of `process.env`. */
  readonly env?: Env;
  /** Values that win over the environment. */
  readonly config?: Partial<ConsumerConfig>;
  /** Random source for `FAILURE_RATE` (default `Math.random`). */
  readonly random?: () => number;
  /** Wait used for `WORK_MS` (default a real timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Order state (default a fresh in-memory book per handler). */
  readonly orders?: OrderBook;
}

interface ConsumerRuntime {
  readonly config: ConsumerConfig;
  readonly deps: ProcessRecordDeps;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly processor: SqsFifoPartialProcessorAsync;
}

/**
 * Builds a consumer handler. The configuration is read on the first invocation (not at import),
 * so a bad environment fails the invocation with a message naming the variable.
 *
 * Each invocation processes the batch in order with Powertools' `SqsFifoPartialProcessorAsync`
 * and `skipGroupOnError: true`: a failing record fails itself and the later records of its message
 * group in the batch, while other groups are still processed. The failed and skipped records are
 * returned as `batchItemFailures` (the event source mapping has ReportBatchItemFailures on), so
 * SQS delivers only them again. When every record of the batch fails, Powertools throws
 * `FullBatchFailureError` instead, so the invocation counts as an error in Lambda's metrics.
 *
 * Like a Lambda execution environment, a handler runs one invocation at a time: the processor,
 * Logger context, Metrics buffer and order book are per handler. To run several instances in one
 * process (the local runtime), load the module once per instance instead of calling one handler
 * concurrently.
 *
 * @throws {InvalidEnvError} on the first invocation when FAILURE_RATE or WORK_MS is invalid.
 * @throws {FullBatchFailureError} when every record of the batch failed.
 */
export function createConsumerHandler(options: ConsumerOptions = {}): ConsumerHandler {
  let runtime: ConsumerRuntime | undefined;

  return async (event, context) => {
    runtime ??= createRuntime(options, context);
    const { logger, metrics, processor } = runtime;
    logger.addContext(context);
    const recordHandler = createRecordHandler(runtime);
    try {
      return await processPartialResponse(event, recordHandler, processor, { context, skipGroupOnError: true });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

function createRuntime(options: ConsumerOptions, context: Context): ConsumerRuntime {
  // Lambda always sets AWS_LAMBDA_FUNCTION_NAME; outside Lambda the context's name stands in.
  const config: ConsumerConfig = { ...readConsumerConfig(options.env, context.functionName), ...options.config };
  const logger = createLogger(SERVICE_NAMES.consumer);
  const metrics = createMetrics({ namespace: config.metricsNamespace, serviceName: SERVICE_NAMES.consumer, functionName: config.functionName });
  const deps: ProcessRecordDeps = {
    failureRate: config.failureRate,
    poisonMarker: config.poisonMarker,
    workMs: config.workMs,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms) => sleep(ms)),
    orders: options.orders ?? new OrderBook(),
  };
  return { config, deps, logger, metrics, processor: new SqsFifoPartialProcessorAsync() };
}

function createRecordHandler(runtime: ConsumerRuntime): (record: SQSRecord) => Promise<void> {
  const { config, deps, logger, metrics } = runtime;
  return async (record) => {
    try {
      const { event, status } = await processRecord(record, deps);
      const keys = recordLogKeys(config.functionName, record, event.seq, event.runId);
      if (status === 'duplicate') {
        logger.warn(RECORD_LOG_MESSAGES.duplicate, { ...keys });
        metrics.addMetric(METRIC_NAMES.duplicate, MetricUnit.Count, 1);
      } else {
        logger.info(RECORD_LOG_MESSAGES.processed, { ...keys });
        metrics.addMetric(METRIC_NAMES.processed, MetricUnit.Count, 1);
      }
    } catch (error) {
      const parsed = tryParse(record.body);
      const keys = recordLogKeys(config.functionName, record, parsed?.seq ?? null, parsed?.runId ?? null);
      logger.error(RECORD_LOG_MESSAGES.failed, { ...keys, error });
      metrics.addMetric(METRIC_NAMES.failed, MetricUnit.Count, 1);
      throw error;
    }
  };
}

function recordLogKeys(functionName: string, record: SQSRecord, sequence: number | null, runId: string | null): RecordLogKeys {
  return {
    function: functionName,
    group: record.attributes.MessageGroupId ?? null,
    sequence,
    messageId: record.messageId,
    receiveCount: Number(record.attributes.ApproximateReceiveCount),
    runId,
  };
}

function tryParse(body: string): { seq: number; runId: string } | undefined {
  try {
    return parseOrderEvent(body);
  } catch {
    return undefined;
  }
}

/** The handler Lambda runs for consumer-1 and consumer-2 (configured by their environment). */
export const handler: ConsumerHandler = createConsumerHandler();
