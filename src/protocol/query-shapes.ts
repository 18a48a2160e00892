/**
 * @module protocol/query-shapes: where each operation's input members live among the query protocol's flattened
 * parameters (the query-era SQS model's `locationName`s and `flattened` lists/maps, spec §A.2).
 */
import type { OperationName } from './operations.ts';

/** A scalar carried as text; `integer` members become JSON numbers (the form `requests.ts` reads). */
export interface ScalarShape {
  readonly kind: 'string' | 'integer';
}
/** A flattened list: items at `<location>.1`, `<location>.2`, …. */
export interface ListShape {
  readonly kind: 'list';
  readonly location: string;
  readonly item: QueryShape;
}
/** A flattened map: entries at `<location>.N.<key>` and `<location>.N.<value>`. */
export interface MapShape {
  readonly kind: 'map';
  readonly location: string;
  readonly key: string;
  readonly value: string;
  readonly valueShape: QueryShape;
}
/** A structure: JSON member name → shape; scalars and structures sit at the member's own name. */
export interface StructShape {
  readonly kind: 'struct';
  readonly members: Readonly<Record<string, QueryShape>>;
}
export type QueryShape = ScalarShape | ListShape | MapShape | StructShape;

const STRING: ScalarShape = { kind: 'string' };
const INTEGER: ScalarShape = { kind: 'integer' };
const list = (location: string, item: QueryShape = STRING): ListShape => ({ kind: 'list', location, item });
const map = (location: string, key: string, value: string, valueShape: QueryShape = STRING): MapShape => ({
  kind: 'map',
  location,
  key,
  value,
  valueShape,
});
const struct = (members: Record<string, QueryShape>): StructShape => ({ kind: 'struct', members });

/** `MessageAttributeValue` / `MessageSystemAttributeValue`; blobs stay base64 text, as on the JSON wire. */
const ATTRIBUTE_VALUE = struct({
  StringValue: STRING,
  BinaryValue: STRING,
  StringListValues: list('StringListValue'),
  BinaryListValues: list('BinaryListValue'),
  DataType: STRING,
});
const MESSAGE_ATTRIBUTES = map('MessageAttribute', 'Name', 'Value', ATTRIBUTE_VALUE);
const MESSAGE_SYSTEM_ATTRIBUTES = map('MessageSystemAttribute', 'Name', 'Value', ATTRIBUTE_VALUE);
const QUEUE_ATTRIBUTES = map('Attribute', 'Name', 'Value');
const TAGS = map('Tag', 'Key', 'Value');
const QUEUE_ONLY = struct({ QueueUrl: STRING });

const SEND_MEMBERS = {
  MessageBody: STRING,
  DelaySeconds: INTEGER,
  MessageAttributes: MESSAGE_ATTRIBUTES,
  MessageSystemAttributes: MESSAGE_SYSTEM_ATTRIBUTES,
  MessageDeduplicationId: STRING,
  MessageGroupId: STRING,
};

/** The input shape of every operation, keyed like `OPERATIONS`; a missing operation fails the type check. */
export const QUERY_INPUT_SHAPES = {
  AddPermission: struct({
    QueueUrl: STRING,
    Label: STRING,
    AWSAccountIds: list('AWSAccountId'),
    Actions: list('ActionName'),
  }),
  CancelMessageMoveTask: struct({ TaskHandle: STRING }),
  ChangeMessageVisibility: struct({ QueueUrl: STRING, ReceiptHandle: STRING, VisibilityTimeout: INTEGER }),
  ChangeMessageVisibilityBatch: struct({
    QueueUrl: STRING,
    Entries: list(
      'ChangeMessageVisibilityBatchRequestEntry',
      struct({ Id: STRING, ReceiptHandle: STRING, VisibilityTimeout: INTEGER }),
    ),
  }),
  // The model spells CreateQueue's tags member in lower case.
  CreateQueue: struct({ QueueName: STRING, Attributes: QUEUE_ATTRIBUTES, tags: TAGS }),
  DeleteMessage: struct({ QueueUrl: STRING, ReceiptHandle: STRING }),
  DeleteMessageBatch: struct({
    QueueUrl: STRING,
    Entries: list('DeleteMessageBatchRequestEntry', struct({ Id: STRING, ReceiptHandle: STRING })),
  }),
  DeleteQueue: QUEUE_ONLY,
  GetQueueAttributes: struct({ QueueUrl: STRING, AttributeNames: list('AttributeName') }),
  GetQueueUrl: struct({ QueueName: STRING, QueueOwnerAWSAccountId: STRING }),
  ListDeadLetterSourceQueues: struct({ QueueUrl: STRING, NextToken: STRING, MaxResults: INTEGER }),
  ListMessageMoveTasks: struct({ SourceArn: STRING, MaxResults: INTEGER }),
  ListQueueTags: QUEUE_ONLY,
  ListQueues: struct({ QueueNamePrefix: STRING, NextToken: STRING, MaxResults: INTEGER }),
  PurgeQueue: QUEUE_ONLY,
  ReceiveMessage: struct({
    QueueUrl: STRING,
    AttributeNames: list('AttributeName'),
    MessageSystemAttributeNames: list('MessageSystemAttributeName'),
    MessageAttributeNames: list('MessageAttributeName'),
    MaxNumberOfMessages: INTEGER,
    VisibilityTimeout: INTEGER,
    WaitTimeSeconds: INTEGER,
    ReceiveRequestAttemptId: STRING,
  }),
  RemovePermission: struct({ QueueUrl: STRING, Label: STRING }),
  SendMessage: struct({ QueueUrl: STRING, ...SEND_MEMBERS }),
  SendMessageBatch: struct({
    QueueUrl: STRING,
    Entries: list('SendMessageBatchRequestEntry', struct({ Id: STRING, ...SEND_MEMBERS })),
  }),
  SetQueueAttributes: struct({ QueueUrl: STRING, Attributes: QUEUE_ATTRIBUTES }),
  StartMessageMoveTask: struct({ SourceArn: STRING, DestinationArn: STRING, MaxNumberOfMessagesPerSecond: INTEGER }),
  TagQueue: struct({ QueueUrl: STRING, Tags: TAGS }),
  UntagQueue: struct({ QueueUrl: STRING, TagKeys: list('TagKey') }),
} as const satisfies Record<OperationName, StructShape>;
