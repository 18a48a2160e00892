/** @module engine/md5: the MD5 digests SQS returns for bodies and message attributes (spec §D.3). */
import { createHash } from 'node:crypto';
import type { MessageAttributeMap } from './types.ts';

/** Lowercase hex MD5 of the UTF-8 body. */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

const TRANSPORT_STRING = 1;
const TRANSPORT_BINARY = 2;
const TRANSPORT_STRING_LIST = 3;
const TRANSPORT_BINARY_LIST = 4;

function lengthPrefixed(bytes: Uint8Array): Buffer[] {
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(bytes.length, 0);
  return [len, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

/** Java's String order (UTF-16 code units), which is what JS's default comparison is too. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * MD5 over message attributes as SQS and the SDKs compute it: names sorted, each name, DataType and
 * value length-prefixed, the value preceded by a transport byte that depends on which value field is set.
 * Returns undefined for no attributes (SQS omits the field then).
 */
export function md5OfMessageAttributes(attributes: MessageAttributeMap | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  names.sort(compareNames);
  const parts: Buffer[] = [];
  for (const name of names) {
    const value = attributes[name]!;
    parts.push(...lengthPrefixed(Buffer.from(name, 'utf8')));
    parts.push(...lengthPrefixed(Buffer.from(value.dataType, 'utf8')));
    if (value.stringValue !== undefined) {
      parts.push(Buffer.of(TRANSPORT_STRING), ...lengthPrefixed(Buffer.from(value.stringValue, 'utf8')));
    } else if (value.binaryValue !== undefined) {
      parts.push(Buffer.of(TRANSPORT_BINARY), ...lengthPrefixed(value.binaryValue));
    } else if (value.stringListValues && value.stringListValues.length > 0) {
      parts.push(Buffer.of(TRANSPORT_STRING_LIST));
      for (const item of value.stringListValues) parts.push(...lengthPrefixed(Buffer.from(item, 'utf8')));
    } else if (value.binaryListValues && value.binaryListValues.length > 0) {
      parts.push(Buffer.of(TRANSPORT_BINARY_LIST));
      for (const item of value.binaryListValues) parts.push(...lengthPrefixed(item));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}
