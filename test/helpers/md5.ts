/** @module test/helpers/md5: the test oracle for MD5OfBody and MD5OfMessageAttributes (spec §D.3). */
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/** Lowercase hex MD5 of a UTF-8 string or raw bytes. */
export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/**
 * MD5 over message attributes exactly as §D.3 (and aws-sdk-java-v2) defines it: names sorted by UTF-16 code
 * units, each name, DataType and value length-prefixed, the value preceded by its transport byte.
 * Throws when an attribute carries no value.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  // Plain `<` comparison is UTF-16 code-unit order, the order Java's String.compareTo uses.
  const names = Object.keys(attributes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const attr = attributes[name]!;
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')));
    parts.push(lengthPrefixed(Buffer.from(attr.DataType ?? '', 'utf8')));
    if (attr.StringValue !== undefined) {
      parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(attr.StringValue, 'utf8')));
    } else if (attr.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(attr.BinaryValue)));
    } else {
      throw new Error(`attribute ${name} has no StringValue or BinaryValue`);
    }
  }
  return md5Hex(Buffer.concat(parts));
}
