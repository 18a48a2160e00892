/**
 * @module protocol/requests: turns a decoded request body (AWS JSON 1.0 member names) into typed engine inputs.
 *
 * How bad input is reported:
 * - A required member that is absent or `null` → `MissingParameter` ("The request must contain the parameter X.").
 *   Batch entries name the member the way SQS does on both protocols: `SendMessageBatchRequestEntry.2.MessageBody`.
 * - A member with the wrong JSON type (a number for `QueueUrl`, a string for `DelaySeconds`, 1.5 for an integer,
 *   an integer outside int32, an object where a list belongs) or `BinaryValue` that is not base64 →
 *   `SerializationException` (HTTP 400, `x-amzn-query-error: SerializationException;Sender`). That is what AWS JSON
 *   (Coral) services answer when the body does not fit the model's shapes; the SDKs surface it as a service
 *   exception whose `name` is `SerializationException`. Semantic checks (ranges, formats) belong to the engine, so both
 *   protocols share them.
 * - `null` counts as absent; members we do not know are ignored.
 */
import type {
  MessageAttributeMap,
  MessageAttributeValue,
  PageInput,
  ReceiveInput,
  SendInput,
  StartMoveTaskInput,
  VisibilityEntry,
} from '../engine/index.ts';
import { SqsError, SqsErrors } from './sqs-error.ts';

/** A decoded JSON object (the request body, or a nested structure in it). */
export type JsonObject = { readonly [member: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Typed readers. Each reads one member of `obj`; `path` names it in serialization errors.

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * A map for keys taken from the request. No prototype, so a key such as `__proto__` is stored as data and cannot
 * change the map's prototype.
 */
function emptyMap<T>(): Record<string, T> {
  return Object.create(null);
}

/** Whether `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function typeError(path: string, expected: string, value: unknown): SqsError {
  return SqsErrors.serialization(`Expected ${expected} for ${path}, got ${jsonTypeOf(value)}.`);
}

/** Reads an optional string member. @throws SqsError SerializationException when it is not a string. */
export function optionalString(obj: JsonObject, member: string, path: string = member): string | undefined {
  const value = obj[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeError(path, 'a string', value);
  return value;
}

/**
 * Reads a required string member.
 * @throws SqsError MissingParameter naming `parameter` when absent; SerializationException when not a string.
 */
export function requiredString(obj: JsonObject, member: string, parameter: string = member): string {
  const value = optionalString(obj, member, parameter);
  if (value === undefined) throw SqsErrors.missingParameter(parameter);
  return value;
}

/** Reads an optional int32 member. @throws SqsError SerializationException when not an integer in int32 range. */
export function optionalInteger(obj: JsonObject, member: string, path: string = member): number | undefined {
  const value = obj[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, 'an integer', value);
  if (value < INT32_MIN || value > INT32_MAX) {
    throw SqsErrors.serialization(`Value ${value} for ${path} is out of the 32-bit integer range.`);
  }
  return value;
}

/** Reads a required int32 member. @throws SqsError MissingParameter when absent; SerializationException on type. */
export function requiredInteger(obj: JsonObject, member: string, parameter: string = member): number {
  const value = optionalInteger(obj, member, parameter);
  if (value === undefined) throw SqsErrors.missingParameter(parameter);
  return value;
}

/** Reads an optional list member (elements unchecked). @throws SqsError SerializationException when not a list. */
export function optionalList(obj: JsonObject, member: string, path: string = member): readonly unknown[] | undefined {
  const value = obj[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw typeError(path, 'a list', value);
  return value;
}

/** Reads an optional list of strings. @throws SqsError SerializationException on any non-string element. */
export function optionalStringList(obj: JsonObject, member: string, path: string = member): string[] | undefined {
  const list = optionalList(obj, member, path);
  if (list === undefined) return undefined;
  const out: string[] = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== 'string') throw typeError(`${path}[${i}]`, 'a string', item);
    out[i] = item;
  }
  return out;
}

/** Reads a required list of strings. @throws SqsError MissingParameter when absent; SerializationException on type. */
export function requiredStringList(obj: JsonObject, member: string, parameter: string = member): string[] {
  const list = optionalStringList(obj, member, parameter);
  if (list === undefined) throw SqsErrors.missingParameter(parameter);
  return list;
}

/** Reads an optional object member. @throws SqsError SerializationException when not an object. */
export function optionalObject(obj: JsonObject, member: string, path: string = member): JsonObject | undefined {
  const value = obj[member];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw typeError(path, 'an object', value);
  return value;
}

/** Reads an optional string-to-string map (queue attributes, tags). @throws SqsError SerializationException on type. */
export function optionalStringMap(
  obj: JsonObject,
  member: string,
  path: string = member,
): Record<string, string> | undefined {
  const map = optionalObject(obj, member, path);
  if (map === undefined) return undefined;
  const out = emptyMap<string>();
  for (const key in map) {
    const value = map[key];
    if (typeof value !== 'string') throw typeError(`${path}.${key}`, 'a string', value);
    out[key] = value;
  }
  return out;
}

/** Reads a required string map. @throws SqsError MissingParameter when absent; SerializationException on type. */
export function requiredStringMap(obj: JsonObject, member: string, parameter: string = member): Record<string, string> {
  const map = optionalStringMap(obj, member, parameter);
  if (map === undefined) throw SqsErrors.missingParameter(parameter);
  return map;
}

/**
 * Decodes a base64 blob strictly. Node's decoder silently skips characters outside the alphabet, so a decoded length
 * shorter than the text implies means the text was not base64.
 * @throws SqsError SerializationException when `text` is not padded base64.
 */
export function decodeBase64(text: string, path: string): Uint8Array {
  const length = text.length;
  let padding = 0;
  if (length > 0 && text.charCodeAt(length - 1) === 61 /* = */) padding = text.charCodeAt(length - 2) === 61 ? 2 : 1;
  if (length % 4 === 0) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === (length / 4) * 3 - padding) return bytes;
  }
  throw SqsErrors.serialization(`Value for ${path} is not valid base64.`);
}

