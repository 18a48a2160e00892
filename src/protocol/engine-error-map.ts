/** @module protocol/engine-error-map: turns an EngineError into the SqsError the wire reports (spec §A.3). */
import type { EngineError, EngineErrorKind } from '../engine/index.ts';
import { CORAL_NAMESPACE, SqsError, type SqsErrorInit } from './sqs-error.ts';

const sqs = (code: string, queryCode: string, httpStatus: number): SqsErrorInit => ({ code, queryCode, httpStatus });
const LEGACY = 'AWS.SimpleQueueService.';

/**
 * The wire identity of an engine error kind. An exhaustive switch: adding a kind to the engine without
 * mapping it here fails the type check at the `never` line.
 */
export function wireErrorOf(kind: EngineErrorKind): SqsErrorInit {
  switch (kind) {
    case 'QueueDoesNotExist':
      return sqs('QueueDoesNotExist', `${LEGACY}NonExistentQueue`, 400);
    case 'QueueNameExists':
      return sqs('QueueNameExists', 'QueueAlreadyExists', 400);
    case 'QueueDeletedRecently':
      return sqs('QueueDeletedRecently', `${LEGACY}QueueDeletedRecently`, 400);
    case 'PurgeQueueInProgress':
      return sqs('PurgeQueueInProgress', `${LEGACY}PurgeQueueInProgress`, 403);
    case 'TooManyEntriesInBatchRequest':
      return sqs('TooManyEntriesInBatchRequest', `${LEGACY}TooManyEntriesInBatchRequest`, 400);
    case 'EmptyBatchRequest':
      return sqs('EmptyBatchRequest', `${LEGACY}EmptyBatchRequest`, 400);
    case 'BatchEntryIdsNotDistinct':
      return sqs('BatchEntryIdsNotDistinct', `${LEGACY}BatchEntryIdsNotDistinct`, 400);
    case 'InvalidBatchEntryId':
      return sqs('InvalidBatchEntryId', `${LEGACY}InvalidBatchEntryId`, 400);
    case 'BatchRequestTooLong':
      return sqs('BatchRequestTooLong', `${LEGACY}BatchRequestTooLong`, 400);
    case 'ReceiptHandleIsInvalid':
      // 404 is the model's status; no recording confirms it (spec §G.4).
      return sqs('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404);
    case 'MessageNotInflight':
      return sqs('MessageNotInflight', `${LEGACY}MessageNotInflight`, 400);
    case 'InvalidAttributeName':
      return sqs('InvalidAttributeName', 'InvalidAttributeName', 400);
    case 'InvalidAttributeValue':
      return sqs('InvalidAttributeValue', 'InvalidAttributeValue', 400);
    case 'InvalidMessageContents':
      return sqs('InvalidMessageContents', 'InvalidMessageContents', 400);
    case 'InvalidParameterValue':
      // Not in the SQS model: AWS answers with the Coral name (spec §A.1 rule 2).
      return { ...sqs('InvalidParameterValueException', 'InvalidParameterValue', 400), namespace: CORAL_NAMESPACE };
    case 'MissingParameter':
      return { ...sqs('MissingRequiredParameterException', 'MissingParameter', 400), namespace: CORAL_NAMESPACE };
    case 'ResourceNotFound':
      return sqs('ResourceNotFoundException', 'ResourceNotFoundException', 404);
    case 'UnsupportedOperation':
      return sqs('UnsupportedOperation', `${LEGACY}UnsupportedOperation`, 400);
    case 'OverLimit':
      return sqs('OverLimit', 'OverLimit', 403);
    default: {
      const unmapped: never = kind;
      throw new Error(`Unmapped engine error kind ${String(unmapped)}`);
    }
  }
}

/** The SqsError for an EngineError, keeping the engine's AWS text as the message and the engine error as `cause`. */
export function sqsErrorFromEngine(error: EngineError): SqsError {
  return new SqsError(wireErrorOf(error.kind), error.message, { cause: error });
}
