/** @module functions/shared/errors — one error class per failure mode of the producer and the consumers. */

/**
 * Base class of every error the functions throw on purpose. Catch this to tell
 * "we decided to fail" apart from a bug (TypeError and friends).
 */
export abstract class FunctionError extends Error {
  abstract override readonly name: string;
}

/**
 * Thrown by the config readers when a required environment variable is absent or empty
 * (for example `QUEUE_URL` on the producer). A deployment mistake: fix the function's environment.
 */
export class MissingEnvError extends FunctionError {
  override readonly name = 'MissingEnvError' as const;
  readonly variable: string;
  constructor(variable: string) {
    super(`Environment variable ${variable} is required but is not set`);
    this.variable = variable;
  }
}

/**
 * Thrown by the config readers when an environment variable is set to a value they cannot use
 * (not a number, out of range). The message names the variable, the value and the accepted range.
 */
export class InvalidEnvError extends FunctionError {
  override readonly name = 'InvalidEnvError' as const;
  readonly variable: string;
  constructor(variable: string, value: string, expected: string) {
    super(`Environment variable ${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.variable = variable;
  }
}

/**
 * Thrown by the producer before it sends anything when its invocation payload is not a valid
 * `{ count, groups, runId?, poisonEvery? }` object. `issues` lists every problem found, one per field.
 */
export class InvalidProducerPayloadError extends FunctionError {
  override readonly name = 'InvalidProducerPayloadError' as const;
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Invalid producer payload: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/**
 * Thrown by the producer when SQS rejects a whole SendMessageBatch request for a reason that
 * retrying cannot fix (a sender fault such as a missing queue, access denied, or a malformed
 * request). The invocation fails: sending the rest would only fail the same way.
 */
export class SendBatchRejectedError extends FunctionError {
  override readonly name = 'SendBatchRejectedError' as const;
  constructor(message: string, options?: ErrorOptions) {
    super(`SendMessageBatch was rejected: ${message}`, options);
  }
}

/**
 * Thrown for a record whose body is not a valid order event (not JSON, or a missing/ill-typed
 * field). Retrying cannot fix it, so after maxReceiveCount receives it lands in the DLQ.
 */
export class InvalidOrderEventError extends FunctionError {
  override readonly name = 'InvalidOrderEventError' as const;
  constructor(reason: string) {
    super(`Invalid order event: ${reason}`);
  }
}

/**
 * Thrown for a record marked as poison (`"poison": true`, or a body containing `POISON_MARKER`).
 * It always fails, so it demonstrates retries and the redrive to the DLQ.
 */
export class PoisonMessageError extends FunctionError {
  override readonly name = 'PoisonMessageError' as const;
  constructor(messageId: string) {
    super(`Message ${messageId} is marked as poison and always fails`);
  }
}

/**
 * Thrown for a record chosen by the `FAILURE_RATE` failure injection. It is transient: the same
 * message usually succeeds when SQS delivers it again after the visibility timeout.
 */
export class InjectedFailureError extends FunctionError {
  override readonly name = 'InjectedFailureError' as const;
  constructor(messageId: string, failureRate: number) {
    super(`Injected failure for message ${messageId} (FAILURE_RATE=${failureRate})`);
  }
}
