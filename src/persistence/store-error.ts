/** @module persistence/store-error: the one error a store throws when an event batch contradicts what it holds. */

/** Why a batch was refused. */
export const STORE_ERROR_KINDS = {
  /** `messageSent` or `messageMoved` names a key that is already taken. */
  DUPLICATE_KEY: 'DuplicateKey',
  /** `messageMoved` names an `oldKey` the store does not hold. */
  MISSING_KEY: 'MissingKey',
} as const;
export type StoreErrorKind = (typeof STORE_ERROR_KINDS)[keyof typeof STORE_ERROR_KINDS];

/**
 * Thrown by `QueueStore.apply` when an event cannot be applied to what the store holds. Either way nothing
 * of the batch was applied (both stores are atomic per call). Seeing one means the engine and the store
 * disagree, i.e. a bug, so the server should answer 500 rather than retry.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
