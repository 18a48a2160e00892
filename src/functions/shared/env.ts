/** @module functions/shared/env — the only place the functions read environment variables; names, defaults and typed readers. */

import { InvalidEnvError, MissingEnvError } from './errors.ts';

/**
 * Every environment variable the functions read. The names are a contract: the CDK stack
 * (`infra/lib/queue-stack.ts`) sets them and the local Lambda runtime passes them through from the
 * synthesized template, so rename nothing here without changing both.
 *
 * | variable | read by | meaning | default |
 * |---|---|---|---|
 * | `QUEUE_URL` | producer | URL of the FIFO queue to send to (required) | — |
 * | `SEND_CONCURRENCY` | producer | SendMessageBatch requests in flight at once (1–16) | 4 |
 * | `SEND_MAX_ATTEMPTS` | producer | attempts per entry before it counts as failed (1–20) | 5 |
 * | `FAILURE_RATE` | consumers | probability (0–1) that a record fails with a transient injected error | 0 |
 * | `WORK_MS` | consumers | simulated work per message, in milliseconds (0–60000) | 0 |
 * | `POISON_MARKER` | consumers | a body containing this text always fails (empty disables it) | "" |
 * | `MQS_ROLE` | both | `producer`, `consumer-1` or `consumer-2`: tells the local runtime which function is which | "" |
 * | `POWERTOOLS_METRICS_NAMESPACE` | consumers | CloudWatch namespace of the EMF metrics | `mqs` |
 * | `AWS_LAMBDA_FUNCTION_NAME` | both | set by Lambda; the `function` key of the log lines | `local` |
 *
 * The SQS client also honours `AWS_ENDPOINT_URL_SQS` (read by the AWS SDK itself), which is how the
 * producer reaches the embedded server instead of Amazon SQS.
 */
export const ENV = {
  QUEUE_URL: 'QUEUE_URL',
  SEND_CONCURRENCY: 'SEND_CONCURRENCY',
  SEND_MAX_ATTEMPTS: 'SEND_MAX_ATTEMPTS',
  FAILURE_RATE: 'FAILURE_RATE',
  WORK_MS: 'WORK_MS',
  POISON_MARKER: 'POISON_MARKER',
  MQS_ROLE: 'MQS_ROLE',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  FUNCTION_NAME: 'AWS_LAMBDA_FUNCTION_NAME',
} as const;

/** All defaults in one object (config precedence: explicit option, then env, then these). */
export const DEFAULTS = {
  sendConcurrency: 4,
  sendMaxAttempts: 5,
  failureRate: 0,
  workMs: 0,
  poisonMarker: '',
  role: '',
  metricsNamespace: 'mqs',
  functionName: 'local',
} as const;

/** The environment shape the readers accept; `process.env` by default, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What the producer needs from its environment. */
export interface ProducerConfig {
  readonly queueUrl: string;
  readonly sendConcurrency: number;
  readonly sendMaxAttempts: number;
  readonly functionName: string;
}

/** What a consumer needs from its environment. */
export interface ConsumerConfig {
  readonly functionName: string;
  readonly role: string;
  readonly failureRate: number;
  readonly workMs: number;
  readonly poisonMarker: string;
  readonly metricsNamespace: string;
}

/**
 * Reads the producer's configuration.
 * @throws {MissingEnvError} when `QUEUE_URL` is absent or empty.
 * @throws {InvalidEnvError} when `SEND_CONCURRENCY` or `SEND_MAX_ATTEMPTS` is not an integer in range.
 */
export function readProducerConfig(env: Env = process.env, fallbackFunctionName: string = DEFAULTS.functionName): ProducerConfig {
  return {
    queueUrl: readRequiredString(env, ENV.QUEUE_URL),
    sendConcurrency: readNumber(env, ENV.SEND_CONCURRENCY, { min: 1, max: 16, integer: true, fallback: DEFAULTS.sendConcurrency }),
    sendMaxAttempts: readNumber(env, ENV.SEND_MAX_ATTEMPTS, { min: 1, max: 20, integer: true, fallback: DEFAULTS.sendMaxAttempts }),
    functionName: readOptionalString(env, ENV.FUNCTION_NAME, fallbackFunctionName),
  };
}

/**
 * Reads a consumer's configuration. `fallbackFunctionName` (the invocation context's name) is used
 * when `AWS_LAMBDA_FUNCTION_NAME` is not set, i.e. outside Lambda.
 * @throws {InvalidEnvError} when `FAILURE_RATE` is not a number in 0..1 or `WORK_MS` is not an integer in 0..60000.
 */
export function readConsumerConfig(env: Env = process.env, fallbackFunctionName: string = DEFAULTS.functionName): ConsumerConfig {
  return {
    functionName: readOptionalString(env, ENV.FUNCTION_NAME, fallbackFunctionName),
    role: readOptionalString(env, ENV.MQS_ROLE, DEFAULTS.role),
    failureRate: readNumber(env, ENV.FAILURE_RATE, { min: 0, max: 1, integer: false, fallback: DEFAULTS.failureRate }),
    workMs: readNumber(env, ENV.WORK_MS, { min: 0, max: 60_000, integer: true, fallback: DEFAULTS.workMs }),
    poisonMarker: readOptionalString(env, ENV.POISON_MARKER, DEFAULTS.poisonMarker),
    metricsNamespace: readOptionalString(env, ENV.METRICS_NAMESPACE, DEFAULTS.metricsNamespace),
  };
}

function readRequiredString(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') throw new MissingEnvError(name);
  return value;
}

function readOptionalString(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly fallback: number;
}

function readNumber(env: Env, name: string, rule: NumberRule): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return rule.fallback;
  const value = Number(raw);
  const isValid = Number.isFinite(value) && value >= rule.min && value <= rule.max && (!rule.integer || Number.isInteger(value));
  if (!isValid) {
    throw new InvalidEnvError(name, raw, `${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}`);
  }
  return value;
}
