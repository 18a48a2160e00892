/** @module protocol/wire-attributes: engine message attributes → the JSON wire form (blobs as base64). */
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { MessageAttributeMap } from '../engine/index.ts';
import type { JsonWire } from './wire-types.ts';

/** Base64 of a byte array without copying it. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * The wire map for `attributes`, or `undefined` when there are none (the member is then omitted). Empty list members
 * are omitted, as SQS does; key order follows real responses (`StringValue`/`BinaryValue` before `DataType`).
 */
export function toWireAttributes(
  attributes: MessageAttributeMap | undefined,
): Record<string, JsonWire<MessageAttributeValue>> | undefined {
  if (attributes === undefined) return undefined;
  let out: Record<string, JsonWire<MessageAttributeValue>> | undefined;
  for (const name in attributes) {
    const value = attributes[name];
    if (value === undefined) continue;
    // JSON.stringify drops the undefined members.
    const wire: JsonWire<MessageAttributeValue> = {
      StringValue: value.stringValue,
      BinaryValue: value.binaryValue === undefined ? undefined : toBase64(value.binaryValue),
      StringListValues: value.stringListValues?.length ? value.stringListValues : undefined,
      BinaryListValues: value.binaryListValues?.length ? value.binaryListValues.map(toBase64) : undefined,
      DataType: value.dataType,
    };
    (out ??= {})[name] = wire;
  }
  return out;
}
