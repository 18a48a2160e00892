/** @module protocol/engine-error-map.test: every engine error kind has the wire code, legacy code and status of spec §A.3. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINE_ERROR_KINDS, EngineError, type EngineErrorKind } from '../engine/index.ts';
import { sqsErrorFromEngine, wireErrorOf } from './engine-error-map.ts';
import { CORAL_NAMESPACE, SQS_NAMESPACE } from './sqs-error.ts';

/** Spec §A.3, row by row: [JSON shape name, legacy code, HTTP status, namespace]. */
const EXPECTED: Record<EngineErrorKind, readonly [string, string, number, string]> = {
  QueueDoesNotExist: ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 400, SQS_NAMESPACE],
  QueueNameExists: ['QueueNameExists', 'QueueAlreadyExists', 400, SQS_NAMESPACE],
  QueueDeletedRecently: ['QueueDeletedRecently', 'AWS.SimpleQueueService.QueueDeletedRecently', 400, SQS_NAMESPACE],
  PurgeQueueInProgress: ['PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403, SQS_NAMESPACE],
  TooManyEntriesInBatchRequest: [
    'TooManyEntriesInBatchRequest',
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    400,
    SQS_NAMESPACE,
  ],
  EmptyBatchRequest: ['EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 400, SQS_NAMESPACE],
  BatchEntryIdsNotDistinct: ['BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400, SQS_NAMESPACE],
  InvalidBatchEntryId: ['InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', 400, SQS_NAMESPACE],
  BatchRequestTooLong: ['BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', 400, SQS_NAMESPACE],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, SQS_NAMESPACE],
  MessageNotInflight: ['MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 400, SQS_NAMESPACE],
  InvalidAttributeName: ['InvalidAttributeName', 'InvalidAttributeName', 400, SQS_NAMESPACE],
  InvalidAttributeValue: ['InvalidAttributeValue', 'InvalidAttributeValue', 400, SQS_NAMESPACE],
  InvalidMessageContents: ['InvalidMessageContents', 'InvalidMessageContents', 400, SQS_NAMESPACE],
  InvalidParameterValue: ['InvalidParameterValueException', 'InvalidParameterValue', 400, CORAL_NAMESPACE],
  MissingParameter: ['MissingRequiredParameterException', 'MissingParameter', 400, CORAL_NAMESPACE],
  ResourceNotFound: ['ResourceNotFoundException', 'ResourceNotFoundException', 404, SQS_NAMESPACE],
  UnsupportedOperation: ['UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', 400, SQS_NAMESPACE],
  OverLimit: ['OverLimit', 'OverLimit', 403, SQS_NAMESPACE],
};

describe('engine error map', () => {
  for (const kind of ENGINE_ERROR_KINDS) {
    it(`maps ${kind} to its spec code, legacy code, status and fault`, () => {
      const [code, queryCode, httpStatus, namespace] = EXPECTED[kind];
      const error = sqsErrorFromEngine(new EngineError(kind, `text for ${kind}`));
      assert.equal(error.code, code);
      assert.equal(error.queryCode, queryCode);
      assert.equal(error.httpStatus, httpStatus);
      assert.equal(error.senderFault, true);
      assert.deepEqual(error.toJsonBody(), { __type: `${namespace}#${code}`, message: `text for ${kind}` });
      assert.equal(error.queryErrorHeader(), `${queryCode};Sender`);
    });
  }

  it('keeps the engine error as the cause', () => {
    const engineError = new EngineError('OverLimit', 'too many');
    assert.equal(sqsErrorFromEngine(engineError).cause, engineError);
  });

  it('covers exactly the kinds the engine declares', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), [...ENGINE_ERROR_KINDS].sort());
    for (const kind of ENGINE_ERROR_KINDS) assert.equal(typeof wireErrorOf(kind).code, 'string');
  });
});
