/** @module engine/limits: every SQS limit and default in one place (the AWS quotas the engine enforces). */

export const MAX_QUEUE_NAME_LENGTH = 80;
export const MAX_BATCH_ENTRIES = 10;
/** SendMessageBatch total size; fixed at 1 MiB whatever the queue's MaximumMessageSize. */
export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_BATCH_ENTRY_ID_LENGTH = 80;
export const MAX_RECEIVE_MESSAGES = 10;
export const MAX_WAIT_SECONDS = 20;
export const MAX_VISIBILITY_SECONDS = 43_200;
export const MAX_DELAY_SECONDS = 900;
export const MIN_MESSAGE_SIZE_LIMIT = 1024;
export const MAX_MESSAGE_SIZE_LIMIT = 1_048_576;
export const MIN_RETENTION_SECONDS = 60;
export const MAX_RETENTION_SECONDS = 1_209_600;
export const MIN_KMS_REUSE_SECONDS = 60;
export const MAX_KMS_REUSE_SECONDS = 86_400;
export const MAX_RECEIVE_COUNT = 1000;
export const MAX_MESSAGE_ATTRIBUTES = 10;
export const MAX_ATTRIBUTE_NAME_LENGTH = 256;
export const MAX_DATA_TYPE_LENGTH = 256;
export const MAX_GROUP_ID_LENGTH = 128;
export const MAX_DEDUP_ID_LENGTH = 128;
export const MAX_ATTEMPT_ID_LENGTH = 128;
export const MAX_LIST_RESULTS = 1000;
export const MAX_MOVE_TASK_RESULTS = 10;
export const MAX_MOVE_TASK_RATE = 500;
export const MAX_REDRIVE_ALLOW_SOURCES = 10;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
export const MAX_TAGS = 50;
export const MAX_LABEL_LENGTH = 80;
export const MAX_PERMISSION_ACTIONS = 7;
export const DEDUP_WINDOW_MS = 5 * 60_000;
export const ATTEMPT_ID_WINDOW_MS = 5 * 60_000;
export const PURGE_INTERVAL_MS = 60_000;
export const QUEUE_DELETED_RECENTLY_MS = 60_000;
/** How often a running move task moves its next slice when no rate is given. */
export const MOVE_TASK_TICK_MS = 100;
/** Messages moved per second by a move task without MaxNumberOfMessagesPerSecond ("system optimized"). */
export const MOVE_TASK_DEFAULT_RATE = 10_000;

/** Defaults of a fresh queue, as real GetQueueAttributes(All) shows them. */
export const QUEUE_DEFAULTS = {
  delaySeconds: 0,
  maximumMessageSize: 1_048_576,
  messageRetentionPeriod: 345_600,
  receiveMessageWaitTimeSeconds: 0,
  visibilityTimeout: 30,
  kmsDataKeyReusePeriodSeconds: 300,
  sqsManagedSseEnabled: true,
  contentBasedDeduplication: false,
  deduplicationScope: 'queue',
  fifoThroughputLimit: 'perQueue',
} as const;
