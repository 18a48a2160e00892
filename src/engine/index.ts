/** @module engine: the only import point of the SQS domain. */
export { Engine, type EngineOptions } from './engine.ts';
export { ManualClock, SystemClock, type Clock, type Timer } from './clock.ts';
export { EngineError, Errors, ENGINE_ERROR_KINDS, type EngineErrorKind } from './errors.ts';
export { md5OfBody, md5OfMessageAttributes } from './md5.ts';
export * from './limits.ts';
export type * from './types.ts';
