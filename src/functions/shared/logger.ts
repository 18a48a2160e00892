/** @module functions/shared/logger — Powertools Logger/Metrics construction and the exact log lines `mqs verify` reads. */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Powertools `service` of each function; the dashboard's custom-metric widgets use the same names. */
export const SERVICE_NAMES = { producer: 'mqs-producer', consumer: 'mqs-consumer' } as const;

/** Custom metric names the consumers emit (EMF, unit Count, dimensions `service` + `function_name`). */
export const METRIC_NAMES = {
  processed: 'ProcessedMessages',
  failed: 'FailedMessages',
  duplicate: 'DuplicateMessages',
} as const;

/**
 * The `message` of the consumer's per-record log lines.
 *
 * Every record a consumer handles yields exactly one of these Powertools JSON lines on stdout
 * (so in CloudWatch Logs, one event each):
 *
 * ```json
 * {"level":"INFO","message":"processed","timestamp":"…","service":"mqs-consumer",…,
 *  "function":"mqs-consumer-1","group":"order-7","sequence":3,"messageId":"…","receiveCount":1,"runId":"…"}
 * ```
 *
 * - `processed` (INFO): the record's event was applied. `mqs verify` reads only these lines: for each
 *   `runId` and `group`, the `sequence` values must be 1, 2, 3, … in log order, each exactly once.
 * - `duplicate` (WARN): same keys; this execution environment had already applied that sequence of
 *   that order (a redelivery), so it was acknowledged without being applied again.
 * - `failed` (ERROR): same keys plus `error` (Powertools' formatted error: name, location, message,
 *   stack). When the body could not be parsed, `sequence` and `runId` are absent (Powertools drops
 *   null values).
 *
 * Powertools writes INFO lines to stdout and WARN/ERROR lines to stderr; Lambda sends both to the
 * function's log group.
 *
 * Records that the FIFO processor skips because an earlier record of the same group failed in the
 * same batch reach no handler code, so they log nothing; they are returned in `batchItemFailures`.
 */
export const RECORD_LOG_MESSAGES = {
  processed: 'processed',
  duplicate: 'duplicate',
  failed: 'failed',
} as const;

/** The keys of a per-record line, in this order. `sequence`/`runId` are null (so absent from the line) only on `failed` lines of unparsable bodies. */
export interface RecordLogKeys {
  readonly function: string;
  readonly group: string | null;
  readonly sequence: number | null;
  readonly messageId: string;
  readonly receiveCount: number;
  readonly runId: string | null;
}

/** A Powertools Logger emitting JSON lines with the given service name (level from POWERTOOLS_LOG_LEVEL / Lambda's log level). */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/** A Powertools Metrics instance (EMF on stdout, flushed by the handler after each invocation). */
export function createMetrics(options: { namespace: string; serviceName: string; functionName: string }): Metrics {
  return new Metrics({
    namespace: options.namespace,
    serviceName: options.serviceName,
    defaultDimensions: { function_name: options.functionName },
  });
}
