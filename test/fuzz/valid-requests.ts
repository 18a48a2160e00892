/**
 * @module test/fuzz/valid-requests: one valid AWS JSON 1.0 request per operation and queue type (the 23 of spec
 * §B), with the JSON type of every member, for the fuzz tests to mutate. The requests themselves are never sent by
 * the invalid-request suite (most would change state); they are the starting points of mutations.
 */
import type { Fixture, QueueSet } from './fixture.ts';

/** The JSON shapes of request members (spec §A.1: strings, int32 numbers, lists, maps, structures). */
export const MEMBER_KINDS = {
  string: 'string',
  integer: 'integer',
  stringList: 'stringList',
  stringMap: 'stringMap',
  /** MessageAttributes / MessageSystemAttributes: name → { DataType, StringValue | BinaryValue }. */
  attributeMap: 'attributeMap',
  /** A batch's Entries list. */
  entries: 'entries',
} as const;
export type MemberKind = (typeof MEMBER_KINDS)[keyof typeof MEMBER_KINDS];

/** Members of one batch entry. */
export interface EntrySchema {
  members: Readonly<Record<string, MemberKind>>;
  required: readonly string[];
  /** The entry shape name SQS uses in messages, e.g. `SendMessageBatchRequestEntry`. */
  shape: string;
}

/** One operation, aimed at one queue, with a valid request to mutate. */
export interface ActionSpec {
  action: string;
  /** `std`, `fifo`, `dlq` or `-` (not queue-addressed): which queue the request aims at. */
  variant: string;
  /** A valid request body. */
  base: Readonly<Record<string, unknown>>;
  members: Readonly<Record<string, MemberKind>>;
  required: readonly string[];
  entry?: EntrySchema;
  /** Whether a 200 answer changes state (everything but the read-only operations). */
  isStateChanging: boolean;
  /** Whether the addressed queue is FIFO. */
  isFifo: boolean;
}

const S = MEMBER_KINDS.string;
const I = MEMBER_KINDS.integer;
const SL = MEMBER_KINDS.stringList;
const SM = MEMBER_KINDS.stringMap;
const AM = MEMBER_KINDS.attributeMap;
const E = MEMBER_KINDS.entries;

const SEND_MEMBERS = {
  DelaySeconds: I,
  MessageAttributes: AM,
  MessageSystemAttributes: AM,
  MessageDeduplicationId: S,
  MessageGroupId: S,
} as const;

export const SEND_ENTRY: EntrySchema = {
  members: { Id: S, MessageBody: S, ...SEND_MEMBERS },
  required: ['Id', 'MessageBody'],
  shape: 'SendMessageBatchRequestEntry',
};
export const DELETE_ENTRY: EntrySchema = {
  members: { Id: S, ReceiptHandle: S },
  required: ['Id', 'ReceiptHandle'],
  shape: 'DeleteMessageBatchRequestEntry',
};
export const VISIBILITY_ENTRY: EntrySchema = {
  members: { Id: S, ReceiptHandle: S, VisibilityTimeout: I },
  // VisibilityTimeout is optional in the model; dropping it is not a guaranteed error, so it is not listed here.
  required: ['Id', 'ReceiptHandle'],
  shape: 'ChangeMessageVisibilityBatchRequestEntry',
};

