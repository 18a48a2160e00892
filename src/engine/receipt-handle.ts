/** @module engine/receipt-handle: opaque receipt handles that name the queue, the message and the receive. */

/** What a handle says: which queue incarnation, which message, and which receive (the count at that receive). */
export interface DecodedHandle {
  queueName: string;
  queueCreatedAt: number;
  key: number;
  receiveCount: number;
  /** When that receive happened: the 12-hour visibility limit counts from here. */
  receivedAt: number;
}

const SEPARATOR = '\u0000';
const PREFIX = 'AQEB';

/** Encodes a handle. It is base64 so clients treat it as opaque; it survives restarts because it holds no memory address. */
export function encodeReceiptHandle(handle: DecodedHandle, nonce: string): string {
  // Queue names are ASCII, so latin1 is exact and cheaper than UTF-8.
  const text = `${handle.queueName}${SEPARATOR}${handle.queueCreatedAt}${SEPARATOR}${handle.key}${SEPARATOR}${handle.receiveCount}${SEPARATOR}${handle.receivedAt}${SEPARATOR}${nonce}`;
  return PREFIX + Buffer.from(text, 'latin1').toString('base64url');
}

/** Decodes a handle, or returns undefined for anything this server did not issue. */
export function decodeReceiptHandle(text: string): DecodedHandle | undefined {
  if (!text.startsWith(PREFIX) || text.length > 2048) return undefined;
  const body = text.slice(PREFIX.length);
  // base64url decoding skips characters outside its alphabet; re-encoding must give the same text back.
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.toString('base64url') !== body) return undefined;
  const parts = bytes.toString('latin1').split(SEPARATOR);
  if (parts.length !== 6) return undefined;
  const queueName = parts[0]!;
  const queueCreatedAt = toSafeInteger(parts[1]!);
  const key = toSafeInteger(parts[2]!);
  const receiveCount = toSafeInteger(parts[3]!);
  const receivedAt = toSafeInteger(parts[4]!);
  if (!queueName || queueCreatedAt < 0 || key < 0 || receiveCount < 0 || receivedAt < 0) return undefined;
  return { queueName, queueCreatedAt, key, receiveCount, receivedAt };
}

/** A non-negative decimal integer, or -1. */
function toSafeInteger(text: string): number {
  if (text.length === 0 || text.length > 16) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return Number(text);
}
