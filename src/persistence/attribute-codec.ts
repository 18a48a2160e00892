/** @module persistence/attribute-codec: MessageAttributeMap <-> JSON text with binary values as base64, an exact round trip. */
import type { MessageAttributeMap, MessageAttributeValue } from '../engine/index.ts';

/** The stored shape of one attribute: the SQS field names, binary values as base64 strings. */
interface StoredAttributeValue {
  dataType: string;
  stringValue?: string;
  binaryValue?: string;
  stringListValues?: string[];
  binaryListValues?: string[];
}

// An attribute may legally be named `__proto__`; plain assignment would set the prototype instead.
function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

const toBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

// A plain Uint8Array copy: a Buffer would compare unequal to the Uint8Array that was stored, and a
// view into Buffer's shared pool would keep the whole 8 KiB slab alive.
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * Encodes message attributes for a TEXT column. Returns null for an empty map so that the common case
 * costs no storage. Only the fields that are present are written, so absent and empty lists stay distinct.
 */
export function encodeAttributes(attributes: MessageAttributeMap): string | null {
  let stored: Record<string, StoredAttributeValue> | undefined;
  for (const name of Object.keys(attributes)) {
    const value = attributes[name] as MessageAttributeValue;
    const out: StoredAttributeValue = { dataType: value.dataType };
    if (value.stringValue !== undefined) out.stringValue = value.stringValue;
    if (value.binaryValue !== undefined) out.binaryValue = toBase64(value.binaryValue);
    if (value.stringListValues !== undefined) out.stringListValues = value.stringListValues;
    if (value.binaryListValues !== undefined) out.binaryListValues = value.binaryListValues.map(toBase64);
    setOwn((stored ??= {}), name, out);
  }
  return stored === undefined ? null : JSON.stringify(stored);
}

/**
 * Decodes what `encodeAttributes` wrote (null gives an empty map).
 * Throws a SyntaxError when the text is not JSON, which means the database was changed by hand.
 */
export function decodeAttributes(text: string | null): MessageAttributeMap {
  const attributes: MessageAttributeMap = {};
  if (text === null) return attributes;
  const stored = JSON.parse(text) as Record<string, StoredAttributeValue>;
  for (const name of Object.keys(stored)) {
    const value = stored[name] as StoredAttributeValue;
    const out: MessageAttributeValue = { dataType: value.dataType };
    if (value.stringValue !== undefined) out.stringValue = value.stringValue;
    if (value.binaryValue !== undefined) out.binaryValue = fromBase64(value.binaryValue);
    if (value.stringListValues !== undefined) out.stringListValues = value.stringListValues;
    if (value.binaryListValues !== undefined) out.binaryListValues = value.binaryListValues.map(fromBase64);
    setOwn(attributes, name, out);
  }
  return attributes;
}