const ATTRIBUTES = {
  color: { DataType: 'String', StringValue: 'red' },
  count: { DataType: 'Number', StringValue: '7' },
  blob: { DataType: 'Binary', BinaryValue: 'AQID' },
} as const;
const TRACE = { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' } } as const;

/** The names of the 23 operations (spec §B). */
export const OPERATION_NAMES = [
  'AddPermission',
  'CancelMessageMoveTask',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks',
  'ListQueueTags',
  'ListQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'RemovePermission',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'StartMessageMoveTask',
  'TagQueue',
  'UntagQueue',
] as const;

/**
 * Valid requests for every operation aimed at the queues of `set` (`newName` is a queue name that does not exist
 * yet, for CreateQueue). `dedupIds` are the FIFO dedup ids the sends use.
 */
export function validRequests(set: QueueSet, newName: string, dedupIds: readonly string[], fixture: Fixture): ActionSpec[] {
  const { std, fifo, dlq } = set;
  const specs: ActionSpec[] = [];
  const add = (spec: Omit<ActionSpec, 'isFifo'> & { isFifo?: boolean }) => specs.push({ isFifo: false, ...spec });
  const [d1 = 'd1', d2 = 'd2', d3 = 'd3'] = dedupIds;

  add({
    action: 'CreateQueue',
    variant: 'std',
    base: { QueueName: newName, Attributes: { VisibilityTimeout: '40', DelaySeconds: '2' }, tags: { owner: 'fuzz' } },
    members: { QueueName: S, Attributes: SM, tags: SM },
    required: ['QueueName'],
    isStateChanging: true,
  });
  add({
    action: 'CreateQueue',
    variant: 'fifo',
    base: { QueueName: `${newName}.fifo`, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } },
    members: { QueueName: S, Attributes: SM, tags: SM },
    required: ['QueueName'],
    isStateChanging: true,
    isFifo: true,
  });
  add({
    action: 'GetQueueUrl',
    variant: 'std',
    base: { QueueName: std.name, QueueOwnerAWSAccountId: fixture.accountId },
    members: { QueueName: S, QueueOwnerAWSAccountId: S },
    required: ['QueueName'],
    isStateChanging: false,
  });
  for (const [variant, q] of [
    ['std', std],
    ['fifo', fifo],
  ] as const) {
    const isFifo = variant === 'fifo';
    add({ action: 'DeleteQueue', variant, base: { QueueUrl: q.url }, members: { QueueUrl: S }, required: ['QueueUrl'], isStateChanging: true, isFifo });
    add({ action: 'PurgeQueue', variant, base: { QueueUrl: q.url }, members: { QueueUrl: S }, required: ['QueueUrl'], isStateChanging: true, isFifo });
    add({ action: 'ListQueueTags', variant, base: { QueueUrl: q.url }, members: { QueueUrl: S }, required: ['QueueUrl'], isStateChanging: false, isFifo });
    add({
      action: 'GetQueueAttributes',
      variant,
      base: { QueueUrl: q.url, AttributeNames: ['All'] },
      members: { QueueUrl: S, AttributeNames: SL },
      required: ['QueueUrl'],
      isStateChanging: false,
      isFifo,
    });
    add({
      action: 'TagQueue',
      variant,
      base: { QueueUrl: q.url, Tags: { added: 'by fuzz', team: 'changed' } },
      members: { QueueUrl: S, Tags: SM },
      required: ['QueueUrl', 'Tags'],
      isStateChanging: true,
      isFifo,
    });
    add({
      action: 'UntagQueue',
      variant,
      base: { QueueUrl: q.url, TagKeys: ['team', 'kind'] },
      members: { QueueUrl: S, TagKeys: SL },
      required: ['QueueUrl', 'TagKeys'],
      isStateChanging: true,
      isFifo,
    });
    add({
      action: 'ReceiveMessage',
      variant,
      base: {
        QueueUrl: q.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        ...(isFifo ? { ReceiveRequestAttemptId: 'fz-attempt-1' } : {}),
      },
      members: {
        QueueUrl: S,
        AttributeNames: SL,
        MessageSystemAttributeNames: SL,
        MessageAttributeNames: SL,
        MaxNumberOfMessages: I,
        VisibilityTimeout: I,
        WaitTimeSeconds: I,
        ReceiveRequestAttemptId: S,
      },
      required: ['QueueUrl'],
      isStateChanging: true,
      isFifo,
    });
    const handle = isFifo ? set.fifoHandle : set.stdHandle;
    add({
      action: 'DeleteMessage',
      variant,
      base: { QueueUrl: q.url, ReceiptHandle: handle },
      members: { QueueUrl: S, ReceiptHandle: S },
      required: ['QueueUrl', 'ReceiptHandle'],
      isStateChanging: true,
      isFifo,
    });
    add({
      action: 'DeleteMessageBatch',
      variant,
      base: { QueueUrl: q.url, Entries: [{ Id: 'only', ReceiptHandle: handle }] },
      members: { QueueUrl: S, Entries: E },
      required: ['QueueUrl', 'Entries'],
      entry: DELETE_ENTRY,
      isStateChanging: true,
      isFifo,
    });
    add({
      action: 'ChangeMessageVisibility',
      variant,
      base: { QueueUrl: q.url, ReceiptHandle: handle, VisibilityTimeout: 60 },
      members: { QueueUrl: S, ReceiptHandle: S, VisibilityTimeout: I },
      required: ['QueueUrl', 'ReceiptHandle', 'VisibilityTimeout'],
      isStateChanging: true,
      isFifo,
    });
    add({
      action: 'ChangeMessageVisibilityBatch',
      variant,
      base: { QueueUrl: q.url, Entries: [{ Id: 'only', ReceiptHandle: handle, VisibilityTimeout: 60 }] },
      members: { QueueUrl: S, Entries: E },
      required: ['QueueUrl', 'Entries'],
      entry: VISIBILITY_ENTRY,
      isStateChanging: true,
      isFifo,
    });
  }
  add({
    action: 'ListQueues',
    variant: '-',
    base: { QueueNamePrefix: 'fz-', MaxResults: 5 },
    members: { QueueNamePrefix: S, NextToken: S, MaxResults: I },
    required: [],
    isStateChanging: false,
  });
  add({
    action: 'SetQueueAttributes',
    variant: 'std',
    base: { QueueUrl: std.url, Attributes: { VisibilityTimeout: '77', DelaySeconds: '3', MessageRetentionPeriod: '3600' } },
    members: { QueueUrl: S, Attributes: SM },
    required: ['QueueUrl', 'Attributes'],
    isStateChanging: true,
  });
  add({
    action: 'SetQueueAttributes',
    variant: 'fifo',
    base: { QueueUrl: fifo.url, Attributes: { ContentBasedDeduplication: 'true', VisibilityTimeout: '78' } },
    members: { QueueUrl: S, Attributes: SM },
    required: ['QueueUrl', 'Attributes'],
    isStateChanging: true,
    isFifo: true,
  });
  add({
    action: 'SendMessage',
    variant: 'std',
    base: { QueueUrl: std.url, MessageBody: 'fuzz body ✓', DelaySeconds: 0, MessageAttributes: ATTRIBUTES, MessageSystemAttributes: TRACE },
    members: { QueueUrl: S, MessageBody: S, ...SEND_MEMBERS },
    required: ['QueueUrl', 'MessageBody'],
    isStateChanging: true,
  });
  add({
    action: 'SendMessage',
    variant: 'fifo',
    base: {
      QueueUrl: fifo.url,
      MessageBody: 'fuzz fifo body',
      MessageGroupId: 'g1',
      MessageDeduplicationId: d1,
      MessageAttributes: ATTRIBUTES,
    },
    members: { QueueUrl: S, MessageBody: S, ...SEND_MEMBERS },
    required: ['QueueUrl', 'MessageBody'],
    isStateChanging: true,
    isFifo: true,
  });
  add({
    action: 'SendMessageBatch',
    variant: 'std',
    base: {
      QueueUrl: std.url,
      Entries: [
        { Id: 'one', MessageBody: 'batch one' },
        { Id: 'two', MessageBody: 'batch two', DelaySeconds: 1, MessageAttributes: ATTRIBUTES },
      ],
    },
    members: { QueueUrl: S, Entries: E },
    required: ['QueueUrl', 'Entries'],
    entry: SEND_ENTRY,
    isStateChanging: true,
  });
  add({
    action: 'SendMessageBatch',
    variant: 'fifo',
    base: {
      QueueUrl: fifo.url,
      Entries: [
        { Id: 'one', MessageBody: 'batch one', MessageGroupId: 'g2', MessageDeduplicationId: d2 },
        { Id: 'two', MessageBody: 'batch two', MessageGroupId: 'g3', MessageDeduplicationId: d3, MessageAttributes: ATTRIBUTES },
      ],
    },
    members: { QueueUrl: S, Entries: E },
    required: ['QueueUrl', 'Entries'],
    entry: SEND_ENTRY,
    isStateChanging: true,
    isFifo: true,
  });
  add({
    action: 'ListDeadLetterSourceQueues',
    variant: 'dlq',
    base: { QueueUrl: dlq.url, MaxResults: 10 },
    members: { QueueUrl: S, NextToken: S, MaxResults: I },
    required: ['QueueUrl'],
    isStateChanging: false,
  });
  add({
    action: 'AddPermission',
    variant: 'std',
    base: { QueueUrl: std.url, Label: 'fz-new-label', AWSAccountIds: ['111122223333'], Actions: ['SendMessage', 'ReceiveMessage'] },
    members: { QueueUrl: S, Label: S, AWSAccountIds: SL, Actions: SL },
    required: ['QueueUrl', 'Label', 'AWSAccountIds', 'Actions'],
    isStateChanging: true,
  });
  add({
    action: 'RemovePermission',
    variant: 'std',
    base: { QueueUrl: std.url, Label: 'fz-existing' },
    members: { QueueUrl: S, Label: S },
    required: ['QueueUrl', 'Label'],
    isStateChanging: true,
  });
  add({
    action: 'StartMessageMoveTask',
    variant: 'dlq',
    base: { SourceArn: dlq.arn, DestinationArn: std.arn, MaxNumberOfMessagesPerSecond: 5 },
    members: { SourceArn: S, DestinationArn: S, MaxNumberOfMessagesPerSecond: I },
    required: ['SourceArn'],
    isStateChanging: true,
  });
  add({
    action: 'ListMessageMoveTasks',
    variant: 'dlq',
    base: { SourceArn: dlq.arn, MaxResults: 5 },
    members: { SourceArn: S, MaxResults: I },
    required: ['SourceArn'],
    isStateChanging: false,
  });
  add({
    action: 'CancelMessageMoveTask',
    variant: 'dlq',
    // The task has completed, so even this request is refused; mutations start from a real handle all the same.
    base: { TaskHandle: set.finishedTaskHandle },
    members: { TaskHandle: S },
    required: ['TaskHandle'],
    isStateChanging: true,
  });
  return specs;
}
