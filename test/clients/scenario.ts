/**
 * @module test/clients/scenario: the one scenario every client goes through (issue 4), as data: the queues, the
 * messages and their attributes (String, Number, Binary, custom types, non-ASCII text, a CR in a body), the common
 * errors with the code each client must see, and the MD5 oracle the answers are checked against.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { md5Hex, md5OfMessageAttributes } from '../helpers/md5.ts';

/** A message attribute as the scenario handles it, whatever the client's own shape (blobs as bytes). */
export interface ScenarioAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}
export type ScenarioAttributes = Record<string, ScenarioAttribute>;

/** Non-ASCII text in several scripts plus an emoji (a surrogate pair in UTF-16, 4 bytes in UTF-8). */
export const TEXT = 'Grüße aus Köln — 你好, мир, ¿qué tal? 😀';

/** Every byte value once: a binary value must come back byte for byte. */
export const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

/** The attributes of the single message: every kind of data type, custom-typed ones and non-ASCII text. */
export const SINGLE_ATTRIBUTES: ScenarioAttributes = {
  text: { DataType: 'String', StringValue: TEXT },
  count: { DataType: 'Number', StringValue: '42' },
  price: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' },
  blob: { DataType: 'Binary', BinaryValue: ALL_BYTES },
  image: { DataType: 'Binary.gif', BinaryValue: Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]) },
  'kind.custom': { DataType: 'String.ünïcode-label', StringValue: 'événement' },
};

/** The single message's body: JSON with non-ASCII text, quotes and a CR LF (the XML CR escape keeps MD5OfBody). */
export const SINGLE_BODY = `{"order":1,"note":"${TEXT}","quote":"\\"x\\""}\r\nsecond line & <more>`;

/** The batch: three entries in one message group, each with its own attributes. */
export const BATCH = [
  { id: 'first', body: `batch 1 ${TEXT}`, attributes: { seq: { DataType: 'Number', StringValue: '1' } } },
  {
    id: 'second',
    body: 'batch 2\ttab and "quotes"',
    attributes: {
      seq: { DataType: 'Number', StringValue: '2' },
      raw: { DataType: 'Binary', BinaryValue: Uint8Array.from([0xff, 0x00, 0x0d, 0x0a]) },
    },
  },
  { id: 'third', body: 'batch 3 — 🎉', attributes: { seq: { DataType: 'Number.int', StringValue: '3' }, who: { DataType: 'String', StringValue: 'Zoë' } } },
] as const satisfies ReadonlyArray<{ id: string; body: string; attributes: ScenarioAttributes }>;

/** The FIFO message group of the scenario's messages. */
export const GROUP_ID = 'order-1';

/** Queue names of one scenario run: unique per run, sharing a prefix so ListQueues can page through exactly them. */
export interface ScenarioQueues {
  prefix: string;
  fifo: string;
  standard: string;
  dlq: string;
}

/** Fresh names: `<client>-<8 hex>-fifo.fifo`, `-std`, `-dlq`. */
export function scenarioQueueNames(client: string): ScenarioQueues {
  const prefix = `${client}-${randomUUID().slice(0, 8)}`;
  return { prefix, fifo: `${prefix}-fifo.fifo`, standard: `${prefix}-std`, dlq: `${prefix}-dlq` };
}

/** The ARN of queue `name` on the test server (default region and account). */
export function arnOf(name: string): string {
  return `arn:aws:sqs:us-east-1:000000000000:${name}`;
}

/** The RedrivePolicy of the standard queue: one receive, then the DLQ. */
export function redrivePolicyOf(dlqName: string): string {
  return JSON.stringify({ deadLetterTargetArn: arnOf(dlqName), maxReceiveCount: 1 });
}

/** MD5OfMessageAttributes as SQS computes it (spec §D.3). */
export function expectedAttributesMd5(attributes: ScenarioAttributes): string {
  return md5OfMessageAttributes(attributes);
}