function readAttributeValue(value: unknown, path: string, name: string): MessageAttributeValue {
  if (!isJsonObject(value)) throw typeError(path, 'an object', value);
  const dataType = optionalString(value, 'DataType', `${path}.DataType`);
  if (dataType === undefined) {
    // AWS's text for a message attribute without a type.
    throw SqsErrors.invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
  }
  const out: MessageAttributeValue = { dataType };
  const stringValue = optionalString(value, 'StringValue', `${path}.StringValue`);
  if (stringValue !== undefined) out.stringValue = stringValue;
  const binaryValue = optionalString(value, 'BinaryValue', `${path}.BinaryValue`);
  if (binaryValue !== undefined) out.binaryValue = decodeBase64(binaryValue, `${path}.BinaryValue`);
  // List values are "reserved, not implemented" in SQS; we keep them so the engine can reject or store them.
  const stringListValues = optionalStringList(value, 'StringListValues', `${path}.StringListValues`);
  if (stringListValues !== undefined && stringListValues.length > 0) out.stringListValues = stringListValues;
  const binaryList = optionalStringList(value, 'BinaryListValues', `${path}.BinaryListValues`);
  if (binaryList !== undefined && binaryList.length > 0) {
    out.binaryListValues = binaryList.map((item, i) => decodeBase64(item, `${path}.BinaryListValues[${i}]`));
  }
  return out;
}

/**
 * Reads a `MessageAttributes` / `MessageSystemAttributes` map into the engine's shape, decoding blobs.
 * @throws SqsError SerializationException on wrong types or bad base64; InvalidParameterValue without DataType.
 */
export function optionalAttributeValueMap(
  obj: JsonObject,
  member: string,
  path: string = member,
): MessageAttributeMap | undefined {
  const map = optionalObject(obj, member, path);
  if (map === undefined) return undefined;
  const out: MessageAttributeMap = emptyMap<MessageAttributeValue>();
  let isEmpty = true;
  for (const name in map) {
    out[name] = readAttributeValue(map[name], `${path}.${name}`, name);
    isEmpty = false;
  }
  return isEmpty ? undefined : out;
}

