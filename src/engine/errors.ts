/** @module engine/errors: the engine's one error type, free of HTTP. */

/**
 * Every failure the engine reports. The names are the SQS error shape names; `protocol/engine-error-map.ts`
 * turns each into its wire code and HTTP status with an exhaustive switch.
 */
export const ENGINE_ERROR_KINDS = [
  'QueueDoesNotExist',
  'QueueNameExists',
  'QueueDeletedRecently',
  'PurgeQueueInProgress',
  'TooManyEntriesInBatchRequest',
  'EmptyBatchRequest',
  'BatchEntryIdsNotDistinct',
  'InvalidBatchEntryId',
  'BatchRequestTooLong',
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'InvalidMessageContents',
  'InvalidParameterValue',
  'MissingParameter',
  'ResourceNotFound',
  'UnsupportedOperation',
  'OverLimit',
] as const;

export type EngineErrorKind = (typeof ENGINE_ERROR_KINDS)[number];

/** Thrown by engine operations; `message` is the text AWS sends for this case. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Named constructors for the errors raised from more than one place, with AWS's texts. */
export const Errors = {
  queueDoesNotExist: () => new EngineError('QueueDoesNotExist', 'The specified queue does not exist.'),
  missingParameter: (name: string) =>
    new EngineError('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidParameter: (name: string, value: unknown, reason: string) =>
    new EngineError('InvalidParameterValue', `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`),
  invalidAttributeName: (name: string) => new EngineError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  receiptHandleInvalid: (handle: string) =>
    new EngineError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`),
} as const;
