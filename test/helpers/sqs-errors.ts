/** @module test/helpers/sqs-errors: what each SQS error looks like through the real SDK, and one assertion for it. */
import assert from 'node:assert/strict';

/** How the SDK surfaces one error: `name` (shape name, or the legacy code for unmodelled errors), legacy code, HTTP status. */
export interface SqsErrorShape {
  name: string;
  code: string;
  status: number;
}

/**
 * Spec §A.3. With `x-amzn-query-error` present the SDK sets `err.Code`/`err.Type` from the header; for modelled
 * errors `err.name` is the shape name, for unmodelled ones (InvalidParameterValue, MissingParameter) the SDK
 * finds no shape and names the error after the legacy code.
 */
export const SQS_ERRORS = {
  QueueDoesNotExist: { name: 'QueueDoesNotExist', code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { name: 'QueueNameExists', code: 'QueueAlreadyExists', status: 400 },
  QueueDeletedRecently: { name: 'QueueDeletedRecently', code: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400 },
  PurgeQueueInProgress: { name: 'PurgeQueueInProgress', code: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403 },
  TooManyEntriesInBatchRequest: {
    name: 'TooManyEntriesInBatchRequest',
    code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    status: 400,
  },
  EmptyBatchRequest: { name: 'EmptyBatchRequest', code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  BatchEntryIdsNotDistinct: {
    name: 'BatchEntryIdsNotDistinct',
    code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    status: 400,
  },
  InvalidBatchEntryId: { name: 'InvalidBatchEntryId', code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 },
  BatchRequestTooLong: { name: 'BatchRequestTooLong', code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 },
  ReceiptHandleIsInvalid: { name: 'ReceiptHandleIsInvalid', code: 'ReceiptHandleIsInvalid', status: 404 },
  InvalidAttributeName: { name: 'InvalidAttributeName', code: 'InvalidAttributeName', status: 400 },
  InvalidAttributeValue: { name: 'InvalidAttributeValue', code: 'InvalidAttributeValue', status: 400 },
  InvalidMessageContents: { name: 'InvalidMessageContents', code: 'InvalidMessageContents', status: 400 },
  OverLimit: { name: 'OverLimit', code: 'OverLimit', status: 403 },
  ResourceNotFoundException: { name: 'ResourceNotFoundException', code: 'ResourceNotFoundException', status: 404 },
  InvalidParameterValue: { name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400 },
  MissingParameter: { name: 'MissingParameter', code: 'MissingParameter', status: 400 },
} as const satisfies Record<string, SqsErrorShape>;

export type SqsErrorKey = keyof typeof SQS_ERRORS;

/** The fields of an SDK service exception that these tests read. */
interface SdkServiceError {
  name: string;
  message: string;
  Code?: string;
  Type?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

function isSdkServiceError(value: unknown): value is SdkServiceError {
  return value instanceof Error && '$metadata' in value;
}

/**
 * Awaits `action`, asserts it rejects with the SQS error `key` (name, legacy code, `Sender` type, HTTP status,
 * a request id) and, when given, the exact message or a pattern for it. Returns the error for further checks.
 * Throws an AssertionError when the call succeeds or fails differently.
 */
export async function expectSqsError(
  action: Promise<unknown>,
  key: SqsErrorKey,
  message?: string | RegExp,
): Promise<SdkServiceError> {
  const expected = SQS_ERRORS[key];
  let caught: unknown;
  try {
    const result = await action;
    assert.fail(`expected ${expected.name} but the call succeeded: ${JSON.stringify(result)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    caught = err;
  }
  if (!isSdkServiceError(caught)) {
    assert.fail(`expected ${expected.name} but got a non-service error: ${String(caught)}`);
  }
  const err = caught;
  const actual = {
    name: err.name,
    code: err.Code,
    type: err.Type,
    status: err.$metadata?.httpStatusCode,
  };
  assert.deepEqual(
    actual,
    { name: expected.name, code: expected.code, type: 'Sender', status: expected.status },
    `error shape (message was: ${err.message})`,
  );
  assert.ok(err.$metadata?.requestId, 'the error response carries a request id');
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
  return err;
}

/** Escapes a literal for use in a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Like `expectSqsError`, for the few cases where the spec names no single code (§G.6): asserts the call
 * fails with one of `keys`, with that error's full shape.
 */
export async function expectOneOfSqsErrors(
  action: Promise<unknown>,
  keys: readonly SqsErrorKey[],
): Promise<SdkServiceError> {
  let caught: unknown;
  try {
    const result = await action;
    assert.fail(`expected one of ${keys.join(', ')} but the call succeeded: ${JSON.stringify(result)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    caught = err;
  }
  const name = isSdkServiceError(caught) ? caught.name : String(caught);
  const key = keys.find((k) => SQS_ERRORS[k].name === name);
  if (!key) assert.fail(`expected one of ${keys.join(', ')} but got ${name}: ${String(caught)}`);
  return expectSqsError(Promise.reject(caught), key);
}