function entriesOf(body: JsonObject): readonly unknown[] {
  // Absent and empty are the same on the query protocol; the engine answers EmptyBatchRequest for both.
  return optionalList(body, 'Entries') ?? [];
}

function entryObject(entry: unknown, index: number): JsonObject {
  if (!isJsonObject(entry)) throw typeError(`Entries[${index}]`, 'an object', entry);
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Typed requests, one per operation (engine inputs plus the queue URL they address).

export interface QueueRequest {
  queueUrl: string;
}
export interface CreateQueueRequest {
  queueName: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}
export interface GetQueueUrlRequest {
  queueName: string;
  queueOwnerAwsAccountId?: string;
}
export interface ListQueuesRequest {
  prefix?: string;
  maxResults?: number;
  nextToken?: string;
}
export interface GetQueueAttributesRequest extends QueueRequest {
  attributeNames: string[];
}
export interface SetQueueAttributesRequest extends QueueRequest {
  attributes: Record<string, string>;
}
export interface SendMessageRequest extends QueueRequest {
  input: SendInput;
}
export interface SendMessageBatchRequest extends QueueRequest {
  entries: Array<SendInput & { id: string }>;
}
export interface ReceiveMessageRequest extends QueueRequest {
  /** Seconds; absent means the queue's ReceiveMessageWaitTimeSeconds. */
  waitTimeSeconds?: number;
  input: ReceiveInput;
}
export interface DeleteMessageRequest extends QueueRequest {
  receiptHandle: string;
}
export interface DeleteMessageBatchRequest extends QueueRequest {
  entries: Array<{ id: string; receiptHandle: string }>;
}
export interface ChangeMessageVisibilityRequest extends QueueRequest {
  receiptHandle: string;
  visibilityTimeout: number;
}
export interface ChangeMessageVisibilityBatchRequest extends QueueRequest {
  entries: VisibilityEntry[];
}
export interface TagQueueRequest extends QueueRequest {
  tags: Record<string, string>;
}
export interface UntagQueueRequest extends QueueRequest {
  tagKeys: string[];
}
export interface ListDeadLetterSourceQueuesRequest extends QueueRequest {
  page: PageInput;
}
export interface AddPermissionRequest extends QueueRequest {
  label: string;
  accountIds: string[];
  actions: string[];
}
export interface RemovePermissionRequest extends QueueRequest {
  label: string;
}
export interface ListMessageMoveTasksRequest {
  sourceArn: string;
  maxResults?: number;
}
export interface CancelMessageMoveTaskRequest {
  taskHandle: string;
}

function queueUrlOf(body: JsonObject): string {
  return requiredString(body, 'QueueUrl');
}

function readSendInput(obj: JsonObject, path: string, body: string): SendInput {
  const out: SendInput = { body };
  const delaySeconds = optionalInteger(obj, 'DelaySeconds', `${path}DelaySeconds`);
  if (delaySeconds !== undefined) out.delaySeconds = delaySeconds;
  const attributes = optionalAttributeValueMap(obj, 'MessageAttributes', `${path}MessageAttributes`);
  if (attributes !== undefined) out.messageAttributes = attributes;
  const systemAttributes = optionalAttributeValueMap(obj, 'MessageSystemAttributes', `${path}MessageSystemAttributes`);
  if (systemAttributes !== undefined) out.messageSystemAttributes = systemAttributes;
  const deduplicationId = optionalString(obj, 'MessageDeduplicationId', `${path}MessageDeduplicationId`);
  if (deduplicationId !== undefined) out.messageDeduplicationId = deduplicationId;
  const groupId = optionalString(obj, 'MessageGroupId', `${path}MessageGroupId`);
  if (groupId !== undefined) out.messageGroupId = groupId;
  return out;
}

function unionOfNames(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  // Real AWS honours both lists together (spec §D.4).
  return [...new Set([...a, ...b])];
}

/**
 * One parser per operation: body → typed request. Each throws `SqsError` (MissingParameter, SerializationException,
 * InvalidParameterValue) as described at the top of this module.
 */
export const Requests = {
  createQueue(body: JsonObject): CreateQueueRequest {
    return {
      queueName: requiredString(body, 'QueueName'),
      attributes: optionalStringMap(body, 'Attributes') ?? {},
      // The model spells this member in lower case (unlike TagQueue's `Tags`).
      tags: optionalStringMap(body, 'tags') ?? {},
    };
  },
  getQueueUrl(body: JsonObject): GetQueueUrlRequest {
    const out: GetQueueUrlRequest = { queueName: requiredString(body, 'QueueName') };
    const owner = optionalString(body, 'QueueOwnerAWSAccountId');
    if (owner !== undefined) out.queueOwnerAwsAccountId = owner;
    return out;
  },
  queueOnly(body: JsonObject): QueueRequest {
    return { queueUrl: queueUrlOf(body) };
  },
  listQueues(body: JsonObject): ListQueuesRequest {
    const out: ListQueuesRequest = {};
    const prefix = optionalString(body, 'QueueNamePrefix');
    if (prefix !== undefined) out.prefix = prefix;
    const maxResults = optionalInteger(body, 'MaxResults');
    if (maxResults !== undefined) out.maxResults = maxResults;
    const nextToken = optionalString(body, 'NextToken');
    if (nextToken !== undefined) out.nextToken = nextToken;
    return out;
  },
  getQueueAttributes(body: JsonObject): GetQueueAttributesRequest {
    return { queueUrl: queueUrlOf(body), attributeNames: optionalStringList(body, 'AttributeNames') ?? [] };
  },
  setQueueAttributes(body: JsonObject): SetQueueAttributesRequest {
    return { queueUrl: queueUrlOf(body), attributes: requiredStringMap(body, 'Attributes') };
  },
  sendMessage(body: JsonObject): SendMessageRequest {
    const queueUrl = queueUrlOf(body);
    return { queueUrl, input: readSendInput(body, '', requiredString(body, 'MessageBody')) };
  },
  sendMessageBatch(body: JsonObject): SendMessageBatchRequest {
    const queueUrl = queueUrlOf(body);
    const list = entriesOf(body);
    const entries = new Array<SendInput & { id: string }>(list.length);
    for (let i = 0; i < list.length; i++) {
      const entry = entryObject(list[i], i);
      const name = `SendMessageBatchRequestEntry.${i + 1}.`;
      const id = requiredString(entry, 'Id', `${name}Id`);
      const messageBody = requiredString(entry, 'MessageBody', `${name}MessageBody`);
      entries[i] = Object.assign(readSendInput(entry, `Entries[${i}].`, messageBody), { id });
    }
    return { queueUrl, entries };
  },
  receiveMessage(body: JsonObject): ReceiveMessageRequest {
    const queueUrl = queueUrlOf(body);
    const input: ReceiveInput = {};
    const maxNumberOfMessages = optionalInteger(body, 'MaxNumberOfMessages');
    if (maxNumberOfMessages !== undefined) input.maxNumberOfMessages = maxNumberOfMessages;
    const visibilityTimeout = optionalInteger(body, 'VisibilityTimeout');
    if (visibilityTimeout !== undefined) input.visibilityTimeout = visibilityTimeout;
    const systemNames = unionOfNames(
      optionalStringList(body, 'AttributeNames'),
      optionalStringList(body, 'MessageSystemAttributeNames'),
    );
    if (systemNames !== undefined) input.systemAttributeNames = systemNames;
    const attributeNames = optionalStringList(body, 'MessageAttributeNames');
    if (attributeNames !== undefined) input.messageAttributeNames = attributeNames;
    const attemptId = optionalString(body, 'ReceiveRequestAttemptId');
    if (attemptId !== undefined) input.receiveRequestAttemptId = attemptId;
    const out: ReceiveMessageRequest = { queueUrl, input };
    const waitTimeSeconds = optionalInteger(body, 'WaitTimeSeconds');
    if (waitTimeSeconds !== undefined) out.waitTimeSeconds = waitTimeSeconds;
    return out;
  },
  deleteMessage(body: JsonObject): DeleteMessageRequest {
    return { queueUrl: queueUrlOf(body), receiptHandle: requiredString(body, 'ReceiptHandle') };
  },
  deleteMessageBatch(body: JsonObject): DeleteMessageBatchRequest {
    const queueUrl = queueUrlOf(body);
    const list = entriesOf(body);
    const entries = new Array<{ id: string; receiptHandle: string }>(list.length);
    for (let i = 0; i < list.length; i++) {
      const entry = entryObject(list[i], i);
      const name = `DeleteMessageBatchRequestEntry.${i + 1}.`;
      entries[i] = {
        id: requiredString(entry, 'Id', `${name}Id`),
        receiptHandle: requiredString(entry, 'ReceiptHandle', `${name}ReceiptHandle`),
      };
    }
    return { queueUrl, entries };
  },
  changeMessageVisibility(body: JsonObject): ChangeMessageVisibilityRequest {
    return {
      queueUrl: queueUrlOf(body),
      receiptHandle: requiredString(body, 'ReceiptHandle'),
      visibilityTimeout: requiredInteger(body, 'VisibilityTimeout'),
    };
  },
  changeMessageVisibilityBatch(body: JsonObject): ChangeMessageVisibilityBatchRequest {
    const queueUrl = queueUrlOf(body);
    const list = entriesOf(body);
    const entries = new Array<VisibilityEntry>(list.length);
    for (let i = 0; i < list.length; i++) {
      const entry = entryObject(list[i], i);
      const name = `ChangeMessageVisibilityBatchRequestEntry.${i + 1}.`;
      entries[i] = {
        id: requiredString(entry, 'Id', `${name}Id`),
        receiptHandle: requiredString(entry, 'ReceiptHandle', `${name}ReceiptHandle`),
        // Optional in the model, but a visibility change without a timeout means nothing: SQS requires it.
        visibilityTimeout: requiredInteger(entry, 'VisibilityTimeout', `${name}VisibilityTimeout`),
      };
    }
    return { queueUrl, entries };
  },
  tagQueue(body: JsonObject): TagQueueRequest {
    return { queueUrl: queueUrlOf(body), tags: requiredStringMap(body, 'Tags') };
  },
  untagQueue(body: JsonObject): UntagQueueRequest {
    return { queueUrl: queueUrlOf(body), tagKeys: requiredStringList(body, 'TagKeys') };
  },
  listDeadLetterSourceQueues(body: JsonObject): ListDeadLetterSourceQueuesRequest {
    const page: PageInput = {};
    const maxResults = optionalInteger(body, 'MaxResults');
    if (maxResults !== undefined) page.maxResults = maxResults;
    const nextToken = optionalString(body, 'NextToken');
    if (nextToken !== undefined) page.nextToken = nextToken;
    return { queueUrl: queueUrlOf(body), page };
  },
  addPermission(body: JsonObject): AddPermissionRequest {
    return {
      queueUrl: queueUrlOf(body),
      label: requiredString(body, 'Label'),
      accountIds: requiredStringList(body, 'AWSAccountIds'),
      actions: requiredStringList(body, 'Actions'),
    };
  },
  removePermission(body: JsonObject): RemovePermissionRequest {
    return { queueUrl: queueUrlOf(body), label: requiredString(body, 'Label') };
  },
  startMessageMoveTask(body: JsonObject): StartMoveTaskInput {
    const out: StartMoveTaskInput = { sourceArn: requiredString(body, 'SourceArn') };
    const destinationArn = optionalString(body, 'DestinationArn');
    if (destinationArn !== undefined) out.destinationArn = destinationArn;
    const rate = optionalInteger(body, 'MaxNumberOfMessagesPerSecond');
    if (rate !== undefined) out.maxNumberOfMessagesPerSecond = rate;
    return out;
  },
  listMessageMoveTasks(body: JsonObject): ListMessageMoveTasksRequest {
    const out: ListMessageMoveTasksRequest = { sourceArn: requiredString(body, 'SourceArn') };
    const maxResults = optionalInteger(body, 'MaxResults');
    if (maxResults !== undefined) out.maxResults = maxResults;
    return out;
  },
  cancelMessageMoveTask(body: JsonObject): CancelMessageMoveTaskRequest {
    return { taskHandle: requiredString(body, 'TaskHandle') };
  },
} as const;
