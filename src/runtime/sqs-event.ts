/** @module runtime/sqs-event: an SQS message as the record Lambda's event source mapping hands the function (spec §F.3). */
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';

/** System attributes in the order Lambda's records list them; others follow in the order SQS returned them. */
const ATTRIBUTE_ORDER = [
  'ApproximateReceiveCount',
  'AWSTraceHeader',
  'SentTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'SenderId',
  'MessageDeduplicationId',
  'ApproximateFirstReceiveTimestamp',
] as const;

function orderedAttributes(attributes: Readonly<Record<string, string>> | undefined): SQSRecordAttributes {
  const out: Record<string, string> = {};
  if (attributes === undefined) return out as unknown as SQSRecordAttributes;
  for (const name of ATTRIBUTE_ORDER) {
    const value = attributes[name];
    if (value !== undefined) out[name] = value;
  }
  for (const [name, value] of Object.entries(attributes)) if (!(name in out)) out[name] = value;
  return out as unknown as SQSRecordAttributes;
}

function messageAttributesOf(message: Message): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    // Lower-camel keys; the list fields are always present and always empty (reserved by SQS).
    out[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? 'String',
    };
  }
  return out;
}

/**
 * The event record of one received message. `md5OfMessageAttributes` is JSON null (key present) when the message has
 * no attributes, as in recorded events; `body` is the raw string.
 */
export function sqsRecordOf(message: Message, eventSourceArn: string): SQSRecord {
  const region = eventSourceArn.split(':')[3] ?? '';
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: orderedAttributes(message.Attributes),
    messageAttributes: messageAttributesOf(message),
    md5OfMessageAttributes: (message.MD5OfMessageAttributes ?? null) as string | undefined,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: eventSourceArn,
    awsRegion: region,
  };
}