/** MD5OfBody / MD5OfMessageBody: hex MD5 of the UTF-8 body. */
export function expectedBodyMd5(body: string): string {
  return md5Hex(body);
}

/** A received message in the scenario's terms. */
export interface ScenarioMessage {
  body: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  attributes: Record<string, string>;
  messageAttributes: ScenarioAttributes;
}

/**
 * Asserts a received message is `body` with `attributes`, byte for byte, and that both MD5s the server sent are the
 * ones SQS would have sent (so a client that checks them — or the test, for clients that do not — is satisfied).
 */
export function assertReceived(message: ScenarioMessage, body: string, attributes: ScenarioAttributes): void {
  assert.equal(message.body, body);
  assert.equal(message.md5OfBody, expectedBodyMd5(body));
  assert.deepEqual(normalise(message.messageAttributes), normalise(attributes));
  assert.equal(message.md5OfMessageAttributes, expectedAttributesMd5(attributes));
}

function normalise(attributes: ScenarioAttributes): Record<string, { DataType: string; StringValue?: string; BinaryValue?: number[] }> {
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: number[] }> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = { DataType: value.DataType };
    if (value.StringValue !== undefined) out[name].StringValue = value.StringValue;
    if (value.BinaryValue !== undefined) out[name].BinaryValue = [...value.BinaryValue];
  }
  return out;
}

/** The FIFO system attributes every scenario receive asks for and checks. */
/** Attributes as the AWS CLI's and boto3's JSON carries them: binary values as base64 text. */
export function attributesToBase64Json(attributes: ScenarioAttributes): Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
        ...(value.BinaryValue === undefined ? {} : { BinaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      },
    ]),
  );
}

/** A received message from the AWS CLI's or boto3's JSON output (binary values as base64 text). */
export function messageFromBase64Json(message: Record<string, any>): ScenarioMessage {
  const messageAttributes: ScenarioAttributes = {};
  for (const [name, value] of Object.entries((message['MessageAttributes'] ?? {}) as Record<string, Record<string, any>>)) {
    messageAttributes[name] = {
      DataType: value['DataType'],
      ...(value['StringValue'] === undefined ? {} : { StringValue: value['StringValue'] }),
      ...(value['BinaryValue'] === undefined ? {} : { BinaryValue: new Uint8Array(Buffer.from(value['BinaryValue'], 'base64')) }),
    };
  }
  return {
    body: message['Body'],
    md5OfBody: message['MD5OfBody'],
    ...(message['MD5OfMessageAttributes'] ? { md5OfMessageAttributes: message['MD5OfMessageAttributes'] } : {}),
    attributes: message['Attributes'] ?? {},
    messageAttributes,
  };
}

export const FIFO_SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId'] as const;

/** One common error: how to provoke it is up to each client; what the client must report is fixed here. */
export interface ExpectedError {
  /** The legacy code every client reports (XML `<Code>`, `x-amzn-query-error`, botocore `Error.Code`). */
  code: string;
  status: number;
}

/** The common errors of the scenario and the code each must surface with. */
export const COMMON_ERRORS = {
  queueDoesNotExist: { code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  queueAlreadyExists: { code: 'QueueAlreadyExists', status: 400 },
  invalidParameterValue: { code: 'InvalidParameterValue', status: 400 },
  missingParameter: { code: 'MissingParameter', status: 400 },
  receiptHandleIsInvalid: { code: 'ReceiptHandleIsInvalid', status: 404 },
  batchEntryIdsNotDistinct: { code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  invalidAttributeName: { code: 'InvalidAttributeName', status: 400 },
  purgeQueueInProgress: { code: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403 },
} as const satisfies Record<string, ExpectedError>;
export type CommonErrorKey = keyof typeof COMMON_ERRORS;

/** The auth failures a client must see against an `--auth` server. */
export const AUTH_ERRORS = {
  unknownKey: { code: 'InvalidClientTokenId', status: 403 },
  wrongSecret: { code: 'SignatureDoesNotMatch', status: 403 },
} as const satisfies Record<string, ExpectedError>;
